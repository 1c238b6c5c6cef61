"""Who came to an event: check-ins (by a scanned QR or ticked by a coordinator) and check-outs."""

from __future__ import annotations

from storage.db import Database
from storage.models import Attendance

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
