"""Everyone who has talked to the bot, keyed by (platform, user id)."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.db import Database
from storage.models import UserAccount


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class UserRepository:
    """SQL for the users table."""

    def __init__(self, db: Database):
        self._db = db

    async def get(self, platform: str, user_id: int) -> UserAccount | None:
        """The stored user, if they have written before."""
        row = await self._db.fetch_one(
            "SELECT platform, user_id, language, is_admin, blocked_at FROM users "
            "WHERE platform = ? AND user_id = ?",
            (platform, user_id),
        )
        if row is None:
            return None
        return UserAccount(row[0], row[1], row[2], bool(row[3]), row[4])

    async def ensure(self, platform: str, user_id: int) -> UserAccount:
        """The stored user, created on first contact; a user who writes again is no longer blocked."""
        account = await self.get(platform, user_id)
        if account is not None and account.blocked_at is None:
            return account
        await self._db.write_one(
            "INSERT INTO users(platform, user_id, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(platform, user_id) DO UPDATE SET blocked_at = NULL",
            (platform, user_id, _now()),
        )
        return await self.get(platform, user_id)  # type: ignore[return-value]

    async def set_language(self, platform: str, user_id: int, language: str) -> None:
        """Remember the user's chosen language."""
        await self._db.write_one("UPDATE users SET language = ? WHERE platform = ? AND user_id = ?",
                                 (language, platform, user_id))

    async def set_admin(self, platform: str, user_id: int, is_admin: bool) -> None:
        """Grant or take away the admin role kept in the database (BOT_ADMINS are always admins)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users(platform, user_id, created_at, is_admin) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(platform, user_id) DO UPDATE SET is_admin = excluded.is_admin",
                (platform, user_id, _now(), int(is_admin)),
            )
