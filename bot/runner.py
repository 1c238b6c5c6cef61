"""Runs one Application per configured platform in one event loop (PTB's run_polling runs only one)."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram.ext import Application

from bot.app import build_application, utc_now
from bot.config import Settings
from bot.hub import Hub
from bot.services.signup import Clock

logger = logging.getLogger(__name__)
LONG_POLL_SECONDS = 10


async def start_application(application: Application) -> None:
    """What run_polling does before it idles: initialize, post_init, start polling, start."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.updater.start_polling(
        poll_interval=0.0, timeout=LONG_POLL_SECONDS, allowed_updates=Update.ALL_TYPES
    )
    await application.start()


async def stop_application(application: Application) -> None:
    """What run_polling does on the way out: stop polling, stop, shutdown, post_shutdown."""
    if application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown:
        await application.post_shutdown(application)


@asynccontextmanager
async def running_bots(settings: Settings, clock: Clock = utc_now) -> AsyncIterator[list[Application]]:
    """Start every configured platform's bot; stop them all on the way out."""
    hub = Hub(settings)
    applications = [build_application(settings, platform, clock, hub) for platform in settings.platforms]
    started: list[Application] = []
    try:
        for application in applications:
            await start_application(application)
            started.append(application)
        yield applications
    finally:
        for application in reversed(started):
            try:
                await stop_application(application)
            except Exception:
                logger.exception("could not stop the %s bot cleanly", application.bot.username)


async def serve_forever(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running_bots(settings):
        logger.info("serving %s; press Ctrl+C to stop",
                    ", ".join(p.name for p in settings.platforms))
        await stop.wait()
