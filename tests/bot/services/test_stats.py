"""/stats counts registrations by status, local day, center and activity — for one's centers or all."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.i18n import I18n
from bot.services.stats import DAYS, Stats, StatsService
from storage.activities import ActivityRepository
from storage.centers import CenterRepository
from storage.db import Database
from storage.stats import StatsRepository

NOW = datetime(2026, 2, 3, 10, 0, tzinfo=UTC)  # 14 Bahman 1404, 13:30 in Tehran
TODAY = date(2026, 2, 3)
I18N = I18n.load("fa", ZoneInfo("Asia/Tehran"))
FA, EN = I18N.translator("fa"), I18N.translator("en")
_numbers = itertools.count(1)


@pytest_asyncio.fixture
async def setup(db_path):
    db = await Database.open(db_path, lambda: NOW)
    centers = CenterRepository(db)
    a, b = await centers.by_code("4170"), await centers.by_code("4175")
    yield StatsService(StatsRepository(db), ActivityRepository(db), lambda: NOW), db, a.id, b.id
    await db.close()


async def _register(db: Database, center_id: int, status: str = "pending",
                    created_at: str = "2026-02-03T08:00:00+00:00", activities: tuple[int, ...] = (1,)):
    n = next(_numbers)
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO registrations(tracking_code, platform, user_id, national_id, mobile, full_name, "
            "birth_date, gender, center_id, availability_days, availability_parts, status, created_at, "
            "updated_at) VALUES (?, 'telegram', ?, ?, ?, ?, '1990-01-01', 'female', ?, 'sat', 'morning', "
            "?, ?, ?)",
            (f"{70000000 + n}", 7_000 + n, f"8{n:09d}", f"0935{n:07d}", f"یاریگر {n}", center_id, status,
             created_at, created_at))
        for activity in activities:
            await conn.execute("INSERT INTO registration_activities(registration_id, activity_id) "
                               "VALUES (?, ?)", (cursor.lastrowid, activity))


async def test_counts_by_status_are_kept_per_center(setup):
    stats, db, a, b = setup
    for status in ("pending", "pending", "pending", "approved", "withdrawn"):
        await _register(db, a, status)
    for _ in range(2):
        await _register(db, b, "rejected")
    own = await stats.gather(FA, [a])
    assert own.by_status == {"pending": 3, "approved": 1, "withdrawn": 1} and own.total == 5
    assert (await stats.gather(FA, [b])).by_status == {"rejected": 2}
    everyone = await stats.gather(FA, None)
    assert everyone.by_status == {"pending": 3, "approved": 1, "withdrawn": 1, "rejected": 2}
    assert (await stats.gather(FA, [a, b])).by_status == everyone.by_status
    assert (await stats.gather(FA, [])).total == 0  # a coordinator of no center sees nothing


async def test_a_reviewed_registration_moves_to_its_new_status_in_every_view(setup):
    stats, db, a, _ = setup
    await _register(db, a)
    await _register(db, a)
    await db.write_one("UPDATE registrations SET status = 'approved' WHERE id = 1", ())
    expected = {"pending": 1, "approved": 1}
    assert (await stats.gather(FA, [a])).by_status == expected
    assert (await stats.gather(FA, None)).by_status == expected


@pytest.mark.parametrize("all_centers", [True, False])
async def test_days_are_tehran_days_over_the_last_thirty(setup, all_centers):
    stats, db, a, _ = setup
    for created in ("2026-02-02T20:29:00+00:00",   # 23:59 on 2 Feb in Tehran
                    "2026-02-02T20:31:00+00:00",   # 00:01 on 3 Feb in Tehran
                    "2026-02-03T09:00:00+00:00",
                    "2026-01-04T20:40:00+00:00",   # 00:10 on 5 Jan: the first of the 30 days
                    "2026-01-04T20:20:00+00:00"):  # 23:50 on 4 Jan: too old
        await _register(db, a, created_at=created)
    by_day = dict((await stats.gather(FA, None if all_centers else [a])).by_day)
    assert len(by_day) == DAYS and max(by_day) == TODAY and min(by_day) == TODAY - timedelta(days=29)
    assert by_day[TODAY] == 2 and by_day[TODAY - timedelta(days=1)] == 1
    assert by_day[TODAY - timedelta(days=29)] == 1 and sum(by_day.values()) == 4


async def test_centers_rank_largest_first_and_activities_take_the_readers_language(setup):
    stats, db, a, b = setup
    await _register(db, a, activities=(1, 2))
    for _ in range(3):
        await _register(db, b, activities=(2,))
    gathered = await stats.gather(EN, None)
    assert [(code, n) for code, _, n in gathered.by_center] == [("4175", 3), ("4170", 1)]
    assert gathered.by_activity == [("Health and hygiene", 4), ("Education and literacy", 1)]
    persian = await stats.gather(FA, [a])
    assert persian.by_activity == [("آموزش و سوادآموزی", 1), ("سلامت و بهداشت", 1)]


async def test_text_shows_every_status_and_todays_count_in_persian_digits(setup):
    stats, db, a, _ = setup
    for _ in range(12):
        await _register(db, a)
    lines = StatsService.text(FA, await stats.gather(FA, [a])).splitlines()
    assert lines[:3] == ["📊 آمار ثبت‌نام — کل: ۱۲",
                         "در انتظار بررسی: ۱۲، تأیید شده: ۰، تأیید نشده: ۰، انصراف داده: ۰",
                         "امروز: ۱۲ — ۷ روز گذشته: ۱۲"]
    assert "(کد ۴۱۷۰): ۱۲" in lines[4]


def test_text_names_only_the_five_largest_centers():
    by_center = [(f"41{n:02d}", f"مرکز {n}", 20 - n) for n in range(8)]
    gathered = Stats({"pending": 124}, [(TODAY, 0)] * DAYS, by_center, [])
    text = StatsService.text(EN, gathered)
    assert [line for line in text.splitlines() if line.startswith("•")] == [
        f"• مرکز {n} (code 41{n:02d}): {20 - n}" for n in range(5)]


async def test_an_empty_database_gives_zeros_no_rankings_and_no_charts(setup):
    stats, _, _, _ = setup
    empty = await stats.gather(EN, None)
    assert empty.total == 0 and empty.by_center == [] and empty.by_activity == []
    assert [n for _, n in empty.by_day] == [0] * DAYS
    text = StatsService.text(EN, empty)
    assert EN("stats.top_centers") not in text and EN("stats.activities") not in text
    assert await stats.charts(EN, empty) == []  # no chart of nothing (the handler says so)
