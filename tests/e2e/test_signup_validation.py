"""Every refused answer of every step: a clear reason in Persian and the same question again."""

from __future__ import annotations

import pytest

from tests.conftest import BOTH_PLATFORMS
from tests.e2e.signup_steps import FA, until_step

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)

PROMPTS = {
    "name": "نام و نام خانوادگی",
    "national_id": "کد ملی ۱۰ رقمی",
    "mobile": "شماره همراه خود را",
    "birth_date": "تاریخ تولد خود را",
    "gender": "جنسیت خود را",
    "center": "مرکز مثبت زندگی محله‌تان",
    "activities": "در کدام حوزه‌ها",
    "days": "چه روزهایی",
    "parts": "چه ساعتی",
    "summary": "لطفاً اطلاعات خود را بررسی کنید",
}
TYPE_TEXT = "به‌صورت متن بنویسید"
USE_BUTTONS = "یکی از دکمه‌های زیر"


def send(text):
    return lambda user: user.send(text)


def press(label):
    return lambda user: user.press(label)


async def press_four_activities(user):
    for label in ("سلامت و بهداشت", "هنری و فرهنگی", "فنی و عمرانی"):
        await user.press(label)
        await user.receive()
    await user.press("ورزش و تفریحات سالم")


CASES = [
    ("name", send("ab"), "بین ۳ تا ۶۰ حرف"),
    ("name", send("x" * 4000), "بین ۳ تا ۶۰ حرف"),
    ("name", send("علی۱۲۳"), "فقط می‌تواند حرف"),
    ("name", send("😀🙏🌹"), "فقط می‌تواند حرف"),
    ("name", send("مریم"), "نام و نام خانوادگی را کامل بنویسید"),
    ("name", send("م ا"), "نام و نام خانوادگی را کامل بنویسید"),
    ("name", lambda u: u.send_sticker(), TYPE_TEXT),
    ("name", lambda u: u.send_photo(), TYPE_TEXT),
    ("name", lambda u: u.send_voice(), TYPE_TEXT),
    ("national_id", send("۱۲۳"), "باید ۱۰ رقم باشد"),
    ("national_id", send("1111111111"), "یک رقم تکراری"),
    ("national_id", send("0499370898"), "معتبر نیست"),
    ("national_id", send("x" * 4000), "باید ۱۰ رقم باشد"),
    ("mobile", send("0812345678"), "شماره همراه معتبر نیست"),
    ("mobile", send("۰۹۱۲۱۲۳"), "شماره همراه معتبر نیست"),
    ("mobile", lambda u: u.forward_contact("+989351112233"), "فقط شماره همراه خودتان"),
    ("mobile", lambda u: u.send_sticker(), TYPE_TEXT),
    ("birth_date", send("hello"), "سال/ماه/روز"),
    ("birth_date", send("۱۳۷۵/۱۳/۰۱"), "وجود ندارد"),
    ("birth_date", send("1404/12/30"), "وجود ندارد"),
    ("birth_date", send("1300/01/01"), "بین ۱۲ تا ۱۰۰ سال"),
    ("birth_date", send("1399/01/01"), "بین ۱۲ تا ۱۰۰ سال"),
    ("birth_date", send("1420/01/01"), "در آینده"),
    ("birth_date", send("1990/05/12"), "لطفاً تاریخ شمسی بنویسید. همان روز به شمسی: ۱۳۶۹/۰۲/۲۲"),
    ("gender", send("زن"), USE_BUTTONS),
    ("gender", lambda u: u.send_sticker(), USE_BUTTONS),
    ("center", send("x"), "بین ۲ تا ۵۰ حرف"),
    ("center", send("ناموجود"), "مرکزی با «ناموجود» پیدا نشد"),
    ("center", lambda u: u.send_voice(), TYPE_TEXT),
    ("activities", press(FA["done"]), "دست‌کم ۱ حوزه"),
    ("activities", press_four_activities, "حداکثر ۳ حوزه"),
    ("activities", send("سلامت"), USE_BUTTONS),
    ("days", press(FA["done"]), "دست‌کم ۱ روز"),
    ("days", lambda u: u.share_location(34.8, 48.5), USE_BUTTONS),
    ("parts", press(FA["done"]), "دست‌کم ۱ زمان"),
    ("summary", send("تأیید"), USE_BUTTONS),
    ("summary", lambda u: u.send_sticker(), USE_BUTTONS),
]


@pytest.mark.parametrize(("step", "act", "reason"), CASES,
                         ids=[f"{s}-{i}" for i, (s, _, _) in enumerate(CASES)])
async def test_bad_answer_gets_reason_and_same_question(harness, step, act, reason):
    user = harness.user()
    await until_step(user, step)
    draft_before = await harness.services.conversations.current(harness.platform, user.id)
    await act(user)
    reply = await user.question(reason)
    assert PROMPTS[step] in reply.text, reply.text
    draft_after = await harness.services.conversations.current(harness.platform, user.id)
    assert draft_after.step == step
    # Nothing already answered was lost.
    for key, value in draft_before.answers.items():
        if key not in ("activities", "days", "parts", "asked"):  # "asked": the question's message
            assert draft_after.answers[key] == value


async def test_a_stale_button_is_refused_and_the_current_question_asked(harness):
    user = harness.user()
    gender_question = await until_step(user, "gender")
    await user.press("زن", message=gender_question)
    await user.question()  # center question
    await user.receive_text()  # provinces
    stale = await user.press_data("su|gender|set|male", gender_question.message)
    again = await user.question(PROMPTS["center"])
    assert again is not None
    assert user.callback_answer(stale).text == "این دکمه مربوط به پرسش قبلی است."
    draft = await harness.services.conversations.current(harness.platform, user.id)
    assert draft.answers["gender"] == "female"


async def test_forged_button_data_is_refused(harness):
    user = harness.user()
    question = await until_step(user, "gender")
    await user.press_data("su|gender|set|robot", question.message)
    await user.question("این گزینه در فهرست نیست")
    await user.press_data("su|activities|toggle|1", question.message)
    await user.question(PROMPTS["gender"])
    draft = await harness.services.conversations.current(harness.platform, user.id)
    assert draft.step == "gender" and draft.answers["gender"] is None


async def test_marks_a_phone_slips_in_never_fail_a_valid_answer(harness):
    user = harness.user()
    await until_step(user, "name")
    await user.send("\u200fمُحَمَّد\u200f رضایی")  # direction marks, short vowels and a shadda
    await user.question(PROMPTS["national_id"])
    await user.send("\u202a۰۴۹۹۳۷۰۸۹۹\u202c")
    await user.question(PROMPTS["mobile"])
    await user.send("\u2066۰۹۱۲ ۱۲۳ ۴۵۶۷\u2069")
    await user.question(PROMPTS["birth_date"])
    await user.send("\ufeff۱۳۷۵/۰۶/۲۱\u200b")
    await user.question(PROMPTS["gender"])
    draft = await harness.services.conversations.current(harness.platform, user.id)
    assert (draft.answers["full_name"], draft.answers["national_id"], draft.answers["mobile"],
            draft.answers["birth_date"]) == ("محمد رضایی", "0499370899", "09121234567", "1996-09-11")


async def test_a_curly_apostrophe_is_accepted_in_a_name(harness):
    user = harness.user()
    await until_step(user, "name")
    await user.send("Sara O’Neil")
    await user.question(PROMPTS["national_id"])
    draft = await harness.services.conversations.current(harness.platform, user.id)
    assert draft.answers["full_name"] == "Sara O'Neil"
