"""A center's roster: newest-first pages of a fixed size, filtered, shown only to who manages the center."""

from __future__ import annotations

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.services.roles import Actor, NotAllowed, RoleService
from bot.services.roster import RosterService
from storage.audit import AuditRepository
from storage.centers import CenterRepository
from storage.coordinators import CoordinatorRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.invites import InviteRepository
from storage.models import Status
from storage.registrations import RegistrationRepository
from storage.users import UserRepository
from tests.storage_fixtures import insert_registrations

ADMIN = Actor("telegram", 1, "مدیر")
COORDINATOR = Actor("telegram", 2, "تسهیلگر")
PAGE = 10  # what the coordinator's roster shows at a time


@pytest_asyncio.fixture
async def setup(db_path):
    db = await Database.open(db_path)
    users, coordinators = UserRepository(db), CoordinatorRepository(db)
    roles = RoleService(Settings.from_env({"BOT_ADMINS": "1"}), users, coordinators,
                        InviteRepository(db), AuditRepository(db), lambda: None)
    roster = RosterService(RegistrationRepository(db, DraftRepository(db), users), roles)
    centers = CenterRepository(db)
    own, other = (await centers.by_code("4170")).id, (await centers.by_code("4175")).id
    await coordinators.add("telegram", COORDINATOR.user_id, own, COORDINATOR.name)
    await insert_registrations(db, own, 23)
    await insert_registrations(db, other, 4, start=100)
    yield roster, coordinators, db, own, other
    await db.close()


async def test_pages_are_of_the_asked_size_newest_first_and_cover_everyone_once(setup):
    roster, _, _, own, _ = setup
    pages = [await roster.page(COORDINATOR, own, None, None, n, PAGE) for n in range(4)]
    assert [len(volunteers) for volunteers, _ in pages] == [10, 10, 3, 0]
    assert {total for _, total in pages} == {23}
    ids = [v.id for volunteers, _ in pages for v in volunteers]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 23
    assert {v.center_id for volunteers, _ in pages for v in volunteers} == {own}


async def test_status_and_activity_filters_narrow_the_page_and_the_total(setup):
    roster, _, db, own, _ = setup
    await db.write_one("UPDATE registrations SET status = 'approved' WHERE center_id = ? AND id <= 5", (own,))
    async with db.transaction() as conn:
        await conn.executemany("INSERT INTO registration_activities(registration_id, activity_id) "
                               "VALUES (?, 2)", [(n,) for n in (4, 5, 6)])
    approved, total = await roster.page(COORDINATOR, own, Status.APPROVED, None, 0, PAGE)
    assert total == 5 and [v.id for v in approved] == [5, 4, 3, 2, 1]
    assert all(v.status is Status.APPROVED for v in approved)
    assert (await roster.page(COORDINATOR, own, Status.PENDING, None, 0, PAGE))[1] == 18
    both, total = await roster.page(COORDINATOR, own, Status.APPROVED, 2, 0, PAGE)
    assert total == 2 and [v.id for v in both] == [5, 4]


async def test_only_admins_and_the_centers_coordinators_see_it(setup):
    roster, coordinators, _, own, other = setup
    assert (await roster.page(ADMIN, other, None, None, 0, PAGE))[1] == 4
    for actor, center in ((COORDINATOR, other), (Actor("telegram", 3, "رهگذر"), own),
                          (Actor("bale", COORDINATOR.user_id, "همنام"), own)):
        with pytest.raises(NotAllowed):
            await roster.page(actor, center, None, None, 0, PAGE)
    await coordinators.remove("telegram", COORDINATOR.user_id, own)
    with pytest.raises(NotAllowed):  # a removed coordinator loses sight at once
        await roster.page(COORDINATOR, own, None, None, 0, PAGE)


async def test_an_erased_volunteer_is_no_longer_listed(setup):
    roster, _, db, own, _ = setup
    await db.write_one("UPDATE registrations SET forgotten_at = '2026-02-01T00:00:00+00:00', "
                       "full_name = NULL, national_id = NULL, mobile = NULL WHERE id = 23", ())
    volunteers, total = await roster.page(COORDINATOR, own, None, None, 0, PAGE)
    assert total == 22 and 23 not in [v.id for v in volunteers]
