"""The real bot (`python main.py run`) as a child process polling an emulator: for kill -9 tests
and the benchmark."""

from __future__ import annotations

import asyncio
import contextlib
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

    def __init__(self, env: dict[str, str], log: Path, argv: tuple[str, ...] = ("main.py", "run"),
                 cpus: frozenset[int] | None = None):
        self.env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self.log = log
        self.argv = argv
        self.cpus = cpus
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, bot) -> None:
        polls_before = sum(1 for method, _ in bot.requests if method == "getUpdates")
        with self.log.open("a") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, *self.argv, env=self.env, cwd=ROOT, stdout=log, stderr=log)
        if self.cpus:  # before the interpreter has started its other threads: they inherit it
            pin_to_cpus(self.process.pid, self.cpus)
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

    def peak_rss_mb(self) -> float:
        """The process's peak resident memory so far (Linux /proc), in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        return kib / 1024

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the process has used so far (Linux /proc)."""
        return _cpu_seconds(Path(f"/proc/{self.process.pid}/stat"))

    def main_thread_cpu_seconds(self) -> float:
        """The part of cpu_seconds spent by the event loop's thread (the rest: SQLite's threads)."""
        return _cpu_seconds(Path(f"/proc/{self.process.pid}/task/{self.process.pid}/stat"))


def pin_to_cpus(pid: int, cpus: frozenset[int]) -> None:
    """Keep every thread of a process on these CPUs (threads it starts later inherit it)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(ProcessLookupError):  # a thread that ended meanwhile
            os.sched_setaffinity(int(task.name), cpus)


def _cpu_seconds(stat: Path) -> float:
    """User + system CPU time from a /proc stat file."""
    fields = stat.read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
