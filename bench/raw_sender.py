"""The ceiling for bulk sends: a bare loop of sendMessage calls with the outbox worker's
concurrency, HTTP transport and event loop and nothing else (no database, no pacing). Prints
messages/s and CPU milliseconds per message."""

from __future__ import annotations

import asyncio
import os
import sys
import time

from telegram import Bot

from bot import event_loop
from bot.aiohttp_request import AiohttpRequest
from bot.services.outbox import CONCURRENCY

# What the benchmark's admin broadcasts, so both sides send the same bytes.
BROADCAST_TEXT = "یادآوری: آیین آغاز سلام محله، ۱۴ بهمن ساعت ۸ صبح"


async def send_all(chat_ids: list[int]) -> tuple[float, float]:
    """Send one message to each chat; the achieved rate and the CPU ms per message."""
    semaphore = asyncio.Semaphore(CONCURRENCY)
    request = AiohttpRequest(connection_pool_size=CONCURRENCY + 4)
    async with Bot(os.environ["BOT_TOKEN"], base_url=os.environ["BOT_API_BASE_URL"],
                   request=request) as bot:
        async def one(chat_id: int) -> None:
            async with semaphore:
                await bot.send_message(chat_id, BROADCAST_TEXT)

        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(one(chat_id) for chat_id in chat_ids))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        return len(chat_ids) / elapsed, 1000 * cpu / len(chat_ids)


if __name__ == "__main__":
    first, count = int(sys.argv[1]), int(sys.argv[2])
    rate, cpu_ms = event_loop.run(send_all(list(range(first, first + count))))
    print(f"{rate:.1f} {cpu_ms:.4f}")
