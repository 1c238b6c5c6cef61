"""Counts for /stats: by status, by hour (bucketed into local days by the caller), by center, by
activity — of some centers or of all."""

from __future__ import annotations

from storage.db import Database


def _where(center_ids: list[int] | None) -> tuple[str, list[object]]:
    if center_ids is None:
        return "", []
    return f"WHERE r.center_id IN ({','.join('?' * len(center_ids)) or 'NULL'})", list(center_ids)


class StatsRepository:
    """Aggregate queries over registrations."""

    def __init__(self, db: Database):
        self._db = db

    async def by_status(self, center_ids: list[int] | None) -> dict[str, int]:
        where, params = _where(center_ids)
        rows = await self._db.fetch_all(
            f"SELECT r.status, COUNT(*) FROM registrations r {where} GROUP BY r.status", params)
        return {r[0]: r[1] for r in rows}

    async def by_hour(self, center_ids: list[int] | None, since: str) -> list[tuple[str, int]]:
        """(UTC hour as 'YYYY-MM-DDTHH', count) since a UTC time."""
        where, params = _where(center_ids)
        where = (where + " AND" if where else "WHERE") + " r.created_at >= ?"
        rows = await self._db.fetch_all(
            f"SELECT substr(r.created_at, 1, 13), COUNT(*) FROM registrations r {where} "
            "GROUP BY 1 ORDER BY 1", [*params, since])
        return [(r[0], r[1]) for r in rows]

    async def by_center(self, center_ids: list[int] | None, limit: int) -> list[tuple[str, str, int]]:
        """(center code, name, count), largest first."""
        where, params = _where(center_ids)
        rows = await self._db.fetch_all(
            "SELECT c.code, c.name, n FROM (SELECT r.center_id, COUNT(*) AS n FROM registrations r "
            f"{where} GROUP BY r.center_id) JOIN centers c ON c.id = center_id "
            "ORDER BY n DESC, c.code LIMIT ?", [*params, limit])
        return [(r[0], r[1], r[2]) for r in rows]

    async def by_activity(self, center_ids: list[int] | None) -> list[tuple[int, int]]:
        """(activity id, count)."""
        where, params = _where(center_ids)
        rows = await self._db.fetch_all(
            "SELECT a.activity_id, COUNT(*) FROM registration_activities a "
            f"JOIN registrations r ON r.id = a.registration_id {where} "
            "GROUP BY a.activity_id ORDER BY 2 DESC", params)
        return [(r[0], r[1]) for r in rows]
