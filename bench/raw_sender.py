"""The ceiling for bulk sends: a bare loop of sendMessage calls with the outbox worker's
concurrency and HTTP transport and nothing else (no database, no pacing). Prints messages/s."""

from __future__ import annotations

import asyncio
import os
import sys
import time

from telegram import Bot

from bot.aiohttp_request import AiohttpRequest
from bot.services.outbox import CONCURRENCY


async def send_all(chat_ids: list[int]) -> float:
    """Send one message to each chat; the achieved rate."""
    semaphore = asyncio.Semaphore(CONCURRENCY)
    request = AiohttpRequest(connection_pool_size=CONCURRENCY + 4)
    async with Bot(os.environ["BOT_TOKEN"], base_url=os.environ["BOT_API_BASE_URL"],
                   request=request) as bot:
        async def one(chat_id: int) -> None:
            async with semaphore:
                await bot.send_message(chat_id, "یادآوری مهم")

        started = time.perf_counter()
        await asyncio.gather(*(one(chat_id) for chat_id in chat_ids))
        return len(chat_ids) / (time.perf_counter() - started)


if __name__ == "__main__":
    first, count = int(sys.argv[1]), int(sys.argv[2])
    print(f"{asyncio.run(send_all(list(range(first, first + count)))):.1f}")
