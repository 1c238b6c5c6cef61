"""Per-user flood limit: past `limit` updates in `window` seconds a user's further updates are
dropped until their pace falls back, and they are told once, politely, to slow down."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    ADMIT = "admit"
    WARN = "warn"  # the first update past the limit: dropped, and the user told to slow down
    DROP = "drop"


@dataclass(frozen=True)
class FloodLimit:
    """`limit` updates per `window` seconds for one user; `limit` 0 turns the gate off."""

    limit: int
    window: float

    @property
    def enabled(self) -> bool:
        return self.limit > 0


class FloodGate:
    """Counts each user's updates in a sliding window (arrival times, monotonic clock)."""

    def __init__(self, limit: FloodLimit, clock: Callable[[], float] = time.monotonic):
        self._limit = limit
        self._clock = clock
        self._arrivals: dict[object, deque[float]] = {}
        self._warned: set[object] = set()
        self._next_sweep = 0.0

    def admit(self, key: object) -> Verdict:
        """What to do with one more update of the user `key`."""
        if not self._limit.enabled:
            return Verdict.ADMIT
        now = self._clock()
        self._sweep(now)
        arrivals = self._arrivals.setdefault(key, deque())
        while arrivals and arrivals[0] <= now - self._limit.window:
            arrivals.popleft()
        if len(arrivals) < self._limit.limit:
            arrivals.append(now)
            self._warned.discard(key)
            return Verdict.ADMIT
        # Dropped updates do not count: a user who slows down is served again within a window.
        if key in self._warned:
            return Verdict.DROP
        self._warned.add(key)
        return Verdict.WARN

    def _sweep(self, now: float) -> None:
        """Forget users idle for a whole window, once a window, so memory follows active users."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + self._limit.window
        idle = [k for k, a in self._arrivals.items() if not a or a[-1] <= now - self._limit.window]
        for key in idle:
            del self._arrivals[key]
            self._warned.discard(key)
