"""One user floods, everyone else is served: other users' /help latency while one user sends
a thousand messages and presses a stale button two hundred times, against the same users'
latency with nobody flooding, in the same run, with the Bot API answering in 50 ms."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.citizens import Timings
from bench.data import remove_database
from bench.placement import Placement
from bench.signup import FIRST_CITIZEN, TOKEN, bot_env
from emulator.bot_process import BotProcess
from emulator.client import EmulatedUser
from emulator.server import BotApiEmulator

API_LATENCY = 0.05
FLOODER = FIRST_CITIZEN - 7
SLOW_DOWN = "آهسته‌تر"  # in the bot's one polite answer to a flood


async def _others_help(users: list[EmulatedUser], seconds: float) -> Timings:
    """Each user asks /help, waits for the answer, pauses a little, again, for `seconds`."""
    timings = Timings(started=time.perf_counter())

    async def ask(user: EmulatedUser) -> None:
        while time.perf_counter() - timings.started < seconds:
            user.skip_all()
            sent = time.perf_counter()
            await user.command("help")
            await user.receive(timeout=120)
            timings.latencies.append(time.perf_counter() - sent)
            timings.sent_at.append(sent)
            await asyncio.sleep(0.5)  # a person reading; well under the flood limit

    await asyncio.gather(*(ask(u) for u in users))
    timings.finished = time.perf_counter()
    return timings


async def _flood(flooder: EmulatedUser, messages: int, presses: int) -> None:
    """As fast as the client can post: messages, then presses of one stale button."""
    await flooder.command("start")
    await flooder.receive(timeout=30)
    stale = next(iter(flooder.state.messages.values()))
    for n in range(messages):
        await flooder.send(f"پیام {n}")
    for _ in range(presses):
        await flooder.press_data("gone|away", stale)


async def measure(workdir: Path, placement: Placement, others: int = 20, seconds: float = 20,
                  messages: int = 1000, presses: int = 200) -> dict[str, float]:
    """p95 of the others' /help alone, then while one user floods; what the flooder got back."""
    emulator = BotApiEmulator()
    await emulator.start()
    bot = emulator.add_bot(TOKEN)
    db_path = workdir / "flood.sqlite3"
    remove_database(db_path)
    process = BotProcess(bot_env(emulator, db_path), workdir / "flood.log", cpus=placement.under_test)
    try:
        await process.start(bot)
        emulator.faults.slow(API_LATENCY)
        users = [EmulatedUser(emulator, bot, FIRST_CITIZEN + n) for n in range(others)]
        alone = await _others_help(users, seconds)
        flooder = EmulatedUser(emulator, bot, FLOODER)
        flood = asyncio.create_task(_flood(flooder, messages, presses))
        flooded = await _others_help(users, seconds)
        await flood
        await asyncio.sleep(2 * API_LATENCY + 1)
        answered = [a for a in flooder.state.actions if a.kind == "message"]
        return {
            "alone_p95_ms": 1000 * alone.percentile(95),
            "flooded_p95_ms": 1000 * flooded.percentile(95),
            "ratio": flooded.percentile(95) / alone.percentile(95),
            "flood_updates": messages + presses + 1,
            "flooder_answers": len(answered),
            "slow_down_messages": sum(1 for a in answered if SLOW_DOWN in a.text),
        }
    finally:
        emulator.faults.clear()
        await process.stop()
        await emulator.stop()
