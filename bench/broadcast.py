"""Broadcast figures: the rate held under the emulator's 30 msg/s flood limit, and the rate with
limits off against a bare send loop, each with the bot's peak memory."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
from pathlib import Path

from bench.data import FIRST_USER, database_with, remove_database
from bench.placement import Placement
from bench.raw_sender import BROADCAST_TEXT
from bench.signup import ADMIN_ID, TOKEN, bot_env
from emulator.bot_process import ROOT, BotProcess, pin_to_cpus, until
from emulator.client import EmulatedUser
from emulator.server import BotApiEmulator
from storage.db import Database


async def template(workdir: Path, registrations: int) -> tuple[Path, int]:
    """A database of `registrations` (made once, copied for each run) and how many of them are
    active, i.e. a broadcast's audience."""
    path = workdir / f"broadcast-{registrations}.sqlite3"
    if not path.exists():
        await database_with(path, registrations)
    db = await Database.open(path)
    try:
        row = await db.fetch_one(
            "SELECT COUNT(*) FROM registrations WHERE status IN ('pending', 'approved')")
        return path, row[0]
    finally:
        await db.close()


async def start_broadcast(admin: EmulatedUser) -> None:
    """What an admin does: /broadcast, the text, everyone active, Send."""
    await admin.command("broadcast")
    await admin.receive_text("متن پیام همگانی", timeout=30)
    await admin.send(BROADCAST_TEXT)
    for label in ("همه مراکز", "همه حوزه‌ها", "فعال (در انتظار و تأییدشده)"):
        await admin.question(timeout=30)
        await admin.press(label)
        await admin.answered(timeout=30)  # the question answered loses its buttons
    await admin.receive_text("پیش‌نمایش", timeout=60)
    await admin.press("📣 بفرست")


class Deliveries:
    """Counts the emulator's successful sends to the recipients, incrementally."""

    def __init__(self, bot, recipients: set[int]):
        self._answers = bot.answers
        self._recipients = recipients
        self._seen = 0
        self.sent = 0
        self.flood_refusals = 0

    def update(self) -> int:
        for method, chat, code in self._answers[self._seen:]:
            if method == "sendMessage" and chat in self._recipients:
                if code == 200:
                    self.sent += 1
                elif code == 429:
                    self.flood_refusals += 1
        self._seen = len(self._answers)
        return self.sent


async def _session(workdir: Path, name: str, db: Path, recipients: int, rate: str,
                   limit: float, placement: Placement,
                   start: bool = True) -> tuple[BotApiEmulator, object, BotProcess, Deliveries]:
    emulator = BotApiEmulator()
    await emulator.start()
    bot = emulator.add_bot(TOKEN)
    ids = [FIRST_USER + n for n in range(recipients)]
    bot.open_private_chats(ids)
    if limit:
        emulator.faults.limit_rate(limit)
    process = BotProcess(bot_env(emulator, db, BROADCAST_RATE=rate), workdir / f"{name}.log",
                         cpus=placement.under_test)
    if start:
        await process.start(bot)
    return emulator, bot, process, Deliveries(bot, set(ids))


async def _first_send(deliveries: Deliveries, timeout: float = 120) -> float:
    deadline = time.perf_counter() + timeout
    while deliveries.update() == 0:
        if time.perf_counter() > deadline:
            raise TimeoutError("the broadcast never started")
        await asyncio.sleep(0.01)
    return time.perf_counter()


async def under_flood_limit(workdir: Path, recipients: int, window: float, placement: Placement,
                            limit: float = 30.0) -> dict[str, float]:
    """BROADCAST_RATE at the limit, measured over `window` seconds of a big outbox."""
    db = workdir / "limited.sqlite3"
    source, _ = await template(workdir, recipients)
    _fresh_copy(source, db)
    emulator, bot, process, deliveries = await _session(workdir, "limited", db, recipients,
                                                         str(limit), limit, placement)
    try:
        await start_broadcast(EmulatedUser(emulator, bot, ADMIN_ID))
        started = await _first_send(deliveries)
        first = deliveries.sent
        await asyncio.sleep(window)
        elapsed = time.perf_counter() - started
        rate = (deliveries.update() - first) / elapsed
        rss = process.peak_rss_mb()
    finally:
        await process.stop()
        await emulator.stop()
    outcomes = await _outcomes(db)
    lost = outcomes.get("failed", 0) + outcomes.get("blocked", 0)
    return {"rate": rate, "flood_refusals": deliveries.flood_refusals, "lost": lost,
            "recorded_sent": outcomes.get("sent", 0), "delivered": deliveries.sent,
            "pending": outcomes.get("pending", 0), "rss_mb": rss, "window_s": elapsed}


async def limits_off(workdir: Path, recipients: int, placement: Placement) -> dict[str, float]:
    """The whole outbox with no flood limit (pacing far above any limit), against a bare send
    loop to as many other chats."""
    db = workdir / "unlimited.sqlite3"
    source, audience = await template(workdir, recipients)
    _fresh_copy(source, db)
    emulator, bot, process, deliveries = await _session(workdir, "unlimited", db, recipients,
                                                         "10000", 0, placement, start=False)
    try:
        # The bare loop runs before and after the bot's broadcast, against drift of the machine's speed.
        raw_before, raw_cpu_before = await _raw_loop(emulator, bot, audience, workdir, placement,
                                                     first_chat=FIRST_USER + 10_000_000)
        await process.start(bot)
        await start_broadcast(EmulatedUser(emulator, bot, ADMIN_ID))
        started = await _first_send(deliveries)
        first, cpu, loop_cpu = deliveries.sent, process.cpu_seconds(), process.main_thread_cpu_seconds()
        await until(lambda: deliveries.update() >= audience, timeout=3600, what="every recipient")
        rate = (audience - first) / (time.perf_counter() - started)
        cpu_ms = 1000 * (process.cpu_seconds() - cpu) / (audience - first)
        loop_cpu_ms = 1000 * (process.main_thread_cpu_seconds() - loop_cpu) / (audience - first)
        rss = process.peak_rss_mb()
        await process.stop()
        raw_after, raw_cpu_after = await _raw_loop(emulator, bot, audience, workdir, placement,
                                                   first_chat=FIRST_USER + 20_000_000)
    finally:
        await process.stop()
        await emulator.stop()
    outcomes = await _outcomes(db)
    raw = (raw_before + raw_after) / 2
    return {"rate": rate, "raw_rate": raw, "raw_before": raw_before, "raw_after": raw_after,
            "ratio": rate / raw, "rss_mb": rss, "cpu_ms_per_message": cpu_ms,
            "loop_cpu_ms_per_message": loop_cpu_ms,
            "raw_cpu_ms_per_message": (raw_cpu_before + raw_cpu_after) / 2,
            "audience": audience, "sent": outcomes.get("sent", 0),
            "duplicates": deliveries.sent - audience}


async def _raw_loop(emulator: BotApiEmulator, bot, count: int, workdir: Path, placement: Placement,
                    first_chat: int) -> tuple[float, float]:
    """bench.raw_sender in its own process, to other chats of the same emulator: its messages/s
    and CPU ms per message."""
    first = first_chat
    bot.open_private_chats(range(first, first + count))
    env = {"BOT_TOKEN": TOKEN, "BOT_API_BASE_URL": emulator.base_url, "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.raw_sender", str(first), str(count), cwd=ROOT,
        env={**os.environ, **env}, stdout=asyncio.subprocess.PIPE,
        stderr=(workdir / "raw_sender.log").open("w"))
    if placement.under_test:
        pin_to_cpus(process.pid, placement.under_test)
    out, _ = await process.communicate()
    if process.returncode:
        raise RuntimeError(f"raw sender failed; see {workdir / 'raw_sender.log'}")
    rate, cpu_ms = out.decode().split()
    return float(rate), float(cpu_ms)


def _fresh_copy(source: Path, db: Path) -> None:
    """The template as `db`, with no journal of an earlier run beside it."""
    remove_database(db)
    shutil.copy(source, db)


async def _outcomes(db_path: Path) -> dict[str, int]:
    db = await Database.open(db_path)
    try:
        rows = await db.fetch_all("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        return {row[0]: row[1] for row in rows}
    finally:
        await db.close()
