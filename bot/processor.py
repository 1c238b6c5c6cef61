"""Update processor: different users concurrently, one user's updates strictly in arrival order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def ordering_key(update: object) -> object:
    """Updates of the same user (or, without a user, the same chat) share a key."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
    return ("update", id(update))


class PerUserOrderedProcessor(BaseUpdateProcessor):
    """PTB's conversation state per user needs one-at-a-time updates *per user*, not globally.

    A user's turn comes first, a global slot second: an update waiting behind the same user's
    earlier ones holds no slot, so one user's backlog (a flood of a thousand messages) takes one
    slot at most and never makes anyone else wait for a free one."""

    def __init__(self, max_concurrent_updates: int = 256):
        super().__init__(max_concurrent_updates)
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[object, asyncio.Lock] = {}
        self._waiting: dict[object, int] = {}

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """The user's turn (in arrival order), then one of the global slots."""
        key = ordering_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            # In this order: asyncio.Lock is FIFO (arrival order kept), and the slot is taken only
            # once it is this update's turn.
            async with lock, self._slots:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # forget idle users so the dict does not grow forever
                del self._waiting[key]
                del self._locks[key]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Unused: process_update orders and bounds the work itself."""
        await coroutine

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to release."""
