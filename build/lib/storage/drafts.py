"""Sign-ups in progress: written at every step so a restart resumes where the user was."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from storage.clock import utc_iso
from storage.db import Database
from storage.models import Draft
from storage.recently_used import CACHED_USERS, RecentlyUsed


class DraftRepository:
    """SQL for the drafts table, with a write-through copy in memory: every update of a user in a
    dialog reads their draft. Only this class writes the table (another repository's transaction
    deletes a draft through `delete_within`), so the copy stays right by itself."""

    def __init__(self, db: Database, cached_users: int = CACHED_USERS):
        self._db = db
        # (platform, user_id) -> (step, answers as JSON) or None for "no draft"; JSON, so that a
        # caller changing a Draft it got does not change what is cached.
        self._cache: RecentlyUsed[tuple[str, int], tuple[str, str] | None] = RecentlyUsed(cached_users)

    async def get(self, platform: str, user_id: int) -> Draft | None:
        """The user's draft, if a sign-up or edit is in progress."""
        key = (platform, user_id)
        if key in self._cache:
            cached = self._cache.get(key)
        else:
            row = await self._db.fetch_one(
                "SELECT step, answers FROM drafts WHERE platform = ? AND user_id = ?", key)
            cached = (row["step"], row["answers"]) if row else None
            self._cache.put(key, cached)
        if cached is None:
            return None
        return Draft(platform, user_id, cached[0], json.loads(cached[1]))

    async def save(self, draft: Draft) -> None:
        """Write the draft's step and answers (creating it when new)."""
        key = (draft.platform, draft.user_id)
        answers = json.dumps(draft.answers, ensure_ascii=False)
        self._cache.discard(key)  # if the write fails, the next read goes to the database
        await self._db.write_one(
            "INSERT INTO drafts(platform, user_id, step, answers, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(platform, user_id) DO UPDATE SET step = excluded.step, "
            "answers = excluded.answers, updated_at = excluded.updated_at",
            # updated_at decides when an abandoned draft is deleted
            (draft.platform, draft.user_id, draft.step, answers, self._db.now_iso()),
        )
        self._cache.put(key, (draft.step, answers))

    async def delete(self, platform: str, user_id: int) -> None:
        """Forget the draft."""
        self._cache.discard((platform, user_id))
        await self._db.write_one("DELETE FROM drafts WHERE platform = ? AND user_id = ?", (platform, user_id))
        self._cache.put((platform, user_id), None)

    async def delete_untouched_since(self, platform: str, cutoff: datetime) -> int:
        """Delete the platform's drafts last written before `cutoff`; how many."""
        stale = await self._db.fetch_all(
            "SELECT user_id FROM drafts WHERE platform = ? AND updated_at < ?",
            (platform, utc_iso(cutoff)))
        for (user_id,) in stale:
            self._cache.discard((platform, user_id))
            await self._db.write_one(
                "DELETE FROM drafts WHERE platform = ? AND user_id = ? AND updated_at < ?",
                (platform, user_id, utc_iso(cutoff)))
            self._cache.discard((platform, user_id))
        return len(stale)

    async def delete_within(self, conn: aiosqlite.Connection, platform: str, user_id: int) -> None:
        """Delete the user's draft inside the caller's open transaction (a registration that
        replaces it, an erasure): gone from memory now, and again when the transaction ends."""
        key = (platform, user_id)
        self._cache.discard(key)
        self._db.after_transaction(lambda: self._cache.discard(key))
        await conn.execute("DELETE FROM drafts WHERE platform = ? AND user_id = ?", key)
