"""One-time invites that make their opener a center's coordinator."""

from __future__ import annotations

from datetime import datetime

from storage.clock import utc_iso
from storage.db import Database
from storage.models import Invite


class InviteRepository:
    """SQL for the invites table."""

    def __init__(self, db: Database):
        self._db = db

    async def create(self, token: str, center_id: int, created_by: str, now: datetime,
                     expires_at: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO invites(token, center_id, created_by, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (token, center_id, created_by, utc_iso(now), utc_iso(expires_at)),
            )

    async def consume(self, token: str, used_by: str, now: datetime) -> tuple[int | None, str]:
        """Use the invite once: (center id, "ok") or (None, "unknown" | "used" | "expired")."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT center_id, expires_at, used_at, revoked_at FROM invites WHERE token = ?", (token,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return None, "unknown"
            if row["revoked_at"] is not None:
                return None, "revoked"
            if row["used_at"] is not None:
                return None, "used"
            if row["expires_at"] <= utc_iso(now):
                return None, "expired"
            await conn.execute(
                "UPDATE invites SET used_at = ?, used_by = ? WHERE token = ?",
                (utc_iso(now), used_by, token),
            )
            return row["center_id"], "ok"

    async def open_invites(self, now: datetime) -> list[Invite]:
        """Invites that could still make someone a coordinator, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT token, center_id, created_by, created_at, expires_at FROM invites "
            "WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at",
            (utc_iso(now),))
        return [Invite(*row) for row in rows]

    async def revoke(self, token: str, revoked_by: str, now: datetime) -> bool:
        """Revoke an open invite; False when it was no longer open."""
        return bool(await self._db.write_one(
            "UPDATE invites SET revoked_at = ?, revoked_by = ? "
            "WHERE token = ? AND used_at IS NULL AND revoked_at IS NULL",
            (utc_iso(now), revoked_by, token)))
