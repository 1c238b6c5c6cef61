"""Copies of coordinator alerts: where each was sent, so all can be updated together."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database
from storage.models import CopyKind


@dataclass(frozen=True)
class AlertCopy:
    registration_id: int
    platform: str
    chat_id: int
    message_id: int
    language: str
    kind: CopyKind = CopyKind.ALERT
    center_id: int | None = None  # the center it was sent about (a notice's is the one left)


def _copy(row) -> AlertCopy:
    return AlertCopy(*row[:5], CopyKind(row[5]), row[6])


class AlertRepository:
    """SQL for the alert_messages table."""

    def __init__(self, db: Database):
        self._db = db

    async def add(self, copy: AlertCopy) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO alert_messages(registration_id, platform, chat_id, message_id, "
                "language, kind, center_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (copy.registration_id, copy.platform, copy.chat_id, copy.message_id, copy.language,
                 copy.kind, copy.center_id, self._db.now_iso()),
            )

    async def moved(self, copy: AlertCopy, message_id: int) -> None:
        """The alert now lives in another message (the platform could not edit the old one)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE alert_messages SET message_id = ? WHERE platform = ? AND chat_id = ? "
                "AND message_id = ?",
                (message_id, copy.platform, copy.chat_id, copy.message_id),
            )

    async def for_registration(self, registration_id: int) -> list[AlertCopy]:
        rows = await self._db.fetch_all(
            "SELECT registration_id, platform, chat_id, message_id, language, kind, center_id "
            "FROM alert_messages "
            "WHERE registration_id = ? ORDER BY created_at",
            (registration_id,),
        )
        return [_copy(row) for row in rows]

    async def in_chat_about_center(self, platform: str, chat_id: int,
                                   center_id: int) -> list[AlertCopy]:
        """The copies a chat holds of alerts and notices sent about a center's volunteers."""
        rows = await self._db.fetch_all(
            "SELECT registration_id, platform, chat_id, message_id, language, kind, center_id "
            "FROM alert_messages WHERE platform = ? AND chat_id = ? AND center_id = ? "
            "ORDER BY created_at",
            (platform, chat_id, center_id),
        )
        return [_copy(row) for row in rows]

    async def remove(self, copy: AlertCopy) -> None:
        """Forget a copy: it is never redrawn again."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM alert_messages WHERE platform = ? AND chat_id = ? AND message_id = ?",
                (copy.platform, copy.chat_id, copy.message_id),
            )

    async def is_alert_about(self, platform: str, chat_id: int, message_id: int,
                             registration_id: int) -> bool:
        """Whether this message really is an alert (not a notice) about this registration."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM alert_messages WHERE platform = ? AND chat_id = ? AND message_id = ? "
            "AND registration_id = ? AND kind = 'alert'",
            (platform, chat_id, message_id, registration_id),
        )
        return row is not None
