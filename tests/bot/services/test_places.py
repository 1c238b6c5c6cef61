"""People browse only active centers, by place, search or distance, named in their language or Persian."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest_asyncio

from bot.i18n import I18n
from bot.services.places import PlaceService
from storage.activities import ActivityRepository
from storage.centers import CenterRepository
from storage.db import Database
from storage.models import CenterRow

I18N = I18n.load("fa", ZoneInfo("Asia/Tehran"))
FA, EN = I18N.translator("fa"), I18N.translator("en")


@pytest_asyncio.fixture
async def setup(db_path):
    db = await Database.open(db_path)
    centers = CenterRepository(db)
    yield PlaceService(centers, ActivityRepository(db)), centers, db
    await db.close()


async def _close(db: Database, *codes: str) -> None:
    await db.write_one(f"UPDATE centers SET active = 0 WHERE code IN ({','.join('?' * len(codes))})", codes)


async def test_only_provinces_and_counties_with_an_open_center_are_offered(setup):
    places, _, db = setup
    assert {p.name_fa for p in await places.provinces()} == {"همدان", "خراسان جنوبی", "سمنان"}
    await _close(db, "2301", "2302")
    provinces = await places.provinces()
    assert {p.name_fa for p in provinces} == {"همدان", "خراسان جنوبی"}
    hamadan = next(p for p in provinces if p.name_fa == "همدان")
    await _close(db, "4175")
    counties = {c.name_fa for c in await places.counties(hamadan.id)}
    assert "ملایر" not in counties and {"همدان", "نهاوند"} <= counties
    seat = next(c for c in await places.counties(hamadan.id) if c.name_fa == "همدان")
    await _close(db, "4171")
    open_centers = await places.centers_in(seat.id)
    assert sorted(c.code for c in open_centers) == ["4170", "4172", "4173", "4174"]
    assert [c.name for c in open_centers] == sorted(c.name for c in open_centers)  # by name


async def test_names_follow_the_readers_language_and_fall_back_to_persian(setup):
    places, centers, _ = setup
    hamadan = next(p for p in await places.provinces() if p.name_fa == "همدان")
    assert (FA.name(hamadan), EN.name(hamadan)) == ("همدان", "Hamadan")
    imported = CenterRow("4190", "مرکز مثبت زندگی لالجین", "همدان", "لالجین", "", None, None)
    await centers.upsert_many([imported], await centers.province_names())
    counties = {c.name_fa: c for c in await places.counties(hamadan.id)}
    assert EN.name(counties["ملایر"]) == "Malayer"
    assert EN.name(counties["لالجین"]) == "لالجین"  # imported without an English name
    assert (await places.county(counties["لالجین"].id)).name_en == ""
    activities = await places.activities()
    assert [EN.name(a) for a in activities[:2]] == ["Education and literacy", "Health and hygiene"]
    assert FA.name(activities[0]) == "آموزش و سوادآموزی"


async def test_search_finds_open_centers_by_name_county_or_exact_code(setup):
    places, _, db = setup
    assert [c.code for c in await places.search("4175", 5)] == ["4175"]
    assert [c.code for c in await places.search("ملایر", 5)] == ["4175"]  # by county
    assert [c.code for c in await places.search("اکباتان", 5)] == ["4170"]  # by name
    assert len(await places.search("مرکز مثبت زندگی", 3)) == 3  # no more than asked for
    await _close(db, "4175")
    assert await places.search("4175", 5) == [] and await places.search("ملایر", 5) == []
    assert (await places.center_by_code("4175")).active is False  # still known to old registrations


async def test_a_typed_query_matches_a_code_exactly_else_names_addresses_and_counties(setup):
    places, _, db = setup
    assert [c.code for c in await places.matching("4175", 5)] == ["4175"]
    assert await places.matching("41", 5) == []  # digits are a code, never part of one
    assert [c.code for c in await places.matching("اکباتان", 5)] == ["4170"]
    assert len(await places.matching("مرکز مثبت زندگی", 2)) == 2 and await places.matching("", 5) == []
    await _close(db, "4175")
    assert [c.code for c in await places.matching("4175", 5)] == ["4175"]  # a closed center by its code


async def test_nearest_centers_are_the_closest_open_ones_in_order(setup):
    places, _, db = setup
    malayer = (34.30, 48.82)
    nearest = await places.nearest(*malayer, 3)
    assert nearest[0][0].code == "4175" and nearest[0][1] < 1.0
    distances = [km for _, km in nearest]
    assert len(nearest) == 3 and distances == sorted(distances)
    assert 40 < distances[1] < 80  # the next town is tens of kilometres away
    await _close(db, "4175")
    assert "4175" not in [c.code for c, _ in await places.nearest(*malayer, 3)]


async def test_the_thirteen_activity_areas_come_in_order_and_by_id(setup):
    places, _, _ = setup
    activities = await places.activities()
    assert len(activities) == 13
    assert [a.position for a in activities] == sorted(a.position for a in activities)
    by_id = await places.activities_by_id()
    assert list(by_id) == [a.id for a in activities] and by_id[activities[4].id] == activities[4]
