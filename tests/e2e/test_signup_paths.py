"""Other ways through the sign-up: duplicates, poster links, location, editing, going back."""

from __future__ import annotations

import pytest

from storage.models import Draft
from tests.conftest import BOTH_PLATFORMS
from tests.e2e.signup_steps import FA, Answers, register, until_step

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)


async def test_duplicate_national_id_from_another_account_is_refused(harness):
    await register(harness.user())
    other = harness.user()
    await until_step(other, "national_id", Answers(mobile="09351112233"))
    await other.send("0499370899")
    reply = await other.receive_text("ثبت‌نام فعال با این کد ملی")
    assert "کد ملی ۱۰ رقمی" in reply.text  # asked again
    assert "کد پیگیری" not in reply.text  # another account's details stay private
    assert (await harness.services.conversations.current(harness.platform, other.id)).step == "national_id"


async def test_duplicate_mobile_is_refused_like_a_duplicate_id(harness):
    await register(harness.user())
    other = harness.user()
    await until_step(other, "mobile", Answers(national_id="0013542419"))
    await other.send("۰۹۱۲ ۱۲۳ ۴۵۶۷")
    await other.receive_text("ثبت‌نام فعال با این شماره همراه")


async def test_own_duplicate_shows_code_and_status_and_offers_edit(harness):
    user = harness.user()
    await register(user)
    registration = await harness.services.signup.registration_of(harness.platform, user.id)
    # A second sign-up from the same account (e.g. after clearing the chat) is caught at /start …
    await user.command("start")
    reply = await user.receive_text("قبلاً ثبت‌نام کرده‌اید")
    assert registration.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in reply.text
    # … and an edit draft that meets its own registration's national id is told the same.
    await harness.services.conversations.keep(
        Draft(harness.platform, user.id, "national_id", {"mode": "signup"}))
    await user.send("0499370899")
    own = await user.receive_text("با این کد ملی قبلاً ثبت‌نام کرده‌اید")
    assert "در انتظار بررسی" in own.text
    assert user.inline_buttons() == ["✏️ ویرایش ثبت‌نام من"]
    await user.press("✏️ ویرایش ثبت‌نام من")
    await user.receive_text("کدام بخش")


async def test_poster_deep_link_preselects_the_center(harness):
    user = harness.user()
    await user.command("start", "c-4170")
    await user.receive_text("سلام")
    link = await user.receive_text("در حال ثبت‌نام در «مرکز مثبت زندگی اکباتان (نمونه) (کد ۴۱۷۰)»")
    assert user.inline_buttons() == ["✅ بله، ادامه می‌دهم", "🔄 مرکز دیگری را انتخاب می‌کنم"]
    await user.press("✅ بله، ادامه می‌دهم", message=link)
    await user.receive_text("زبان")
    await user.press("فارسی")
    await user.receive_text("پیش از شروع")
    await user.press(FA["agree"])
    await user.receive_text("نام و نام خانوادگی")
    for answer in ("مریم احمدی", "0499370899", "09121234567", "1375/06/21"):
        await user.send(answer)
        await user.receive_text()
    await user.press("زن")
    await user.receive_text("در کدام حوزه‌ها")  # the center question is skipped


async def test_poster_scanned_at_the_center_question_answers_it(harness):
    user = harness.user()
    await until_step(user, "center")
    await user.command("start", "c-4170")
    reply = await user.receive_text("مرکز مثبت زندگی اکباتان (نمونه)")
    assert "در کدام حوزه‌ها" in reply.text  # on to the next question, not the center again
    draft = await harness.services.conversations.current(harness.platform, user.id)
    assert draft.step == "activities" and draft.answers["full_name"] == "مریم احمدی"


async def test_unknown_deep_link_code_falls_back_to_choosing(harness):
    user = harness.user()
    await user.command("start", "c-999999")
    await user.receive_text("سلام")
    await user.receive_text("مرکزی با این کد پیدا نشد")


async def test_nearest_centers_by_location_with_distances(harness):
    user = harness.user()
    await until_step(user, "center")
    await user.share_location(34.30, 48.82)  # Malayer
    nearest = await user.receive_text("نزدیک‌ترین مراکز")
    buttons = user.inline_buttons()
    assert len(buttons) == 5
    assert buttons[0].startswith("مرکز مثبت زندگی مرکزی ملایر") and "کیلومتر" in buttons[0]
    await user.press(buttons[0], message=nearest)
    await user.receive_text("در کدام حوزه‌ها")
    draft = await harness.services.conversations.current(harness.platform, user.id)
    assert draft.answers["center_id"] == (await harness.services.centers.by_code("4175")).id


async def test_search_by_part_of_a_name(harness):
    user = harness.user()
    await until_step(user, "center")
    await user.send("بيرجند")  # Arabic yeh, normalised
    await user.receive_text("مراکز پیدا شده")
    assert len(user.inline_buttons()) == 2


async def test_browse_pages_and_back_to_provinces(harness):
    user = harness.user()
    await until_step(user, "center")
    await user.press("همدان")
    counties = await user.receive()
    assert counties.kind == "edit"  # on Bale too: its stub answer to an edit is understood
    assert "شهرستان" in counties.text
    assert "بعدی »" in user.inline_buttons()  # 10 counties: two pages
    await user.press("بعدی »")
    await user.receive()
    assert "« قبلی" in user.inline_buttons()
    await user.press("↩️ بازگشت")
    provinces = await user.receive()
    assert "استان" in provinces.text and "همدان" in user.inline_buttons()


async def test_edit_from_the_summary_returns_to_the_summary(harness):
    user = harness.user()
    await until_step(user, "summary")
    await user.press("تاریخ تولد")
    await user.receive_text("تاریخ تولد خود را")
    await user.send("۱۳۸۰/۰۱/۰۱")
    summary = await user.receive_text("لطفاً اطلاعات خود را بررسی کنید")
    assert "۱ فروردین ۱۳۸۰" in summary.text
    await user.press("حوزه‌ها")
    await user.receive_text("در کدام حوزه‌ها")
    await user.press("✓ سلامت و بهداشت")
    await user.receive()
    await user.press(FA["done"])
    summary = await user.receive_text("لطفاً اطلاعات خود را بررسی کنید")
    assert "حوزه‌های فعالیت: هنری و فرهنگی\n" in summary.text


async def test_back_goes_to_the_previous_question_keeping_answers(harness):
    user = harness.user()
    await until_step(user, "birth_date")
    await user.send("↩️ بازگشت")
    await user.receive_text("شماره همراه خود را")
    await user.send("↩️ بازگشت")
    await user.receive_text("کد ملی ۱۰ رقمی")
    draft = await harness.services.conversations.current(harness.platform, user.id)
    assert draft.answers["mobile"] == "09121234567" and draft.step == "national_id"


async def test_cancel_discards_the_draft(harness):
    user = harness.user()
    await until_step(user, "mobile")
    await user.send("✖️ انصراف")
    reply = await user.receive_text("ثبت‌نام لغو شد")
    assert reply.reply_markup == {"remove_keyboard": True}
    assert await harness.services.conversations.current(harness.platform, user.id) is None
    await user.send("سلام")
    await user.receive_text("/start")
    await user.command("cancel")
    await user.receive_text("ثبت‌نام نیمه‌کاره‌ای ندارید")


async def test_cancel_command_and_back_from_the_summary(harness):
    user = harness.user()
    await until_step(user, "summary")
    await user.press("↩️ بازگشت")
    await user.receive_text("چه ساعتی")
    await user.command("cancel")
    await user.receive_text("ثبت‌نام لغو شد")


async def test_start_again_mid_flow_resumes(harness):
    user = harness.user()
    await until_step(user, "birth_date")
    await user.command("start")
    await user.receive_text("از همان‌جا که مانده بود")


async def test_minor_is_flagged(harness):
    user = harness.user()
    await until_step(user, "birth_date")
    await user.send("1390/01/01")  # 15 years old in 1405
    await user.receive_text("جنسیت")
    draft = await harness.services.conversations.current(harness.platform, user.id)
    assert draft.answers["is_minor"] is True


async def test_back_from_the_summary_after_changing_an_answer_goes_to_the_last_question(harness):
    user = harness.user()
    await until_step(user, "summary")
    await user.press("نام")
    await user.receive_text("نام و نام خانوادگی")
    await user.send("زهرا کریمی")
    await user.receive_text("لطفاً اطلاعات خود را بررسی کنید")
    await user.press("روزها")
    await user.receive_text("چه روزهایی")
    await user.send("↩️ بازگشت")  # Back while changing an answer: the summary, once
    await user.receive_text("لطفاً اطلاعات خود را بررسی کنید")
    await user.press("↩️ بازگشت")
    await user.receive_text("چه ساعتی")
    await user.send("↩️ بازگشت")
    await user.receive_text("چه روزهایی")


async def test_a_draft_of_the_previous_version_resumes_with_back_and_its_summary_return(harness):
    """Drafts written before the dialog engine: the same keys, no history, `return_to`."""
    user, other = harness.user(), harness.user()
    for person in (user, other):  # they have written to the bot before
        await person.command("help")
        await person.receive()
    center = await harness.services.places.center_by_code("4175")
    answers = {"mode": "signup", "language": "fa", "agreed": True, "full_name": "مریم احمدی",
               "national_id": "0499370899", "mobile": "09121234567", "return_to": "summary",
               "birth_date": "1996-09-11", "is_minor": False, "gender": "female", "center_id": center.id,
               "activities": [2], "days": ["sat"], "parts": ["morning"]}
    await harness.services.conversations.keep(Draft(harness.platform, user.id, "name", answers))
    await user.send("زهرا کریمی")  # changing the name from the summary, as the old draft says
    summary = await user.receive_text("لطفاً اطلاعات خود را بررسی کنید")
    assert "زهرا کریمی" in summary.text
    await user.press("✅ تأیید و ثبت نهایی")
    await user.receive_text("کد پیگیری")
    await harness.services.conversations.keep(Draft(harness.platform, other.id, "birth_date", {
        "mode": "signup", "language": "fa", "agreed": True, "full_name": "سارا", "national_id": "0013542419",
        "mobile": "09351112233"}))
    await other.send("↩️ بازگشت")
    await other.receive_text("شماره همراه خود را")


async def test_an_edit_of_the_previous_version_resumes(harness):
    user = harness.user()
    await register(user)
    registration = await harness.services.signup.registration_of(harness.platform, user.id)
    await harness.services.conversations.keep(Draft(harness.platform, user.id, "mobile", {
        "mode": "edit", "registration_id": registration.id, "edit_steps": ["mobile"], "rejected": False,
        "center_id": registration.center_id, "previous_center_id": registration.center_id,
        "mobile": registration.mobile, "activities": list(registration.activity_ids),
        "days": list(registration.availability_days), "parts": list(registration.availability_parts)}))
    await user.send("09127654321")
    await user.receive_text("تغییرات ذخیره شد")
    assert (await harness.services.signup.registration_of(harness.platform, user.id)).mobile == "09127654321"


async def test_a_button_of_the_previous_version_asks_the_current_question_again(harness):
    user = harness.user()
    question = await until_step(user, "gender")
    pressed = await user.press_data("gender|set|female", question.message)  # the old data shape
    assert (await user.answer_to(pressed)).text == "این دکمه مربوط به پرسش قبلی است."
    await user.receive_text("جنسیت خود را")


async def test_an_edit_finished_after_withdrawing_changes_nothing(harness):
    user = harness.user()
    await register(user)
    await user.command("edit")
    await user.receive_text("کدام بخش")
    await user.press("شماره همراه")
    await user.receive_text("شماره همراه خود را")
    await user.command("withdraw")
    await user.receive_text("انصراف")
    await user.press("بله، انصراف می‌دهم")
    await user.receive_text("ثبت شد")
    await user.send("09127654321")
    await user.receive_text("دیگر قابل ویرایش نیست")
    registration = await harness.services.signup.registration_of(harness.platform, user.id)
    assert registration.status == "withdrawn" and registration.mobile == "09121234567"
