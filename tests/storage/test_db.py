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


async def test_a_lone_write_never_joins_another_coroutines_transaction(db_path):
    """write_one waits for an open transaction, so that transaction's rollback cannot undo it."""
    db = await Database.open(db_path)
    inside = asyncio.Event()

    async def failing_transaction():
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO users(platform, user_id, created_at) VALUES ('telegram', 1, 'x')")
            inside.set()
            await asyncio.sleep(0.05)  # the lone write arrives meanwhile
            raise RuntimeError("rolled back")

    async def lone_write():
        await inside.wait()
        return await db.write_one(
            "INSERT INTO users(platform, user_id, created_at) VALUES ('telegram', 2, 'x')")

    try:
        failed, changed = await asyncio.gather(failing_transaction(), lone_write(), return_exceptions=True)
        assert isinstance(failed, RuntimeError) and changed == 1
        rows = await db.fetch_all("SELECT user_id FROM users ORDER BY user_id")
        assert [r[0] for r in rows] == [2]
    finally:
        await db.close()
