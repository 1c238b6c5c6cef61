"""Everyone who has talked to the bot, keyed by (platform, user id)."""

from __future__ import annotations

import aiosqlite

from storage.db import Database
from storage.models import UserAccount
from storage.recently_used import CACHED_USERS, RecentlyUsed


class UserRepository:
    """SQL for the users table, with a copy in memory of recently seen accounts: every update
    starts by reading its sender's account. One instance serves all the platforms of a process
    (the Hub owns it), so an admin granted from one bot is an admin on the other at once. Only
    this class writes the table (another repository's transaction does it through the `…_within`
    methods), so the copy stays right by itself."""

    def __init__(self, db: Database, cached_users: int = CACHED_USERS):
        self._db = db
        self._cache: RecentlyUsed[tuple[str, int], UserAccount] = RecentlyUsed(cached_users)
        # Bumped by every change: a read that a change overtook must not be cached.
        self._changes = 0

    async def get(self, platform: str, user_id: int) -> UserAccount | None:
        """The stored user, if they have written before."""
        key = (platform, user_id)
        account = self._cache.get(key)
        if account is not None:
            return account
        changes = self._changes
        row = await self._db.fetch_one(
            "SELECT platform, user_id, language, is_admin, blocked_at FROM users "
            "WHERE platform = ? AND user_id = ?", key)
        if row is None:
            return None
        account = UserAccount(row[0], row[1], row[2], bool(row[3]), row[4])
        if changes == self._changes:
            self._cache.put(key, account)
        return account

    async def ensure(self, platform: str, user_id: int) -> UserAccount:
        """The stored user, created on first contact; a user who writes again is no longer blocked."""
        account = await self.get(platform, user_id)
        if account is not None and account.blocked_at is None:
            return account
        await self._write(
            platform, user_id,
            "INSERT INTO users(platform, user_id, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(platform, user_id) DO UPDATE SET blocked_at = NULL",
            (platform, user_id, self._db.now_iso()))
        return await self.get(platform, user_id)  # type: ignore[return-value]

    async def set_language(self, platform: str, user_id: int, language: str) -> None:
        """Remember the user's chosen language."""
        await self._write(platform, user_id,
                          "UPDATE users SET language = ? WHERE platform = ? AND user_id = ?",
                          (language, platform, user_id))

    async def set_admin(self, platform: str, user_id: int, is_admin: bool) -> None:
        """Grant or take away the admin role kept in the database (BOT_ADMINS are always admins)."""
        await self._write(
            platform, user_id,
            "INSERT INTO users(platform, user_id, created_at, is_admin) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(platform, user_id) DO UPDATE SET is_admin = excluded.is_admin",
            (platform, user_id, self._db.now_iso(), int(is_admin)))

    async def mark_blocked_within(self, conn: aiosqlite.Connection, accounts: list[tuple[str, int]],
                                  now: str) -> None:
        """Inside the caller's open transaction (a batch of broadcast outcomes): these accounts
        blocked the bot."""
        self._evict_within(accounts)
        await conn.executemany(
            "INSERT INTO users(platform, user_id, created_at, blocked_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(platform, user_id) DO UPDATE SET blocked_at = excluded.blocked_at",
            [(platform, user_id, now, now) for platform, user_id in accounts])

    async def delete_within(self, conn: aiosqlite.Connection, platform: str, user_id: int) -> None:
        """Inside the caller's open transaction (an erasure): the account is deleted."""
        self._evict_within([(platform, user_id)])
        await conn.execute("DELETE FROM users WHERE platform = ? AND user_id = ?", (platform, user_id))

    def _evict(self, platform: str, user_id: int) -> None:
        self._changes += 1
        self._cache.discard((platform, user_id))

    def _evict_within(self, accounts: list[tuple[str, int]]) -> None:
        """Drop the copies now and again when the open transaction ends (a read that ran during
        it saw the old rows)."""
        def evict_all() -> None:
            for platform, user_id in accounts:
                self._evict(platform, user_id)

        evict_all()
        self._db.after_transaction(evict_all)

    async def _write(self, platform: str, user_id: int, sql: str, parameters: tuple) -> None:
        self._evict(platform, user_id)
        try:
            await self._db.write_one(sql, parameters)
        finally:
            self._evict(platform, user_id)  # reads that ran during the write may have seen the old row
