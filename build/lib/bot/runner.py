"""Runs one Application per configured messenger in one event loop, each on its own: one that
cannot be reached keeps retrying (capped exponential backoff) while the others serve; one whose
token is rejected gives up with a message naming the variable. PTB's run_polling runs only one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import Application

from bot.app import Routes, build_application
from bot.config import PlatformSettings, Settings
from bot.health import MessengerHealth, means_unreachable
from bot.hub import Hub
from bot.services.outbox import seconds
from storage.clock import Clock, utc_now

logger = logging.getLogger(__name__)
LONG_POLL_SECONDS = 10
FIRST_RETRY_SECONDS = 2.0
MAX_RETRY_SECONDS = 300.0


async def start_application(application: Application) -> None:
    """What run_polling does before it idles: initialize, post_init, start polling, start."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.updater.start_polling(
        poll_interval=0.0, timeout=LONG_POLL_SECONDS, allowed_updates=Update.ALL_TYPES,
        # Failures are reported by ApiBot.get_updates through MessengerHealth (timeouts included,
        # which PTB retries without a callback); PTB's default would log a traceback per retry.
        error_callback=lambda exc: None,
    )
    await application.start()


async def stop_application(application: Application) -> None:
    """What run_polling does on the way out; also undoes a start that failed part-way, so nothing
    (an HTTP session, the database, a background task) is left open."""
    if application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown:
        await application.post_shutdown(application)
    await application.bot.shutdown()  # its HTTP sessions, also after a getMe that failed


def token_rejected(exc: BaseException) -> bool:
    """Whether a failed start means the token is wrong: Telegram answers getMe 401/404, Bale
    403 "Token not found" (a 403 or 401 before the bot has sent anything cannot be a block)."""
    if isinstance(exc, InvalidToken | Forbidden):
        return True
    return isinstance(exc, BadRequest) and "token" in str(exc).lower()


def describe_start_failure(platform: PlatformSettings, exc: Exception) -> str:
    """Why a messenger could not be reached, naming the address and the proxy (never the token:
    PTB's own messages may quote it, so it is masked)."""
    host = platform.base_url.split("//", 1)[-1].split("/", 1)[0]
    route = f"{host} through the proxy {platform.proxy}" if platform.proxy else host
    cause = (str(exc) or type(exc).__name__).replace(platform.token, "<token>")
    return f"{route}: {cause}"


class MessengerSupervisor:
    """Starts one messenger's bot, retries while it cannot be reached, stops it on request."""

    def __init__(self, application: Application, platform: PlatformSettings, health: MessengerHealth):
        self.application = application
        self.platform = platform
        self.health = health
        self.first_attempt_done = asyncio.Event()
        self.gave_up = asyncio.Event()  # the token was rejected: this messenger can never serve
        self._stop = asyncio.Event()

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        """Until stopped: start (retrying with backoff), serve, stop cleanly."""
        delay = FIRST_RETRY_SECONDS
        try:
            while not self._stop.is_set():
                wait = await self._try_start(delay)
                self.first_attempt_done.set()
                if wait is None:  # serving, or given up
                    if not self.gave_up.is_set():
                        await self._stop.wait()
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), wait)
                delay = min(MAX_RETRY_SECONDS, delay * 2)
        finally:
            self.first_attempt_done.set()
            await self._stop_quietly()
            if not self.gave_up.is_set():
                self.health.stopped()

    async def _try_start(self, delay: float) -> float | None:
        """One start; None when it serves (or never can), else how long to wait before the next.
        A stop asked for meanwhile ends the attempt at once (a SIGTERM is not held up by a
        messenger that does not answer)."""
        attempt = asyncio.create_task(start_application(self.application))
        stopping = asyncio.create_task(self._stop.wait())
        await asyncio.wait((attempt, stopping), return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not attempt.done():
            attempt.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await attempt
            return None
        exc = attempt.exception()
        if exc is None:
            self.health.serving()
            logger.info("%s bot @%s is serving", self.health.label, self.application.bot.username)
            return None
        await self._stop_quietly()
        return self._after_failure(exc, delay)

    def _after_failure(self, exc: BaseException, delay: float) -> float | None:
        label = self.health.label
        debug = exc if logger.isEnabledFor(logging.DEBUG) else None
        if isinstance(exc, RetryAfter):  # flood control at start (the command menu, say)
            wait = max(delay, seconds(exc.retry_after))
            logger.warning("%s asked to wait %.0fs before starting; retrying then", label, wait)
            return wait
        if token_rejected(exc):
            logger.error("%s rejected the token in %s; %s is not served. Check the token "
                         "with `python main.py doctor`.", label, self.platform.token_variable,
                         label, exc_info=debug)
            self.health.token_rejected(f"the token in {self.platform.token_variable} was rejected")
            self.gave_up.set()
            return None
        if means_unreachable(exc):
            cause = describe_start_failure(self.platform, exc)
            if not self.health.unreachable(cause, f"; retrying in {delay:.0f}s"):
                # The first failure was a warning; the retries are the same news.
                logger.info("%s still unreachable (%s); retrying in %.0fs", label, cause, delay)
            if debug:
                logger.debug("%s start failure", label, exc_info=debug)
            return delay
        # Anything else is not the network's doing: say it in full, and keep trying.
        logger.error("%s could not start; retrying in %.0fs", label, delay, exc_info=exc)
        self.health.failed(describe_start_failure(self.platform, exc))
        return delay

    async def _stop_quietly(self) -> None:
        try:
            await stop_application(self.application)
        except Exception:
            logger.exception("could not stop the %s bot cleanly", self.health.label)


@asynccontextmanager
async def running_bots(settings: Settings, routes: Routes,
                       clock: Clock = utc_now) -> AsyncIterator[list[Application]]:
    """Every configured messenger's Application, each started on its own (see `supervised`)."""
    async with supervised(settings, routes, clock) as supervisors:
        yield [s.application for s in supervisors]


@asynccontextmanager
async def supervised(settings: Settings, routes: Routes, clock: Clock = utc_now,
                     stop: asyncio.Event | None = None) -> AsyncIterator[list[MessengerSupervisor]]:
    """Start every configured messenger's bot, each on its own; yield once each has served or
    failed its first start (an unreachable one keeps retrying behind), or `stop` is set; stop
    them all on exit."""
    hub = Hub(settings, clock)
    supervisors = [MessengerSupervisor(build_application(settings, platform, routes, clock, hub), platform,
                                       hub.health(platform.name))
                   for platform in settings.platforms]
    tasks = [asyncio.create_task(s.run(), name=f"messenger-{s.platform.name}") for s in supervisors]
    started = asyncio.gather(*(s.first_attempt_done.wait() for s in supervisors))
    stopped = asyncio.ensure_future((stop or asyncio.Event()).wait())
    try:
        await asyncio.wait([started, stopped], return_when=asyncio.FIRST_COMPLETED)
        yield supervisors
    finally:
        for waiting in (started, stopped):
            waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiting
        for supervisor in supervisors:
            supervisor.stop()
        await asyncio.gather(*tasks, return_exceptions=True)


async def serve_forever(settings: Settings, routes: Routes) -> int:
    """Run until SIGINT or SIGTERM (0), or until no messenger can ever serve (1)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with supervised(settings, routes, stop=stop) as supervisors:
        logger.info("running for %s, each on its own; press Ctrl+C to stop",
                    ", ".join(p.name for p in settings.platforms))
        gave_up = asyncio.gather(*(s.gave_up.wait() for s in supervisors))
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait([gave_up, stopped], return_when=asyncio.FIRST_COMPLETED)
        for waiting in (gave_up, stopped):
            waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiting
        if not stop.is_set():
            logger.error("No messenger can serve: every token was rejected.")
            return 1
    return 0
