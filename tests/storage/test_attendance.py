"""Attendance where it is kept: a person's ledger spans all their registrations."""

from __future__ import annotations

from storage.attendance import AttendanceRepository
from storage.db import Database
from tests.storage_fixtures import insert_registrations


async def test_hours_stay_with_a_person_who_withdrew_and_signed_up_again(db_path):
    db = await Database.open(db_path)
    try:
        center = (await db.fetch_one("SELECT id FROM centers WHERE code = '4175'"))[0]
        await insert_registrations(db, center, 1)
        async with db.transaction() as conn:
            await conn.execute("UPDATE registrations SET status = 'withdrawn' WHERE id = 1")
            columns = ("platform, user_id, national_id, mobile, full_name, birth_date, is_minor, gender, "
                       "center_id, availability_days, availability_parts, created_at, updated_at")
            await conn.execute(  # the same person, signed up again (a new registration)
                f"INSERT INTO registrations(tracking_code, status, {columns}) "
                f"SELECT '99999999', 'pending', {columns} FROM registrations WHERE id = 1")
            for event_id, registration_id, starts, hours in ((1, 1, "2026-11-01T05:00:00+00:00", 3.0),
                                                              (2, 2, "2026-12-01T05:00:00+00:00", 2.5)):
                await conn.execute(
                    "INSERT INTO events(id, title, scope_kind, starts_at, created_by, created_at) "
                    "VALUES (?, ?, 'all', ?, 'admin', ?)", (event_id, f"رویداد {event_id}", starts, starts))
                await conn.execute(
                    "INSERT INTO attendance(event_id, registration_id, center_id, checked_in_at, "
                    "checked_in_by, hours) VALUES (?, ?, ?, ?, 'self', ?)",
                    (event_id, registration_id, center, starts, hours))
        ledger = await AttendanceRepository(db).ledger("telegram", 5_000_000)
        assert [(line.title, line.hours) for line in ledger] == [("رویداد 2", 2.5), ("رویداد 1", 3.0)]
    finally:
        await db.close()
