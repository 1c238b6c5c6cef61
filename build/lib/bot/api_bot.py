"""PTB's ExtBot, made to take what a real Bot API answers even where it is not Telegram's answer.

Bale (the messenger that works in Iran) answers an edit with a stub or `true` instead of the edited
message, may omit fields PTB requires in an update (a callback query's `chat_instance`), sends
forwards in the old `forward_from` shape and may answer `getUpdates` at once whatever its long-poll
timeout. PTB would raise KeyError on the stub, fail the whole batch of updates (and, the offset not
advanced, poll the same batch forever) and spin without pause. This bot reads each answer for what
it means instead; on Telegram nothing changes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE, DefaultValue
from telegram._utils.types import JSONDict, ODVInput
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ExtBot

from bot.aiohttp_request import AiohttpRequest
from bot.config import PlatformSettings
from bot.health import MessengerHealth
from bot.platforms import PROFILES

logger = logging.getLogger(__name__)

# getUpdates answered with nothing well before its long-poll timeout: the server ignores long
# polling, so the next poll waits instead of following at once (a hot loop). The wait starts
# short, as a person in a conversation answers within moments, and doubles with every empty
# answer up to the longest: at most 20 polls a second for a moment, then two.
IGNORED_LONG_POLL_FIRST_PAUSE = 0.05
IGNORED_LONG_POLL_MAX_PAUSE = 0.5
UPDATE_KINDS = ("message", "edited_message", "callback_query", "channel_post", "my_chat_member",
                "chat_member", "inline_query", "pre_checkout_query", "shipping_query")


class ApiBot(ExtBot):
    """An ExtBot that reads stub edit answers, repairs or skips unreadable updates and paces
    polling against a server that ignores the long-poll timeout."""

    __slots__ = ("_empty_polls", "_health", "_literal")

    def __init__(self, *args: Any, health: MessengerHealth | None = None,
                 literal: Callable[[str], str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        with self._unfrozen():
            self._health = health
            self._literal = literal
            self._empty_polls = 0

    @property
    def health(self) -> MessengerHealth | None:
        """How this messenger's connection is doing (None for a bot that does not poll)."""
        return self._health

    async def _post(self, endpoint: str, data: JSONDict | None = None, **kwargs: Any) -> Any:
        if self._literal is not None and data:
            for key in ("text", "caption"):  # every text goes out plain: keep it so on screen
                if isinstance(data.get(key), str):
                    data[key] = self._literal(data[key])
        result = await super()._post(endpoint, data, **kwargs)
        if endpoint.startswith("edit") and isinstance(result, dict) and not is_full_message(result):
            return True  # the edit was made; the answer is a stub that names no message
        return result

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: int | float | timedelta | None = None,
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> tuple[Update, ...]:
        """Like ExtBot.get_updates, but one unreadable update is skipped, not the whole batch."""
        wait = timeout.total_seconds() if isinstance(timeout, timedelta) else float(timeout or 0)
        base_read = (self._request[0].read_timeout if isinstance(read_timeout, DefaultValue)
                     else read_timeout) or 0
        started = time.monotonic()
        try:
            raw = await self._post(
                "getUpdates",
                {"timeout": timeout, "offset": offset, "limit": limit,
                 "allowed_updates": allowed_updates},
                read_timeout=base_read + wait, write_timeout=write_timeout,
                connect_timeout=connect_timeout, pool_timeout=pool_timeout, api_kwargs=api_kwargs)
        except TelegramError as exc:
            if self._health is not None:  # every failure, timeouts too (PTB retries those silently)
                self._health.poll_failed(exc)
            raise
        if self._health is not None:
            self._health.updates_received(len(raw or ()))
        updates = tuple(self._read_update(item) for item in raw or ())
        for update in updates:
            self.insert_callback_data(update)
        if updates or not wait or time.monotonic() - started >= wait / 2:
            self._empty_polls = 0
            return updates
        pause = min(IGNORED_LONG_POLL_MAX_PAUSE, IGNORED_LONG_POLL_FIRST_PAUSE * 2 ** self._empty_polls)
        self._empty_polls = min(self._empty_polls + 1, 16)
        await asyncio.sleep(pause)
        return updates

    def _read_update(self, raw: JSONDict) -> Update:
        """The update, with what a messenger may leave out filled in; an update that still cannot
        be read becomes an empty one with its id, so polling moves past it."""
        try:
            update = Update.de_json(repaired(raw), self)
            if not answerable(update):
                raise ValueError("no sender or no chat")
            return update
        except Exception as exc:  # noqa: BLE001 — any parse failure: skip this update, keep the rest
            kind = next((k for k in UPDATE_KINDS if k in raw), "unknown")
            # The type and the missing field only: the update's content is personal.
            logger.warning("skipped update %s (%s) that could not be read: %s %s",
                           raw.get("update_id"), kind, type(exc).__name__,
                           exc.args[0] if isinstance(exc, KeyError) and exc.args else "")
            return Update(int(raw.get("update_id", 0)))


def answerable(update: Update) -> bool:
    """A message needs its chat and a button press its sender: without them no handler can
    answer, only fail (PTB itself reads such updates without complaint)."""
    if update.callback_query is not None:
        return update.callback_query.from_user is not None
    message = update.message or update.edited_message
    return message is None or message.chat is not None


def is_full_message(result: dict[str, Any]) -> bool:
    """Whether an answer is a whole Message (Telegram) rather than a stub (Bale)."""
    return bool(result.get("message_id")) and "date" in result and "chat" in result


def repaired(raw: JSONDict) -> JSONDict:
    """Fill in what Bale leaves out and PTB requires; turn the old forward fields into
    forward_origin. Telegram's updates have all of it and pass unchanged."""
    query = raw.get("callback_query")
    if isinstance(query, dict):
        query.setdefault("chat_instance", "")
        _repair_user(query.get("from"))
        _repair_message(query.get("message"))
    for kind in ("message", "edited_message", "channel_post"):
        _repair_message(raw.get(kind))
    return raw


def _repair_message(message: Any) -> None:
    if not isinstance(message, dict):
        return
    message.setdefault("date", 0)
    _repair_user(message.get("from"))
    sender = message.get("forward_from")
    if "forward_origin" not in message and (sender or "forward_date" in message
                                             or "forward_sender_name" in message):
        date = message.get("forward_date", 0)
        if isinstance(sender, dict):
            _repair_user(sender)
            message["forward_origin"] = {"type": "user", "sender_user": sender, "date": date}
        else:
            message["forward_origin"] = {"type": "hidden_user", "date": date,
                                         "sender_user_name": message.get("forward_sender_name", "")}


def _repair_user(user: Any) -> None:
    """PTB requires is_bot and first_name of every user; Bale may leave them out."""
    if isinstance(user, dict):
        user.setdefault("is_bot", False)
        user.setdefault("first_name", "")


def build_bot(platform: PlatformSettings, pool_size: int,
              rate_limiter: AIORateLimiter | None = None,
              health: MessengerHealth | None = None) -> ApiBot:
    """The bot of one messenger: its base URLs and its proxy for every call, polling included."""
    return ApiBot(
        platform.token, base_url=platform.base_url, base_file_url=platform.base_file_url,
        request=AiohttpRequest(connection_pool_size=pool_size, proxy=platform.proxy),
        get_updates_request=AiohttpRequest(connection_pool_size=1, proxy=platform.proxy),
        rate_limiter=rate_limiter, health=health, literal=PROFILES[platform.name].literal)
