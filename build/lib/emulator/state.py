"""In-memory state of an emulated Bot API: bots, their update queues, chats and what bots sent."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from emulator.bale import BaleQuirks, shape_update


def now() -> int:
    """Bot API dates are whole seconds since the epoch."""
    return int(time.time())


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    filename: str
    mime_type: str
    content: bytes


@dataclass
class BotAction:
    """One thing a bot did in a chat, as the user sees it: a new message, an edit or a deletion."""

    kind: str  # "message" | "edit" | "delete"
    message: dict[str, Any]
    # The full reply_markup sent by the bot (a Message only echoes inline keyboards).
    reply_markup: dict[str, Any] | None = None
    method: str = ""
    # What the person reads, where the client renders the text (Bale's Markdown); None: as sent.
    shown: str | None = None

    @property
    def raw_text(self) -> str:
        """The text or caption as the bot sent it."""
        return self.message.get("text") or self.message.get("caption") or ""

    @property
    def text(self) -> str:
        """The text or caption as the person reads it."""
        return self.raw_text if self.shown is None else self.shown

    def url_buttons(self) -> dict[str, str]:
        """{label: link} of the inline buttons that open a link."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return {b["text"]: b["url"] for row in rows for b in row if "url" in b}

    @property
    def message_id(self) -> int:
        return int(self.message["message_id"])


@dataclass
class ChatState:
    chat: dict[str, Any]
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    user_messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    actions: list[BotAction] = field(default_factory=list)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    next_message_id: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def record(self, action: BotAction) -> None:
        """Append a bot action and wake anyone waiting for it."""
        async with self.changed:
            self.actions.append(action)
            self.changed.notify_all()


@dataclass
class CallbackAnswer:
    callback_query_id: str
    text: str
    show_alert: bool


class EmulatedBot:
    """One bot account: its identity, its pending updates and the chats it talks in."""

    def __init__(self, token: str, bot_id: int, username: str, first_name: str,
                 dialect: str = "telegram", quirks: BaleQuirks | None = None):
        self.token = token
        # "telegram", or "bale": Bale's Bot API refuses parse_mode and reply_parameters, fails
        # setMyCommands and answers in its own ways (emulator/bale.py; the harshest by default).
        self.dialect = dialect
        self.quirks = (quirks or BaleQuirks()) if dialect == "bale" else None
        self.user = {"id": bot_id, "is_bot": True, "first_name": first_name, "username": username}
        self.updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._updates_changed = asyncio.Condition()
        self.chats: dict[int, ChatState] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.open_callback_queries: set[str] = set()
        self.requests: list[tuple[str, dict[str, Any]]] = []
        # (method, chat id, HTTP status) of every answered call, faults included.
        self.answers: list[tuple[str, Any, int]] = []
        self._file_ids = itertools.count(1)
        self._closed = False
        self.polls = 0  # getUpdates calls answered
        self.webhook_url = ""

    @property
    def id(self) -> int:
        return int(self.user["id"])

    def open_private_chats(self, user_ids) -> None:
        """Users who have started the bot (so it may write to them) without writing anything."""
        for user_id in user_ids:
            self.chat({"id": user_id, "type": "private", "first_name": f"user{user_id}"})

    def messages_to(self, chat_id: int) -> list[BotAction]:
        """New messages the bot sent to a chat (no edits or deletions)."""
        state = self.chats.get(chat_id)
        return [a for a in state.actions if a.kind == "message"] if state else []

    def chat(self, chat: dict[str, Any]) -> ChatState:
        """The chat's state, created the first time the chat is seen."""
        state = self.chats.get(chat["id"])
        if state is None:
            state = self.chats[chat["id"]] = ChatState(chat=dict(chat))
        return state

    async def push_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (payload without update_id) for getUpdates."""
        if self.quirks is not None:
            payload = shape_update(self.quirks, payload)
        update = {"update_id": next(self._update_ids), **payload}
        async with self._updates_changed:
            self.updates.append(update)
            self._updates_changed.notify_all()
        return update

    async def take_updates(self, offset: int | None, limit: int, timeout: float) -> list[dict]:
        """getUpdates semantics: confirm below `offset`, then wait up to `timeout` for any
        (a Bale that ignores long-poll answers at once)."""
        if self.quirks is not None and not self.quirks.honours_long_poll:
            timeout = 0
        self.polls += 1
        async with self._updates_changed:
            if offset is not None and offset > 0:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if not self.updates and timeout > 0:
                try:
                    await asyncio.wait_for(
                        self._updates_changed.wait_for(lambda: self.updates or self._closed),
                        timeout,
                    )
                except TimeoutError:
                    return []
            return self.updates[: max(1, min(limit, 100))]

    def reopen(self) -> None:
        """The server is back: long polls wait again."""
        self._closed = False

    async def close(self) -> None:
        """Answer every waiting long-poll at once (the server is going away)."""
        async with self._updates_changed:
            self._closed = True
            self._updates_changed.notify_all()

    def store_file(self, filename: str, mime_type: str, content: bytes) -> StoredFile:
        """Keep an uploaded file so tests can read what the bot sent."""
        number = next(self._file_ids)
        stored = StoredFile(f"file-{self.id}-{number}", f"u{number}", filename, mime_type, content)
        self.files[stored.file_id] = stored
        return stored
