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
