from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.services.roles import Actor, InviteRefused, NotAllowed, RoleService
from storage.audit import AuditRepository
from storage.centers import CenterRepository
from storage.coordinators import CoordinatorRepository
from storage.db import Database
from storage.invites import InviteRepository
from storage.users import UserRepository

ADMIN = Actor("telegram", 1, "مدیر")


class Clock:
    def __init__(self):
        self.now = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)

    def __call__(self):
        return self.now


@pytest_asyncio.fixture
async def setup(db_path):
    db = await Database.open(db_path)
    clock = Clock()
    roles = RoleService(Settings.from_env({"BOT_ADMINS": "1"}), UserRepository(db),
                        CoordinatorRepository(db), InviteRepository(db), AuditRepository(db), clock)
    center = await CenterRepository(db).by_code("4170")
    yield roles, clock, center, db
    await db.close()


async def test_invite_is_single_use_even_when_opened_twice_at_once(setup):
    roles, _, center, _ = setup
    token = await roles.create_invite(ADMIN, center)
    results = await asyncio.gather(
        roles.accept_invite(token, Actor("telegram", 2, "الف")),
        roles.accept_invite(token, Actor("telegram", 3, "ب")),
        return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["InviteRefused", "int"]


async def test_invite_is_valid_for_seven_days(setup):
    roles, clock, center, _ = setup
    token = await roles.create_invite(ADMIN, center)
    clock.now += timedelta(days=7) - timedelta(seconds=1)
    assert await roles.accept_invite(token, Actor("telegram", 2, "الف")) == center.id
    late = await roles.create_invite(ADMIN, center)
    clock.now += timedelta(days=7, seconds=1)
    with pytest.raises(InviteRefused) as refused:
        await roles.accept_invite(late, Actor("telegram", 3, "ب"))
    assert refused.value.reason == "expired"


async def test_only_admins_create_invites_and_added_admins_count(setup):
    roles, _, center, _ = setup
    helper = Actor("telegram", 50, "کمک")
    with pytest.raises(NotAllowed):
        await roles.create_invite(helper, center)
    await roles.set_admin(ADMIN, "telegram", 50, True)
    assert await roles.create_invite(helper, center)
    assert not await roles.is_admin("bale", 50)  # ids are per platform


async def test_coordinators_manage_only_their_centers(setup):
    roles, _, center, db = setup
    token = await roles.create_invite(ADMIN, center)
    await roles.accept_invite(token, Actor("telegram", 2, "الف"))
    other = await CenterRepository(db).by_code("4175")
    assert await roles.may_manage("telegram", 2, center.id)
    assert not await roles.may_manage("telegram", 2, other.id)
    assert not await roles.may_manage("bale", 2, center.id)
