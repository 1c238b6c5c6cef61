from __future__ import annotations

import asyncio

from storage.db import Database
from storage.users import UserRepository


async def test_a_committed_write_is_visible_to_the_next_read_despite_concurrent_reads(db_path):
    """Reads of other coroutines must not hold a read snapshot open across this one's commit."""
    db = await Database.open(db_path)
    users = UserRepository(db)
    stop = asyncio.Event()

    async def busy_reader():
        while not stop.is_set():
            await db.fetch_all("SELECT * FROM centers")

    readers = [asyncio.create_task(busy_reader()) for _ in range(3)]
    try:
        for batch in range(60):
            accounts = await asyncio.gather(*(users.ensure("telegram", batch * 10 + i)
                                              for i in range(10)))
            assert all(account is not None for account in accounts)
    finally:
        stop.set()
        await asyncio.gather(*readers)
        await db.close()
