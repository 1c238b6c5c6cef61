"""The bulk-send pacer: sends spaced at the rate, every queued send held by a flood pause."""

from __future__ import annotations

import asyncio
import time
from itertools import pairwise

from bot.services.outbox import EARLY_BY_AT_MOST, SendPacer


async def test_sends_are_spaced_at_the_rate():
    pacer = SendPacer(rate=50)
    started = time.monotonic()
    for _ in range(6):
        await pacer.acquire()
    assert time.monotonic() - started >= 5 / 50 * 0.95


async def test_a_pause_holds_sends_already_waiting_and_spaces_them_after_it():
    pacer = SendPacer(rate=20)
    await pacer.acquire()
    released: list[float] = []

    async def send() -> None:
        await pacer.acquire()
        released.append(time.monotonic())

    started = time.monotonic()
    waiting = [asyncio.create_task(send()) for _ in range(3)]
    await asyncio.sleep(0.01)
    pacer.pause(0.3)  # a 429's retry_after arrives while they wait for their slots
    await asyncio.gather(*waiting)
    assert min(released) - started >= 0.3 * 0.95
    gaps = [b - a for a, b in pairwise(sorted(released))]
    assert all(gap >= 1 / 20 * 0.9 for gap in gaps)


def _work(seconds: float) -> None:
    """Busy for a while without giving the event loop a turn, as a send's own work does."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        pass


async def test_far_below_the_rate_a_send_does_not_wait():
    pacer = SendPacer(rate=1_000)
    yielded = asyncio.Event()
    asyncio.get_running_loop().call_soon(yielded.set)
    for _ in range(10):
        await pacer.acquire()
        _work(0.002)  # the send itself, longer than the 1 ms interval
    assert not yielded.is_set()  # no turn of the event loop was spent on pacing


async def test_replies_arriving_together_far_below_the_rate_do_not_wait_for_slots_a_moment_ahead():
    pacer = SendPacer(rate=10_000)  # slots 0.1 ms apart: five of them fit in half a millisecond
    yielded = asyncio.Event()
    asyncio.get_running_loop().call_soon(yielded.set)
    for _ in range(5):
        await pacer.acquire()
    assert not yielded.is_set()


async def test_sends_a_moment_early_still_hold_the_rate_over_time():
    pacer = SendPacer(rate=2_000)
    started = time.monotonic()
    for _ in range(201):
        await pacer.acquire()
    assert time.monotonic() - started >= 200 / 2_000 - EARLY_BY_AT_MOST
