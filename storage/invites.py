"""One-time invites that make their opener a center's coordinator."""

from __future__ import annotations

from datetime import datetime

from storage.clock import utc_iso
from storage.db import Database


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
                "SELECT center_id, expires_at, used_at FROM invites WHERE token = ?", (token,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return None, "unknown"
            if row["used_at"] is not None:
                return None, "used"
            if row["expires_at"] <= utc_iso(now):
                return None, "expired"
            await conn.execute(
                "UPDATE invites SET used_at = ?, used_by = ? WHERE token = ?",
                (utc_iso(now), used_by, token),
            )
            return row["center_id"], "ok"
