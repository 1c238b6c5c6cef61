"""AlertService: who is alerted about a registration, what a group may see, review buttons and roles,
and retracting alerts from chats that lose access."""

from __future__ import annotations

import pytest
import pytest_asyncio

from bot.callbacks import ReviewButton
from bot.services.roles import Actor, NotAllowed
from bot.validation import to_persian_digits
from storage.models import Status
from tests.bot.services.fakes import ADMIN_ID, open_world

COORDINATOR, SECOND_COORDINATOR, OTHER_CENTERS_COORDINATOR, GROUP = 20, 21, 30, -500
VOLUNTEER = 7
MOBILE = "09121234567"
ADMIN = Actor("telegram", ADMIN_ID, "مدیر")


@pytest_asyncio.fixture
async def world(db_path):
    world = await open_world(db_path)
    center, other = await world.center_id("4170"), await world.center_id("4175")
    for user_id, center_id in ((COORDINATOR, center), (OTHER_CENTERS_COORDINATOR, other)):
        await world.users.ensure("telegram", user_id)
        await world.users.set_language("telegram", user_id, "en")
        await world.coordinators.add("telegram", user_id, center_id, f"coordinator {user_id}")
    await world.coordinators.link_group("telegram", GROUP, center, "telegram:1")
    yield world
    await world.db.close()


def _message_id(world, chat_id: int) -> int:
    [message_id] = [m for (chat, m) in world.telegram.shown if chat == chat_id]
    return message_id


async def _press(world, chat_id: int, registration_id: int, action: str, presser: int | None = None):
    return await world.alerts.review(
        Actor("telegram", presser or chat_id, "Zahra"), registration_id, action, chat_id,
        _message_id(world, chat_id), world.i18n.translator("en"))


async def test_a_new_volunteer_is_announced_to_their_centers_coordinators_and_group_only(world):
    registration = await world.register(VOLUNTEER, "4170", mobile=MOBILE, verified=True)
    assert await world.alerts.registration_event(registration, "new") == 2
    [private] = world.telegram.texts(COORDINATOR)
    [group] = world.telegram.texts(GROUP)
    assert "مریم احمدی" in private and "مریم احمدی" in group
    # A coordinator, vetted one by one, reads the number in private, with whether it was proven.
    assert f"Mobile: {MOBILE} (✔️ own contact)" in private
    assert MOBILE not in group and to_persian_digits(MOBILE) not in group
    assert world.telegram.texts(OTHER_CENTERS_COORDINATOR) == []
    assert world.telegram.texts(VOLUNTEER) == []
    assert ReviewButton("approve", registration.id).pack() in world.telegram.buttons(COORDINATOR)


async def test_a_coordinator_who_blocked_the_bot_does_not_stop_the_others(world):
    await world.coordinators.add("telegram", SECOND_COORDINATOR, await world.center_id("4170"), "دوم")
    world.telegram.unreachable.add(COORDINATOR)
    registration = await world.register(VOLUNTEER)
    assert await world.alerts.registration_event(registration, "new") == 2
    assert len(world.telegram.texts(SECOND_COORDINATOR)) == 1
    assert len(world.telegram.texts(GROUP)) == 1
    recorded = await world.rows("SELECT chat_id FROM alert_messages WHERE registration_id = ?",
                                (registration.id,))
    assert sorted(recorded) == [(GROUP,), (SECOND_COORDINATOR,)]


async def test_review_buttons_work_only_for_managers_and_only_on_real_alerts(world):
    registration = await world.register(VOLUNTEER)
    await world.alerts.registration_event(registration, "new")
    with pytest.raises(NotAllowed):  # a coordinator of another center, pressing the same button
        await _press(world, COORDINATOR, registration.id, "approve", presser=OTHER_CENTERS_COORDINATOR)
    other = await world.register(8, national_id="0012345679", mobile="09350000000")
    with pytest.raises(NotAllowed):  # the button forged onto an alert about someone else
        await _press(world, COORDINATOR, other.id, "approve")
    assert (await world.registrations.by_id(registration.id)).status is Status.PENDING
    assert (await world.registrations.by_id(other.id)).status is Status.PENDING


async def test_an_approval_is_recorded_told_to_the_volunteer_and_shown_on_every_copy(world):
    registration = await world.register(VOLUNTEER)
    await world.alerts.registration_event(registration, "new")
    outcome = await _press(world, COORDINATOR, registration.id, "approve")
    assert outcome.answer == "alert.answer.approve"
    approved = await world.registrations.by_id(registration.id)
    assert approved.status is Status.APPROVED and approved.reviewed_by == "Zahra"
    [told] = world.telegram.texts(VOLUNTEER)
    assert to_persian_digits(registration.tracking_code) in told
    [private] = world.telegram.texts(COORDINATOR)
    assert "Approved by Zahra" in private
    [group] = world.telegram.texts(GROUP)
    assert "تأیید شد توسط Zahra" in group
    assert ("telegram:20", "registration.approve", f"registration:{registration.id}", "") in \
        await world.audit.entries()


async def test_a_rejection_asks_its_reason_first_and_the_volunteer_reads_it(world):
    registration = await world.register(VOLUNTEER)
    await world.alerts.registration_event(registration, "new")
    asked = await _press(world, COORDINATOR, registration.id, "reject")
    assert asked.answer == "alert.answer.pick_reason"
    assert ReviewButton("reason-capacity", registration.id).pack() in str(asked.redraw[1].to_dict())
    assert (await world.registrations.by_id(registration.id)).status is Status.PENDING
    assert world.telegram.texts(VOLUNTEER) == []
    await _press(world, COORDINATOR, registration.id, "reason-capacity")
    rejected = await world.registrations.by_id(registration.id)
    assert (rejected.status, rejected.review_reason) == (Status.REJECTED, "capacity")
    [told] = world.telegram.texts(VOLUNTEER)
    assert world.i18n.translator("fa")("reason.capacity") in told


async def test_undoing_a_rejection_the_volunteer_was_told_needs_confirmation(world):
    registration = await world.register(VOLUNTEER)
    await world.alerts.registration_event(registration, "new")
    await _press(world, COORDINATOR, registration.id, "reason-age")
    asked = await _press(world, COORDINATOR, registration.id, "approve")
    assert asked.answer == "alert.answer.confirm"
    assert (await world.registrations.by_id(registration.id)).status is Status.REJECTED
    await _press(world, COORDINATOR, registration.id, "confirm")
    assert (await world.registrations.by_id(registration.id)).status is Status.APPROVED


async def test_a_removed_coordinator_loses_the_volunteers_details_but_the_group_keeps_them(world):
    registration = await world.register(VOLUNTEER, mobile=MOBILE)
    await world.alerts.registration_event(registration, "new")
    center = await world.centers.by_code("4170")
    assert await world.roles.remove_coordinator(ADMIN, "telegram", COORDINATOR, center)
    texts = world.telegram.texts(COORDINATOR)
    assert len(texts) == 2  # the alert, retracted, and the notice of the removal
    assert not any("مریم احمدی" in t or MOBILE in t for t in texts)
    assert world.telegram.buttons(COORDINATOR) == []
    assert await world.rows("SELECT 1 FROM alert_messages WHERE chat_id = ?", (COORDINATOR,)) == []
    assert "مریم احمدی" in world.telegram.texts(GROUP)[0]
    with pytest.raises(NotAllowed):  # an old alert's button no longer acts
        await world.alerts.reject_with_note(Actor("telegram", COORDINATOR, "Zahra"), registration.id, "x")


async def test_a_move_is_a_new_volunteer_there_and_leaves_only_a_notice_at_the_old_center(world):
    registration = await world.register(VOLUNTEER, mobile=MOBILE)
    await world.alerts.registration_event(registration, "new")
    moved = await world.registrations.update(registration.id, center_id=await world.center_id("4175"),
                                             pending_again=True)
    await world.alerts.registration_event(moved, "edited", previous_center_id=registration.center_id)
    [new_there] = world.telegram.texts(OTHER_CENTERS_COORDINATOR)
    assert new_there.startswith("🆕") and MOBILE in new_there
    assert ReviewButton("approve", moved.id).pack() in world.telegram.buttons(OTHER_CENTERS_COORDINATOR)
    retracted, notice = world.telegram.texts(COORDINATOR)
    assert MOBILE not in retracted and "مریم احمدی" not in retracted
    assert "moved" in notice and MOBILE not in notice
    assert world.telegram.buttons(COORDINATOR) == []  # neither may act on them any more


async def test_a_removed_coordinator_also_loses_the_notice_of_a_volunteer_who_moved_away(world):
    registration = await world.register(VOLUNTEER, mobile=MOBILE)
    await world.alerts.registration_event(registration, "new")
    moved = await world.registrations.update(registration.id, center_id=await world.center_id("4175"),
                                             pending_again=True)
    await world.alerts.registration_event(moved, "edited", previous_center_id=registration.center_id)
    assert any("مریم احمدی" in text for text in world.telegram.texts(COORDINATOR))  # the notice
    assert await world.roles.remove_coordinator(ADMIN, "telegram", COORDINATOR,
                                                await world.centers.by_code("4170"))
    assert not any("مریم احمدی" in text for text in world.telegram.texts(COORDINATOR))
    assert await world.rows("SELECT 1 FROM alert_messages WHERE chat_id = ?", (COORDINATOR,)) == []


async def test_a_minors_guardian_is_named_to_coordinators_but_not_in_a_group(world):
    from bot.services.signup import new_tracking_code
    from storage.models import NewRegistration

    await world.users.ensure("telegram", VOLUNTEER)
    minor = await world.registrations.create(NewRegistration(
        platform="telegram", user_id=VOLUNTEER, national_id="0499370899", mobile=MOBILE,
        full_name="سارا احمدی", birth_date="2011-03-21", is_minor=True, gender="female",
        center_id=await world.center_id("4170"), activity_ids=(1,), availability_days=("sat",),
        availability_parts=("morning",), guardian_name="زهرا کریمی", guardian_mobile="09351112233",
        guardian_consent=True), new_tracking_code)
    await world.alerts.registration_event(minor, "new")
    [private] = world.telegram.texts(COORDINATOR)
    assert "Guardian: زهرا کریمی — 09351112233 (consents)" in private and "Gender: Female" in private
    [group] = world.telegram.texts(GROUP)
    assert "زهرا کریمی" not in group and "۰۹۳۵۱۱۱۲۲۳۳" not in group and "رضایت داده است" in group
