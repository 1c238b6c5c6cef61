"""Switchable faults of the emulated Bot API: flood waits, blocked chats, server errors, slowness."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

# getUpdates is how the bot hears users; faults are about what the bot sends.
EXEMPT_METHODS = frozenset({"getupdates", "getme", "deletewebhook"})
# What Telegram's overall flood limit counts: messages sent or changed.
RATE_LIMITED_PREFIXES = ("send", "edit", "copy", "forward")


class HtmlPage(Exception):
    """Not the Bot API answering: a proxy's, a filter's or a gateway's HTML page."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class ApiError(Exception):
    """An error answer of the Bot API (`ok: false`)."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class Faults:
    """What should go wrong; every switch is off by default."""

    retry_after_seconds: int = 0
    retry_after_remaining: int | None = 0  # None: until switched off
    server_errors_remaining: int = 0
    forbidden_chats: set[int] = field(default_factory=set)
    latency_seconds: float = 0.0
    flood_chats: set[int] | None = None  # None: every chat
    server_error_chats: set[int] | None = None
    rate_limit: float = 0.0  # messages per second over every chat; 0: unlimited
    outage_status: int = 0  # every call, polling included, answers this 5xx; 0: no outage
    slow_chats: set[int] | None = None  # None: every chat
    middlebox_status: int = 0  # every call answered by an HTML page with this status; 0: none
    _tokens: float = 0.0
    _refilled_at: float = 0.0

    def flood(self, retry_after: int, times: int | None = 1, chats: set[int] | None = None) -> None:
        """Answer the next `times` calls (None: every call) with 429 and this retry_after;
        with `chats`, only calls addressed to those chats."""
        self.retry_after_seconds = retry_after
        self.retry_after_remaining = times
        self.flood_chats = chats

    def block(self, chat_id: int) -> None:
        """Every send to this chat fails with 403, as when a user has blocked the bot."""
        self.forbidden_chats.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The user has unblocked the bot: sends to them work again."""
        self.forbidden_chats.discard(chat_id)

    def fail(self, times: int = 1, chats: set[int] | None = None) -> None:
        """The next `times` calls (to `chats` only, when given) fail with 500."""
        self.server_errors_remaining = times
        self.server_error_chats = chats

    def limit_rate(self, per_second: float) -> None:
        """Answer 429 (retry_after 1) to sends above `per_second` overall, like Telegram's flood
        control: a token bucket holding one second's worth of messages; 0 switches it off."""
        self.rate_limit = per_second
        self._tokens = per_second
        self._refilled_at = time.monotonic()

    def outage(self, status: int = 502) -> None:
        """The whole service fails every call with this 5xx (a gateway or server outage), until
        `clear`: getUpdates and getMe too."""
        self.outage_status = status

    def middlebox(self, status: int = 403) -> None:
        """Something between the bot and the API (a filter, a captive proxy) answers every call,
        polling included, with an HTML page and this status, until `clear`."""
        self.middlebox_status = status

    def slow(self, seconds: float, chats: set[int] | None = None) -> None:
        """Every call (to `chats` only, when given) is carried out and answered this late, even
        when the caller has given up waiting (as a slow server does)."""
        self.latency_seconds = seconds
        self.slow_chats = chats

    def clear(self) -> None:
        """Switch every fault off."""
        self.retry_after_remaining = 0
        self.server_errors_remaining = 0
        self.forbidden_chats.clear()
        self.latency_seconds = 0.0
        self.rate_limit = 0.0
        self.outage_status = 0
        self.middlebox_status = 0

    async def apply(self, method: str, params: dict[str, Any]) -> None:
        """Raise the ApiError that the current switches call for, if any."""
        if self.middlebox_status:
            raise HtmlPage(self.middlebox_status)
        if self.outage_status:
            raise ApiError(self.outage_status, "Bad Gateway" if self.outage_status == 502
                           else "Internal Server Error")
        if method.lower() in EXEMPT_METHODS:
            return
        if self.latency_seconds and (self.slow_chats is None or params.get("chat_id") in self.slow_chats):
            await asyncio.sleep(self.latency_seconds)
        chat_id = params.get("chat_id")
        flooding = self.retry_after_remaining is None or self.retry_after_remaining > 0
        if flooding and (self.flood_chats is None or chat_id in self.flood_chats):
            if self.retry_after_remaining:
                self.retry_after_remaining -= 1
            raise ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after_seconds}",
                {"retry_after": self.retry_after_seconds},
            )
        if self.rate_limit and method.lower().startswith(RATE_LIMITED_PREFIXES):
            self._take_token()
        if self.server_errors_remaining > 0 and (
                self.server_error_chats is None or chat_id in self.server_error_chats):
            self.server_errors_remaining -= 1
            raise ApiError(500, "Internal Server Error")
        if chat_id in self.forbidden_chats:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

    def _take_token(self) -> None:
        moment = time.monotonic()
        self._tokens = min(self.rate_limit,
                           self._tokens + (moment - self._refilled_at) * self.rate_limit)
        self._refilled_at = moment
        if self._tokens < 1:
            raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        self._tokens -= 1
