"""The one clock and how its moments are stored: UTC ISO-8601 text to the second.

The clock is injected (tests set it); the database carries it, so every timestamp a repository
writes comes from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The wall clock, in UTC: the clock of a running bot."""
    return datetime.now(UTC)


def utc_iso(moment: datetime) -> str:
    """`moment` as stored: UTC ISO-8601 text to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")
