"""Sign-ups in progress: written at every step so a restart resumes where the user was."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from storage.db import Database
from storage.models import Draft


class DraftRepository:
    """SQL for the drafts table."""

    def __init__(self, db: Database):
        self._db = db

    async def get(self, platform: str, user_id: int) -> Draft | None:
        """The user's draft, if a sign-up or edit is in progress."""
        row = await self._db.fetch_one(
            "SELECT step, answers FROM drafts WHERE platform = ? AND user_id = ?", (platform, user_id)
        )
        if row is None:
            return None
        return Draft(platform, user_id, row["step"], json.loads(row["answers"]))

    async def save(self, draft: Draft) -> None:
        """Write the draft's step and answers (creating it when new)."""
        await self._db.write_one(
            "INSERT INTO drafts(platform, user_id, step, answers, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(platform, user_id) DO UPDATE SET step = excluded.step, "
            "answers = excluded.answers, updated_at = excluded.updated_at",
            (draft.platform, draft.user_id, draft.step, json.dumps(draft.answers, ensure_ascii=False),
             datetime.now(UTC).isoformat(timespec="seconds")),
        )

    async def delete(self, platform: str, user_id: int) -> None:
        """Forget the draft."""
        await self._db.write_one("DELETE FROM drafts WHERE platform = ? AND user_id = ?", (platform, user_id))
