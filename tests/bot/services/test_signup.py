from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.services.signup import Duplicate, EditApplied, SignupService, Step, new_tracking_code
from bot.validation import Invalid
from storage.activities import ActivityRepository
from storage.centers import CenterRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.lookups import LookupRepository
from storage.registrations import RegistrationRepository
from storage.users import UserRepository

NOW = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def service(db_path):
    db = await Database.open(db_path)
    users = UserRepository(db)
    for user_id in (1, 2):
        await users.ensure("telegram", user_id)
    drafts = DraftRepository(db)
    yield SignupService(drafts, users, RegistrationRepository(db, drafts, users), CenterRepository(db),
                        ActivityRepository(db), LookupRepository(db), ZoneInfo("Asia/Tehran"),
                        lambda: NOW)
    await db.close()


async def _complete(service, user_id, national_id="0499370899", mobile="09121234567"):
    draft = await service.begin("telegram", user_id)
    service.answer_name(draft, "مریم احمدی")
    await service.answer_national_id(draft, national_id)
    await service.answer_mobile(draft, mobile)
    service.answer_birth_date(draft, "1375/06/21")
    service.answer_gender(draft, "female")
    center = await service._centers.by_code("4170")
    await service.choose_center(draft, center.id)
    activity = (await service.activity_ids())[0]
    service.toggle(draft, "activities", activity, await service.activity_ids(), 3)
    service.toggle(draft, "days", "sat", ("sat",))
    service.toggle(draft, "parts", "morning", ("morning",))
    return draft


def test_tracking_codes_are_eight_digits_without_leading_zero():
    codes = {new_tracking_code() for _ in range(500)}
    assert all(len(c) == 8 and c.isdigit() and c[0] != "0" for c in codes)
    assert len(codes) > 490


async def test_step_order_and_back(service):
    draft = await service.begin("telegram", 1)
    seen = [draft.step]
    while draft.step != Step.SUMMARY:
        draft = await service.move(draft, service.next_step(draft))
        seen.append(draft.step)
    assert seen == ["language", "privacy", "name", "national_id", "mobile", "birth_date", "gender",
                    "center", "activities", "days", "parts", "summary"]
    assert service.previous_step(draft) == Step.PARTS


async def test_a_preselected_center_skips_the_center_question(service):
    center = await service._centers.by_code("4170")
    draft = await service.begin("telegram", 1, center)
    assert draft.step == Step.CENTER_LINK and service.next_step(draft) == Step.LANGUAGE
    draft.step = Step.GENDER
    assert service.next_step(draft) == Step.ACTIVITIES


async def test_activities_are_limited_to_three(service):
    draft = await service.begin("telegram", 1)
    ids = await service.activity_ids()
    for activity in ids[:3]:
        service.toggle(draft, "activities", activity, ids, 3)
    with pytest.raises(Invalid) as caught:
        service.toggle(draft, "activities", ids[3], ids, 3)
    assert caught.value.reason == "invalid.activities.max"
    service.toggle(draft, "activities", ids[0], ids, 3)  # unselect
    assert draft.answers["activities"] == list(ids[1:3])


async def test_confirm_race_on_the_same_national_id_creates_one_registration(service):
    first = await _complete(service, 1)
    second = await _complete(service, 2, mobile="09351112233")  # both passed the early check
    await service.confirm(first)
    with pytest.raises(Duplicate) as caught:
        await service.confirm(second)
    assert caught.value.field == "national_id" and not caught.value.own
    assert await service.draft("telegram", 2) is not None  # the loser keeps their answers


async def test_edit_applies_only_the_edited_part(service):
    registration = await service.confirm(await _complete(service, 1))
    draft = await service.begin_edit("telegram", 1, registration, "mobile")
    await service.answer_mobile(draft, "09120001111")
    outcome = await service.advance(draft)
    assert isinstance(outcome, EditApplied)
    assert outcome.registration.mobile == "09120001111"
    assert outcome.registration.center_id == registration.center_id
    assert outcome.registration.activity_ids == registration.activity_ids


async def test_kickoff_is_ahead_only_before_14_bahman(service):
    assert service.kickoff_ahead()
    service.clock = lambda: datetime(2026, 2, 3, 5, 0, tzinfo=UTC)
    assert not service.kickoff_ahead()


async def test_forget_also_drops_the_draft_kept_in_memory(service):
    """Drafts are cached; forgetting a user deletes theirs by other SQL, so the cache must not
    bring back their answers."""
    await _complete(service, 1)
    draft = await service.begin("telegram", 1)
    service.answer_name(draft, "مریم احمدی")
    await service.move(draft, Step.NATIONAL_ID)
    assert (await service.draft("telegram", 1)).answers["full_name"] == "مریم احمدی"
    await service.forget("telegram", 1)
    assert await service.draft("telegram", 1) is None


async def test_a_draft_changed_by_its_reader_is_not_changed_in_the_cache(service):
    draft = await service.begin("telegram", 2)
    (await service.draft("telegram", 2)).answers["full_name"] = "not saved"
    assert "full_name" not in (await service.draft("telegram", 2)).answers
    assert draft.step == (await service.draft("telegram", 2)).step
