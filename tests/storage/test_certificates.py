"""Certificates: found by code, revoked once, and revoked when the volunteer is forgotten."""

from __future__ import annotations

from storage.certificates import CertificateRepository
from storage.db import Database
from tests.storage_fixtures import insert_registrations


async def test_a_certificate_is_revoked_once_and_with_the_volunteers_erasure(db_path):
    db = await Database.open(db_path)
    try:
        center = (await db.fetch_one("SELECT id FROM centers WHERE code = '4175'"))[0]
        await insert_registrations(db, center, 2)
        certificates = CertificateRepository(db)
        first = await certificates.issue("AAAA222222", 1, 7.5, 2)
        await certificates.issue("BBBB333333", 2, 4.0, 1)
        assert (first.full_name, first.hours, first.revoked_at) == ("یاریگر 0", 7.5, None)
        assert await certificates.revoke("AAAA222222") and not await certificates.revoke("AAAA222222")
        assert (await certificates.latest_valid(1)) is None
        async with db.transaction() as conn:  # /forget: the person's data erased
            await conn.execute("UPDATE registrations SET full_name = NULL, forgotten_at = ? WHERE id = 2",
                               ("2026-12-07T10:00:00+00:00",))
        erased = await certificates.by_code("BBBB333333")
        assert erased.revoked_at == "2026-12-07T10:00:00+00:00" and erased.full_name is None
    finally:
        await db.close()
