"""Volunteers' answers to events, the waitlist, and the notices a change of answer owes.

Every change runs in one write transaction (BEGIN IMMEDIATE on the single writer): two volunteers
pressing for the last place are serialised, so exactly one gets it, and a change commits together
with the notices it owes (an offered place, a word to the coordinators), so a kill -9 loses none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.events import NOT_OVER, SCOPE_HOLDS_CENTER
from storage.models import ACTIVE_STATUSES, HOLDING_A_PLACE, Answer, EventPlaces, NoticeKind, Rsvp

# An event covers a registration that has answered it (a volunteer who moved to another center
# keeps their answer, and may still change it), or whose center its scope holds and, if it names
# activity areas, that chose one of them.
_COVERS = (
    f"(v.answer IS NOT NULL OR ({SCOPE_HOLDS_CENTER} "
    "AND (NOT EXISTS (SELECT 1 FROM event_activities ea WHERE ea.event_id = e.id) "
    "OR EXISTS (SELECT 1 FROM event_activities ea JOIN registration_activities a "
    "ON a.activity_id = ea.activity_id AND a.registration_id = r.id WHERE ea.event_id = e.id))))"
)
# A waiting volunteer's place in the line: 1 is next.
_POSITION = ("(SELECT COUNT(*) FROM rsvps w WHERE w.event_id = v.event_id AND w.answer = 'waiting' "
             "AND w.line <= v.line)")
_OF_REGISTRATION = (
    "FROM events e JOIN registrations r ON r.id = ? JOIN centers c ON c.id = r.center_id "
    "JOIN counties k ON k.id = c.county_id "
    "LEFT JOIN rsvps v ON v.event_id = e.id AND v.registration_id = r.id "
)


class NotActive(Exception):
    """The registration is no longer active: it cannot take a place."""


@dataclass(frozen=True)
class Notice:
    """A change of answer someone must still be told of."""

    id: int
    event_id: int
    registration_id: int
    kind: NoticeKind


class RsvpRepository:
    """SQL for answers, the waitlist and notices."""

    def __init__(self, db: Database):
        self._db = db

    # ----------------------------------------------------------------- reading
    async def of(self, event_id: int, registration_id: int) -> Rsvp | None:
        rows = await self._db.fetch_all(
            f"SELECT v.event_id, v.registration_id, v.answer, v.offer_until, {_POSITION} "
            "FROM rsvps v WHERE v.event_id = ? AND v.registration_id = ?", (event_id, registration_id))
        return _rsvp(rows[0]) if rows else None

    async def places(self, event_id: int) -> EventPlaces:
        rows = await self._db.fetch_all(
            "SELECT answer, COUNT(*) FROM rsvps WHERE event_id = ? GROUP BY answer", (event_id,))
        counts = {Answer(a): n for a, n in rows}
        return EventPlaces(*(counts.get(a, 0) for a in (Answer.COMING, Answer.OFFERED, Answer.WAITING,
                                                       Answer.DECLINED)))

    async def covers(self, event_id: int, registration_id: int) -> bool:
        """Whether the event is for this volunteer (its scope and areas hold them)."""
        row = await self._db.fetch_one(
            f"SELECT 1 {_OF_REGISTRATION} WHERE e.id = ? AND {_COVERS}", (registration_id, event_id))
        return row is not None

    async def events_of(self, registration_id: int, now: str) -> list[tuple[int, Rsvp | None]]:
        """(event id, the volunteer's answer or None) of every event not cancelled and not over
        that is for this volunteer, soonest first."""
        rows = await self._db.fetch_all(
            f"SELECT e.id, v.answer, v.offer_until, {_POSITION} "
            f"{_OF_REGISTRATION} WHERE e.cancelled_at IS NULL AND {NOT_OVER} AND {_COVERS} "
            "ORDER BY e.starts_at, e.id", (registration_id, now))
        return [(row[0], _rsvp((row[0], registration_id, *row[1:])) if row[1] else None) for row in rows]

    async def unqueued_notices(self, limit: int = 100) -> list[Notice]:
        rows = await self._db.fetch_all(
            "SELECT id, event_id, registration_id, kind FROM event_notices WHERE queued_at IS NULL "
            "ORDER BY id LIMIT ?", (limit,))
        return [Notice(r[0], r[1], r[2], NoticeKind(r[3])) for r in rows]

    async def events_with_free_places(self, now: str) -> list[int]:
        """Events not begun with free places and someone waiting (a place freed by a withdrawal,
        or more places): the waitlist moves up."""
        rows = await self._db.fetch_all(
            "SELECT e.id FROM events e WHERE e.cancelled_at IS NULL "
            "AND julianday(e.starts_at) > julianday(?) "
            "AND EXISTS (SELECT 1 FROM rsvps w WHERE w.event_id = e.id AND w.answer = 'waiting') "
            "AND (e.capacity IS NULL OR e.capacity > (SELECT COUNT(*) FROM rsvps v "
            "WHERE v.event_id = e.id AND v.answer IN ('coming', 'offered')))", (now,))
        return [r[0] for r in rows]

    async def events_with_lapsed_offers(self, now: str) -> list[int]:
        """Events still ahead with an offer past its time (at a cancelled or begun event an offer
        just stays: nobody is to be told a place moved on)."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT v.event_id FROM rsvps v JOIN events e ON e.id = v.event_id "
            "WHERE v.answer = 'offered' AND v.offer_until <= ? AND e.cancelled_at IS NULL "
            "AND julianday(e.starts_at) > julianday(?)", (now, now))
        return [r[0] for r in rows]

    # ----------------------------------------------------------------- changing
    async def answer(self, event_id: int, registration_id: int, coming: bool, offer_until: str) -> Rsvp:
        """The volunteer says they will come (a place, or the end of the waitlist; an offered
        place is taken) or will not (a place they held goes to the first waiting). Whoever is
        promoted may take the place until `offer_until`."""
        async with self._db.transaction() as conn:
            now = self._db.now_iso()
            cursor = await conn.execute("SELECT status FROM registrations WHERE id = ?", (registration_id,))
            if (await cursor.fetchone())[0] not in ACTIVE_STATUSES:  # withdrawn or rejected meanwhile
                raise NotActive(registration_id)
            current, held_until = await _answer_within(conn, event_id, registration_id)
            if current is Answer.OFFERED and held_until <= now:  # not yet lapsed by the scheduler
                await _set(conn, event_id, registration_id, Answer.LAPSED, now)
                await _promote(conn, event_id, offer_until, now)
                current = Answer.LAPSED
            if coming:
                if current is Answer.OFFERED:
                    await _set(conn, event_id, registration_id, Answer.COMING, now)
                    await _notice(conn, event_id, registration_id, NoticeKind.PROMOTED, now)
                elif current not in (Answer.COMING, Answer.WAITING):
                    free = await _free_places(conn, event_id)
                    waiting = await _count(conn, event_id, Answer.WAITING)
                    answer = Answer.COMING if free is None or (free > 0 and not waiting) else Answer.WAITING
                    await _set(conn, event_id, registration_id, answer, now, asked=True)
            elif current is not Answer.DECLINED:
                await _set(conn, event_id, registration_id, Answer.DECLINED, now)
                if current in HOLDING_A_PLACE:
                    if current is Answer.COMING:
                        await _notice(conn, event_id, registration_id, NoticeKind.CANCELLED, now)
                    await _promote(conn, event_id, offer_until, now)
        return await self.of(event_id, registration_id)  # type: ignore[return-value]

    async def lapse_offers(self, event_id: int, offer_until: str) -> int:
        """Offers of this event not taken in time lapse; their places go to the next waiting.
        How many lapsed."""
        async with self._db.transaction() as conn:
            now = self._db.now_iso()
            cursor = await conn.execute(
                "SELECT registration_id FROM rsvps WHERE event_id = ? AND answer = 'offered' "
                "AND offer_until <= ?", (event_id, now))
            lapsed = [r[0] for r in await cursor.fetchall()]
            for registration_id in lapsed:
                await _set(conn, event_id, registration_id, Answer.LAPSED, now)
                await _notice(conn, event_id, registration_id, NoticeKind.LAPSED, now)
            if lapsed:
                await _promote(conn, event_id, offer_until, now)
            return len(lapsed)

    async def promote(self, event_id: int, offer_until: str) -> None:
        """Offer free places to the first waiting (after the capacity grew)."""
        async with self._db.transaction() as conn:
            await _promote(conn, event_id, offer_until, self._db.now_iso())

    async def claim_notice(self, notice_id: int, queue) -> bool:
        """Mark the notice told and queue its messages (`queue(conn)`) in one transaction: each
        notice becomes messages exactly once. Whether it was still untold."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE event_notices SET queued_at = ? WHERE id = ? AND queued_at IS NULL",
                (self._db.now_iso(), notice_id))
            if cursor.rowcount == 0:
                return False
            await queue(conn)
            return True


def _rsvp(row) -> Rsvp:
    """(event, registration, answer, offer until, place in the line) → an answer."""
    answer = Answer(row[2])
    return Rsvp(row[0], row[1], answer, row[3], row[4] if answer is Answer.WAITING else None)


async def _answer_within(conn: aiosqlite.Connection, event_id: int,
                         registration_id: int) -> tuple[Answer | None, str | None]:
    """The volunteer's answer, and until when an offered place is held for them."""
    cursor = await conn.execute(
        "SELECT answer, offer_until FROM rsvps WHERE event_id = ? AND registration_id = ?",
        (event_id, registration_id))
    row = await cursor.fetchone()
    return (Answer(row[0]), row[1]) if row else (None, None)


async def _count(conn: aiosqlite.Connection, event_id: int, *answers: Answer) -> int:
    cursor = await conn.execute(
        f"SELECT COUNT(*) FROM rsvps WHERE event_id = ? AND answer IN ({','.join('?' * len(answers))})",
        (event_id, *answers))
    return (await cursor.fetchone())[0]


async def _free_places(conn: aiosqlite.Connection, event_id: int) -> int | None:
    """Places not taken (coming or offered); None: the event has no limit."""
    cursor = await conn.execute("SELECT capacity FROM events WHERE id = ?", (event_id,))
    capacity = (await cursor.fetchone())[0]
    if capacity is None:
        return None
    return capacity - await _count(conn, event_id, *HOLDING_A_PLACE)


async def _set(conn: aiosqlite.Connection, event_id: int, registration_id: int, answer: Answer, now: str,
               asked: bool = False, offer_until: str | None = None) -> None:
    """Write an answer; `asked` puts a new request for a place at the end of the line (the line
    is a number per event, not a time: many press within the same second)."""
    await conn.execute(
        "INSERT INTO rsvps(event_id, registration_id, answer, asked_at, line, answered_at, offer_until) "
        "VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(line), 0) + 1 FROM rsvps WHERE event_id = ?), ?, ?) "
        "ON CONFLICT(event_id, registration_id) DO UPDATE SET "
        "answer = excluded.answer, answered_at = excluded.answered_at, offer_until = excluded.offer_until, "
        "asked_at = CASE WHEN ? THEN excluded.asked_at ELSE rsvps.asked_at END, "
        "line = CASE WHEN ? THEN excluded.line ELSE rsvps.line END",
        (event_id, registration_id, answer, now, event_id, now, offer_until, asked, asked))


async def _notice(conn: aiosqlite.Connection, event_id: int, registration_id: int, kind: NoticeKind,
                  now: str) -> None:
    await conn.execute("INSERT INTO event_notices(event_id, registration_id, kind, created_at) "
                       "VALUES (?, ?, ?, ?)", (event_id, registration_id, kind, now))


async def _promote(conn: aiosqlite.Connection, event_id: int, offer_until: str, now: str) -> None:
    """While places are free, the first waiting volunteer is offered one (until `offer_until`).
    An event that has begun promotes nobody: nobody could still come in time to hear of it."""
    cursor = await conn.execute("SELECT starts_at FROM events WHERE id = ? AND cancelled_at IS NULL",
                                (event_id,))
    row = await cursor.fetchone()
    if row is None or datetime.fromisoformat(row[0]) <= datetime.fromisoformat(now):
        return
    free = await _free_places(conn, event_id)
    if free is not None and free <= 0:
        return
    cursor = await conn.execute(
        "SELECT registration_id FROM rsvps WHERE event_id = ? AND answer = 'waiting' "
        "ORDER BY line LIMIT ?", (event_id, -1 if free is None else free))
    for (registration_id,) in await cursor.fetchall():
        if free is None:  # the limit was lifted: everyone waiting has a place, nothing to confirm
            await _set(conn, event_id, registration_id, Answer.COMING, now)
            await _notice(conn, event_id, registration_id, NoticeKind.ADMITTED, now)
        else:
            await _set(conn, event_id, registration_id, Answer.OFFERED, now, offer_until=offer_until)
            await _notice(conn, event_id, registration_id, NoticeKind.OFFERED, now)
