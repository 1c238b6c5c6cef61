from __future__ import annotations

import hashlib

import aiosqlite

from storage.db import Database
from storage.migrations import LATEST_VERSION


async def _dump(path) -> str:
    async with aiosqlite.connect(path) as conn:
        lines = [line async for line in conn.iterdump()]  # type: ignore[attr-defined]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


async def test_first_start_creates_schema_and_seed(db_path):
    db = await Database.open(db_path)
    try:
        assert (await db.fetch_one("PRAGMA user_version"))[0] == LATEST_VERSION
        assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetch_one("SELECT COUNT(*) FROM provinces"))[0] == 31
        hamadan = await db.fetch_all(
            "SELECT k.name_fa FROM counties k JOIN provinces p ON p.id = k.province_id "
            "WHERE p.name_fa = 'همدان'")
        assert {"همدان", "ملایر", "نهاوند", "تویسرکان"} <= {r[0] for r in hamadan}
        assert (await db.fetch_one("SELECT COUNT(*) FROM activities"))[0] == 13
        samples = await db.fetch_all("SELECT name, is_sample FROM centers")
        assert samples and all(r["is_sample"] == 1 and "نمونه" in r["name"] for r in samples)
    finally:
        await db.close()


async def test_second_start_changes_nothing(db_path):
    await (await Database.open(db_path)).close()
    before = await _dump(db_path)
    await (await Database.open(db_path)).close()
    assert await _dump(db_path) == before


async def test_a_failed_write_is_rolled_back(db_path):
    db = await Database.open(db_path)
    try:
        try:
            async with db.transaction() as conn:
                await conn.execute("DELETE FROM activities")
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        assert (await db.fetch_one("SELECT COUNT(*) FROM activities"))[0] == 13
    finally:
        await db.close()


async def test_a_version_1_database_is_upgraded_with_its_data_kept(db_path):
    from storage.migrations import MIGRATIONS

    async with aiosqlite.connect(db_path) as conn:
        conn.row_factory = aiosqlite.Row
        await conn.execute("BEGIN")
        await MIGRATIONS[0][1](conn)
        await conn.execute("PRAGMA user_version = 1")
        await conn.execute(
            "INSERT INTO registrations(tracking_code, platform, user_id, center_id, created_at, "
            "updated_at) VALUES ('12345678', 'telegram', 1, 1, 'x', 'x')")
        await conn.commit()
    db = await Database.open(db_path)
    try:
        assert (await db.fetch_one("PRAGMA user_version"))[0] == LATEST_VERSION >= 2
        row = await db.fetch_one("SELECT tracking_code, reviewed_by FROM registrations")
        assert tuple(row) == ("12345678", None)
        assert await db.fetch_all("SELECT * FROM center_groups") == []
    finally:
        await db.close()
