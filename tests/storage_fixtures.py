"""Rows inserted straight into the database for tests that need many of them."""

from __future__ import annotations

from storage.db import Database


async def insert_registrations(db: Database, center_id: int, count: int, start: int = 0,
                               platform: str = "telegram") -> None:
    """`count` pending registrations at a center with made-up, distinct personal data."""
    async with db.transaction() as conn:
        for n in range(start, start + count):
            cursor = await conn.execute(
                "INSERT INTO registrations(tracking_code, platform, user_id, national_id, mobile, "
                "full_name, birth_date, is_minor, gender, center_id, availability_days, "
                "availability_parts, status, created_at, updated_at) VALUES "
                "(?, ?, ?, ?, ?, ?, '1990-01-01', 0, 'female', ?, 'sat', 'morning', "
                "'pending', '2026-11-20T08:00:00+00:00', '2026-11-20T08:00:00+00:00')",
                (f"{90000000 + n}", platform, 5_000_000 + n, f"9{n:09d}", f"0939{n:07d}", f"یاریگر {n}",
                 center_id),
            )
            await conn.execute(
                "INSERT INTO registration_activities(registration_id, activity_id) VALUES (?, 1)",
                (cursor.lastrowid,))
