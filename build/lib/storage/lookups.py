"""How many national codes and mobiles each person has had checked against the registrations,
per day: the answer tells whether one is registered, so the tries are limited."""

from __future__ import annotations

from storage.db import Database


class LookupRepository:
    """SQL for the lookups table."""

    def __init__(self, db: Database):
        self._db = db

    async def spend(self, platform: str, user_id: int, kind: str, day: str, limit: int) -> bool:
        """Count one look-up of `kind` on `day`; False (and nothing counted) once `limit` are spent."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO lookups(platform, user_id, day, kind, count) VALUES (?, ?, ?, ?, 1) "
                "ON CONFLICT(platform, user_id, day, kind) DO UPDATE SET count = count + 1 "
                "WHERE count < ?",
                (platform, user_id, day, kind, limit),
            )
            return cursor.rowcount > 0

    async def delete_before(self, day: str) -> int:
        """Forget the counts of days before `day` (ISO date); how many rows."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM lookups WHERE day < ?", (day,))
            return cursor.rowcount
