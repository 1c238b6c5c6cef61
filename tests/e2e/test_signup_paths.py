"""Other ways through the sign-up: duplicates, poster links, location, editing, going back."""

from __future__ import annotations

import pytest

from storage.models import Draft
from tests.conftest import BOTH_PLATFORMS
from tests.e2e.coordinator_steps import coordinator_of
from tests.e2e.signup_steps import FA, Answers, register, until_step, walk

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)


# The order a Persian reader expects, as an oracle independent of the collation library.
PERSIAN_ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


def alphabetical(word: str) -> list[int]:
    return [PERSIAN_ALPHABET.find(ch) for ch in word if ch in PERSIAN_ALPHABET]


async def test_duplicate_national_id_from_another_account_is_refused(harness):
    await register(harness.user())
    other = harness.user()
    await until_step(other, "national_id", Answers(mobile="09351112233"))
    await other.send("0499370899")
    reply = await other.question("ثبت‌نام فعال با این کد ملی")
    assert "کد ملی ۱۰ رقمی" in reply.text  # asked again
    assert "کد پیگیری" not in reply.text  # another account's details stay private
    assert (await harness.services.conversations.current(harness.platform, other.id)).step == "national_id"


async def test_family_members_may_share_a_mobile_up_to_three_registrations(harness):
    for national_id in ("0499370899", "0013542419", "1234567891"):  # three people, one phone
        await register(harness.user(), Answers(national_id=national_id))
    fourth = harness.user()
    await until_step(fourth, "mobile", Answers(national_id="0084575948"))
    await fourth.send("۰۹۱۲ ۱۲۳ ۴۵۶۷")
    refused = await fourth.question("در ۳ ثبت‌نام فعال به کار رفته")
    assert "شماره همراه خود را" in refused.text  # asked again
    await fourth.send("09351112233")
    await fourth.question("تاریخ تولد")


async def test_own_duplicate_shows_code_and_status_and_offers_edit(harness):
    user = harness.user()
    await register(user)
    registration = await harness.services.signup.registration_of(harness.platform, user.id)
    # A second sign-up from the same account (e.g. after clearing the chat) is caught at /start …
    await user.command("start")
    reply = await user.question("قبلاً ثبت‌نام کرده‌اید")
    assert registration.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in reply.text
    # … and an edit draft that meets its own registration's national id is told the same.
    await harness.services.conversations.keep(
        Draft(harness.platform, user.id, "national_id", {"mode": "signup"}))
    await user.send("0499370899")
    own = await user.question("با این کد ملی قبلاً ثبت‌نام کرده‌اید")
    assert "در انتظار بررسی" in own.text
    assert user.inline_buttons() == ["✏️ ویرایش ثبت‌نام من"]
    await user.press("✏️ ویرایش ثبت‌نام من")
    await user.question("کدام بخش")


async def test_poster_deep_link_preselects_the_center(harness):
    user = harness.user()
    await user.command("start", "c-4170")
    await user.question("سلام")
    link = await user.question("در حال ثبت‌نام در «مرکز مثبت زندگی اکباتان (نمونه) (کد ۴۱۷۰)»")
    assert user.inline_buttons() == ["✅ بله، ادامه می‌دهم", "🔄 مرکز دیگری را انتخاب می‌کنم", "✖️ انصراف"]
    await user.press("✅ بله، ادامه می‌دهم", message=link)
    await user.question("زبان")
    await user.press("فارسی")
    await user.question("پیش از شروع")
    await user.press(FA["agree"])
    await user.question("نام و نام خانوادگی")
    for answer in ("مریم احمدی", "0499370899", "09121234567", "1375/06/21"):
        await user.send(answer)
        await user.question()
    await user.press("زن")
    await user.question("در کدام حوزه‌ها")  # the center question is skipped


async def test_poster_scanned_at_the_center_question_answers_it(harness):
    user = harness.user()
    await until_step(user, "center")
    await user.command("start", "c-4170")
    reply = await user.question("مرکز مثبت زندگی اکباتان (نمونه)")
    assert "در کدام حوزه‌ها" in reply.text  # on to the next question, not the center again
    draft = await harness.services.conversations.current(harness.platform, user.id)
    assert draft.step == "activities" and draft.answers["full_name"] == "مریم احمدی"


async def test_unknown_deep_link_code_falls_back_to_choosing(harness):
    user = harness.user()
    await user.command("start", "c-999999")
    await user.question("سلام")
    await user.question("مرکزی با این کد پیدا نشد")


async def test_nearest_centers_by_location_with_distances(harness):
    user = harness.user()
    await until_step(user, "center")
    await user.share_location(34.30, 48.82)  # Malayer
    nearest = await user.question("نزدیک‌ترین مراکز")
    buttons = user.inline_buttons()
    assert len(buttons) == 5
    assert buttons[0].startswith("مرکز مثبت زندگی مرکزی ملایر") and "کیلومتر" in buttons[0]
    await user.press(buttons[0], message=nearest)
    await user.question("در کدام حوزه‌ها")
    draft = await harness.services.conversations.current(harness.platform, user.id)
    assert draft.answers["center_id"] == (await harness.services.centers.by_code("4175")).id


async def test_search_by_part_of_a_name(harness):
    user = harness.user()
    await until_step(user, "center")
    await user.send("بيرجند")  # Arabic yeh, normalised
    await user.question("۲ مرکز پیدا شد")
    assert len(user.inline_buttons()) == 2


async def test_search_ignores_spaces_reads_addresses_and_pages_its_results(harness):
    user = harness.user()
    await until_step(user, "center")
    await user.send("کبودر آهنگ")  # the county is «کبودرآهنگ»
    await user.question("مرکز پیدا شد")
    assert any("کبودرآهنگ" in label for label in user.inline_buttons())
    await user.send("خیابان مدنی")  # only in a sample center's address
    await user.question("۱ مرکز پیدا شد")
    assert user.inline_buttons() == ["مرکز مثبت زندگی مدنی (نمونه) (کد ۴۱۷۱)"]
    await user.send("مرکز مثبت")  # every center: a page of 8, then the next
    found = await user.question("مرکز پیدا شد")
    assert len(user.inline_buttons()) == 9 and user.inline_buttons()[-1] == "بعدی »"
    await user.press("بعدی »", message=found)
    turned = await user.question()  # the same message, on its second page
    assert turned.kind == "edit" and turned.message_id == found.message_id
    assert "« قبلی" in user.inline_buttons() and "مرکز مثبت زندگی همدان" not in turned.text


async def test_a_location_far_from_every_center_says_so(harness):
    user = harness.user()
    await until_step(user, "center")
    await user.share_location(27.18, 56.27)  # Bandar Abbas: no sample center near
    far = await user.question("هیچ مرکزی تا ۳۰ کیلومتری شما نیست")
    assert "کیلومتر" in user.inline_buttons()[0] and far is not None


async def test_places_are_listed_in_persian_alphabetical_order(harness):
    user = harness.user()
    await until_step(user, "center")
    await user.press("همدان")
    page = await user.receive()
    paging = ("بعدی »", "« قبلی", "↩️ استان‌ها")
    counties = [label for label in user.inline_buttons() if label not in paging]
    await user.press("بعدی »", message=page)
    await user.receive()
    counties += [label for label in user.inline_buttons() if label not in paging]
    assert counties == sorted(counties, key=alphabetical) and len(counties) == 10
    assert counties.index("نهاوند") < counties.index("همدان")  # ن و ه ی, not Arabic's ه before و


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
    await user.press("↩️ استان‌ها")
    provinces = await user.receive()
    assert "استان" in provinces.text and "همدان" in user.inline_buttons()
    await user.press("همدان")
    await user.receive()
    await user.press("ملایر")
    await user.question("مرکز")
    await user.press("↩️ شهرستان‌ها")  # from the centers of a county: back to that province's counties
    counties = await user.receive()
    assert "شهرستان" in counties.text and "ملایر" in user.inline_buttons()


async def test_edit_from_the_summary_returns_to_the_summary(harness):
    user = harness.user()
    await until_step(user, "summary")
    await user.press("تاریخ تولد")
    await user.question("تاریخ تولد خود را")
    await user.send("۱۳۸۰/۰۱/۰۱")
    summary = await user.question("لطفاً اطلاعات خود را بررسی کنید")
    assert "۱ فروردین ۱۳۸۰" in summary.text
    await user.press("حوزه‌ها")
    await user.question("در کدام حوزه‌ها")
    await user.press("✓ سلامت و بهداشت")
    await user.receive()
    await user.press(FA["done"])
    summary = await user.question("لطفاً اطلاعات خود را بررسی کنید")
    assert "حوزه‌های فعالیت: هنری و فرهنگی\n" in summary.text


async def test_back_goes_to_the_previous_question_keeping_answers(harness):
    user = harness.user()
    await until_step(user, "birth_date")
    await user.send("↩️ بازگشت")
    await user.question("شماره همراه خود را")
    await user.send("↩️ بازگشت")
    await user.question("کد ملی ۱۰ رقمی")
    draft = await harness.services.conversations.current(harness.platform, user.id)
    assert draft.answers["mobile"] == "09121234567" and draft.step == "national_id"


async def test_cancel_discards_the_draft(harness):
    user = harness.user()
    await until_step(user, "mobile")
    await user.send("✖️ انصراف")
    reply = await user.question("ثبت‌نام لغو شد")
    assert reply.reply_markup == {"remove_keyboard": True}
    assert await harness.services.conversations.current(harness.platform, user.id) is None
    await user.send("سلام")
    await user.question("/start")
    await user.command("cancel")
    await user.question("ثبت‌نام نیمه‌کاره‌ای ندارید")


async def test_cancel_command_and_back_from_the_summary(harness):
    user = harness.user()
    await until_step(user, "summary")
    await user.press("↩️ بازگشت")
    await user.question("چه ساعتی")
    await user.command("cancel")
    await user.question("ثبت‌نام لغو شد")


async def test_start_again_mid_flow_resumes(harness):
    user = harness.user()
    await until_step(user, "birth_date")
    await user.command("start")
    await user.question("از همان‌جا که مانده بود")


async def test_a_volunteer_under_18_signs_up_with_a_guardians_consent(harness):
    coordinator = harness.user()
    await coordinator_of(harness, "4175", coordinator.id)
    user = harness.user()
    await until_step(user, "birth_date")
    await user.send("1390/01/01")  # 15 years old in 1405
    await user.question("نام و نام خانوادگی ولی خود را بنویسید")
    await user.send("زهرا")
    await user.question("نام و نام خانوادگی را کامل بنویسید")
    await user.send("زهرا کریمی")
    await user.question("شماره همراه ولی خود را بنویسید")
    await user.send("09121234567")  # the volunteer's own
    await user.question("شماره ولی باید با شماره همراه خودتان فرق کند")
    await user.send("۰۹۳۵ ۱۱۱ ۲۲۳۳")
    consent = await user.question("آیا زهرا کریمی با همکاری شما به‌عنوان یاریگر موافق است؟")
    await user.press("✅ بله، رضایت دارد", message=consent)
    await user.question("جنسیت")
    summary = await walk(user, "gender", "summary")
    assert "(زیر ۱۸ سال)\nولی: زهرا کریمی — ۰۹۳۵۱۱۱۲۲۳۳ (رضایت داده است)" in summary.text
    await user.press(FA["confirm"])
    await user.question("کد پیگیری")
    alert = await coordinator.question("یاریگر تازه")
    assert "جنسیت: زن\nولی: زهرا کریمی — ۰۹۳۵۱۱۱۲۲۳۳ (رضایت داده است)" in alert.text
    registration = await harness.services.signup.registration_of(harness.platform, user.id)
    assert (registration.guardian_name, registration.guardian_mobile, registration.guardian_consent) == (
        "زهرا کریمی", "09351112233", True)


async def test_back_from_the_summary_after_changing_an_answer_goes_to_the_last_question(harness):
    user = harness.user()
    await until_step(user, "summary")
    await user.press("نام")
    await user.question("نام و نام خانوادگی")
    await user.send("زهرا کریمی")
    await user.question("لطفاً اطلاعات خود را بررسی کنید")
    await user.press("روزها")
    await user.question("چه روزهایی")
    await user.send("↩️ بازگشت")  # Back while changing an answer: the summary, once
    await user.question("لطفاً اطلاعات خود را بررسی کنید")
    await user.press("↩️ بازگشت")
    await user.question("چه ساعتی")
    await user.send("↩️ بازگشت")
    await user.question("چه روزهایی")


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
    summary = await user.question("لطفاً اطلاعات خود را بررسی کنید")
    assert "زهرا کریمی" in summary.text
    await user.press("✅ تأیید و ثبت نهایی")
    await user.question("کد پیگیری")
    await harness.services.conversations.keep(Draft(harness.platform, other.id, "birth_date", {
        "mode": "signup", "language": "fa", "agreed": True, "full_name": "سارا", "national_id": "0013542419",
        "mobile": "09351112233"}))
    await other.send("↩️ بازگشت")
    await other.question("شماره همراه خود را")


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
    await user.question("تغییرات ذخیره شد")
    assert (await harness.services.signup.registration_of(harness.platform, user.id)).mobile == "09127654321"


async def test_a_button_of_the_previous_version_asks_the_current_question_again(harness):
    user = harness.user()
    question = await until_step(user, "gender")
    pressed = await user.press_data("gender|set|female", question.message)  # the old data shape
    assert (await user.answer_to(pressed)).text == "این دکمه مربوط به پرسش قبلی است."
    await user.question("جنسیت خود را")


async def test_an_edit_finished_after_withdrawing_changes_nothing(harness):
    user = harness.user()
    await register(user)
    await user.command("edit")
    await user.question("کدام بخش")
    await user.press("شماره همراه")
    await user.question("شماره همراه خود را")
    await user.command("withdraw")
    await user.question("انصراف")
    await user.press("بله، انصراف می‌دهم")
    await user.question("ثبت شد")
    await user.send("09127654321")
    await user.question("دیگر قابل ویرایش نیست")
    registration = await harness.services.signup.registration_of(harness.platform, user.id)
    assert registration.status == "withdrawn" and registration.mobile == "09121234567"


async def test_a_mobile_filled_by_others_meanwhile_is_said_at_the_summary(harness):
    for national_id in ("0499370899", "0013542419"):
        await register(harness.user(), Answers(national_id=national_id))
    late, later = harness.user(), harness.user()
    await until_step(late, "summary", Answers(national_id="1234567891"))
    await until_step(later, "summary", Answers(national_id="0084575948"))  # both passed the check
    await late.press(FA["confirm"])
    await late.question("کد پیگیری")
    await later.press(FA["confirm"])
    refused = await later.question("در ۳ ثبت‌نام فعال به کار رفته")
    assert "لطفاً اطلاعات خود را بررسی کنید" in refused.text  # the summary again, with the reason
    assert "شماره همراه" in later.inline_buttons()  # and the way to change it
