from __future__ import annotations

import pytest
import pytest_asyncio

from storage.db import Database
from storage.drafts import DraftRepository
from storage.models import Draft, NewRegistration
from storage.registrations import DuplicateRegistration, RegistrationRepository
from storage.users import UserRepository


@pytest_asyncio.fixture
async def repo(db_path):
    db = await Database.open(db_path)
    yield RegistrationRepository(db, DraftRepository(db), UserRepository(db))
    await db.close()


def _new(user_id=1, national_id="0499370899", mobile="09121234567"):
    return NewRegistration("telegram", user_id, national_id, mobile, "مریم احمدی", "1996-09-11",
                           False, "female", 1, (1, 2), ("sat",), ("morning",))


async def test_one_active_registration_per_national_id_and_three_per_mobile(repo):
    first = await repo.create(_new(), lambda: "11111111")
    with pytest.raises(DuplicateRegistration) as caught:
        await repo.create(_new(user_id=2, mobile="09350000000"), lambda: "22222222")
    assert caught.value.field == "national_id"
    # A family's shared phone: two more people may give it, a fourth may not.
    for user_id, national_id, code in ((2, "0013542419", "33333333"), (3, "1234567891", "55555555")):
        await repo.create(_new(user_id=user_id, national_id=national_id), lambda c=code: c)
    with pytest.raises(DuplicateRegistration) as caught:
        await repo.create(_new(user_id=4, national_id="0084575948"), lambda: "66666666")
    assert caught.value.field == "mobile" and await repo.mobile_is_full("09121234567")
    await repo.set_status(first.id, "withdrawn")
    assert not await repo.mobile_is_full("09121234567")
    again = await repo.create(_new(user_id=5), lambda: "44444444")
    assert again.status == "pending" and again.activity_ids == (1, 2)


async def test_a_taken_tracking_code_is_retried(repo):
    await repo.create(_new(), lambda: "11111111")
    codes = iter(["11111111", "11111111", "55555555"])
    second = await repo.create(_new(user_id=2, national_id="0013542419", mobile="09350000000"),
                               lambda: next(codes))
    assert second.tracking_code == "55555555"


async def test_the_sign_up_draft_goes_with_the_registrations_commit(db_path):
    """No moment exists (no crash point) at which a user is registered and still at the summary."""
    db = await Database.open(db_path)
    try:
        drafts = DraftRepository(db)
        repo = RegistrationRepository(db, drafts, UserRepository(db))
        await UserRepository(db).ensure("telegram", 1)
        await UserRepository(db).ensure("telegram", 2)
        await drafts.save(Draft("telegram", 1, "summary", {"full_name": "مریم احمدی"}))
        await drafts.save(Draft("telegram", 2, "summary", {"full_name": "زهرا"}))
        await repo.create(_new(), lambda: "11111111")
        with pytest.raises(DuplicateRegistration):  # refused: the second user's draft is kept
            await repo.create(_new(user_id=2, mobile="09350000000"), lambda: "22222222")
        rows = await db.fetch_all("SELECT user_id FROM drafts")
        assert [row[0] for row in rows] == [2]
        # The drafts' owner did the delete, so its copy in memory knows without being told.
        assert await drafts.get("telegram", 1) is None
        assert (await drafts.get("telegram", 2)).answers == {"full_name": "زهرا"}
    finally:
        await db.close()


async def test_a_rejected_registration_made_active_again_counts_against_its_mobile(repo):
    rejected = await repo.create(_new(), lambda: "11111111")
    await repo.review(rejected.id, "rejected", "Zahra", "capacity")
    for user_id, national_id, code in ((2, "0013542419", "22222222"), (3, "1234567891", "33333333"),
                                       (4, "0084575948", "44444444")):
        await repo.create(_new(user_id=user_id, national_id=national_id), lambda c=code: c)
    with pytest.raises(DuplicateRegistration) as caught:
        await repo.review(rejected.id, "approved", "Zahra")
    assert caught.value.field == "mobile" and (await repo.by_id(rejected.id)).status == "rejected"
    with pytest.raises(DuplicateRegistration):
        await repo.update(rejected.id, center_id=2, pending_again=True)
