"""Events and their reminders (offsets in minutes before the start)."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import timedelta

from storage.db import Database
from storage.models import DEFAULT_LENGTH, Event, ScopeKind

_EVENT = ("SELECT e.id, e.title, e.scope_kind, e.scope_id, e.starts_at, e.cancelled_at, "
          "(SELECT group_concat(offset_minutes) FROM reminders r WHERE r.event_id = e.id), e.place, "
          "e.ends_at, e.capacity, e.checkin_secret, "
          "(SELECT group_concat(activity_id) FROM event_activities a WHERE a.event_id = e.id) "
          "FROM events e ")


# An event (e) whose scope holds a center (c, in county k): the one rule of where an event is.
SCOPE_HOLDS_CENTER = (
    "(e.scope_kind = 'all' OR (e.scope_kind = 'province' AND e.scope_id = k.province_id) "
    "OR (e.scope_kind = 'county' AND e.scope_id = c.county_id) "
    "OR (e.scope_kind = 'center' AND e.scope_id = c.id))"
)
# An event (e) not over at the moment bound to `?` (one made before events had an end lasts
# DEFAULT_LENGTH).
NOT_OVER = ("COALESCE(julianday(e.ends_at), "
            f"julianday(e.starts_at) + {DEFAULT_LENGTH / timedelta(days=1)!r}) > julianday(?)")


def _numbers(text: str | None) -> list[int]:
    return [int(x) for x in (text or "").split(",") if x]


def _event(row: sqlite3.Row) -> Event:
    offsets = tuple(sorted(_numbers(row[6]), reverse=True))
    return Event(row[0], row[1], ScopeKind(row[2]), row[3], row[4], row[5], offsets, row[7], row[8],
                 row[9], tuple(sorted(_numbers(row[11]))), row[10] or "")


class EventRepository:
    """SQL for events and reminders."""

    def __init__(self, db: Database):
        self._db = db

    async def create(self, title: str, scope_kind: ScopeKind, scope_id: int | None, starts_at: str,
                     offsets: tuple[int, ...], created_by: str, place: str = "", *,
                     ends_at: str | None = None, capacity: int | None = None,
                     activity_ids: tuple[int, ...] = ()) -> int:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO events(title, scope_kind, scope_id, starts_at, created_by, created_at, place, "
                "ends_at, capacity, checkin_secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (title, scope_kind, scope_id, starts_at, created_by, self._db.now_iso(), place, ends_at,
                 capacity, secrets.token_hex(16)),
            )
            event_id = cursor.lastrowid
            await conn.executemany(
                "INSERT INTO reminders(event_id, offset_minutes) VALUES (?, ?)",
                [(event_id, offset) for offset in offsets],
            )
            await conn.executemany("INSERT INTO event_activities(event_id, activity_id) VALUES (?, ?)",
                                   [(event_id, a) for a in activity_ids])
            return event_id

    async def by_id(self, event_id: int) -> Event | None:
        row = await self._db.fetch_one(_EVENT + "WHERE e.id = ?", (event_id,))
        return _event(row) if row else None

    async def uninvited(self, now: str) -> list[Event]:
        """Events not cancelled and not begun whose invitation has not gone out yet."""
        rows = await self._db.fetch_all(
            _EVENT + "WHERE e.invited_at IS NULL AND e.cancelled_at IS NULL AND e.starts_at > ? "
            "ORDER BY e.id", (now,))
        return [_event(r) for r in rows]

    async def ahead_at(self, center_id: int, now: str) -> list[Event]:
        """Events not cancelled and not over whose scope holds this center, soonest first."""
        rows = await self._db.fetch_all(
            _EVENT + "JOIN centers c ON c.id = ? JOIN counties k ON k.id = c.county_id "
            f"WHERE e.cancelled_at IS NULL AND {NOT_OVER} AND {SCOPE_HOLDS_CENTER} ORDER BY e.starts_at",
            (center_id, now))
        return [_event(r) for r in rows]

    async def upcoming(self, now: str) -> list[Event]:
        """Events not cancelled that have not started yet, soonest first."""
        rows = await self._db.fetch_all(
            _EVENT + "WHERE e.cancelled_at IS NULL AND e.starts_at > ? ORDER BY e.starts_at", (now,)
        )
        return [_event(r) for r in rows]

    async def cancel(self, event_id: int) -> bool:
        """Cancel an event; its unsent reminders will never go out."""
        now = self._db.now_iso()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE events SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL", (now, event_id)
            )
            await conn.execute(
                "UPDATE reminders SET skipped_at = ? WHERE event_id = ? AND sent_at IS NULL", (now, event_id)
            )
            return cursor.rowcount > 0

    async def update(self, event_id: int, *, title: str | None = None, starts_at: str | None = None,
                     offsets: tuple[int, ...] | None = None, place: str | None = None,
                     ends_at: str | None = None, capacity: int | None = None,
                     unlimited: bool = False) -> Event:
        """Change an event; unsent reminders follow the new time and offsets (sent ones stay sent).
        `unlimited` takes the capacity away."""
        async with self._db.transaction() as conn:
            if ends_at is not None:
                await conn.execute("UPDATE events SET ends_at = ? WHERE id = ?", (ends_at, event_id))
            if capacity is not None or unlimited:
                await conn.execute("UPDATE events SET capacity = ? WHERE id = ?", (capacity, event_id))
            if title is not None:
                await conn.execute("UPDATE events SET title = ? WHERE id = ?", (title, event_id))
            if place is not None:
                await conn.execute("UPDATE events SET place = ? WHERE id = ?", (place, event_id))
            if starts_at is not None:
                await conn.execute("UPDATE events SET starts_at = ? WHERE id = ?", (starts_at, event_id))
            if offsets is not None:
                await conn.execute(
                    f"DELETE FROM reminders WHERE event_id = ? AND sent_at IS NULL "
                    f"AND offset_minutes NOT IN ({','.join('?' * len(offsets)) or 'NULL'})",
                    (event_id, *offsets),
                )
                await conn.executemany(
                    "INSERT OR IGNORE INTO reminders(event_id, offset_minutes) VALUES (?, ?)",
                    [(event_id, offset) for offset in offsets],
                )
        return await self.by_id(event_id)  # type: ignore[return-value]

    async def due(self, now: str) -> list[tuple[int, Event, int]]:
        """(reminder id, event, offset) of reminders whose time has come and that are unsent."""
        rows = await self._db.fetch_all(
            "SELECT r.id, r.offset_minutes, e.id FROM reminders r JOIN events e ON e.id = r.event_id "
            "WHERE r.sent_at IS NULL AND r.skipped_at IS NULL AND e.cancelled_at IS NULL "
            "AND julianday(e.starts_at) - r.offset_minutes / 1440.0 <= julianday(?) "
            "ORDER BY e.starts_at, r.offset_minutes DESC",
            (now,),
        )
        due = []
        for reminder_id, offset, event_id in rows:
            due.append((reminder_id, await self.by_id(event_id), offset))
        return due

    async def skip(self, reminder_id: int) -> None:
        """A reminder whose moment passed while the bot was down and whose event has begun."""
        async with self._db.transaction() as conn:
            await conn.execute("UPDATE reminders SET skipped_at = ? WHERE id = ? AND sent_at IS NULL",
                               (self._db.now_iso(), reminder_id))
