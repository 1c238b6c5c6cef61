"""Provinces, counties and centers (the geography a volunteer picks from)."""

from __future__ import annotations

import math
import sqlite3

from storage.db import Database
from storage.models import Center, CenterRow, County, ImportOutcome, Province

_CENTER_SELECT = (
    "SELECT c.id, c.code, c.name, c.county_id, k.name_fa AS county_fa, p.name_fa AS province_fa, "
    "c.address, c.lat, c.lon, c.active, c.is_sample, c.phone "
    "FROM centers c JOIN counties k ON k.id = c.county_id JOIN provinces p ON p.id = k.province_id "
)
EARTH_RADIUS_KM = 6371.0
# A column without its spaces and half-spaces (ZWNJ), compared with a query packed the same way.
_PACKED = "REPLACE(REPLACE({}, ' ', ''), char(8204), '')"


def _packed(text: str) -> str:
    return text.replace(" ", "").replace("\u200c", "")


def _center(row: sqlite3.Row) -> Center:
    return Center(
        id=row["id"], code=row["code"], name=row["name"], county_id=row["county_id"],
        county_fa=row["county_fa"], province_fa=row["province_fa"], address=row["address"],
        lat=row["lat"], lon=row["lon"], active=bool(row["active"]), is_sample=bool(row["is_sample"]),
        phone=row["phone"],
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


class CenterRepository:
    """SQL for provinces, counties and centers."""

    def __init__(self, db: Database):
        self._db = db

    async def provinces_with_centers(self) -> list[Province]:
        """Provinces that have at least one active center, by Persian name."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT p.id, p.name_fa, p.name_en FROM provinces p "
            "JOIN counties k ON k.province_id = p.id JOIN centers c ON c.county_id = k.id "
            "WHERE c.active = 1 ORDER BY p.name_fa"
        )
        return [Province(r["id"], r["name_fa"], r["name_en"]) for r in rows]

    async def counties_with_centers(self, province_id: int) -> list[County]:
        """Counties of a province that have at least one active center."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT k.id, k.province_id, k.name_fa, k.name_en FROM counties k "
            "JOIN centers c ON c.county_id = k.id WHERE k.province_id = ? AND c.active = 1 "
            "ORDER BY k.name_fa",
            (province_id,),
        )
        return [County(r["id"], r["province_id"], r["name_fa"], r["name_en"]) for r in rows]

    async def active_in_county(self, county_id: int) -> list[Center]:
        """Active centers of a county, by name."""
        rows = await self._db.fetch_all(
            _CENTER_SELECT + "WHERE c.county_id = ? AND c.active = 1 ORDER BY c.name", (county_id,)
        )
        return [_center(r) for r in rows]

    async def by_code(self, code: str) -> Center | None:
        """The center with this code (active or not)."""
        row = await self._db.fetch_one(_CENTER_SELECT + "WHERE c.code = ?", (code,))
        return _center(row) if row else None

    async def by_id(self, center_id: int) -> Center | None:
        """The center with this id (active or not)."""
        row = await self._db.fetch_one(_CENTER_SELECT + "WHERE c.id = ?", (center_id,))
        return _center(row) if row else None

    async def search(self, text: str, limit: int) -> list[Center]:
        """Active centers whose name, address or county contains `text`, or whose code it is;
        spaces and half-spaces count for nothing («کبودر آهنگ» finds «کبودرآهنگ»)."""
        pattern = f"%{_packed(text)}%"
        rows = await self._db.fetch_all(
            _CENTER_SELECT + "WHERE c.active = 1 AND (" + " OR ".join(
                f"{_PACKED.format(column)} LIKE ?" for column in ("c.name", "c.address", "k.name_fa"))
            + " OR c.code = ?) ORDER BY c.name LIMIT ?",
            (pattern, pattern, pattern, text, limit),
        )
        return [_center(r) for r in rows]

    async def nearest(self, lat: float, lon: float, k: int) -> list[tuple[Center, float]]:
        """The k nearest active centers with coordinates, with their distance in km."""
        rows = await self._db.fetch_all(
            _CENTER_SELECT + "WHERE c.active = 1 AND c.lat IS NOT NULL AND c.lon IS NOT NULL"
        )
        ranked = sorted(
            ((_center(r), distance_km(lat, lon, r["lat"], r["lon"])) for r in rows),
            key=lambda pair: pair[1],
        )
        return ranked[:k]

    async def province(self, province_id: int) -> Province | None:
        row = await self._db.fetch_one("SELECT id, name_fa, name_en FROM provinces WHERE id = ?",
                                       (province_id,))
        return Province(*row) if row else None

    async def county(self, county_id: int) -> County | None:
        row = await self._db.fetch_one(
            "SELECT id, province_id, name_fa, name_en FROM counties WHERE id = ?", (county_id,))
        return County(*row) if row else None

    async def count(self) -> int:
        """How many centers exist."""
        row = await self._db.fetch_one("SELECT COUNT(*) FROM centers")
        return int(row[0])

    async def province_names(self) -> dict[str, int]:
        """Province id by every accepted spelling of its name (Persian and English, lower-cased)."""
        rows = await self._db.fetch_all("SELECT id, name_fa, name_en FROM provinces")
        names: dict[str, int] = {}
        for r in rows:
            names[r["name_fa"]] = r["id"]
            names[r["name_en"].lower()] = r["id"]
        return names

    async def upsert_many(self, rows: list[CenterRow], province_ids: dict[str, int]) -> ImportOutcome:
        """Insert or update centers by code in one transaction; counties are created when new."""
        outcome = ImportOutcome()
        now = self._db.now_iso()
        async with self._db.transaction() as conn:
            for row in rows:
                province_id = province_ids[row.province]
                await conn.execute(
                    "INSERT INTO counties(province_id, name_fa) VALUES (?, ?) "
                    "ON CONFLICT(province_id, name_fa) DO NOTHING",
                    (province_id, row.county),
                )
                async with conn.execute(
                    "SELECT id FROM counties WHERE province_id = ? AND name_fa = ?",
                    (province_id, row.county),
                ) as cursor:
                    county_id = (await cursor.fetchone())[0]
                async with conn.execute("SELECT 1 FROM centers WHERE code = ?", (row.code,)) as cursor:
                    exists = await cursor.fetchone() is not None
                await conn.execute(
                    "INSERT INTO centers(code, name, county_id, address, lat, lon, is_sample, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT(code) DO UPDATE SET "
                    "name = excluded.name, county_id = excluded.county_id, address = excluded.address, "
                    "lat = excluded.lat, lon = excluded.lon, is_sample = 0, active = 1, "
                    "updated_at = excluded.updated_at",
                    (row.code, row.name, county_id, row.address, row.lat, row.lon, now),
                )
                if row.phone is not None:  # a file with the phone column: its value, even empty
                    await conn.execute("UPDATE centers SET phone = ? WHERE code = ?", (row.phone, row.code))
                (outcome.updated if exists else outcome.added).append(row.code)
        return outcome
