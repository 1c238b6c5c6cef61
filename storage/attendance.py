"""Who came to an event: check-ins (by a scanned QR or ticked by a coordinator), check-outs, and
the hours a coordinator verified."""

from __future__ import annotations

from storage.db import Database
from storage.models import Attendance, LedgerLine, SheetLine

_SELECT = "SELECT event_id, registration_id, center_id, checked_in_at FROM attendance "


class AttendanceRepository:
    """SQL for attendance."""

    def __init__(self, db: Database):
        self._db = db

    async def check_in(self, event_id: int, registration_id: int, center_id: int,
                       by: str) -> tuple[bool, Attendance]:
        """Record the volunteer as present, once: (whether this call recorded it, the record)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO attendance(event_id, registration_id, center_id, checked_in_at, checked_in_by) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(event_id, registration_id) DO NOTHING",
                (event_id, registration_id, center_id, self._db.now_iso(), by))
            recorded = cursor.rowcount > 0
        return recorded, await self.of(event_id, registration_id)  # type: ignore[return-value]

    async def of(self, event_id: int, registration_id: int) -> Attendance | None:
        row = await self._db.fetch_one(_SELECT + "WHERE event_id = ? AND registration_id = ?",
                                       (event_id, registration_id))
        return Attendance(*row) if row else None

    async def undo(self, event_id: int, registration_id: int, center_id: int) -> bool:
        """Take back a check-in at this center (ticked by mistake); never once verified."""
        return await self._db.write_one(
            "DELETE FROM attendance WHERE event_id = ? AND registration_id = ? AND center_id = ? "
            "AND verified_at IS NULL", (event_id, registration_id, center_id)) > 0

    async def check_out(self, event_id: int, registration_id: int, center_id: int) -> bool:
        """The volunteer left this center: their hours end here (until verified)."""
        return await self._db.write_one(
            "UPDATE attendance SET checked_out_at = ? WHERE event_id = ? AND registration_id = ? "
            "AND center_id = ? AND checked_out_at IS NULL AND verified_at IS NULL",
            (self._db.now_iso(), event_id, registration_id, center_id)) > 0

    async def sheet(self, event_id: int, center_id: int, limit: int,
                    offset: int) -> tuple[list[SheetLine], int]:
        """A page of the center's sheet for the event: its active volunteers (those coming first,
        then by name) and anyone who checked in there by QR, with their check-in at this center
        (one made at another center is that center's to keep); and how many in all."""
        where = ("FROM registrations r "
                 "LEFT JOIN attendance a ON a.event_id = ? AND a.registration_id = r.id AND a.center_id = ? "
                 "LEFT JOIN rsvps v ON v.event_id = ? AND v.registration_id = r.id "
                 "WHERE (r.center_id = ? AND r.status IN ('pending', 'approved')) "
                 "OR a.center_id IS NOT NULL ")
        params = (event_id, center_id, event_id, center_id)
        rows = await self._db.fetch_all(
            "SELECT r.id, r.full_name, r.tracking_code, a.checked_in_at, a.checked_out_at, a.hours, "
            "a.checked_in_by = 'self' "
            + where + "ORDER BY COALESCE(v.answer = 'coming', 0) DESC, r.full_name, r.id LIMIT ? OFFSET ?",
            (*params, limit, offset))
        total = await self._db.fetch_one("SELECT COUNT(*) " + where, params)
        return [SheetLine(*row) for row in rows], int(total[0])

    async def counts(self, event_id: int, center_id: int) -> tuple[int, int]:
        """(checked in, of them verified) at this center."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*), COUNT(verified_at) FROM attendance WHERE event_id = ? AND center_id = ?",
            (event_id, center_id))
        return int(row[0]), int(row[1])

    async def unverified(self, event_id: int, center_id: int) -> list[tuple[int, str, str | None]]:
        """(registration, checked in, checked out) of check-ins at this center not verified yet."""
        rows = await self._db.fetch_all(
            "SELECT registration_id, checked_in_at, checked_out_at FROM attendance "
            "WHERE event_id = ? AND center_id = ? AND verified_at IS NULL", (event_id, center_id))
        return [tuple(r) for r in rows]

    async def verify(self, event_id: int, hours: dict[int, tuple[float, str | None]], by: str) -> int:
        """Record verified hours — registration → (hours, the check-out they were counted to) —
        in one transaction; a row checked out meanwhile is left for the next press. How many."""
        async with self._db.transaction() as conn:
            now = self._db.now_iso()
            cursor = await conn.executemany(
                "UPDATE attendance SET hours = ?, verified_by = ?, verified_at = ? "
                "WHERE event_id = ? AND registration_id = ? AND verified_at IS NULL AND checked_out_at IS ?",
                [(h, by, now, event_id, registration_id, out)
                 for registration_id, (h, out) in hours.items()])
            return cursor.rowcount

    async def ledger(self, platform: str, user_id: int) -> list[LedgerLine]:
        """A person's attended events over all their registrations (who withdrew and signed up
        again keeps their hours), newest first, with verified hours (None: not yet)."""
        rows = await self._db.fetch_all(
            "SELECT e.title, e.starts_at, a.hours FROM attendance a JOIN events e ON e.id = a.event_id "
            "JOIN registrations r ON r.id = a.registration_id "
            "WHERE r.platform = ? AND r.user_id = ? AND r.forgotten_at IS NULL ORDER BY e.starts_at DESC",
            (platform, user_id))
        return [LedgerLine(*row) for row in rows]

    async def events_unverified(self, center_id: int) -> list[int]:
        """Events with check-ins at this center whose hours are not verified yet."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT event_id FROM attendance WHERE center_id = ? AND verified_at IS NULL",
            (center_id,))
        return [row[0] for row in rows]

    async def export_attendance(self, center_ids: list[int] | None) -> list[tuple]:
        """Every answer or check-in of these centers' volunteers, and every check-in at these
        centers, event by event: (event title, starts at, center code, center name — where they
        came, else their own — tracking code, name, answer, checked in, checked out, hours)."""
        where, params = "", []
        if center_ids is not None:
            marks = ",".join("?" * len(center_ids)) or "NULL"
            where = f"AND (r.center_id IN ({marks}) OR a.center_id IN ({marks})) "
            params = [*center_ids, *center_ids]
        rows = await self._db.fetch_all(
            "SELECT e.title, e.starts_at, c.code, c.name, r.tracking_code, r.full_name, v.answer, "
            "a.checked_in_at, a.checked_out_at, a.hours "
            "FROM (SELECT event_id, registration_id FROM rsvps UNION "
            "      SELECT event_id, registration_id FROM attendance) x "
            "JOIN events e ON e.id = x.event_id JOIN registrations r ON r.id = x.registration_id "
            "LEFT JOIN attendance a ON a.event_id = x.event_id AND a.registration_id = x.registration_id "
            "LEFT JOIN rsvps v ON v.event_id = x.event_id AND v.registration_id = x.registration_id "
            "JOIN centers c ON c.id = COALESCE(a.center_id, r.center_id) "
            "WHERE r.forgotten_at IS NULL AND e.cancelled_at IS NULL " + where +
            "ORDER BY e.starts_at, e.id, c.code, r.full_name, r.id", params)
        return [tuple(r) for r in rows]

    async def export_hours(self, center_ids: list[int] | None) -> list[tuple]:
        """Each volunteer of these centers who came to an event: (tracking code, name, center code,
        center name, events came to, of them verified, verified hours)."""
        where, params = "", []
        if center_ids is not None:
            where = f"AND r.center_id IN ({','.join('?' * len(center_ids)) or 'NULL'}) "
            params = list(center_ids)
        rows = await self._db.fetch_all(
            "SELECT r.tracking_code, r.full_name, c.code, c.name, COUNT(*), COUNT(a.hours), "
            "COALESCE(SUM(a.hours), 0) FROM attendance a JOIN registrations r ON r.id = a.registration_id "
            "JOIN events e ON e.id = a.event_id AND e.cancelled_at IS NULL "
            "JOIN centers c ON c.id = r.center_id WHERE r.forgotten_at IS NULL " + where +
            "GROUP BY r.id ORDER BY c.code, r.full_name, r.id", params)
        return [tuple(r) for r in rows]
