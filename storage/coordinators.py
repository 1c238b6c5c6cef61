"""Coordinators (تسهیلگر) of each center."""

from __future__ import annotations

from storage.db import Database


class CoordinatorRepository:
    """SQL for the coordinators table."""

    def __init__(self, db: Database):
        self._db = db

    async def for_center(self, center_id: int) -> list[tuple[str, int]]:
        """(platform, user id) of every coordinator of a center."""
        rows = await self._db.fetch_all(
            "SELECT platform, user_id FROM coordinators WHERE center_id = ? ORDER BY created_at",
            (center_id,),
        )
        return [(r[0], r[1]) for r in rows]
