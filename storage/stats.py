"""Counts for /stats: by status, by half hour (bucketed into local days by the caller), by center,
by activity — of some centers (counted through the center index) or of all (read from the tallies
that triggers keep, schema_v4.sql)."""

from __future__ import annotations

from storage.db import Database
from storage.models import EventAttendance

# A creation time's UTC half hour, as the tallies key it.
HALF_HOUR = ("substr(r.created_at, 1, 14) || "
             "CASE WHEN substr(r.created_at, 15, 2) < '30' THEN '00' ELSE '30' END")


def _where(center_ids: list[int]) -> tuple[str, list[object]]:
    return f"WHERE r.center_id IN ({','.join('?' * len(center_ids)) or 'NULL'})", list(center_ids)


class StatsRepository:
    """Aggregate queries over registrations."""

    def __init__(self, db: Database):
        self._db = db

    async def by_status(self, center_ids: list[int] | None) -> dict[str, int]:
        if center_ids is None:
            rows = await self._db.fetch_all(
                "SELECT status, SUM(n) FROM tally_center_status GROUP BY status HAVING SUM(n) > 0")
            return {r[0]: r[1] for r in rows}
        where, params = _where(center_ids)
        rows = await self._db.fetch_all(
            f"SELECT r.status, COUNT(*) FROM registrations r {where} GROUP BY r.status", params)
        return {r[0]: r[1] for r in rows}

    async def by_half_hour(self, center_ids: list[int] | None, since: str) -> list[tuple[str, int]]:
        """(UTC half hour as 'YYYY-MM-DDTHH:00' or ':30', count) from the half hour holding `since`."""
        if center_ids is None:
            rows = await self._db.fetch_all(
                "SELECT slot, n FROM tally_half_hour WHERE slot >= ? AND n > 0 ORDER BY slot",
                [since[:14]])
            return [(r[0], r[1]) for r in rows]
        where, params = _where(center_ids)
        rows = await self._db.fetch_all(
            f"SELECT {HALF_HOUR}, COUNT(*) FROM registrations r {where} AND r.created_at >= ? "
            "GROUP BY 1 ORDER BY 1", [*params, since[:14]])
        return [(r[0], r[1]) for r in rows]

    async def by_center(self, center_ids: list[int] | None, limit: int) -> list[tuple[str, str, int]]:
        """(center code, name, count), largest first."""
        if center_ids is None:
            counts = ("SELECT center_id, SUM(n) AS n FROM tally_center_status GROUP BY center_id "
                      "HAVING SUM(n) > 0")
            params: list[object] = []
        else:
            where, params = _where(center_ids)
            counts = f"SELECT r.center_id, COUNT(*) AS n FROM registrations r {where} GROUP BY r.center_id"
        rows = await self._db.fetch_all(
            f"SELECT c.code, c.name, n FROM ({counts}) JOIN centers c ON c.id = center_id "
            "ORDER BY n DESC, c.code LIMIT ?", [*params, limit])
        return [(r[0], r[1], r[2]) for r in rows]

    async def by_activity(self, center_ids: list[int] | None) -> list[tuple[int, int]]:
        """(activity id, count)."""
        if center_ids is None:
            rows = await self._db.fetch_all(
                "SELECT activity_id, n FROM tally_activity WHERE n > 0 ORDER BY n DESC, activity_id")
            return [(r[0], r[1]) for r in rows]
        where, params = _where(center_ids)
        rows = await self._db.fetch_all(
            "SELECT a.activity_id, COUNT(*) FROM registration_activities a "
            f"JOIN registrations r ON r.id = a.registration_id {where} "
            "GROUP BY a.activity_id ORDER BY 2 DESC, 1", params)
        return [(r[0], r[1]) for r in rows]

    async def attendance(self, center_ids: list[int] | None, limit: int) -> list[EventAttendance]:
        """For the latest events not cancelled (newest first): invited (the invitation reached
        them), coming and no-show among these centers' volunteers, and came: checked in at these
        centers (all when None). Events with none are left out."""
        marks = ",".join("?" * len(center_ids or [])) or "NULL"
        center = "" if center_ids is None else f"AND r.center_id IN ({marks})"
        where_came = "" if center_ids is None else f"AND a.center_id IN ({marks})"
        ids = list(center_ids or [])
        rows = await self._db.fetch_all(
            "SELECT e.id, e.title, e.starts_at, e.ends_at, "
            "(SELECT COUNT(*) FROM broadcasts b JOIN outbox o ON o.broadcast_id = b.id "
            " WHERE b.event_id = e.id AND b.kind = 'invitation' AND o.status = 'sent' "
            " AND EXISTS (SELECT 1 FROM registrations r "
            f"  WHERE r.platform = o.platform AND r.user_id = o.chat_id {center})), "
            "(SELECT COUNT(*) FROM rsvps v JOIN registrations r ON r.id = v.registration_id "
            f" WHERE v.event_id = e.id AND v.answer = 'coming' {center}), "
            f"(SELECT COUNT(*) FROM attendance a WHERE a.event_id = e.id {where_came}), "
            "(SELECT COUNT(*) FROM rsvps v JOIN registrations r ON r.id = v.registration_id "
            f" WHERE v.event_id = e.id AND v.answer = 'coming' {center} AND NOT EXISTS "
            "  (SELECT 1 FROM attendance a WHERE a.event_id = e.id AND a.registration_id = r.id)) "
            "FROM events e WHERE e.cancelled_at IS NULL ORDER BY e.starts_at DESC, e.id DESC LIMIT ?",
            [*ids, *ids, *ids, *ids, limit])
        return [EventAttendance(*row) for row in rows if any(row[4:])]
