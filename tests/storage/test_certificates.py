"""Certificates: found by code, revoked once, and revoked when the volunteer is forgotten."""

from __future__ import annotations

from storage.certificates import CertificateRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.registrations import RegistrationRepository
from storage.users import UserRepository
from tests.storage_fixtures import insert_registrations


async def test_a_certificate_is_revoked_once_and_with_the_volunteers_erasure(db_path):
    db = await Database.open(db_path)
    try:
        center = (await db.fetch_one("SELECT id FROM centers WHERE code = '4175'"))[0]
        await insert_registrations(db, center, 2)
        certificates = CertificateRepository(db)
        first = await certificates.issue("AAAA222222", 1, "یاریگر 0", center, 7.5, 2)
        await certificates.issue("BBBB333333", 2, "یاریگر 1", center, 4.0, 1)
        assert (first.full_name, first.hours, first.revoked_at) == ("یاریگر 0", 7.5, None)
        async with db.transaction() as conn:  # a later /edit: the certificate says what it said
            await conn.execute("UPDATE registrations SET full_name = 'نام تازه' WHERE id = 1")
        assert (await certificates.by_code("AAAA222222")).full_name == "یاریگر 0"
        assert await certificates.revoke("AAAA222222") and not await certificates.revoke("AAAA222222")
        assert (await certificates.latest_valid(1)) is None
        registrations = RegistrationRepository(db, DraftRepository(db), UserRepository(db))
        await registrations.forget_user("telegram", 5_000_001)  # /forget, as the bot does it
        erased = await certificates.by_code("BBBB333333")
        assert erased.revoked_at is not None and erased.full_name is None
    finally:
        await db.close()
