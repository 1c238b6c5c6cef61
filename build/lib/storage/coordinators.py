"""Coordinators (تسهیلگر) of each center, and the group chats linked to a center."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True)
class CoordinatorEntry:
    platform: str
    user_id: int
    center_id: int
    center_code: str
    center_name: str
    display_name: str


class CoordinatorRepository:
    """SQL for the coordinators and center_groups tables."""

    def __init__(self, db: Database):
        self._db = db

    async def add(self, platform: str, user_id: int, center_id: int, display_name: str) -> None:
        """Make the user a coordinator of the center (again: no duplicate)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO coordinators(platform, user_id, center_id, created_at, display_name) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(platform, user_id, center_id) "
                "DO UPDATE SET display_name = excluded.display_name",
                (platform, user_id, center_id, self._db.now_iso(), display_name),
            )

    async def remove(self, platform: str, user_id: int, center_id: int) -> bool:
        """Whether a coordinator was removed."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM coordinators WHERE platform = ? AND user_id = ? AND center_id = ?",
                (platform, user_id, center_id),
            )
            return cursor.rowcount > 0

    async def for_center(self, center_id: int) -> list[tuple[str, int]]:
        """(platform, user id) of every coordinator of a center."""
        rows = await self._db.fetch_all(
            "SELECT platform, user_id FROM coordinators WHERE center_id = ? ORDER BY created_at",
            (center_id,),
        )
        return [(r[0], r[1]) for r in rows]

    async def centers_of(self, platform: str, user_id: int) -> list[int]:
        """Ids of the centers this user coordinates."""
        rows = await self._db.fetch_all(
            "SELECT center_id FROM coordinators WHERE platform = ? AND user_id = ? ORDER BY center_id",
            (platform, user_id),
        )
        return [r[0] for r in rows]

    async def listing(self, center_id: int | None = None) -> list[CoordinatorEntry]:
        """Coordinators with their centers (of one center, or of all)."""
        rows = await self._db.fetch_all(
            "SELECT k.platform, k.user_id, k.center_id, c.code, c.name, k.display_name "
            "FROM coordinators k JOIN centers c ON c.id = k.center_id "
            "WHERE ? IS NULL OR k.center_id = ? ORDER BY c.code, k.created_at",
            (center_id, center_id),
        )
        return [CoordinatorEntry(*row) for row in rows]

    async def link_group(self, platform: str, chat_id: int, center_id: int, linked_by: str) -> None:
        """Alerts of the center also go to this group chat (a group serves one center)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO center_groups(platform, chat_id, center_id, linked_by, linked_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(platform, chat_id) DO UPDATE SET "
                "center_id = excluded.center_id, linked_by = excluded.linked_by, "
                "linked_at = excluded.linked_at",
                (platform, chat_id, center_id, linked_by, self._db.now_iso()),
            )

    async def group_center(self, platform: str, chat_id: int) -> int | None:
        """The center a group chat is linked to, if any."""
        row = await self._db.fetch_one(
            "SELECT center_id FROM center_groups WHERE platform = ? AND chat_id = ?",
            (platform, chat_id))
        return row[0] if row else None

    async def unlink_group(self, platform: str, chat_id: int) -> bool:
        """Whether the group chat was linked (and now is not)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM center_groups WHERE platform = ? AND chat_id = ?", (platform, chat_id))
            return cursor.rowcount > 0

    async def groups_of_center(self, center_id: int) -> list[tuple[str, int]]:
        """(platform, chat id) of the group chats linked to a center."""
        rows = await self._db.fetch_all(
            "SELECT platform, chat_id FROM center_groups WHERE center_id = ?", (center_id,)
        )
        return [(r[0], r[1]) for r in rows]
