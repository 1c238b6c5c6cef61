"""Accounts in memory stay true to the table: changes through the repository, reads a change
overtook, and rows changed by other SQL."""

from __future__ import annotations

import asyncio

import pytest_asyncio

from storage.broadcasts import BroadcastRepository
from storage.db import Database
from storage.models import Delivery, SendResult
from storage.users import UserRepository


@pytest_asyncio.fixture
async def db(db_path):
    db = await Database.open(db_path)
    yield db
    await db.close()


async def test_a_role_granted_after_the_account_was_read_is_seen_at_once(db):
    users = UserRepository(db)
    assert not (await users.ensure("bale", 5)).is_admin
    await users.set_admin("bale", 5, True)
    assert (await users.ensure("bale", 5)).is_admin
    await users.set_language("bale", 5, "en")
    assert (await users.get("bale", 5)).language == "en"


async def test_a_read_that_a_change_overtook_is_not_kept(db, monkeypatch):
    await UserRepository(db).ensure("telegram", 7)
    users = UserRepository(db)  # nothing cached yet: its read goes to the database
    released, read_done = asyncio.Event(), asyncio.Event()
    real_fetch_one = db.fetch_one

    async def slow_fetch_one(sql, params=()):
        row = await real_fetch_one(sql, params)
        read_done.set()
        await released.wait()  # the row read before the grant comes back after it
        return row

    monkeypatch.setattr(db, "fetch_one", slow_fetch_one)
    reading = asyncio.create_task(users.get("telegram", 7))
    await read_done.wait()
    await users.set_admin("telegram", 7, True)
    released.set()
    assert not (await reading).is_admin  # what the slow read saw
    monkeypatch.setattr(db, "fetch_one", real_fetch_one)
    assert (await users.get("telegram", 7)).is_admin


async def test_a_recipient_marked_blocked_by_a_broadcast_is_unblocked_when_they_write(db):
    users = UserRepository(db)
    await users.ensure("telegram", 9)
    await BroadcastRepository(db, users).record(
        [SendResult(1, "telegram", 9, Delivery.BLOCKED, 1, None, "Forbidden")])
    # The cached account learnt of the block without anyone evicting it.
    assert (await users.get("telegram", 9)).blocked_at is not None
    assert (await users.ensure("telegram", 9)).blocked_at is None
    row = await db.fetch_one("SELECT blocked_at FROM users WHERE platform = 'telegram' AND user_id = 9")
    assert row[0] is None


async def test_only_the_most_recent_accounts_stay_in_memory(db, monkeypatch):
    users = UserRepository(db, cached_users=2)
    for user_id in (1, 2, 3):
        await users.ensure("telegram", user_id)
    reads = []
    real_fetch_one = db.fetch_one

    async def counting_fetch_one(sql, params=()):
        reads.append(params)
        return await real_fetch_one(sql, params)

    monkeypatch.setattr(db, "fetch_one", counting_fetch_one)
    await users.get("telegram", 3)
    await users.get("telegram", 2)
    assert reads == []
    await users.get("telegram", 1)
    assert reads == [("telegram", 1)]
