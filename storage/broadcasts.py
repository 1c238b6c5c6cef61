"""Broadcasts and their outbox: every recipient a row, so sending survives a restart."""

from __future__ import annotations

import json
from dataclasses import asdict

from storage.audiences import recipients_sql
from storage.db import Database
from storage.models import Audience, Broadcast, BroadcastKind, Delivery, OutboxItem, SendResult
from storage.users import UserRepository

_BROADCAST = ("SELECT id, kind, text, status, created_at, progress_platform, progress_chat_id, "
              "progress_message_id, progress_language FROM broadcasts ")


def _by_language(values: dict[str, str] | None) -> tuple[str, list[object]]:
    """SQL picking each recipient's value by their language ("" is the default), or NULL."""
    if not values:
        return "NULL", []
    cases = " ".join("WHEN ? THEN ?" for _ in values)
    return f"CASE language {cases} ELSE ? END", [v for pair in values.items() for v in pair] + [values[""]]


def buttons_json(rows: list[list[tuple[str, str]]]) -> str:
    """Inline buttons as an outbox row keeps them: rows of (label, callback data)."""
    return json.dumps(rows, ensure_ascii=False)


def _broadcast(row) -> Broadcast:
    return Broadcast(row[0], BroadcastKind(row[1]), *row[2:])


class BroadcastRepository:
    """SQL for broadcasts and outbox."""

    def __init__(self, db: Database, users: UserRepository):
        self._db = db
        self._users = users  # marks recipients who blocked the bot, in the outcome's transaction

    async def count_recipients(self, audience: Audience) -> int:
        sql, params = recipients_sql(audience)
        row = await self._db.fetch_one(f"SELECT COUNT(*) FROM ({sql})", params)
        return int(row[0])

    async def create(self, *, text: str, audience: Audience, created_by: str,
                     progress: tuple[str, int, int, str] | None = None,
                     kind: BroadcastKind = BroadcastKind.BROADCAST,
                     reminder_id: int | None = None,
                     texts_by_language: dict[str, str] | None = None,
                     markup_by_language: dict[str, str] | None = None,
                     invitation_of: int | None = None) -> tuple[int, int] | None:
        """The broadcast and one outbox row per recipient, in one transaction → (id, recipients).
        `texts_by_language` gives each recipient the text in their language (reminders), and
        `markup_by_language` its buttons (JSON, see `buttons_json`). A reminder, or an event's
        invitation, is claimed in the same transaction: None when it was sent already (so it is
        sent once)."""
        platform, chat_id, message_id, language = progress or (None, None, None, None)
        async with self._db.transaction() as conn:
            if reminder_id is not None:
                claimed = await conn.execute(
                    "UPDATE reminders SET sent_at = ? WHERE id = ? AND sent_at IS NULL "
                    "AND skipped_at IS NULL", (self._db.now_iso(), reminder_id))
                if claimed.rowcount == 0:
                    return None
            if invitation_of is not None:
                claimed = await conn.execute(
                    "UPDATE events SET invited_at = ? WHERE id = ? AND invited_at IS NULL",
                    (self._db.now_iso(), invitation_of))
                if claimed.rowcount == 0:
                    return None
            cursor = await conn.execute(
                "INSERT INTO broadcasts(text, filter, created_by, status, created_at, kind, reminder_id, "
                "progress_platform, progress_chat_id, progress_message_id, progress_language, event_id) "
                "VALUES (?, ?, ?, 'sending', ?, ?, ?, ?, ?, ?, ?, ?)",
                (text, json.dumps(asdict(audience)), created_by, self._db.now_iso(), kind, reminder_id,
                 platform, chat_id, message_id, language, invitation_of),
            )
            broadcast_id = cursor.lastrowid
            sql, params = recipients_sql(audience)
            text_sql, text_params = _by_language(texts_by_language)
            markup_sql, markup_params = _by_language(markup_by_language)
            inserted = await conn.execute(
                f"INSERT INTO outbox(broadcast_id, platform, chat_id, text, markup) "
                f"SELECT ?, platform, chat_id, {text_sql}, {markup_sql} FROM ({sql})",
                [broadcast_id, *text_params, *markup_params, *params],
            )
            return broadcast_id, inserted.rowcount

    @staticmethod
    async def queue_within(conn, kind: BroadcastKind, created_by: str,
                           messages: list[tuple[str, int, str, str | None]], now: str) -> None:
        """Messages to single people — (platform, chat id, text, buttons JSON) — sent by the
        outbox like a broadcast, inside the caller's transaction (so the change that owes them
        and the messages commit together, or neither)."""
        if not messages:
            return
        cursor = await conn.execute(
            "INSERT INTO broadcasts(text, filter, created_by, status, created_at, kind) "
            "VALUES ('', '{}', ?, 'sending', ?, ?)", (created_by, now, kind))
        await conn.executemany(
            "INSERT OR IGNORE INTO outbox(broadcast_id, platform, chat_id, text, markup) "
            "VALUES (?, ?, ?, ?, ?)",
            [(cursor.lastrowid, platform, chat_id, text, markup)
             for platform, chat_id, text, markup in messages])

    async def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute("UPDATE broadcasts SET progress_message_id = ? WHERE id = ?",
                               (message_id, broadcast_id))

    async def pending_count(self, platform: str) -> int:
        """Outbox items of this platform still to send (the backlog /health shows)."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM outbox WHERE platform = ? AND status = 'pending'", (platform,))
        return int(row[0]) if row else 0

    async def next_batch(self, platform: str, now: str, limit: int,
                         after: tuple[int, int] | None = None) -> list[OutboxItem]:
        """Pending items of this platform that are due, oldest broadcast first; with `after`, only
        items past that (broadcast_id, chat_id), so that items still in flight are not taken twice."""
        cursor_sql, cursor = ("AND (o.broadcast_id, o.chat_id) > (?, ?) ", after) if after else ("", ())
        rows = await self._db.fetch_all(
            "SELECT o.broadcast_id, o.platform, o.chat_id, COALESCE(o.text, b.text), o.attempts, "
            "o.markup "
            "FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id "
            "WHERE o.platform = ? AND o.status = 'pending' AND b.status = 'sending' "
            "AND (o.next_try_at IS NULL OR o.next_try_at <= ?) "
            f"{cursor_sql}"
            "ORDER BY o.broadcast_id, o.chat_id LIMIT ?",
            (platform, now, *cursor, limit),
        )
        return [OutboxItem(*row) for row in rows]

    async def record(self, results: list[SendResult]) -> None:
        """Write a batch of outcomes; users who blocked the bot are marked blocked."""
        if not results:
            return
        now = self._db.now_iso()
        async with self._db.transaction() as conn:
            await conn.executemany(
                "UPDATE outbox SET status = ?, attempts = ?, next_try_at = ?, last_error = ?, "
                "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END "
                "WHERE broadcast_id = ? AND platform = ? AND chat_id = ?",
                [(r.status, r.attempts, r.next_try_at, r.error, r.status, now, r.broadcast_id,
                  r.platform, r.chat_id) for r in results],
            )
            blocked = [(r.platform, r.chat_id) for r in results if r.status is Delivery.BLOCKED]
            if blocked:  # most batches have none: spare the round trip to SQLite's thread
                await self._users.mark_blocked_within(conn, blocked, now)

    async def counts(self, broadcast_id: int) -> dict[Delivery, int]:
        rows = await self._db.fetch_all(
            "SELECT status, COUNT(*) FROM outbox WHERE broadcast_id = ? GROUP BY status", (broadcast_id,)
        )
        counts = dict.fromkeys(Delivery, 0)
        counts.update({r[0]: r[1] for r in rows})
        return counts

    async def sending_with_progress(self, platform: str) -> list[Broadcast]:
        """Broadcasts still sending whose progress message lives on this platform."""
        rows = await self._db.fetch_all(
            _BROADCAST + "WHERE status = 'sending' AND progress_platform = ?", (platform,)
        )
        return [_broadcast(row) for row in rows]

    async def unfinished_without_progress(self) -> list[int]:
        """Sending broadcasts nobody watches (reminders): finished when nothing is pending."""
        rows = await self._db.fetch_all(
            "SELECT id FROM broadcasts WHERE status = 'sending' AND progress_platform IS NULL"
        )
        return [r[0] for r in rows]

    async def finish(self, broadcast_id: int) -> bool:
        """Mark done when no item is pending; whether it was marked now."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET status = 'done', finished_at = ? WHERE id = ? AND status = 'sending' "
                "AND NOT EXISTS (SELECT 1 FROM outbox WHERE broadcast_id = ? AND status = 'pending')",
                (self._db.now_iso(), broadcast_id, broadcast_id),
            )
            return cursor.rowcount > 0

    async def by_id(self, broadcast_id: int) -> Broadcast | None:
        row = await self._db.fetch_one(_BROADCAST + "WHERE id = ?", (broadcast_id,))
        return _broadcast(row) if row else None
