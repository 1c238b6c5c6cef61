"""Certificates of service: issued with a code, found by it, revoked."""

from __future__ import annotations

from storage.db import Database
from storage.models import Certificate

_SELECT = ("SELECT c.code, c.registration_id, c.hours, c.events, c.issued_at, c.revoked_at, r.full_name, "
           "r.center_id FROM certificates c JOIN registrations r ON r.id = c.registration_id ")


class CertificateRepository:
    """SQL for certificates."""

    def __init__(self, db: Database):
        self._db = db

    async def issue(self, code: str, registration_id: int, hours: float, events: int) -> Certificate:
        await self._db.write_one(
            "INSERT INTO certificates(code, registration_id, hours, events, issued_at) "
            "VALUES (?, ?, ?, ?, ?)", (code, registration_id, hours, events, self._db.now_iso()))
        return await self.by_code(code)  # type: ignore[return-value]

    async def by_code(self, code: str) -> Certificate | None:
        row = await self._db.fetch_one(_SELECT + "WHERE c.code = ?", (code,))
        return Certificate(*row) if row else None

    async def latest_valid(self, registration_id: int) -> Certificate | None:
        row = await self._db.fetch_one(
            _SELECT + "WHERE c.registration_id = ? AND c.revoked_at IS NULL ORDER BY c.issued_at DESC, "
            "c.rowid DESC LIMIT 1", (registration_id,))
        return Certificate(*row) if row else None

    async def revoke(self, code: str) -> bool:
        return await self._db.write_one(
            "UPDATE certificates SET revoked_at = ? WHERE code = ? AND revoked_at IS NULL",
            (self._db.now_iso(), code)) > 0
