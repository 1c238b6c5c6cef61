"""Synthetic campaign data written straight into a migrated, seeded database."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.db import Database
from tests import people

FIRST_USER = 50_000_000
WEEKDAYS = ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
PARTS = ("morning", "afternoon", "evening")
STATUSES = ("pending",) * 6 + ("approved",) * 3 + ("rejected", "withdrawn")
CHUNK = 50_000


async def add_centers(db: Database, count: int) -> list[int]:
    """`count` extra centers spread over the seeded counties; their ids."""
    counties = [row[0] for row in await db.fetch_all("SELECT id FROM counties")]
    now = datetime.now(UTC).isoformat()
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO centers(code, name, county_id, lat, lon, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(str(60_000 + n), f"مرکز آزمایشی {n}", counties[n % len(counties)],
              34.8 + (n % 50) / 100, 48.5 + (n // 50 % 50) / 100, now) for n in range(count)])
    rows = await db.fetch_all("SELECT id FROM centers WHERE code >= '60000' ORDER BY id")
    return [row[0] for row in rows]


async def add_registrations(db: Database, center_ids: list[int], count: int, *,
                            big_share: float = 0.0, days: int = 60, seed: int = 1) -> None:
    """`count` registrations with 1–3 activities each, created over the last `days` days; a
    `big_share` of them at the first center (a provincial office), the rest spread evenly."""
    big_center = center_ids[0]
    rng = random.Random(seed)
    activities = [row[0] for row in await db.fetch_all("SELECT id FROM activities")]
    now = datetime.now(UTC)
    for start in range(0, count, CHUNK):
        registrations, links = [], []
        for n in range(start, min(count, start + CHUNK)):
            center = big_center if rng.random() < big_share else rng.choice(center_ids)
            created = (now - timedelta(seconds=rng.randrange(days * 86_400))).isoformat()
            registrations.append((
                f"{10_000_000 + n}", "telegram", FIRST_USER + n, people.national_id(n),
                people.mobile(n), f"یاریگر شماره {n}",
                f"{rng.randint(1950, 2010)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(("female", "male")), center,
                ",".join(rng.sample(WEEKDAYS, rng.randint(1, 3))), rng.choice(PARTS),
                rng.choice(STATUSES), created, created))
            links += [(n + 1, a) for a in rng.sample(activities, rng.randint(1, 3))]
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO registrations(tracking_code, platform, user_id, national_id, mobile, "
                "full_name, birth_date, gender, center_id, availability_days, availability_parts, "
                "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                registrations)
            await conn.executemany(
                "INSERT INTO registration_activities(registration_id, activity_id) VALUES (?, ?)", links)


async def database_with(path: Path, registrations: int, centers: int = 0, **spread) -> list[int]:
    """A fresh database at `path` holding these registrations; the ids of the centers used."""
    db = await Database.open(path)
    try:
        if await db.fetch_one("SELECT 1 FROM registrations LIMIT 1"):
            raise ValueError(f"{path} already holds registrations")
        center_ids = await add_centers(db, centers) if centers else [
            row[0] for row in await db.fetch_all("SELECT id FROM centers WHERE code = '4175'")]
        await add_registrations(db, center_ids, registrations, **spread)
        return center_ids
    finally:
        await db.close()


def remove_database(db: Path) -> None:
    """Delete a database of an earlier run with its -wal and -shm files."""
    for stale in db.parent.glob(f"{db.name}*"):
        stale.unlink()
