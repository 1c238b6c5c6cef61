"""ReleaseService: who may find a blocking registration and by what, and that a release drops its
national code and mobile so their real owner can sign up, telling the registrant and coordinators."""

from __future__ import annotations

import pytest
import pytest_asyncio

from bot.services.roles import Actor, NotAllowed
from bot.validation import to_persian_digits
from storage.models import Status
from tests.bot.services.fakes import ADMIN_ID, open_world

COORDINATOR, OTHER_CENTERS_COORDINATOR, REGISTRANT, OWNER = 20, 30, 7, 8
NATIONAL_ID, MOBILE = "0012345679", "09121234567"
COORDINATING = Actor("telegram", COORDINATOR, "Zahra")
ELSEWHERE = Actor("telegram", OTHER_CENTERS_COORDINATOR, "Reza")


@pytest_asyncio.fixture
async def world(db_path):
    world = await open_world(db_path)
    for user_id, code in ((COORDINATOR, "4170"), (OTHER_CENTERS_COORDINATOR, "4175")):
        await world.users.ensure("telegram", user_id)
        await world.users.set_language("telegram", user_id, "en")
        await world.coordinators.add("telegram", user_id, await world.center_id(code), str(user_id))
    yield world
    await world.db.close()


@pytest_asyncio.fixture
async def blocking(world):
    """Someone signed up at 4170 with a national code and mobile that are not theirs."""
    registration = await world.register(REGISTRANT, "4170", national_id=NATIONAL_ID, mobile=MOBILE)
    await world.alerts.registration_event(registration, "new")
    return registration


async def test_a_coordinator_finds_it_by_national_code_mobile_or_tracking_code(world, blocking):
    release = world.release()
    for query in (to_persian_digits(NATIONAL_ID), "12345679",  # leading zeros left out
                  "+98 912 123 4567", to_persian_digits(MOBILE), blocking.tracking_code):
        found = await release.find(COORDINATING, query)
        assert found is not None and found.id == blocking.id, query
    assert await release.find(Actor("telegram", ADMIN_ID, "مدیر"), MOBILE) is not None
    assert await release.find(COORDINATING, "0499370899") is None  # nobody registered with it


async def test_another_centers_coordinator_learns_nothing_about_it(world, blocking):
    release = world.release()
    for query in (NATIONAL_ID, MOBILE, blocking.tracking_code):
        assert await release.find(ELSEWHERE, query) is None
    with pytest.raises(NotAllowed):
        await release.release(ELSEWHERE, blocking.id)
    still = await world.registrations.by_id(blocking.id)
    assert (still.status, still.national_id, still.mobile) == (Status.PENDING, NATIONAL_ID, MOBILE)


async def test_a_release_drops_the_national_code_and_mobile_so_the_owner_can_sign_up(world, blocking):
    released = await world.release().release(COORDINATING, blocking.id)
    assert released.status is Status.WITHDRAWN
    assert (released.national_id, released.mobile, released.mobile_verified) == (None, None, False)
    assert (released.review_reason, released.reviewed_by) == ("released", "Zahra")
    assert await world.rows("SELECT 1 FROM registrations WHERE national_id = ? OR mobile = ?",
                            (NATIONAL_ID, MOBILE)) == []
    assert await world.release().find(COORDINATING, NATIONAL_ID) is None
    owner = await world.register(OWNER, "4170", national_id=NATIONAL_ID, mobile=MOBILE)
    assert owner.status is Status.PENDING


async def test_the_registrant_is_told_and_the_coordinators_alert_no_longer_shows_the_mobile(
        world, blocking):
    await world.release().release(COORDINATING, blocking.id)
    [told] = world.telegram.texts(REGISTRANT)
    assert to_persian_digits(blocking.tracking_code) in told and "لغو شد" in told
    [alert] = world.telegram.texts(COORDINATOR)
    assert alert.startswith("🔓") and "Released by Zahra" in alert
    assert MOBILE not in alert
    assert world.telegram.buttons(COORDINATOR) == []  # a withdrawn registration has no decisions left
    assert ("telegram:20", "registration.release", f"registration:{blocking.id}", "") in \
        await world.audit.entries()


async def test_a_registration_no_longer_active_is_neither_found_nor_released_twice(world, blocking):
    release = world.release()
    await release.release(COORDINATING, blocking.id)
    assert await release.release(COORDINATING, blocking.id) is None
    assert len(world.telegram.texts(REGISTRANT)) == 1
    assert [e for e in await world.audit.entries() if e[1] == "registration.release"] == [
        ("telegram:20", "registration.release", f"registration:{blocking.id}", "")]
    assert await release.find(COORDINATING, blocking.tracking_code) is None


async def test_a_mobile_typed_without_its_zero_is_found_even_when_it_reads_as_a_national_code(world):
    # 9121234000 passes the national-code checksum too; it must still find the mobile.
    registration = await world.register(REGISTRANT, "4170", national_id=NATIONAL_ID, mobile="09121234000")
    found = await world.release().find(COORDINATING, "9121234000")
    assert found is not None and found.id == registration.id
