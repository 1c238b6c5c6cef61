"""After registering: /status, /edit, /withdraw, /forget and /language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services.roles import Actor
from bot.validation import to_persian_digits
from storage.models import Audience
from tests.conftest import ADMIN_ID, BOTH_PLATFORMS
from tests.e2e.coordinator_steps import coordinator_of
from tests.e2e.signup_steps import FA, Answers, register, speak_english, until_step

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)


async def test_status_shows_jalali_dates_with_persian_digits(harness, clock):
    clock.now = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
    user = harness.user()
    await register(user)
    await user.command("status")
    card = await user.receive_text("ثبت‌نام شما")
    assert "وضعیت: در انتظار بررسی" in card.text
    assert "حوزه‌های فعالیت: سلامت و بهداشت، هنری و فرهنگی" in card.text
    assert "روزها: شنبه، دوشنبه" in card.text
    assert "تاریخ ثبت‌نام: ۳۰ دی ۱۴۰۴، ساعت ۱۲:۳۰" in card.text  # the bot's clock: 20 January 2026
    assert not any(ch in "0123456789" for ch in card.text)


async def test_status_before_registering(harness):
    user = harness.user()
    await user.command("status")
    await user.receive_text("هنوز ثبت‌نامی ندارید")


async def test_a_move_is_pending_at_the_new_center_and_the_old_center_is_told(harness):
    user, old, new = harness.user(), harness.user(), harness.user()
    await coordinator_of(harness, "4175", old.id)
    await coordinator_of(harness, "4170", new.id)
    await register(user)
    alert = await old.receive_text("یاریگر تازه")
    await old.press("✅ تأیید", message=alert)
    await user.receive_text("تأیید شد")
    await old.receive_text("تأیید شد توسط")
    await user.command("edit")
    await user.receive_text("کدام بخش")
    assert user.inline_buttons() == ["نام و نام خانوادگی", "تاریخ تولد", "مرکز", "حوزه‌های فعالیت",
                                     "روزها و زمان حضور", "شماره همراه"]
    await user.press("مرکز")
    await user.receive_text("مرکز مثبت زندگی محله‌تان")
    await user.receive_text("استان")
    await user.send("اکباتان")
    await user.receive_text("مرکز پیدا شد")
    await user.press("مرکز مثبت زندگی اکباتان (نمونه) (کد ۴۱۷۰)")
    moved = await user.question("منتقل شد")
    assert "۴۱۷۰" in moved.text and "در انتظار بررسی" in moved.text
    # The new center decides afresh: a new-volunteer alert with live buttons.
    fresh = await new.receive_text("🆕 یاریگر تازه")
    assert "مریم احمدی" in fresh.text and "وضعیت: در انتظار بررسی" in fresh.text
    assert new.inline_buttons() == ["✅ تأیید", "❌ رد", "📞 تماس گرفتم"]
    # The old center: its alert loses the volunteer's data and buttons; a notice says who left.
    actions = [await old.receive(), await old.receive()]
    [retracted] = [a for a in actions if a.kind in ("edit", "delete")]
    assert "۰۹۱۲" not in retracted.text and "reply_markup" not in retracted.message
    [notice] = [a for a in actions if a.kind == "message"]
    assert "به مرکز دیگری رفت" in notice.text and "۴۱۷۵" in notice.text
    assert "۴۱۷۰" not in notice.text and "۰۹۱۲" not in notice.text
    assert "reply_markup" not in notice.message
    registration = await harness.services.signup.registration_of(harness.platform, user.id)
    assert registration.center_id == (await harness.services.centers.by_code("4170")).id
    assert registration.status == "pending" and registration.reviewed_by is None
    assert registration.national_id == "0499370899"  # the rest is untouched
    assert await harness.services.conversations.current(harness.platform, user.id) is None
    # A press of the old alert's button (a client showing it still) acts on nothing.
    pressed = await old.press_data(alert.message["reply_markup"]["inline_keyboard"][0][1]
                                   ["callback_data"], alert.message)
    assert (await old.answer_to(pressed)).text == "این کار برای نقش شما مجاز نیست."


async def test_edit_availability_and_mobile(harness):
    user = harness.user()
    await register(user)
    await user.command("edit")
    await user.receive_text()
    await user.press("روزها و زمان حضور")
    await user.receive_text("چه روزهایی")
    await user.press("جمعه")
    await user.receive()
    await user.press(FA["done"])
    await user.question("چه ساعتی")
    await user.press("عصر و شب")
    await user.receive()
    await user.press(FA["done"])
    await user.question("تغییرات ذخیره شد")
    await user.command("edit")
    await user.receive_text()
    await user.press("شماره همراه")
    await user.receive_text("شماره همراه خود را")
    await user.send("0912 000 1111")
    await user.receive_text("تغییرات ذخیره شد")
    registration = await harness.services.signup.registration_of(harness.platform, user.id)
    assert registration.availability_days == ("sat", "mon", "fri")
    assert registration.availability_parts == ("morning", "evening")
    assert registration.mobile == "09120001111"


async def test_edit_name_and_birth_date_which_may_ask_for_a_guardian(harness):
    coordinator = harness.user()
    await coordinator_of(harness, "4175", coordinator.id)
    user = harness.user()
    await register(user)
    await coordinator.receive_text("یاریگر تازه")
    await user.command("edit")
    prompt = await user.receive_text("کدام بخش")
    assert "کد ملی تغییر نمی‌کند" in prompt.text and "کد ملی" not in "".join(user.inline_buttons())
    await user.press("نام و نام خانوادگی")
    await user.question("نام و نام خانوادگی خود را")
    await user.send("مریم")
    await user.question("کامل بنویسید")
    await user.send("مریم احمدی‌نژاد")
    await user.question("تغییرات ذخیره شد")
    await user.command("edit")
    await user.receive_text("کدام بخش")
    await user.press("تاریخ تولد")
    await user.question("تاریخ تولد خود را")
    await user.send("۱۳۹۰/۰۱/۰۱")  # now under 18: the guardian's questions follow
    await user.question("نام و نام خانوادگی ولی خود را")
    await user.send("زهرا کریمی")
    await user.question("شماره همراه ولی")
    await user.send("09351112233")
    await user.question("موافق است")
    await user.press("✅ بله، رضایت دارد")
    await user.question("تغییرات ذخیره شد")
    registration = await harness.services.signup.registration_of(harness.platform, user.id)
    assert (registration.full_name, registration.birth_date, registration.is_minor) == (
        "مریم احمدی‌نژاد", "2011-03-21", True)
    assert (registration.guardian_name, registration.guardian_mobile) == ("زهرا کریمی", "09351112233")
    changed = await _next_new_message(coordinator)  # the alerts already there are redrawn first
    assert "تغییر کرد" in changed.text and "مریم احمدی‌نژاد" in changed.text
    changed = await _next_new_message(coordinator)
    assert "(زیر ۱۸ سال)" in changed.text and "ولی: زهرا کریمی — ۰۹۳۵۱۱۱۲۲۳۳" in changed.text


async def _next_new_message(user):
    while (action := await user.receive()).kind != "message":
        pass
    return action


async def test_status_says_where_to_reach_the_center(harness):
    user = harness.user()
    await register(user)
    async with harness.services.db.transaction() as conn:
        await conn.execute("UPDATE centers SET phone = '08132221234' WHERE code = '4175'")
    await user.command("status")
    card = await user.receive_text("ثبت‌نام شما")
    assert "📍 نشانی مرکز: ملایر" in card.text and "☎️ تلفن مرکز: ۰۸۱۳۲۲۲۱۲۳۴" in card.text


async def test_edit_back_abandons_without_changes(harness):
    user = harness.user()
    await register(user)
    before = await harness.services.signup.registration_of(harness.platform, user.id)
    await user.command("edit")
    await user.receive_text()
    await user.press("حوزه‌های فعالیت")
    await user.receive_text("در کدام حوزه‌ها")
    await user.press("↩️ بازگشت")
    await user.question("ویرایش لغو شد")
    assert await harness.services.signup.registration_of(harness.platform, user.id) == before


async def test_withdraw_keeps_the_record_and_tells_coordinators(harness):
    user = harness.user()
    coordinator = harness.user()
    await coordinator_of(harness, "4175", coordinator.id)
    await register(user)
    await user.command("withdraw")
    await user.receive_text("انصراف می‌دهید")
    await user.press("بله، انصراف می‌دهم")
    await user.receive_text("انصراف شما ثبت شد")
    original = await coordinator.receive_text("یاریگر تازه")
    redrawn = await coordinator.receive()  # the alert already there loses its buttons
    assert redrawn.kind == "edit" and redrawn.message_id == original.message_id
    assert "reply_markup" not in redrawn.message and "وضعیت: انصراف داده" in redrawn.text
    alert = await coordinator.receive_text("انصراف داد")  # and a new one rings
    assert "مریم احمدی" in alert.text and "۴۱۷۵" in alert.text
    assert "reply_markup" not in alert.message  # nothing left to approve
    registration = await harness.services.signup.registration_of(harness.platform, user.id)
    assert registration.status == "withdrawn" and registration.national_id == "0499370899"
    code = to_persian_digits(registration.tracking_code)
    for command in ("withdraw", "edit"):  # not "no registration yet": it is said what happened
        await user.command(command)
        assert f"انصراف شما پیش‌تر ثبت شده است (کد پیگیری {code})" in (await user.receive_text()).text
    # The same person may sign up again later: the withdrawn row no longer blocks the national id.
    await user.command("start")
    await user.receive_text("سلام")


async def test_withdraw_can_be_declined(harness):
    user = harness.user()
    await register(user)
    await user.command("withdraw")
    await user.receive_text()
    await user.press("نه")
    await user.receive_text("چیزی تغییر نکرد")
    assert (await harness.services.signup.registration_of(harness.platform, user.id)).status == "pending"


async def test_forget_erases_personal_fields_but_keeps_center_counts(harness):
    user, neighbour = harness.user(), harness.user()
    await register(user)
    await register(neighbour, Answers(national_id="0013542419", mobile="09351112233"))
    center_id = (await harness.services.centers.by_code("4175")).id
    await user.command("forget")
    await user.receive_text("برای همیشه پاک می‌شود")
    await user.press("بله، پاک شود")
    await user.receive_text("اطلاعات شخصی شما پاک شد")
    rows = await harness.services.db.fetch_all(
        "SELECT national_id, mobile, full_name, birth_date, gender, user_id, status, forgotten_at "
        "FROM registrations WHERE center_id = ? ORDER BY id", (center_id,))
    forgotten, kept = rows
    assert tuple(forgotten)[:6] == (None,) * 6 and forgotten["status"] == "withdrawn"
    assert forgotten["forgotten_at"] and kept["national_id"] == "0013542419"
    counts = await harness.services.db.fetch_one(
        "SELECT COUNT(*) FROM registrations WHERE center_id = ?", (center_id,))
    assert counts[0] == 2
    await user.command("status")
    await user.receive_text("هنوز ثبت‌نامی ندارید")
    # Writing again after /forget starts a new account, and what it chooses is kept.
    await speak_english(user)
    account = await harness.services.db.fetch_one(
        "SELECT language FROM users WHERE platform = ? AND user_id = ?", (harness.platform, user.id))
    assert account is not None and account["language"] == "en"


async def test_forget_removes_the_person_everywhere_the_wal_included(harness, db_path):
    """After /forget no table, no alert a coordinator holds and no byte of the database or its
    write-ahead log still holds the person's national code, mobile, name or account."""
    user, coordinator = harness.user(), harness.user()
    await coordinator_of(harness, "4175", coordinator.id)
    await register(user)  # مریم احمدی, 0499370899, 09120000000
    alert = await coordinator.receive_text("یاریگر تازه")
    admin = Actor(harness.platform, ADMIN_ID, "مدیر")
    _, recipients = await harness.services.broadcasts.queue(
        admin, ADMIN_ID, harness.services.i18n.translator("fa"), "یادآوری آیین آغاز", Audience())
    assert recipients == 1
    await user.receive_text("یادآوری آیین آغاز")

    await user.command("forget")
    await user.receive_text("برای همیشه پاک می‌شود")
    await user.press("بله، پاک شود")
    await user.receive_text("اطلاعات شخصی شما پاک شد")
    redrawn = await coordinator.receive()
    assert redrawn.kind == "edit" and redrawn.message_id == alert.message_id
    assert "به درخواست خودش" in redrawn.text and "reply_markup" not in redrawn.message
    notice = await coordinator.receive_text("به درخواست خودش")
    for shown in (redrawn, notice):
        assert "مریم" not in shown.text and "۰۹۱۲" not in shown.text

    secrets = ("0499370899", "09120000000", "مریم احمدی", "احمدی")
    for (table,) in await harness.services.db.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in await harness.services.db.fetch_all(f"SELECT * FROM {table}"):
            values = tuple(row)
            assert user.id not in values, (table, values)
            assert not [v for v in values if isinstance(v, str) and any(x in v for x in secrets)], \
                (table, values)
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        content = path.read_bytes() if path.exists() else b""
        for secret in secrets:
            assert secret.encode() not in content, (path.name, secret)


async def test_sign_ups_abandoned_for_the_retention_period_are_deleted(harness, clock):
    """An unfinished sign-up holding a national code is deleted after 30 untouched days (the
    daily sweep); a recent one is kept; the person who comes back simply starts again."""
    abandoned, recent = harness.user(), harness.user()
    await until_step(abandoned, "mobile")  # the national code is in the draft
    clock.now = datetime.now(UTC) + timedelta(days=20)
    await until_step(recent, "mobile", Answers(national_id="0013542419"))
    clock.now = datetime.now(UTC) + timedelta(days=31)
    assert await harness.services.erasure.forget_stale_drafts() == 1
    assert await harness.services.conversations.current(harness.platform, abandoned.id) is None
    assert await harness.services.conversations.current(harness.platform, recent.id) is not None
    rows = await harness.services.db.fetch_all("SELECT answers FROM drafts")
    assert not [r for r in rows if "0499370899" in r[0]]
    abandoned.skip_all()
    await abandoned.send("09120000000")
    await abandoned.receive_text("/start")


async def test_language_switch_mid_flow_reasks_in_english(harness):
    user = harness.user()
    await until_step(user, "name")
    await user.command("language")
    await user.receive_text("Choose your language")
    await user.press("English")
    await user.receive_text("The bot now speaks English")
    await user.receive_text("Please type your full name")
    await user.send("ab")
    await user.receive_text("A name has 3 to 60 letters")
