"""ErasureService: /forget leaves no personal data in any table nor in the database files, takes it
off coordinators' alerts, spares everyone else; abandoned drafts and old look-up counts expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest_asyncio

from bot.validation import to_persian_digits
from storage.broadcasts import BroadcastRepository
from storage.models import Audience, Draft, Status
from tests.bot.services.fakes import NOW, open_world

VOLUNTEER, NEIGHBOUR, COORDINATOR, OTHER_CENTERS_COORDINATOR, GROUP = 7, 8, 20, 30, -500
# What the volunteer told the bot: two registrations, and a new mobile typed into an /edit.
PERSONAL = ("0499370899", "0012345679", "09121234567", "09127654321", "09350001122",
            "مریم احمدی", "1996-09-11", "1997-02-02")


@pytest_asyncio.fixture
async def world(db_path):
    world = await open_world(db_path)
    for user_id, code in ((COORDINATOR, "4170"), (OTHER_CENTERS_COORDINATOR, "4175")):
        await world.coordinators.add("telegram", user_id, await world.center_id(code), str(user_id))
    await world.coordinators.link_group("telegram", GROUP, await world.center_id("4170"), "telegram:1")
    earlier = await world.register(VOLUNTEER, "4175", national_id="0012345679", mobile="09127654321",
                                   born="1997-02-02")
    await world.alerts.registration_event(earlier, "new")
    await world.registrations.review(earlier.id, Status.REJECTED, "Reza", "capacity")
    active = await world.register(VOLUNTEER, "4170", national_id="0499370899", mobile="09121234567")
    await world.alerts.registration_event(active, "new")
    await world.drafts.save(Draft("telegram", VOLUNTEER, "mobile",
                                  {"registration_id": active.id, "mobile": "09350001122"}))
    await world.lookups.spend("telegram", VOLUNTEER, "mobile", "2026-01-20", 5)
    # Another person, and the same user id on Bale (another person too).
    await world.register(NEIGHBOUR, "4170", national_id="0084575948", mobile="09120000008",
                         name="زهرا کریمی", born="1990-01-01")
    await world.register(VOLUNTEER, "4170", national_id="0013542419", mobile="09120000009",
                         name="سارا رضایی", born="1991-01-01", platform="bale")
    await world.drafts.save(Draft("bale", VOLUNTEER, "name", {}))
    await BroadcastRepository(world.db, world.users).create(text="سلام", audience=Audience(),
                                                            created_by="telegram:1")
    yield world
    await world.db.close()


async def _every_value(world) -> str:
    dump = []
    for (table,) in await world.rows("SELECT name FROM sqlite_master WHERE type = 'table'"):
        dump += [repr(row) for row in await world.rows(f"SELECT * FROM {table}")]
    return "\n".join(dump)


async def _rows_of(world, platform: str, user_id: int) -> dict[str, int]:
    """How many rows of each table belong to this account (by user id or chat id)."""
    found = {}
    for (table,) in await world.rows("SELECT name FROM sqlite_master WHERE type = 'table'"):
        columns = {c[1] for c in await world.rows(f"PRAGMA table_info({table})")}
        for key in {"user_id", "chat_id"} & columns:
            if "platform" in columns:
                [(n,)] = await world.rows(f"SELECT COUNT(*) FROM {table} WHERE platform = ? AND {key} = ?",
                                          (platform, user_id))
                if n:
                    found[table] = n
    return found


async def test_forgetting_leaves_no_personal_data_in_any_table(world):
    before = await _rows_of(world, "telegram", VOLUNTEER)
    assert {"users", "drafts", "lookups", "outbox", "registrations"} <= set(before)
    assert await world.erasure().forget_person(VOLUNTEER) == 2
    everything = await _every_value(world)
    assert not [value for value in PERSONAL if value in everything]
    assert await _rows_of(world, "telegram", VOLUNTEER) == {}
    assert await world.drafts.get("telegram", VOLUNTEER) is None  # nor in the drafts' cache
    assert await world.users.get("telegram", VOLUNTEER) is None  # nor in the accounts' cache


async def test_forgetting_leaves_no_personal_data_in_the_database_files(world):
    await world.erasure().forget_person(VOLUNTEER)
    files = [world.db.path, world.db.path.with_name(world.db.path.name + "-wal")]
    content = b"".join(f.read_bytes() for f in files if f.exists())
    assert not [value for value in PERSONAL if value.encode() in content]
    assert "زهرا کریمی".encode() in content  # the scan does see what is still there


async def test_forgetting_spares_other_people_and_the_same_id_on_the_other_messenger(world):
    await world.erasure().forget_person(VOLUNTEER)
    [neighbour] = await world.registrations.for_user("telegram", NEIGHBOUR)
    assert (neighbour.national_id, neighbour.full_name) == ("0084575948", "زهرا کریمی")
    [namesake] = await world.registrations.for_user("bale", VOLUNTEER)
    assert (namesake.mobile, namesake.status) == ("09120000009", Status.PENDING)
    assert await world.drafts.get("bale", VOLUNTEER) is not None
    assert await world.users.get("bale", VOLUNTEER) is not None


async def test_the_active_registration_is_withdrawn_and_its_rows_still_count(world):
    await world.erasure().forget_person(VOLUNTEER)
    statuses = await world.rows("SELECT center_id, status, forgotten_at FROM registrations "
                                "WHERE platform = 'telegram' AND user_id IS NULL ORDER BY id")
    forgotten_at = NOW.isoformat(timespec="seconds")
    assert statuses == [(await world.center_id("4175"), "rejected", forgotten_at),
                        (await world.center_id("4170"), "withdrawn", forgotten_at)]
    # Its national code and mobile are free again for whoever really owns them.
    owner = await world.register(9, "4170", national_id="0499370899", mobile="09121234567")
    assert owner.status is Status.PENDING


async def test_coordinators_alerts_lose_the_volunteer_and_only_an_active_ones_center_is_told(world):
    await world.erasure().forget_person(VOLUNTEER)
    for chat in (COORDINATOR, GROUP, OTHER_CENTERS_COORDINATOR):
        shown = "\n".join(world.telegram.texts(chat))
        assert not [value for value in (*PERSONAL, to_persian_digits("09121234567")) if value in shown]
        assert world.telegram.buttons(chat) == []
    assert await world.rows("SELECT * FROM alert_messages") == []
    # 4170 held the active registration: besides the redrawn alert, a notice that it left.
    assert len(world.telegram.texts(COORDINATOR)) == 2
    assert len(world.telegram.texts(GROUP)) == 2
    assert len(world.telegram.texts(OTHER_CENTERS_COORDINATOR)) == 1  # rejected there: nothing new


async def test_drafts_untouched_for_the_retention_period_are_deleted_on_this_platform_only(world):
    for user_id, age in ((31, timedelta(days=31)), (32, timedelta(days=29))):
        world.clock.now = NOW - age
        for platform in ("telegram", "bale"):
            await world.users.ensure(platform, user_id)
            await world.drafts.save(Draft(platform, user_id, "national_id", {"national_id": "0010350829"}))
    world.clock.now = NOW
    assert await world.erasure(timedelta(days=30)).forget_stale_drafts() == 1
    assert await world.drafts.get("telegram", 31) is None
    assert await world.drafts.get("telegram", 32) is not None
    assert await world.drafts.get("bale", 31) is not None  # the Bale bot's own sweep decides those
    assert await world.drafts.get("telegram", VOLUNTEER) is not None  # written just now


async def test_look_up_counts_are_kept_for_their_tehran_day_only(world):
    await world.lookups.spend("telegram", NEIGHBOUR, "national_id", "2026-01-21", 5)
    world.clock.now = datetime(2026, 1, 20, 20, 0, tzinfo=UTC)  # 23:30 in Tehran: still the 20th
    assert await world.erasure().forget_old_lookups() == 0
    world.clock.now = datetime(2026, 1, 20, 21, 0, tzinfo=UTC)  # 00:30 on the 21st in Tehran
    assert await world.erasure().forget_old_lookups() == 1
    assert await world.rows("SELECT user_id, day FROM lookups") == [(NEIGHBOUR, "2026-01-21")]


async def test_forgetting_drops_the_note_a_coordinator_typed_about_the_volunteer(world):
    [earlier, *_] = await world.registrations.for_user("telegram", VOLUNTEER)
    await world.registrations.review(earlier.id, Status.REJECTED, "Reza", "typed",
                                     "مریم گفت فقط جمعه ها میاد")
    await world.erasure().forget_person(VOLUNTEER)
    assert "فقط جمعه ها" not in await _every_value(world)
