"""The waitlist's rules where they are kept, in SQL transactions: places are never given twice."""

from __future__ import annotations

import asyncio

import pytest_asyncio

from storage.db import Database
from storage.events import EventRepository
from storage.models import Answer, NoticeKind, ScopeKind
from storage.rsvps import RsvpRepository
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
    # The waitlist keeps the order people asked in: positions 1…5 with none twice.
    assert sorted(a.position for a in answers if a.answer is Answer.WAITING) == [1, 2, 3, 4, 5]


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
