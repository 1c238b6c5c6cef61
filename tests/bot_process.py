"""A real bot process (`python main.py run`) polling the in-test emulator: for kill -9 tests."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


async def until(condition, timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


class BotProcess:
    """`python main.py run` as a separate process, polling the emulator."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self.log = log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, bot) -> None:
        polls_before = sum(1 for method, _ in bot.requests if method == "getUpdates")
        with self.log.open("a") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, str(ROOT / "main.py"), "run", env=self.env, cwd=ROOT,
                stdout=log, stderr=log)
        await until(lambda: sum(1 for m, _ in bot.requests if m == "getUpdates") > polls_before,
                     what=f"the bot to poll (log: {self.log.read_text()[-2000:]})")

    async def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(self.process.wait(), 10)

    async def stop(self) -> None:
        if self.process and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                await self.kill()
