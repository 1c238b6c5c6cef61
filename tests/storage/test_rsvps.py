"""The waitlist's rules where they are kept, in SQL transactions: places are never given twice."""

from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio

from storage.broadcasts import BroadcastRepository
from storage.db import Database
from storage.events import EventRepository
from storage.models import Answer, Audience, NoticeKind, ScopeKind
from storage.rsvps import NotActive, RsvpRepository
from storage.users import UserRepository
from tests.storage_fixtures import insert_registrations

LATER = "2027-02-03T04:30:00+00:00"


@pytest_asyncio.fixture
async def world(db_path):
    db = await Database.open(db_path)
    center = (await db.fetch_one("SELECT id FROM centers WHERE code = '4175'"))[0]
    await insert_registrations(db, center, 6)
    registrations = [r[0] for r in await db.fetch_all("SELECT id FROM registrations ORDER BY id")]
    yield RsvpRepository(db), EventRepository(db), registrations
    await db.close()


async def _event(events: EventRepository, capacity: int | None) -> int:
    return await events.create("Kickoff", ScopeKind.ALL, None, LATER, (), "admin", capacity=capacity)


async def test_racing_for_the_last_place_exactly_one_gets_it(world):
    rsvps, events, people = world
    event = await _event(events, 1)
    answers = await asyncio.gather(*(rsvps.answer(event, person, True, LATER) for person in people))
    assert sorted(a.answer for a in answers) == [Answer.COMING] + [Answer.WAITING] * 5
    places = await rsvps.places(event)
    assert (places.coming, places.waiting) == (1, 5)
    # The waitlist keeps the order people asked in (within the same second too): 1…5 in turn.
    assert [a.position for a in answers[1:]] == [1, 2, 3, 4, 5]


async def test_a_freed_place_is_offered_once_and_a_lapsed_offer_moves_on(world):
    rsvps, events, people = world
    event = await _event(events, 1)
    holder, first, second = people[:3]
    for person in (holder, first, second):
        await rsvps.answer(event, person, True, LATER)
    await rsvps.answer(event, holder, False, "2000-01-01T00:00:00+00:00")  # an offer already over
    assert (await rsvps.of(event, first)).answer is Answer.OFFERED
    assert (await rsvps.places(event)).taken == 1  # the offer holds the place: nobody jumps in
    assert (await rsvps.answer(event, people[3], True, LATER)).answer is Answer.WAITING
    assert await rsvps.lapse_offers(event, LATER) == 1
    assert (await rsvps.of(event, first)).answer is Answer.LAPSED
    assert (await rsvps.of(event, second)).answer is Answer.OFFERED
    assert await rsvps.lapse_offers(event, LATER) == 0  # the new offer runs to LATER
    kinds = [(n.registration_id, n.kind) for n in await rsvps.unqueued_notices()]
    assert kinds == [(holder, NoticeKind.CANCELLED), (first, NoticeKind.OFFERED), (first, NoticeKind.LAPSED),
                     (second, NoticeKind.OFFERED)]


async def test_a_notice_becomes_messages_exactly_once(world):
    rsvps, events, people = world
    event = await _event(events, 1)
    await rsvps.answer(event, people[0], True, LATER)
    await rsvps.answer(event, people[0], False, LATER)
    [notice] = await rsvps.unqueued_notices()
    calls = []

    async def queue(conn) -> None:
        calls.append(conn)

    assert await asyncio.gather(rsvps.claim_notice(notice.id, queue), rsvps.claim_notice(notice.id, queue)) \
        in ([True, False], [False, True])
    assert len(calls) == 1 and await rsvps.unqueued_notices() == []


async def test_an_event_without_a_limit_takes_everyone(world):
    rsvps, events, people = world
    event = await _event(events, None)
    answers = await asyncio.gather(*(rsvps.answer(event, person, True, LATER) for person in people))
    assert {a.answer for a in answers} == {Answer.COMING}


async def test_a_volunteer_who_withdraws_frees_the_place_and_the_waitlist_moves_up(world, db_path):
    rsvps, events, people = world
    event = await _event(events, 1)
    holder, waiting = people[:2]
    await rsvps.answer(event, holder, True, LATER)
    await rsvps.answer(event, waiting, True, LATER)
    db = await Database.open(db_path)
    try:
        async with db.transaction() as conn:
            await conn.execute("UPDATE registrations SET status = 'withdrawn', updated_at = ? WHERE id = ?",
                               ("2026-12-01T08:00:00+00:00", holder))
    finally:
        await db.close()
    assert (await rsvps.of(event, holder)).answer is Answer.DECLINED
    assert [(n.registration_id, n.kind) for n in await rsvps.unqueued_notices()] == [
        (holder, NoticeKind.CANCELLED)]
    assert await rsvps.events_with_free_places("2026-12-01T09:00:00+00:00") == [event]
    await rsvps.promote(event, LATER)
    assert (await rsvps.of(event, waiting)).answer is Answer.OFFERED
    assert await rsvps.events_with_free_places("2026-12-01T09:00:00+00:00") == []


async def test_answers_to_past_events_stay_history_when_the_volunteer_withdraws(world, db_path):
    rsvps, events, people = world
    past = await events.create("Last year", ScopeKind.ALL, None, "2026-01-01T08:00:00+00:00", (), "admin",
                               capacity=5)
    db = await Database.open(db_path)
    try:
        async with db.transaction() as conn:  # answered back then
            await conn.execute("INSERT INTO rsvps(event_id, registration_id, answer, asked_at, line, "
                               "answered_at) VALUES (?, ?, 'coming', '2025-12-01', 1, '2025-12-01')",
                               (past, people[0]))
            await conn.execute("UPDATE registrations SET status = 'withdrawn', updated_at = ? WHERE id = ?",
                               ("2026-12-01T08:00:00+00:00", people[0]))
    finally:
        await db.close()
    assert (await rsvps.of(past, people[0])).answer is Answer.COMING
    assert await rsvps.unqueued_notices() == []


async def test_a_withdrawn_volunteer_cannot_take_a_place(world, db_path):
    rsvps, events, people = world
    event = await _event(events, 3)
    db = await Database.open(db_path)
    try:
        async with db.transaction() as conn:
            await conn.execute("UPDATE registrations SET status = 'rejected' WHERE id = ?", (people[0],))
    finally:
        await db.close()
    with pytest.raises(NotActive):
        await rsvps.answer(event, people[0], True, LATER)
    assert await rsvps.of(event, people[0]) is None


async def test_offers_of_a_cancelled_event_never_lapse_into_messages(world):
    rsvps, events, people = world
    event = await _event(events, 1)
    for person in people[:2]:
        await rsvps.answer(event, person, True, LATER)
    await rsvps.answer(event, people[0], False, "2000-01-01T00:00:00+00:00")
    assert await rsvps.events_with_lapsed_offers("2026-12-01T00:00:00+00:00") == [event]
    await events.cancel(event)
    assert await rsvps.events_with_lapsed_offers("2026-12-01T00:00:00+00:00") == []


async def test_lifting_the_limit_admits_everyone_waiting(world):
    rsvps, events, people = world
    event = await _event(events, 1)
    for person in people[:3]:
        await rsvps.answer(event, person, True, LATER)
    await events.update(event, unlimited=True)
    assert await rsvps.events_with_free_places("2026-12-01T00:00:00+00:00") == [event]
    await rsvps.promote(event, LATER)
    assert [(await rsvps.of(event, p)).answer for p in people[:3]] == [Answer.COMING] * 3
    assert [n.kind for n in await rsvps.unqueued_notices()] == [NoticeKind.ADMITTED] * 2


async def test_two_processes_racing_for_the_last_place_one_gets_it(world, db_path):
    """Two connections, as the Telegram and the Bale process would hold: SQLite's BEGIN
    IMMEDIATE, not one process's lock, keeps the place single."""
    rsvps, events, people = world
    event = await _event(events, 1)
    other = await Database.open(db_path)
    try:
        for _ in range(5):
            answers = await asyncio.gather(rsvps.answer(event, people[0], True, LATER),
                                           RsvpRepository(other).answer(event, people[1], True, LATER))
            assert sorted(a.answer for a in answers) == [Answer.COMING, Answer.WAITING]
            for person in people[:2]:
                await rsvps.answer(event, person, False, LATER)
            async with other.transaction() as conn:  # back to a clean slate for the next round
                await conn.execute("DELETE FROM rsvps")
                await conn.execute("DELETE FROM event_notices")
    finally:
        await other.close()


async def test_an_events_invitation_is_queued_once(world, db_path):
    _, events, _ = world
    event = await _event(events, None)
    db = await Database.open(db_path)
    try:
        broadcasts = BroadcastRepository(db, UserRepository(db))
        audience = Audience()
        first = await broadcasts.create(text="x", audience=audience, created_by="t", invitation_of=event)
        again = await broadcasts.create(text="x", audience=audience, created_by="t", invitation_of=event)
        assert first is not None and again is None
        assert [e.id for e in await events.uninvited("2026-12-01T00:00:00+00:00")] == []
    finally:
        await db.close()
