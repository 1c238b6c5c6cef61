"""The activity areas a volunteer chooses from."""

from __future__ import annotations

from storage.db import Database
from storage.models import Activity


class ActivityRepository:
    """SQL for the activities table."""

    def __init__(self, db: Database):
        self._db = db

    async def active(self) -> list[Activity]:
        """Active activity areas in display order."""
        rows = await self._db.fetch_all(
            "SELECT id, position, name_fa, name_en, group_fa, group_en FROM activities "
            "WHERE active = 1 ORDER BY position"
        )
        return [Activity(*row) for row in rows]
