"""The citizen sign-up, end to end over HTTP against the emulator."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import BOTH_PLATFORMS
from tests.e2e.signup_steps import EN, FA, Answers, register, until_step

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)


async def _registration(harness, user):
    return await harness.services.signup.registration_of(harness.platform, user.id)


async def test_happy_path_in_persian(harness, clock):
    clock.now = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)  # before the 14 Bahman kickoff
    user = harness.user()
    summary = await until_step(user, "summary")
    for expected in ("مریم احمدی", "۰۴۹۹۳۷۰۸۹۹", "۰۹۱۲۱۲۳۴۵۶۷", "۲۱ شهریور ۱۳۷۵", "زن",
                     "ملایر", "سلامت و بهداشت، هنری و فرهنگی", "شنبه، دوشنبه", "صبح"):
        assert expected in summary.text
    done = await register_from_summary(user)
    registration = await _registration(harness, user)
    assert registration.tracking_code and len(registration.tracking_code) == 8
    assert done.text.count("کد پیگیری") == 1
    persian_code = registration.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert persian_code in done.text
    assert "مرکز مثبت زندگی مرکزی ملایر" in done.text
    assert "۱۴ بهمن ۱۴۰۴، ساعت ۰۸:۰۰" in done.text
    assert done.reply_markup == {"remove_keyboard": True}
    assert (registration.national_id, registration.mobile, registration.full_name) == (
        "0499370899", "09121234567", "مریم احمدی")
    assert registration.birth_date == "1996-09-11" and registration.gender == "female"
    assert registration.availability_days == ("sat", "mon")
    assert registration.availability_parts == ("morning",)
    assert len(registration.activity_ids) == 2 and registration.status == "pending"
    assert registration.created_at == "2026-01-20T09:00:00+00:00"  # the bot's clock, not the machine's
    assert await harness.services.conversations.current(harness.platform, user.id) is None


async def register_from_summary(user):
    await user.press(FA["confirm"])
    return await user.receive_text()


async def test_happy_path_in_english_after_the_kickoff(harness, clock):
    clock.now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    user = harness.user(language_code="en", first_name="Sara")
    done = await register(user, Answers(name="Sara Karimi"), EN)
    assert "Tracking code:" in done.text and "(code 4175)" in done.text
    assert "kickoff" not in done.text  # 14 Bahman 1404 is in the past by then
    registration = await _registration(harness, user)
    assert registration.tracking_code in done.text
    await user.command("status")
    status = await user.receive_text("Your registration")
    assert "awaiting review" in status.text and "Azar 1405" in status.text


async def test_two_quick_confirm_taps_make_one_registration(harness):
    user = harness.user()
    summary = await until_step(user, "summary")
    await user.press(FA["confirm"], message=summary)
    second_tap = await user.press(FA["confirm"], message=summary)
    await user.receive_text("کد پیگیری")
    await user.silence(0.5)
    assert user.callback_answer(second_tap).text == "این دکمه مربوط به پرسش قبلی است."
    rows = await harness.services.db.fetch_all(
        "SELECT COUNT(*) FROM registrations WHERE user_id = ?", (user.id,))
    assert rows[0][0] == 1
