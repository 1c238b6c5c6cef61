"""Simulated citizens for the benchmark: each walks the whole sign-up over the emulator, as a
person who scanned a center's QR poster would, and times every reply."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from emulator.client import EmulatedUser
from tests import people

Act = Callable[[EmulatedUser, int], Awaitable[object]]
LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


def persian_name(n: int) -> str:
    """A distinct first and last name of letters only (a name may not hold digits, and each part
    has at least two letters)."""
    word = ""
    while True:
        n, letter = divmod(n, len(LETTERS))
        word += LETTERS[letter]
        if not n:
            return f"یاریگر {word}ی"

# One update each: what a citizen at a booth taps and types.
SIGNUP_FLOW: list[Act] = [
    lambda u, n: u.command("start", "c-4175"),
    lambda u, n: u.press("✅ بله، ادامه می‌دهم"),
    lambda u, n: u.press("فارسی"),
    lambda u, n: u.press("✅ موافقم"),
    lambda u, n: u.send(persian_name(n)),
    lambda u, n: u.send(people.national_id(3_000_000 + n)),
    lambda u, n: u.share_contact("+98" + people.mobile(3_000_000 + n)[1:]),
    lambda u, n: u.send("۱۳۷۰/۰۱/۱۵"),
    lambda u, n: u.press("زن"),
    lambda u, n: u.press("سلامت و بهداشت"),
    lambda u, n: u.press("✅ تمام"),
    lambda u, n: u.press("شنبه"),
    lambda u, n: u.press("✅ تمام"),
    lambda u, n: u.press("صبح"),
    lambda u, n: u.press("✅ تمام"),
    lambda u, n: u.press("✅ تأیید و ثبت نهایی"),
]


@dataclass
class Timings:
    """Reply latencies (seconds) and the span of the run."""

    latencies: list[float] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    completed: int = 0

    @property
    def seconds(self) -> float:
        return self.finished - self.started

    def percentile(self, p: float, since: float = 0.0, until: float = float("inf")) -> float:
        """The p-th percentile latency of the updates sent in [since, until) (run-relative s)."""
        ordered = sorted(latency for sent, latency in zip(self.sent_at, self.latencies, strict=True)
                         if since <= sent - self.started < until)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")

    def sent_between(self, since: float, until: float) -> int:
        return sum(1 for sent in self.sent_at if since <= sent - self.started < until)


async def calibrate(user: EmulatedUser, flow: list[Act]) -> list[int]:
    """How many things the bot does after each step (messages, edits), from one quiet walk."""
    counts = []
    for act in flow:
        user.skip_all()
        before = len(user.state.actions)
        await act(user, 0)
        await user.receive(timeout=10)
        await asyncio.sleep(0.3)
        counts.append(len(user.state.actions) - before)
    return counts


async def walk(user: EmulatedUser, n: int, flow: list[Act], replies: list[int], timings: Timings,
               think: float = 0.0) -> None:
    """One citizen's whole flow; the latency is from sending to the bot's first answer."""
    for act, expected in zip(flow, replies, strict=True):
        user.skip_all()
        sent = time.perf_counter()
        await act(user, n)
        await user.receive(timeout=60)
        timings.latencies.append(time.perf_counter() - sent)
        timings.sent_at.append(sent)
        for _ in range(expected - 1):
            await user.receive(timeout=60)
        if think:
            await asyncio.sleep(think)
    timings.completed += 1


async def closed_loop(users: list[EmulatedUser], flow: list[Act], replies: list[int],
                      first: int = 1) -> Timings:
    """Everyone at once, each as fast as the bot answers."""
    timings = Timings(started=time.perf_counter())
    await asyncio.gather(*(walk(u, first + i, flow, replies, timings) for i, u in enumerate(users)))
    timings.finished = time.perf_counter()
    return timings


async def paced(make_user: Callable[[int], EmulatedUser], flow: list[Act], replies: list[int],
                rate: float, seconds: float, first: int, think: float = 1.0) -> Timings:
    """Citizens arrive steadily, each pausing `think` seconds between steps, so that together
    they offer about `rate` updates a second once the first arrivals are midway."""
    arrivals_per_second = rate / len(flow)
    timings = Timings(started=time.perf_counter())
    walkers = []
    n = 0
    while time.perf_counter() - timings.started < seconds:
        walkers.append(asyncio.create_task(
            walk(make_user(first + n), first + n, flow, replies, timings, think)))
        n += 1
        await asyncio.sleep(1 / arrivals_per_second)
    await asyncio.gather(*walkers)
    timings.finished = time.perf_counter()
    return timings
