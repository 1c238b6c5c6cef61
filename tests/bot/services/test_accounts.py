"""Accounts appear on first contact, keep the chosen language per messenger, and writing again unblocks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest_asyncio

from bot.services.accounts import AccountService
from storage.db import Database
from storage.users import UserRepository

NOW = datetime(2026, 2, 3, 8, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def setup(db_path):
    db = await Database.open(db_path, lambda: NOW)
    users = UserRepository(db)
    yield AccountService(users), users, db
    await db.close()


async def test_first_contact_creates_one_account_with_no_language_and_no_role(setup):
    accounts, _, db = setup
    first = await accounts.arrived("telegram", 42)
    again = await accounts.arrived("telegram", 42)
    assert first == again
    assert (first.language, first.is_admin, first.blocked_at) == (None, False, None)
    row = await db.fetch_one("SELECT COUNT(*), MIN(created_at) FROM users")
    assert (row[0], row[1]) == (1, "2026-02-03T08:00:00+00:00")


async def test_language_is_unknown_until_chosen_then_remembered(setup, db_path):
    accounts, _, _ = setup
    assert await accounts.language_of("telegram", 7) is None  # never wrote
    await accounts.arrived("telegram", 7)
    assert await accounts.language_of("telegram", 7) is None  # wrote, never chose
    await accounts.set_language("telegram", 7, "en")
    assert await accounts.language_of("telegram", 7) == "en"
    await accounts.set_language("telegram", 7, "fa")
    assert await accounts.language_of("telegram", 7) == "fa"
    reopened = await Database.open(db_path)  # a restart remembers it
    try:
        assert await AccountService(UserRepository(reopened)).language_of("telegram", 7) == "fa"
    finally:
        await reopened.close()


async def test_the_same_id_on_two_messengers_is_two_people(setup):
    accounts, _, _ = setup
    await accounts.arrived("telegram", 5)
    await accounts.arrived("bale", 5)
    await accounts.set_language("bale", 5, "en")
    assert await accounts.language_of("bale", 5) == "en"
    assert await accounts.language_of("telegram", 5) is None


async def test_someone_who_blocked_the_bot_is_unblocked_when_they_write_again(setup):
    accounts, users, db = setup
    await accounts.arrived("telegram", 9)
    await accounts.set_language("telegram", 9, "en")
    async with db.transaction() as conn:  # a broadcast found that they had blocked the bot
        await users.mark_blocked_within(conn, [("telegram", 9)], "2026-02-01T00:00:00+00:00")
    assert (await users.get("telegram", 9)).blocked_at == "2026-02-01T00:00:00+00:00"
    back = await accounts.arrived("telegram", 9)
    assert back.blocked_at is None and back.language == "en"  # unblocked, choice kept
