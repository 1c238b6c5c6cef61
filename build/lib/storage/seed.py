"""First-start seed data: provinces, counties, clearly-labelled sample centers, the 13 activities."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

SEED_DIR = Path(__file__).parent / "seed"


def read_seed_csv(name: str) -> list[dict[str, str]]:
    """Rows of one seed file as dicts keyed by its header."""
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


async def load_seed_data(conn: aiosqlite.Connection) -> None:
    """Insert the seed rows; runs inside the first migration's transaction."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    await conn.executemany(
        "INSERT INTO provinces(name_fa, name_en) VALUES (?, ?)",
        [(r["name_fa"], r["name_en"]) for r in read_seed_csv("provinces.csv")],
    )
    await conn.executemany(
        "INSERT INTO counties(province_id, name_fa, name_en) "
        "SELECT id, ?, ? FROM provinces WHERE name_fa = ?",
        [(r["name_fa"], r["name_en"], r["province_fa"]) for r in read_seed_csv("counties.csv")],
    )
    await conn.executemany(
        "INSERT INTO centers(code, name, county_id, address, lat, lon, is_sample, updated_at) "
        "SELECT ?, ?, c.id, ?, ?, ?, 1, ? FROM counties c JOIN provinces p ON p.id = c.province_id "
        "WHERE p.name_fa = ? AND c.name_fa = ?",
        [
            (r["code"], r["name"], r["address"], float(r["lat"]), float(r["lon"]), now,
             r["province"], r["county"])
            for r in read_seed_csv("sample_centers.csv")
        ],
    )
    await conn.executemany(
        "INSERT INTO activities(position, name_fa, name_en, group_fa, group_en) VALUES (?, ?, ?, ?, ?)",
        [
            (i, r["name_fa"], r["name_en"], r["group_fa"], r["group_en"])
            for i, r in enumerate(read_seed_csv("activities.csv"), start=1)
        ],
    )
