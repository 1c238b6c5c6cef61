"""The citizen sign-up, end to end over HTTP against the emulator."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.validation import normalize_digits as to_ascii
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
    return await user.question()


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
    assert "Awaiting review" in status.text and "Azar 1405" in status.text


async def test_two_quick_confirm_taps_make_one_registration(harness):
    user = harness.user()
    summary = await until_step(user, "summary")
    await user.press(FA["confirm"], message=summary)
    second_tap = await user.press(FA["confirm"], message=summary)
    await user.question("کد پیگیری")
    await user.silence(0.5)
    assert user.callback_answer(second_tap).text == "این دکمه مربوط به پرسش قبلی است."
    rows = await harness.services.db.fetch_all(
        "SELECT COUNT(*) FROM registrations WHERE user_id = ?", (user.id,))
    assert rows[0][0] == 1


def _with_buttons(user) -> list[str]:
    """The texts of the messages in the chat that still show inline buttons."""
    return [m.get("text", "") for m in user.state.messages.values()
            if (m.get("reply_markup") or {}).get("inline_keyboard")]


async def test_each_question_says_where_the_person_is_and_only_it_has_buttons(harness):
    user = harness.user()
    await until_step(user, "activities")
    # The location button of the center question is gone with it; only the areas have buttons.
    assert [b["text"] for b in user.reply_keyboard()] == []
    [current] = _with_buttons(user)
    assert "در کدام حوزه‌ها" in current
    summary = await until_step_from_activities(user)
    progress = [int(to_ascii(m)) for m in re.findall(r"مرحله ([۰-۹]+) از ۱۲", "\n".join(
        a.text for a in user.state.actions if a.kind == "message"))]
    assert progress == list(range(1, 13))  # every question numbered, once, in order
    assert _with_buttons(user) == [summary.text]
    back_buttons = [b for m in user.state.messages.values()
                    for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row
                    if b["text"] == "↩️ بازگشت"]
    assert len(back_buttons) == 1 and user.reply_keyboard() == []  # one Back, not two


async def until_step_from_activities(user):
    for key in ("activities", "days", "parts"):
        for label in FA[key]:
            await user.press(label)
            await user.receive()
        await user.press(FA["done"])
        last = await user.question()
    return last


async def test_the_language_is_asked_once(harness):
    user = harness.user()
    await until_step(user, "name")
    await user.command("cancel")
    await user.receive_text("لغو")
    await user.command("start")
    await user.receive_text("سلام")
    privacy = await user.question()
    assert "پیش از شروع، درباره اطلاعات شما" in privacy.text and "مرحله ۱ از ۱۱" in privacy.text
    await user.command("language")
    await user.receive_text("زبان")
    await user.press("English")
    await user.receive_text("The bot now speaks English")
    again = await user.question()  # the sign-up goes on in English, at the same question
    assert "Before we start" in again.text
