from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.services.signup import Duplicate, SignupAnswers, SignupService, new_tracking_code
from bot.validation import Invalid
from storage.activities import ActivityRepository
from storage.centers import CenterRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.lookups import LookupRepository
from storage.models import Draft
from storage.registrations import RegistrationRepository
from storage.users import UserRepository

NOW = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def db(db_path):
    database = await Database.open(db_path)
    users = UserRepository(database)
    for user_id in (1, 2):
        await users.ensure("telegram", user_id)
    yield database
    await database.close()


@pytest_asyncio.fixture
async def service(db):
    drafts, users = DraftRepository(db), UserRepository(db)
    return SignupService(RegistrationRepository(db, drafts, users), CenterRepository(db),
                         ActivityRepository(db), LookupRepository(db), ZoneInfo("Asia/Tehran"), lambda: NOW)


async def _complete(service, user_id, national_id="0499370899", mobile="09121234567") -> SignupAnswers:
    answers = SignupAnswers(agreed=True)
    service.answer_name(answers, "مریم احمدی")
    await service.answer_national_id("telegram", user_id, answers, national_id)
    await service.answer_mobile("telegram", user_id, answers, mobile)
    service.answer_birth_date(answers, "1375/06/21")
    service.answer_gender(answers, "female")
    center = await service._centers.by_code("4170")
    await service.choose_center(answers, center.id)
    ids = await service.activity_ids()
    service.toggle(answers.activities, "activities", ids[0], ids, 3)
    service.toggle(answers.days, "days", "sat", ("sat",))
    service.toggle(answers.parts, "parts", "morning", ("morning",))
    return answers


def test_tracking_codes_are_eight_digits_without_leading_zero():
    codes = {new_tracking_code() for _ in range(500)}
    assert all(len(c) == 8 and c.isdigit() and c[0] != "0" for c in codes)
    assert len(codes) > 490


async def test_activities_are_limited_to_three(service):
    answers = SignupAnswers()
    ids = await service.activity_ids()
    for activity in ids[:3]:
        service.toggle(answers.activities, "activities", activity, ids, 3)
    with pytest.raises(Invalid) as caught:
        service.toggle(answers.activities, "activities", ids[3], ids, 3)
    assert caught.value.reason == "invalid.activities.max"
    service.toggle(answers.activities, "activities", ids[0], ids, 3)  # unselect
    assert answers.activities == list(ids[1:3])
    with pytest.raises(Invalid):
        service.toggle(answers.activities, "activities", 999, ids, 3)


async def test_a_summary_with_a_missing_answer_is_not_confirmed(service):
    answers = await _complete(service, 1)
    answers.parts = []
    with pytest.raises(Invalid) as caught:
        await service.confirm("telegram", 1, answers)
    assert caught.value.details == {"step": "parts"}
    answers.agreed = False
    with pytest.raises(Invalid) as caught:
        await service.confirm("telegram", 1, answers)
    assert caught.value.details == {"step": "privacy"}


async def test_confirm_race_on_the_same_national_id_creates_one_registration(service, db):
    first = await _complete(service, 1)
    second = await _complete(service, 2, mobile="09351112233")  # both passed the early check
    await DraftRepository(db).save(Draft("telegram", 2, "summary", {"mode": "signup"}))
    await service.confirm("telegram", 1, first)
    with pytest.raises(Duplicate) as caught:
        await service.confirm("telegram", 2, second)
    assert caught.value.field == "national_id" and not caught.value.own
    assert await DraftRepository(db).get("telegram", 2) is not None  # the loser keeps their answers


async def test_edit_applies_only_the_edited_part(service):
    registration = await service.confirm("telegram", 1, await _complete(service, 1))
    edit = service.begin_edit(registration, "mobile")
    await service.answer_mobile("telegram", 1, edit, "09120001111")
    applied = await service.apply_edit("telegram", 1, edit)
    assert applied.registration.mobile == "09120001111"
    assert applied.registration.center_id == registration.center_id == applied.previous_center_id
    assert applied.registration.activity_ids == registration.activity_ids


async def test_a_rejected_registration_may_not_return_to_its_center(service, db):
    registration = await service.confirm("telegram", 1, await _complete(service, 1))
    rejected = await RegistrationRepository(db, DraftRepository(db), UserRepository(db)).review(
        registration.id, "rejected", "coordinator", "capacity")
    edit = service.begin_edit(rejected, "center")
    with pytest.raises(Invalid) as caught:
        await service.choose_center(edit, registration.center_id)
    assert caught.value.reason == "invalid.center.rejected_here"


async def test_look_ups_are_limited_per_person_and_day(service):
    answers = SignupAnswers()
    for _ in range(5):
        await service.answer_national_id("telegram", 1, answers, "0013542419")
    with pytest.raises(Invalid) as caught:
        await service.answer_national_id("telegram", 1, answers, "0013542419")
    assert caught.value.reason == "invalid.lookups_exhausted"
    await service.answer_national_id("telegram", 2, answers, "0013542419")  # another person's own


async def test_kickoff_is_ahead_only_before_14_bahman(service):
    assert service.kickoff_ahead()
    service.clock = lambda: datetime(2026, 2, 3, 5, 0, tzinfo=UTC)
    assert not service.kickoff_ahead()


async def test_a_minors_guardian_must_be_complete_and_consent_anew_when_changed(service):
    answers = await _complete(service, 1)
    service.answer_birth_date(answers, "1392/01/01")  # 12 years old in January 2026
    assert answers.is_minor and not service.guardian_complete(answers)
    with pytest.raises(Invalid) as caught:
        await service.confirm("telegram", 1, answers)
    assert caught.value.details == {"step": "guardian_name"}
    service.answer_guardian_name(answers, "زهرا کریمی")
    service.answer_guardian_mobile(answers, "09351112233")
    service.answer_guardian_consent(answers)
    assert service.guardian_complete(answers)
    service.answer_guardian_name(answers, "رضا کریمی")  # another guardian: their own consent
    assert not answers.guardian_consent and not service.guardian_complete(answers)
    service.answer_birth_date(answers, "1375/06/21")  # an adult after all: no guardian kept
    assert service.guardian_complete(answers) and answers.guardian_name is None


async def test_the_third_registration_on_a_mobile_fills_it_even_in_a_race(service, db):
    users = UserRepository(db)
    for user_id in (3, 4):
        await users.ensure("telegram", user_id)
    people = ((1, "0499370899"), (2, "0013542419"), (3, "1234567891"), (4, "0084575948"))
    answers = [await _complete(service, user_id, national_id=nid) for user_id, nid in people]
    for user_id in (1, 2, 3):
        await service.confirm("telegram", user_id, answers[user_id - 1])
    with pytest.raises(Invalid) as caught:  # passed the early check, lost at the confirm
        await service.confirm("telegram", 4, answers[3])
    assert caught.value.reason == "invalid.mobile_full"
