"""The update processor: one user's updates in order, different users at once, and one user's
backlog holding one slot at most."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.processor import PerUserOrderedProcessor


def update_from(user_id: int, n: int) -> Update:
    user = User(user_id, "x", False)
    return Update(n, message=Message(n, datetime.now(UTC), Chat(user_id, "private"), from_user=user))


async def test_a_flooding_users_backlog_never_keeps_another_user_waiting():
    processor = PerUserOrderedProcessor(2)
    started: list[str] = []
    gate = asyncio.Event()

    async def work(name: str) -> None:
        started.append(name)
        await gate.wait()

    tasks = [asyncio.create_task(processor.process_update(update_from(1, n), work(f"flood{n}")))
             for n in range(50)]
    await asyncio.sleep(0.01)
    tasks.append(asyncio.create_task(processor.process_update(update_from(2, 99), work("other"))))
    await asyncio.sleep(0.05)
    assert started == ["flood0", "other"]  # the other user did not wait behind the flood
    gate.set()
    await asyncio.gather(*tasks)
    assert started[2:] == [f"flood{n}" for n in range(1, 50)]  # the flood kept its order
