"""The day's two rushes: every volunteer of a center answering one invitation at once (half the
places they ask for, so half go to the waitlist), and a center's check-ins by QR within a minute."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.citizens import Timings, walk
from bench.data import FIRST_USER, add_registrations, remove_database
from bench.placement import Placement
from bench.signup import TOKEN, bot_env, summary
from bot.services.checkin import CheckinService
from emulator.bot_process import BotProcess, until
from emulator.client import EmulatedUser
from emulator.server import BotApiEmulator
from storage.centers import CenterRepository
from storage.clock import utc_iso
from storage.db import Database
from storage.events import EventRepository
from storage.models import ScopeKind


async def _world(db_path: Path, volunteers: int) -> tuple[int, int, str]:
    """The volunteers at one center, an event in two days with places for half of them, and one
    starting in half an hour (its check-in open); (event, check-in event, check-in payload)."""
    remove_database(db_path)
    db = await Database.open(db_path)
    try:
        center = await CenterRepository(db).by_code("4175")
        await add_registrations(db, [center.id], volunteers)
        async with db.transaction() as conn:  # every one of them active: all are invited
            await conn.execute("UPDATE registrations SET status = 'approved'")
        events, now = EventRepository(db), datetime.now(UTC)
        answered = await events.create("جشن محله", ScopeKind.CENTER, center.id,
                                       utc_iso(now + timedelta(days=2)), (), "bench",
                                       capacity=volunteers // 2,
                                       ends_at=utc_iso(now + timedelta(days=2, hours=4)))
        checked = await events.create("آیین آغاز", ScopeKind.CENTER, center.id,
                                      utc_iso(now + timedelta(minutes=30)), (), "bench",
                                      ends_at=utc_iso(now + timedelta(hours=3)))
        return answered, checked, CheckinService.payload(await events.by_id(checked), center)
    finally:
        await db.close()


async def measure(workdir: Path, volunteers: int, checkins: int, placement: Placement) -> dict[str, float]:
    """Latencies and what was recorded, for both rushes."""
    emulator = BotApiEmulator()
    await emulator.start()
    bot = emulator.add_bot(TOKEN)
    db_path = workdir / "rsvp.sqlite3"
    answered, _, payload = await _world(db_path, volunteers)
    users = [EmulatedUser(emulator, bot, FIRST_USER + n) for n in range(volunteers)]
    bot.open_private_chats([u.id for u in users])
    # Invitations go out without a rate limit: the figure is the answers, not the sending.
    process = BotProcess(bot_env(emulator, db_path, BROADCAST_RATE="10000"), workdir / "rsvp.log",
                         cpus=placement.under_test)
    try:
        await process.start(bot)
        await until(lambda: all(len(u.state.actions) >= 2 for u in users), timeout=600,
                    what="both invitations to reach every volunteer")
        data = f"rs|yes|{answered}|0"

        async def answer(user: EmulatedUser, n: int) -> None:
            invitation = next(m for m in user.state.messages.values()
                              if any(b.get("callback_data") == data
                                     for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
                                     for b in row))
            await user.press_data(data, invitation)

        timings = Timings(started=time.perf_counter())
        await asyncio.gather(*(walk(u, n, [answer], [1], timings) for n, u in enumerate(users)))
        timings.finished = time.perf_counter()
        answers = await _counts(db_path, answered)

        async def check_in(user: EmulatedUser, n: int) -> None:
            await user.command("start", payload)

        arrivals = Timings(started=time.perf_counter())
        spread = 60.0 / checkins

        async def arrive(n: int) -> None:
            await asyncio.sleep(n * spread)
            await walk(users[n], n, [check_in], [1], arrivals)

        await asyncio.gather(*(arrive(n) for n in range(checkins)))
        arrivals.finished = time.perf_counter()
        recorded = await _scalar(db_path, "SELECT COUNT(*) FROM attendance")
        return {"answers": {**summary(timings, volunteers), **answers, "asked": volunteers},
                "checkins": {**summary(arrivals, checkins), "recorded": recorded, "asked": checkins},
                "rss_mb": process.peak_rss_mb()}
    finally:
        await process.stop()
        await emulator.stop()


async def _counts(db_path: Path, event_id: int) -> dict[str, int]:
    db = await Database.open(db_path)
    try:
        rows = await db.fetch_all("SELECT answer, COUNT(*) FROM rsvps WHERE event_id = ? GROUP BY answer",
                                  (event_id,))
        capacity = (await db.fetch_one("SELECT capacity FROM events WHERE id = ?", (event_id,)))[0]
        return {"capacity": capacity, **{row[0]: row[1] for row in rows}}
    finally:
        await db.close()


async def _scalar(db_path: Path, sql: str) -> int:
    db = await Database.open(db_path)
    try:
        return (await db.fetch_one(sql))[0]
    finally:
        await db.close()
