"""EventService: Jalali start times in Tehran time, admin-only events, and which reminders are due,
to whom, in which language, exactly once, and never for a cancelled or already begun event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from bot.services.events import EventService, offset_label
from bot.services.roles import Actor, NotAllowed
from bot.validation import Invalid
from storage.broadcasts import BroadcastRepository
from storage.events import EventRepository
from storage.models import Status
from tests.bot.services.fakes import ADMIN_ID, open_world

ADMIN = Actor("telegram", ADMIN_ID, "مدیر")
KICKOFF = datetime(2026, 2, 3, 4, 30, tzinfo=UTC)  # 14 Bahman 1404, 08:00 in Tehran
DAY, TWO_HOURS = 24 * 60, 2 * 60


@pytest_asyncio.fixture
async def world(db_path):
    world = await open_world(db_path)
    await world.register(11, "4170", national_id="0499370899", mobile="09120000001")
    await world.users.set_language("telegram", 11, "en")
    await world.register(12, "4170", national_id="0012345679", mobile="09120000002")
    await world.register(13, "4175", national_id="0084575948", mobile="09120000003")
    withdrawn = await world.register(14, "4170", national_id="0013542419", mobile="09120000004")
    await world.registrations.set_status(withdrawn.id, Status.WITHDRAWN)
    yield world
    await world.db.close()


@pytest.fixture
def events(world):
    return EventService(EventRepository(world.db), BroadcastRepository(world.db, world.users),
                        world.centers, world.roles, world.audit, world.i18n, world.clock, lambda: None,
                        _nothing)


async def _nothing(event_id: int) -> None:
    """The waitlist is RsvpService's (tested in tests/storage/test_rsvps.py and end to end)."""


async def _kickoff(world, events, scope_kind="center", offsets=(DAY, TWO_HOURS)) -> int:
    scope_id = await world.center_id("4170") if scope_kind == "center" else None
    return await events.create(ADMIN, "آغاز سلام محله", scope_kind, scope_id, KICKOFF, offsets)


async def _due_at(world, events, moment: datetime) -> int:
    world.clock.now = moment
    return await events.send_due_reminders()


async def _reminded(world) -> list[tuple[int, str]]:
    return await world.rows(  # (the invitations are tested in tests/e2e/test_rsvp.py)
        "SELECT o.chat_id, o.text FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id "
        "WHERE b.kind IN ('reminder', 'event_cancelled') ORDER BY o.broadcast_id, o.chat_id")


def test_a_start_is_read_as_a_jalali_date_and_time_in_tehran(world, events):
    t = world.i18n.translator("fa")
    assert events.parse_start("۱۴۰۴/۱۱/۱۴ ۰۸:۰۰", t) == KICKOFF
    assert events.parse_start("1404-11-14 8.00", t) == KICKOFF
    for raw, reason in (("۱۴۰۴/۱۱/۱۴", "invalid.event.when"), ("1404/11/14 24:00", "invalid.event.when"),
                        ("1404/10/30 12:00", "invalid.event.past")):  # it is 12:30 that day
        with pytest.raises(Invalid) as refused:
            events.parse_start(raw, t)
        assert refused.value.reason == reason
    assert [offset_label(world.i18n.translator("en"), m) for m in (7 * DAY, TWO_HOURS, 90)] == \
        ["7 days before", "2 hours before", "90 minutes before"]


async def test_a_coordinator_organises_events_at_their_own_center_and_nowhere_else(world, events):
    coordinator = Actor("telegram", 20, "هماهنگ‌کننده")
    await world.coordinators.add("telegram", 20, await world.center_id("4170"), "هماهنگ‌کننده")
    for scope_kind, code in (("center", "4175"), ("all", None)):  # another center; everywhere
        with pytest.raises(NotAllowed):
            await events.create(coordinator, "جلسه", scope_kind, code and await world.center_id(code),
                                KICKOFF, (DAY,))
    assert await events.upcoming() == []
    own = await events.create(coordinator, "جلسه", "center", await world.center_id("4170"), KICKOFF, (DAY,))
    admins = await _kickoff(world, events, scope_kind="all")
    assert [e.id for e in await events.organised_by(coordinator)] == [own]
    with pytest.raises(NotAllowed):
        await events.cancel(coordinator, admins)
    assert await events.cancel(coordinator, own)
    assert [e.id for e in await events.upcoming()] == [admins]


async def test_each_reminder_is_queued_once_when_its_offset_is_reached(world, events):
    await _kickoff(world, events)
    assert await _due_at(world, events, KICKOFF - timedelta(days=1, seconds=1)) == 0
    assert await _due_at(world, events, KICKOFF - timedelta(days=1)) == 1
    assert await _due_at(world, events, KICKOFF - timedelta(hours=20)) == 0  # not again
    assert len(await _reminded(world)) == 2
    assert await _due_at(world, events, KICKOFF - timedelta(hours=2)) == 1
    assert len(await _reminded(world)) == 4


async def test_a_reminder_reaches_the_events_active_volunteers_each_in_their_language(world, events):
    await _kickoff(world, events)
    await _due_at(world, events, KICKOFF - timedelta(days=1))
    reminded = dict(await _reminded(world))
    assert set(reminded) == {11, 12}  # not 13 at another center, not 14 who withdrew
    assert reminded[11].startswith("⏰ Reminder: “آغاز سلام محله”")
    assert "14 Bahman 1404" in reminded[11] and "08:00" in reminded[11]
    assert "یادآوری" in reminded[12] and "۱۴ بهمن ۱۴۰۴" in reminded[12] and "۰۸:۰۰" in reminded[12]


async def test_an_event_for_all_centers_reminds_volunteers_everywhere(world, events):
    await _kickoff(world, events, scope_kind="all", offsets=(DAY,))
    await _due_at(world, events, KICKOFF - timedelta(days=1))
    assert sorted(chat for chat, _ in await _reminded(world)) == [11, 12, 13]


async def test_reminders_missed_until_the_event_began_are_never_sent(world, events):
    await _kickoff(world, events)
    assert await _due_at(world, events, KICKOFF + timedelta(minutes=1)) == 0  # the bot was down
    assert await _due_at(world, events, KICKOFF + timedelta(minutes=2)) == 0
    assert await _reminded(world) == []


async def test_a_cancelled_events_reminders_never_go_out(world, events):
    event_id = await _kickoff(world, events)
    await _due_at(world, events, KICKOFF - timedelta(days=1))
    assert await events.cancel(ADMIN, event_id)
    assert await _due_at(world, events, KICKOFF - timedelta(hours=2)) == 0
    reminded = await _reminded(world)  # the day-before reminder, sent before the cancel, and the notice
    assert len(reminded) == 4 and all(text.startswith("❌") for _, text in reminded[2:])
    assert await events.upcoming() == []


async def test_moving_an_event_moves_its_unsent_reminders(world, events):
    event_id = await _kickoff(world, events, offsets=(DAY,))
    later = KICKOFF + timedelta(days=2)
    event = await events.update(ADMIN, event_id, starts_at=later)
    assert datetime.fromisoformat(event.starts_at) == later
    assert await _due_at(world, events, KICKOFF - timedelta(days=1)) == 0
    assert await _due_at(world, events, later - timedelta(days=1)) == 1
    assert datetime.fromisoformat(event.end) == later + timedelta(hours=2)  # the same length, moved
    audit = await world.audit.entries()
    assert ("telegram:1", "event.update", f"event:{event_id}", "starts_at,ends_at") in audit
