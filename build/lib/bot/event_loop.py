"""The event loop the bot runs on: uvloop where it is installed (Linux and macOS), asyncio's own
elsewhere. The benchmark (bench/) measured uvloop's socket and thread hand-off handling at about
a tenth less CPU per update than asyncio's selector loop; nothing else in the code depends on it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop constructor, or None for asyncio's default."""
    try:
        import uvloop
    except ImportError:  # Windows has no uvloop; asyncio's loop does the same work, slower
        return None
    return uvloop.new_event_loop


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Like asyncio.run, on the fastest loop available."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(coroutine)
