"""Whose national code and mobile: look-ups limited per person and day, a mobile verified only
from the person's own contact (and shown so to coordinators), and a squatting registration
released by the center so that the real owner can sign up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import BOTH_PLATFORMS
from tests.e2e.coordinator_steps import make_coordinator
from tests.e2e.signup_steps import Answers, register, until_step

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)
VICTIM_ID, OTHER_ID = "0499370899", "0013542419"


async def test_national_code_look_ups_are_limited_per_person_and_day(harness, clock):
    await register(harness.user())  # VICTIM_ID is registered
    prober = harness.user()
    await until_step(prober, "national_id")
    for _ in range(5):
        await prober.send(VICTIM_ID)
        await prober.receive_text("یک ثبت‌نام فعال با این کد ملی")
    await prober.send(VICTIM_ID)
    refused = await prober.receive_text("امروز بیش از حد")
    assert "کد ملی ۱۰ رقمی خود را" in refused.text  # and the same question again
    await prober.send(OTHER_ID)  # not registered, but no more answers today
    await prober.receive_text("امروز بیش از حد")
    clock.now = datetime.now(UTC) + timedelta(days=1)
    await prober.send(OTHER_ID)
    await prober.receive_text("شماره همراه")  # a new day: on to the next question


async def test_a_squatter_is_released_and_the_real_owner_signs_up(harness):
    coordinator = await make_coordinator(harness, "4175", name="زهرا")
    squatter, owner = harness.user(), harness.user()
    await register(squatter, Answers(name="غریبه نامعلوم", mobile="09121112233", typed_mobile=True))
    alert = await coordinator.receive_text("غریبه نامعلوم")
    assert "۰۹۱۲۱۱۱۲۲۳۳ (⚠️ تأییدنشده؛ تایپ‌شده)" in alert.text

    await until_step(owner, "national_id")
    await owner.send(VICTIM_ID)
    blocked = await owner.receive_text("یک ثبت‌نام فعال با این کد ملی")
    assert "آزاد کند" in blocked.text and "غریبه" not in blocked.text

    stranger = harness.user()
    await stranger.command("release", VICTIM_ID)
    await stranger.receive_text("این کار برای نقش شما مجاز نیست")
    coordinator.skip_all()
    await coordinator.command("release", "۰۴۹۹۳۷۰۸۹۹")
    card = await coordinator.receive_text("این ثبت‌نام آزاد شود؟")
    assert "غریبه نامعلوم" in card.text and "تأییدنشده" in card.text
    await coordinator.press("🔓 آزاد شود", message=card)
    told = await squatter.receive_text("لغو شد")
    assert "صاحب کد ملی یا شماره همراه" in told.text
    done = [await coordinator.receive(), await coordinator.receive()]
    [redrawn] = [a for a in done if a.message_id == alert.message_id]
    assert redrawn.text.startswith("🔓 ثبت‌نامی در") and "آزاد شد توسط زهرا" in redrawn.text
    assert "۰۹۱۲" not in redrawn.text and "reply_markup" not in redrawn.message
    assert [a for a in done if a.text.startswith("ثبت‌نام با کد پیگیری")]
    registration = await harness.services.signup.registration_of(harness.platform, squatter.id)
    assert registration.status == "withdrawn" and registration.national_id is None
    assert registration.review_reason == "released" and registration.reviewed_by == "زهرا"
    audit = await harness.services.audit.entries(f"registration:{registration.id}")
    assert [a[1] for a in audit] == ["registration.release"]

    owner.skip_all()
    await owner.send(VICTIM_ID)  # the same sign-up goes on
    await owner.receive_text("شماره همراه")
    await owner.share_contact("+989121112233")
    await owner.receive_text("تاریخ تولد")
    await owner.command("cancel")
    await owner.receive_text("لغو شد")


async def test_a_shared_own_contact_is_verified_where_the_messenger_names_its_owner(harness):
    coordinator = await make_coordinator(harness, "4175")
    await register(harness.user())  # shares their own contact
    alert = await coordinator.receive_text("یاریگر تازه")
    # Telegram names the contact's owner; the real Bale does not, so a number is never proven there.
    proof = "(✔️ از مخاطب خودش)" if harness.platform == "telegram" else "(⚠️ تأییدنشده؛ تایپ‌شده)"
    assert f"۰۹۱۲۱۲۳۴۵۶۷ {proof}" in alert.text
    coordinator.skip_all()
    await coordinator.command("roster")
    roster = await coordinator.receive_text("یاریگران «")
    assert proof in roster.text
