"""The framework floor (PTB's echo bot) and the sign-up burst, on the same emulator and load."""

from __future__ import annotations

import time
from pathlib import Path

from bench.citizens import SIGNUP_FLOW, Timings, calibrate, closed_loop, paced
from bench.data import remove_database
from bench.placement import Placement
from emulator.bot_process import BotProcess
from emulator.client import EmulatedUser
from emulator.server import BotApiEmulator
from storage.centers import CenterRepository
from storage.coordinators import CoordinatorRepository
from storage.db import Database

TOKEN = "100:bench-token"
ADMIN_ID = 42
COORDINATOR_ID = 43
FIRST_CITIZEN = 1_000_000


def bot_env(emulator: BotApiEmulator, db: Path, **extra: str) -> dict[str, str]:
    """The environment `make run` reads, pointed at the emulator."""
    return {"BOT_TOKEN": TOKEN, "BOT_API_BASE_URL": emulator.base_url,
            "BOT_API_FILE_URL": emulator.file_url, "BOT_DB": str(db), "BOT_ADMINS": str(ADMIN_ID),
            "LOG_LEVEL": "WARNING", **extra}


def calls_besides_polling(bot) -> int:
    """Bot API calls the bot has made so far, other than fetching updates."""
    return sum(1 for method, _, _ in bot.answers if method != "getUpdates")


def summary(timings: Timings, updates: int) -> dict[str, float]:
    return {"seconds": timings.seconds, "updates_per_s": updates / timings.seconds,
            "p50_ms": 1000 * timings.percentile(50), "p95_ms": 1000 * timings.percentile(95),
            "p99_ms": 1000 * timings.percentile(99)}


async def floor(workdir: Path, citizens: int, placement: Placement) -> dict[str, float]:
    """Round trips a second of a bare PTB echo bot, with as many users as the burst and as many
    messages each as a sign-up takes."""
    emulator = BotApiEmulator()
    await emulator.start()
    bot = emulator.add_bot(TOKEN)
    process = BotProcess(bot_env(emulator, workdir / "unused.sqlite3"), workdir / "echo.log",
                         argv=("-m", "bench.echo_bot"), cpus=placement.under_test)
    try:
        await process.start(bot)
        flow = [lambda u, n: u.send("سلام")] * len(SIGNUP_FLOW)
        users = [EmulatedUser(emulator, bot, FIRST_CITIZEN + n) for n in range(citizens)]
        cpu, harness_cpu, calls = process.cpu_seconds(), time.process_time(), calls_besides_polling(bot)
        timings = await closed_loop(users, flow, [1] * len(flow))
        updates = citizens * len(flow)
        return {**summary(timings, updates), "rss_mb": process.peak_rss_mb(),
                "cpu_ms_per_update": 1000 * (process.cpu_seconds() - cpu) / updates,
                "calls_per_update": (calls_besides_polling(bot) - calls) / updates,
                "harness_core_share": (time.process_time() - harness_cpu) / timings.seconds}
    finally:
        await process.stop()
        await emulator.stop()


def bracketed(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """The floor measured on both sides of the sign-ups: their mean, and each."""
    merged = {key: (before[key] + after[key]) / 2 for key in before}
    merged.update(rss_mb=max(before["rss_mb"], after["rss_mb"]),
                  before_per_s=before["updates_per_s"], after_per_s=after["updates_per_s"])
    return merged


async def _add_coordinator(db_path: Path) -> None:
    """A coordinator at the burst's center, so every sign-up also sends an alert."""
    db = await Database.open(db_path)
    try:
        center = await CenterRepository(db).by_code("4175")
        await CoordinatorRepository(db).add("telegram", COORDINATOR_ID, center.id, "bench")
    finally:
        await db.close()


async def burst(workdir: Path, citizens: int, paced_rate: float, paced_seconds: float,
                placement: Placement) -> dict[str, dict[str, float]]:
    """`citizens` sign-ups all at once, then citizens arriving steadily at `paced_rate` updates/s."""
    emulator = BotApiEmulator()
    await emulator.start()
    bot = emulator.add_bot(TOKEN)
    db_path = workdir / "burst.sqlite3"
    remove_database(db_path)  # every run signs up into a new database
    await _add_coordinator(db_path)
    coordinator = EmulatedUser(emulator, bot, COORDINATOR_ID)
    process = BotProcess(bot_env(emulator, db_path), workdir / "burst.log", cpus=placement.under_test)
    try:
        await process.start(bot)
        replies = await calibrate(EmulatedUser(emulator, bot, FIRST_CITIZEN - 1), SIGNUP_FLOW)
        users = [EmulatedUser(emulator, bot, FIRST_CITIZEN + n) for n in range(citizens)]
        cpu, harness_cpu, calls = process.cpu_seconds(), time.process_time(), calls_besides_polling(bot)
        all_at_once = await closed_loop(users, SIGNUP_FLOW, replies)
        cpu, harness_cpu = process.cpu_seconds() - cpu, time.process_time() - harness_cpu
        calls = calls_besides_polling(bot) - calls
        burst_rss = process.peak_rss_mb()
        first = FIRST_CITIZEN + citizens

        def newcomer(n: int) -> EmulatedUser:
            return EmulatedUser(emulator, bot, n)

        steady = await paced(newcomer, SIGNUP_FLOW, replies, paced_rate, paced_seconds, first)
        # The offered rate ramps up while the first arrivals walk (one think-second a step).
        window = (min(len(SIGNUP_FLOW) * 1.0, paced_seconds / 2), paced_seconds)
        registered = await _count(db_path, "SELECT COUNT(*) FROM registrations")
        expected = 1 + citizens + steady.completed
        alerts = sum(1 for a in coordinator.state.actions if a.kind == "message")
        return {
            "burst": {**summary(all_at_once, citizens * len(SIGNUP_FLOW)),
                      "signups_per_s": citizens / all_at_once.seconds, "rss_mb": burst_rss,
                      "cpu_ms_per_update": 1000 * cpu / (citizens * len(SIGNUP_FLOW)),
                      "calls_per_update": calls / (citizens * len(SIGNUP_FLOW)),
                      "harness_core_share": harness_cpu / all_at_once.seconds,
                      "registered": registered, "expected": expected, "alerts": alerts},
            "paced": {"offered_per_s": steady.sent_between(*window) / (window[1] - window[0]),
                      "p50_ms": 1000 * steady.percentile(50, *window),
                      "p95_ms": 1000 * steady.percentile(95, *window),
                      "p99_ms": 1000 * steady.percentile(99, *window),
                      "citizens": steady.completed, "rss_mb": process.peak_rss_mb()},
        }
    finally:
        await process.stop()
        await emulator.stop()


async def _count(db_path: Path, sql: str) -> int:
    db = await Database.open(db_path)
    try:
        return (await db.fetch_one(sql))[0]
    finally:
        await db.close()
