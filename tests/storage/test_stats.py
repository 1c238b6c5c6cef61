"""The tallies an admin's /stats reads (kept by triggers) always agree with counting the rows."""

from __future__ import annotations

import pytest_asyncio

from storage.db import Database
from storage.drafts import DraftRepository
from storage.models import NewRegistration
from storage.registrations import RegistrationRepository
from storage.stats import StatsRepository
from storage.users import UserRepository
from tests import people


@pytest_asyncio.fixture
async def db(db_path):
    database = await Database.open(db_path)
    yield database
    await database.close()


def _new(n: int, center_id: int, activities: tuple[int, ...]) -> NewRegistration:
    return NewRegistration("telegram", n, people.national_id(n), people.mobile(n), "مریم احمدی",
                           "1996-09-11", False, "female", center_id, activities, ("sat",), ("morning",))


async def _both_ways(stats: StatsRepository, center_ids: list[int]) -> tuple[tuple, tuple]:
    async def answers(ids):
        return (await stats.by_status(ids), await stats.by_center(ids, 100),
                await stats.by_activity(ids), await stats.by_half_hour(ids, "2000-01-01T00:00"))
    return await answers(None), await answers(center_ids)


async def test_tallies_follow_every_kind_of_change(db):
    registrations = RegistrationRepository(db, DraftRepository(db), UserRepository(db))
    stats = StatsRepository(db)
    centers = [row[0] for row in await db.fetch_all("SELECT id FROM centers ORDER BY id LIMIT 3")]
    made = [await registrations.create(_new(n, centers[n % 3], (1 + n % 4, 5)), lambda n=n: f"{n:08d}")
            for n in range(1, 13)]
    await registrations.set_status(made[0].id, "withdrawn")
    await registrations.review(made[1].id, "approved", "telegram:1")
    await registrations.update(made[2].id, center_id=centers[1], activity_ids=(7,))
    await registrations.forget_user("telegram", made[3].user_id)
    async with db.transaction() as conn:  # rows removed by hand (e.g. cleaning test data)
        await conn.execute("DELETE FROM registration_activities WHERE registration_id = ?", (made[4].id,))
        await conn.execute("DELETE FROM registrations WHERE id = ?", (made[4].id,))

    tallied, counted = await _both_ways(stats, centers)
    assert tallied == counted
    by_status, by_center, by_activity, by_half_hour = tallied
    assert by_status == {"pending": 8, "approved": 1, "withdrawn": 2}
    assert sum(n for *_, n in by_center) == 11
    assert dict(by_activity)[5] == 10 and dict(by_activity)[7] == 1
    assert sum(n for _, n in by_half_hour) == 11
    assert all(slot[-3:] in (":00", ":30") for slot, _ in by_half_hour)
