from __future__ import annotations

import pytest_asyncio

from storage.centers import CenterRepository, distance_km
from storage.db import Database


@pytest_asyncio.fixture
async def centers(db_path):
    db = await Database.open(db_path)
    yield CenterRepository(db)
    await db.close()


def test_distance_between_hamadan_and_malayer_is_about_75_km():
    assert 60 < distance_km(34.7989, 48.5146, 34.2969, 48.8235) < 70


async def test_nearest_orders_by_distance(centers):
    ranked = await centers.nearest(34.30, 48.82, 5)  # in Malayer
    assert ranked[0][0].code == "4175"
    assert [d for _, d in ranked] == sorted(d for _, d in ranked)
    assert len(ranked) == 5


async def test_browse_by_province_and_county(centers):
    provinces = {p.name_fa: p for p in await centers.provinces_with_centers()}
    assert set(provinces) == {"همدان", "خراسان جنوبی", "سمنان"}
    counties = await centers.counties_with_centers(provinces["همدان"].id)
    hamadan = next(c for c in counties if c.name_fa == "همدان")
    assert len(await centers.active_in_county(hamadan.id)) == 5


async def test_search_by_part_of_a_name_or_code(centers):
    assert [c.code for c in await centers.search("اکباتان", 10)] == ["4170"]
    assert [c.code for c in await centers.search("4176", 10)] == ["4176"]
    assert {c.code for c in await centers.search("بیرجند", 10)} == {"5201", "5202"}
