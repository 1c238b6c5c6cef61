"""Bulk sending: one outbox worker per platform at BROADCAST_RATE, pausing every send on
retry_after, never retrying a user who blocked the bot or a request the API refused (400),
retrying other errors (network, 5xx) with backoff."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.services.signup import Clock
from storage.broadcasts import BroadcastRepository
from storage.clock import utc_iso
from storage.models import OutboxItem, SendResult
from storage.users import UserRepository

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


class OutboxWorker:
    """Sends one platform's pending outbox items; restart-safe because every outcome is in SQLite."""

    def __init__(self, platform: str, bot: Bot, broadcasts: BroadcastRepository,
                 users: UserRepository, rate: float, clock: Clock):
        self.platform = platform
        self._bot = bot
        self._broadcasts = broadcasts
        self._users = users
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
        """Write the outcomes; who blocked the bot is now marked so in users, behind its cache."""
        try:
            await self._broadcasts.record(results)
        finally:
            for result in results:
                if result.status == "blocked":
                    self._users.evict(result.platform, result.chat_id)

    async def _send_batch(self, items: list[OutboxItem]) -> list[SendResult]:
        return list(await asyncio.gather(*(self._send(item) for item in items)))

    async def _send(self, item: OutboxItem) -> SendResult:
        async with self._semaphore:
            await self._pacer.acquire()
            try:
                await self._bot.send_message(item.chat_id, item.text)
            except RetryAfter as exc:
                self._pacer.pause(seconds(exc.retry_after))
                logger.warning("%s flood control: pausing bulk sends for %ss", self.platform,
                               seconds(exc.retry_after))
                return self._result(item, "pending", item.attempts, error="retry_after")
            except Forbidden as exc:
                return self._result(item, "blocked", item.attempts + 1, error=str(exc)[:200])
            except BadRequest as exc:  # chat not found, deactivated user: no retry will change it
                logger.warning("outbox item of broadcast %s to chat %s refused: %s",
                               item.broadcast_id, item.chat_id, exc)
                return self._result(item, "failed", item.attempts + 1, error=str(exc)[:200])
            except TelegramError as exc:
                attempts = item.attempts + 1
                if attempts >= MAX_ATTEMPTS:
                    logger.warning("outbox item of broadcast %s to chat %s failed for good: %s",
                                   item.broadcast_id, item.chat_id, exc)
                    return self._result(item, "failed", attempts, error=str(exc)[:200])
                retry_at = self._clock() + timedelta(seconds=2 ** attempts)
                return self._result(item, "pending", attempts, utc_iso(retry_at), str(exc)[:200])
            return self._result(item, "sent", item.attempts + 1)

    @staticmethod
    def _result(item: OutboxItem, status: str, attempts: int, next_try_at: str | None = None,
                error: str | None = None) -> SendResult:
        return SendResult(item.broadcast_id, item.platform, item.chat_id, status, attempts,
                          next_try_at, error)
