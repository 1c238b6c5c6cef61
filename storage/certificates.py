"""Certificates of service: issued with a code, found by it, revoked."""

from __future__ import annotations

from storage.db import Database
from storage.models import Certificate

_SELECT = ("SELECT code, registration_id, hours, events, issued_at, revoked_at, full_name, center_id "
           "FROM certificates ")


class CertificateRepository:
    """SQL for certificates."""

    def __init__(self, db: Database):
        self._db = db

    async def issue(self, code: str, registration_id: int, full_name: str, center_id: int, hours: float,
                    events: int) -> Certificate:
        """A certificate of what it will say: kept as issued, whatever changes later."""
        await self._db.write_one(
            "INSERT INTO certificates(code, registration_id, full_name, center_id, hours, events, issued_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (code, registration_id, full_name, center_id, hours, events, self._db.now_iso()))
        return await self.by_code(code)  # type: ignore[return-value]

    async def by_code(self, code: str) -> Certificate | None:
        row = await self._db.fetch_one(_SELECT + "WHERE code = ?", (code,))
        return Certificate(*row) if row else None

    async def latest_valid(self, registration_id: int) -> Certificate | None:
        row = await self._db.fetch_one(
            _SELECT + "WHERE registration_id = ? AND revoked_at IS NULL ORDER BY issued_at DESC, "
            "rowid DESC LIMIT 1", (registration_id,))
        return Certificate(*row) if row else None

    async def revoke(self, code: str) -> bool:
        return await self._db.write_one(
            "UPDATE certificates SET revoked_at = ? WHERE code = ? AND revoked_at IS NULL",
            (self._db.now_iso(), code)) > 0
