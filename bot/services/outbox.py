"""Bulk sending: one outbox worker per platform at BROADCAST_RATE, pausing every send on
retry_after, never retrying a user who blocked the bot or a request the API refused (400),
retrying other errors (network, 5xx) with backoff."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.aiohttp_request import AnswerTimedOut
from bot.health import means_unreachable
from bot.platforms import PlatformProfile
from storage.broadcasts import BroadcastRepository
from storage.clock import Clock, utc_iso
from storage.models import Delivery, OutboxItem, SendResult

logger = logging.getLogger(__name__)

BATCH_SIZE = 32
# While one batch sends, the one before it is recorded and the next is fetched, so the sends never
# wait for SQLite. Outcomes are written per batch: a crash can repeat at most the batches in flight.
IN_FLIGHT_BATCHES = 2
MAX_REPEATS_AFTER_CRASH = BATCH_SIZE * IN_FLIGHT_BATCHES
CONCURRENCY = 16
MAX_ATTEMPTS = 5
IDLE_POLL_SECONDS = 1.0


def seconds(value: float | timedelta) -> float:
    """retry_after as seconds, whichever type PTB hands over."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# A send whose slot is less than this ahead goes at once: at rates far above a messenger's limit
# replies arrive in bunches, and waiting a fraction of a millisecond for each of them costs the
# event loop a timer and a turn more than it spaces anything. Slots still advance by 1/rate, so the
# rate holds over any second, give or take one millisecond's sends.
EARLY_BY_AT_MOST = 0.001


def _markup(stored: str | None) -> InlineKeyboardMarkup | None:
    """An outbox item's buttons (rows of [label, callback data]), as the messenger takes them."""
    if not stored:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row]
                                 for row in json.loads(stored)])


class SendPacer:
    """Spaces sends 1/rate apart; `pause` holds every send, queued ones included."""

    def __init__(self, rate: float):
        self._interval = 1.0 / rate
        self._next = 0.0
        self._paused_until = 0.0

    async def acquire(self) -> None:
        """Wait for this send's slot; no wait (not even a turn of the loop) when the slot is less
        than EARLY_BY_AT_MOST ahead, as it is when sends run slower than the rate."""
        while True:
            now = time.monotonic()
            slot = max(now, self._next, self._paused_until)
            self._next = slot + self._interval
            if slot - now < EARLY_BY_AT_MOST:
                return
            await asyncio.sleep(slot - now)
            if self._paused_until <= time.monotonic():
                return
            # A pause began while this send waited: queue again behind it, spaced like the rest.

    def pause(self, seconds_: float) -> None:
        self._paused_until = max(self._paused_until, time.monotonic() + seconds_)
        self._next = max(self._next, self._paused_until)


# A send that fails in transport (no connection, a timeout, a 5xx) may be that recipient's
# trouble or the messenger's outage. A getMe tells them apart: while the messenger does not
# answer it, every send waits (the wait doubling up to OUTAGE_MAX_PAUSE) and no recipient's
# tries are used up, so an outage of minutes or hours loses nothing.
PROBE_VALID_FOR = 1.0
OUTAGE_FIRST_PAUSE = 1.0
OUTAGE_MAX_PAUSE = 60.0


class Reachability:
    """Whether the messenger answers at all; asked at most once a PROBE_VALID_FOR."""

    def __init__(self, platform: str, probe: Callable[[], Awaitable[object]]):
        self._platform = platform
        self._probe = probe
        self._lock = asyncio.Lock()
        self._checked_at = -PROBE_VALID_FOR
        self._pause = 0.0  # 0 while the messenger is up

    async def outage_pause(self) -> float:
        """0 when the messenger answers (the failed send was that recipient's trouble), else how
        long every send should now wait."""
        async with self._lock:
            if time.monotonic() - self._checked_at < PROBE_VALID_FOR:
                return self._pause
            try:
                await self._probe()
                cause = None
            except TelegramError as exc:  # down unless it answered, even if to refuse
                cause = exc if means_unreachable(exc) else None
            self._checked_at = time.monotonic()
            if cause is None:
                self._pause = 0.0
                return 0.0
            if not self._pause:
                logger.warning("%s unreachable for bulk sends (%s); they wait for it",
                               self._platform, cause)
            self._pause = min(OUTAGE_MAX_PAUSE, self._pause * 2 or OUTAGE_FIRST_PAUSE)
            return self._pause

    def sent(self) -> None:
        """A send went through: whatever outage there was is over."""
        if self._pause:
            self._pause = 0.0
            logger.warning("%s reachable again; bulk sends resume", self._platform)


class OutboxWorker:
    """Sends one platform's pending outbox items; restart-safe because every outcome is in SQLite."""

    def __init__(self, profile: PlatformProfile, bot: Bot, broadcasts: BroadcastRepository,
                 rate: float, clock: Clock):
        self.platform = profile.name
        self._profile = profile
        self._reachability = Reachability(profile.name, bot.get_me)
        self._bot = bot
        self._broadcasts = broadcasts
        self._pacer = SendPacer(rate)
        self._clock = clock
        self._semaphore = asyncio.Semaphore(CONCURRENCY)
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        """New items were queued: do not wait for the next poll."""
        self._wakeup.set()

    async def run(self) -> None:
        """Send until cancelled."""
        in_flight: deque[asyncio.Task[list[SendResult]]] = deque()
        # Items in flight are still pending in SQLite: fetch only past the last one taken.
        cursor: tuple[int, int] | None = None
        try:
            while True:
                items = await self._broadcasts.next_batch(
                    self.platform, utc_iso(self._clock()), BATCH_SIZE, after=cursor)
                if items:
                    in_flight.append(asyncio.create_task(self._send_batch(items)))
                    cursor = (items[-1].broadcast_id, items[-1].chat_id)
                    if len(in_flight) >= IN_FLIGHT_BATCHES:
                        await self._record(await in_flight.popleft())
                    continue
                while in_flight:  # the end of the queue: land everything, then look from the start
                    await self._record(await in_flight.popleft())
                if cursor is not None:
                    cursor = None  # retries that came due behind the cursor
                    continue
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):  # nothing new: poll again for due retries
                    await asyncio.wait_for(self._wakeup.wait(), IDLE_POLL_SECONDS)
        finally:
            for task in in_flight:
                task.cancel()

    async def _record(self, results: list[SendResult]) -> None:
        """Write the outcomes (who blocked the bot is marked so in users)."""
        await self._broadcasts.record(results)

    async def _send_batch(self, items: list[OutboxItem]) -> list[SendResult]:
        return list(await asyncio.gather(*(self._send(item) for item in items)))

    async def _send(self, item: OutboxItem) -> SendResult:
        async with self._semaphore:
            await self._pacer.acquire()
            try:
                await self._bot.send_message(item.chat_id, item.text, reply_markup=_markup(item.markup))
            except RetryAfter as exc:
                self._pacer.pause(seconds(exc.retry_after))
                logger.warning("%s flood control: pausing bulk sends for %ss", self.platform,
                               seconds(exc.retry_after))
                return self._result(item, Delivery.PENDING, item.attempts, error="retry_after")
            except Forbidden as exc:  # blocked, in any messenger's words
                return self._result(item, Delivery.BLOCKED, item.attempts + 1, error=str(exc)[:200])
            except BadRequest as exc:  # no retry will change it
                if self._profile.chat_is_gone(str(exc)):  # deleted account, unknown chat
                    return self._result(item, Delivery.BLOCKED, item.attempts + 1, error=str(exc)[:200])
                logger.warning("outbox item of broadcast %s to chat %s refused: %s",
                               item.broadcast_id, item.chat_id, exc)
                return self._result(item, Delivery.FAILED, item.attempts + 1, error=str(exc)[:200])
            except NetworkError as exc:  # no answer (BadRequest, also a NetworkError, is above)
                pause = await self._reachability.outage_pause()
                if pause:  # the messenger is down: the send most likely never arrived; wait for
                    self._pacer.pause(pause)  # it, and use up no tries
                    return self._result(item, Delivery.PENDING, item.attempts, error=str(exc)[:200])
                if isinstance(exc, AnswerTimedOut):
                    # Up, just slow: the message most likely arrived, and sending it again would
                    # show it twice. Counted as sent (unconfirmed), never repeated.
                    logger.info("outbox item of broadcast %s to chat %s unconfirmed: %s",
                                item.broadcast_id, item.chat_id, exc)
                    return self._result(item, Delivery.SENT, item.attempts + 1,
                                        error=f"unconfirmed: {exc}"[:200])
                return self._retry_later(item, exc)
            except TelegramError as exc:
                return self._retry_later(item, exc)
            self._reachability.sent()
            return self._result(item, Delivery.SENT, item.attempts + 1)

    def _retry_later(self, item: OutboxItem, exc: TelegramError) -> SendResult:
        """One try used up: retry with backoff, or give up after MAX_ATTEMPTS."""
        attempts = item.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            logger.warning("outbox item of broadcast %s to chat %s failed for good: %s",
                           item.broadcast_id, item.chat_id, exc)
            return self._result(item, Delivery.FAILED, attempts, error=str(exc)[:200])
        retry_at = self._clock() + timedelta(seconds=2 ** attempts)
        return self._result(item, Delivery.PENDING, attempts, utc_iso(retry_at), str(exc)[:200])

    @staticmethod
    def _result(item: OutboxItem, status: Delivery, attempts: int, next_try_at: str | None = None,
                error: str | None = None) -> SendResult:
        return SendResult(item.broadcast_id, item.platform, item.chat_id, status, attempts,
                          next_try_at, error)
