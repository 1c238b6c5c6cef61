"""Update processor: different users concurrently, one user's updates strictly in arrival order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.flood import FloodGate, FloodLimit, Verdict

FloodNotice = Callable[[Update], Awaitable[None]]


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
    slot at most and never makes anyone else wait for a free one. Past the flood limit a user's
    updates are dropped on arrival (their first one replaced by `on_flood`, a polite notice), so a
    flood costs others nothing and its sender's backlog stays short."""

    def __init__(self, max_concurrent_updates: int = 256, flood_limit: FloodLimit | None = None,
                 on_flood: FloodNotice | None = None):
        super().__init__(max_concurrent_updates)
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[object, asyncio.Lock] = {}
        self._waiting: dict[object, int] = {}
        self._gate = FloodGate(flood_limit) if flood_limit is not None else None
        self._on_flood = on_flood

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """The user's turn (in arrival order), then one of the global slots."""
        key = ordering_key(update)
        if self._gate is not None and key[0] == "user":
            verdict = self._gate.admit(key)
            if verdict is not Verdict.ADMIT:
                coroutine.close()  # never run: nothing of the dropped update reaches a handler
                if verdict is Verdict.DROP or self._on_flood is None:
                    return
                coroutine = self._on_flood(update)
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
