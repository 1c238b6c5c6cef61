"""Drafts are cached in memory; the copy never drifts from the table."""

from __future__ import annotations

import pytest_asyncio

from storage.db import Database
from storage.drafts import DraftRepository
from storage.models import Draft
from storage.registrations import RegistrationRepository
from storage.users import UserRepository


@pytest_asyncio.fixture
async def db(db_path):
    database = await Database.open(db_path)
    await UserRepository(database).ensure("telegram", 1)
    yield database
    await database.close()


async def test_a_draft_changed_by_its_reader_is_not_changed_in_the_cache(db):
    drafts = DraftRepository(db)
    await drafts.save(Draft("telegram", 1, "name", {"mode": "signup"}))
    (await drafts.get("telegram", 1)).answers["full_name"] = "not saved"
    assert "full_name" not in (await drafts.get("telegram", 1)).answers


async def test_forgetting_a_person_drops_their_cached_draft(db):
    drafts, users = DraftRepository(db), UserRepository(db)
    await drafts.save(Draft("telegram", 1, "national_id", {"mode": "signup", "full_name": "مریم احمدی"}))
    assert (await drafts.get("telegram", 1)).answers["full_name"] == "مریم احمدی"
    await RegistrationRepository(db, drafts, users).forget_user("telegram", 1)
    assert await drafts.get("telegram", 1) is None
