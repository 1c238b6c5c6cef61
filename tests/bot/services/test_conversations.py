"""One conversation per person: kept at every step across restarts, ended for good, restartable."""

from __future__ import annotations

import pytest_asyncio

from bot.services.conversations import ConversationService
from storage.db import Database
from storage.drafts import DraftRepository
from storage.models import Draft
from storage.users import UserRepository


@pytest_asyncio.fixture
async def db(db_path):
    database = await Database.open(db_path)
    users = UserRepository(database)
    for platform, user_id in (("telegram", 1), ("telegram", 2), ("bale", 1)):
        await users.ensure(platform, user_id)
    yield database
    await database.close()


@pytest_asyncio.fixture
async def conversations(db):
    return ConversationService(DraftRepository(db))


def _signup(user_id: int = 1, step: str = "mobile", platform: str = "telegram") -> Draft:
    return Draft(platform, user_id, step, {"mode": "signup", "name": "مریم احمدی"})


async def test_someone_in_a_conversation_cannot_start_another(conversations):
    assert await conversations.may_start("telegram", 1, "signup")
    await conversations.keep(_signup())
    assert not await conversations.may_start("telegram", 1, "broadcast")
    assert not await conversations.may_start("telegram", 1, "broadcast", replacing=True)
    assert not await conversations.may_start("telegram", 1, "signup")  # only when asked to replace
    assert await conversations.may_start("telegram", 1, "signup", replacing=True)
    assert await conversations.may_start("telegram", 2, "broadcast")  # others are unaffected
    assert await conversations.may_start("bale", 1, "broadcast")  # so is the same id on Bale


async def test_each_step_kept_is_where_a_restart_resumes(conversations, db_path):
    await conversations.keep(_signup(step="name"))
    await conversations.keep(Draft("telegram", 1, "birth_date",
                                   {"mode": "signup", "name": "مریم احمدی", "mobile": "09121234567"}))
    reopened = await Database.open(db_path)  # a fresh process: nothing cached
    try:
        draft = await ConversationService(DraftRepository(reopened)).current("telegram", 1)
    finally:
        await reopened.close()
    assert draft == Draft("telegram", 1, "birth_date",
                          {"mode": "signup", "name": "مریم احمدی", "mobile": "09121234567"})


async def test_ending_forgets_the_conversation_and_frees_the_person(conversations, db):
    await conversations.keep(_signup())
    await conversations.keep(_signup(user_id=2))
    await conversations.end("telegram", 1)
    assert await conversations.current("telegram", 1) is None
    assert await conversations.may_start("telegram", 1, "broadcast")
    assert (await conversations.current("telegram", 2)).step == "mobile"
    row = await db.fetch_one("SELECT COUNT(*) FROM drafts WHERE user_id = 1")
    assert row[0] == 0  # gone from the database, not only from memory
    await conversations.end("telegram", 1)  # ending twice (a double tap on cancel) is harmless


async def test_a_changed_copy_is_not_kept_until_kept(conversations):
    await conversations.keep(_signup())
    draft = await conversations.current("telegram", 1)
    draft.answers["mobile"] = "09120000000"
    draft.step = "gender"
    assert await conversations.current("telegram", 1) == _signup()
    await conversations.keep(draft)
    assert (await conversations.current("telegram", 1)).answers["mobile"] == "09120000000"
