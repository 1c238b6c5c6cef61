"""Coordinators over the emulator: invites, alerts and their buttons, roster, export, poster."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from PIL import Image

from tests.conftest import ADMIN_ID, BOTH_PLATFORMS
from tests.e2e.coordinator_steps import (
    group_member,
    invite_token,
    make_coordinator,
    registered_volunteer,
)
from tests.e2e.signup_steps import register

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)


async def test_invite_makes_a_coordinator_once(harness):
    admin = harness.user(ADMIN_ID)
    token = await invite_token(admin, "4175")
    first, second = harness.user(), harness.user()
    await first.command("start", f"inv-{token}")
    await first.receive_text("شما اکنون تسهیلگر «مرکز مثبت زندگی مرکزی ملایر (نمونه) (کد ۴۱۷۵)»")
    await second.command("start", f"inv-{token}")
    await second.receive_text("قبلاً استفاده شده")
    center = await harness.services.centers.by_code("4175")
    assert await harness.services.coordinators.for_center(center.id) == [(harness.platform, first.id)]


async def test_an_expired_or_unknown_invite_is_refused(harness, clock):
    admin = harness.user(ADMIN_ID)
    token = await invite_token(admin, "4175")
    clock.now = datetime.now(UTC) + timedelta(days=7, minutes=1)
    late = harness.user()
    await late.command("start", f"inv-{token}")
    await late.receive_text("مهلت این پیوند دعوت تمام شده")
    await late.command("start", "inv-forged-token")
    await late.receive_text("معتبر نیست")


async def test_registration_alert_approve_edits_alert_and_tells_volunteer(harness, clock):
    coordinator = await make_coordinator(harness, "4175", name="زهرا")
    clock.now = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)
    volunteer = await registered_volunteer(harness)
    alert = await coordinator.receive_text("🆕 یاریگر تازه")
    for expected in ("مریم احمدی", "سن: ۳۰", "۰۹۱۲۰۰۰۰۰۰۰", "سلامت و بهداشت", "شنبه", "صبح",
                     "کد پیگیری", "تاریخ ثبت‌نام", "۱۴۰۵"):
        assert expected in alert.text
    assert coordinator.inline_buttons() == ["✅ تأیید", "❌ رد", "📞 تماس گرفتم"]
    answer = await coordinator.press("✅ تأیید", message=alert)
    told = await volunteer.receive_text("تأیید شد")
    assert "مرکز مثبت زندگی مرکزی ملایر" in told.text
    edited = await coordinator.receive()
    # Bale too edits in place (it answers the edit with a stub): no second card in the chat.
    assert edited.kind == "edit" and edited.message_id == alert.message_id
    assert "✅ تأیید شد توسط زهرا" in edited.text and "وضعیت: تأیید شده" in edited.text
    assert (await coordinator.answer_to(answer)).text.startswith("ثبت‌نام تأیید شد")
    registration = await harness.services.signup.registration_of(harness.platform, volunteer.id)
    assert registration.status == "approved" and registration.reviewed_by == "زهرا"
    # Every stamp comes from the bot's clock, not the machine's.
    assert registration.created_at == registration.reviewed_at == "2026-12-02T06:30:00+00:00"
    audit = await harness.services.audit.entries(f"registration:{registration.id}")
    assert audit == [(f"{harness.platform}:{coordinator.id}", "registration.approve",
                      f"registration:{registration.id}", "")]
    # Contacted is recorded on the alert as well; approving twice changes nothing.
    await coordinator.press("📞 تماس گرفتم", message=alert)
    contacted = await coordinator.receive()
    assert "📞 تماس گرفته شد توسط زهرا" in contacted.text
    again = await coordinator.press("✅ تأیید", message=alert)
    await coordinator.silence(0.3)
    assert (await coordinator.answer_to(again)).text == "این تصمیم قبلاً ثبت شده است."
    await volunteer.silence(0.2)


async def test_reject_tells_the_volunteer_in_their_language(harness):
    coordinator = await make_coordinator(harness, "4175")
    volunteer = harness.user(language_code="en")
    from tests.e2e.signup_steps import EN, Answers, register

    await register(volunteer, Answers(name="Sara Karimi"), EN)
    alert = await coordinator.receive_text("یاریگر تازه")
    await coordinator.press("❌ رد", message=alert)
    picker = await coordinator.receive_text("دلیل رد")
    await coordinator.press("با شماره همراه ثبت‌شده تماس برقرار نشد", message=picker)
    told = await volunteer.receive_text("was not approved")
    assert "/edit" in told.text and "Reason: The registered mobile number could not be reached" in told.text
    assert "📍 Center's address: ملایر، میدان مرکزی (نشانی نمونه)" in told.text  # where to ask


async def test_blocked_coordinator_does_not_stop_alerts_to_the_others(harness):
    blocked = await make_coordinator(harness, "4175", name="بسته")
    active = await make_coordinator(harness, "4175", name="فعال")
    harness.emulator.faults.block(blocked.id)
    await registered_volunteer(harness)
    await active.receive_text("یاریگر تازه")
    assert not [a for a in blocked.pending() if "یاریگر تازه" in a.text]


async def test_linked_group_receives_alerts(harness):
    admin = harness.user(ADMIN_ID)
    in_group = group_member(harness, admin)
    await in_group.command("linkgroup", "4175")
    await in_group.receive_text("به این گروه هم می‌آید")
    await registered_volunteer(harness)
    alert = await in_group.receive_text("یاریگر تازه")
    assert in_group.inline_buttons() == ["✅ تأیید", "❌ رد", "📞 تماس گرفتم"]
    # A group's members are not vetted one by one: no mobile number there, on any redraw.
    assert "۰۹۱۲۰۰۰۰۰۰۰" not in alert.text and "شماره همراه: در گفتگوی خصوصی با" in alert.text
    await in_group.press("✅ تأیید", message=alert)
    redrawn = await in_group.receive_text("تأیید شد توسط")
    assert "۰۹۱۲۰۰۰۰۰۰۰" not in redrawn.text and "شماره همراه:" in redrawn.text


@pytest.mark.parametrize("command", ["roster", "export"])
async def test_personal_data_commands_answer_only_in_private(harness, command):
    """Typed in a group, /roster and /export post nothing personal: a pointer to a private chat."""
    coordinator = await make_coordinator(harness, "4175")
    await registered_volunteer(harness)
    await coordinator.receive_text("یاریگر تازه")
    for n, person in enumerate((coordinator, harness.user(ADMIN_ID))):
        in_group = group_member(harness, person, chat_id=-100_601 - n)
        await in_group.command(command, "4175")
        answer = await in_group.receive_text("فقط در گفتگوی خصوصی")
        [link] = answer.url_buttons().values()
        assert link.endswith("/salam_mahalleh_bot") and "مریم" not in answer.text
        await in_group.silence(0.5)  # no roster, no file
        assert not [a for a in in_group.state.actions if a.message.get("document")]
    await coordinator.command(command, "4175")  # in private it works
    reply = await coordinator.receive()
    assert "فقط در گفتگوی خصوصی" not in reply.text


async def test_roster_pages_and_filters(harness):
    coordinator = await make_coordinator(harness, "4175")
    for n in range(3):
        await registered_volunteer(harness, n)
        await coordinator.receive_text("یاریگر تازه")
    await coordinator.command("roster")
    roster = await coordinator.receive_text("یاریگران «")
    assert "۳ نفر" in roster.text and roster.text.count("در انتظار بررسی") == 3
    await coordinator.press("تأیید شده", message=roster)
    filtered = await coordinator.receive()
    assert "یاریگری با این فیلتر نیست" in filtered.text and "✓ تأیید شده" in coordinator.inline_buttons()
    await coordinator.press("فیلتر حوزه فعالیت")
    await coordinator.receive_text("کدام حوزه")
    await coordinator.press("سلامت و بهداشت")
    by_activity = await coordinator.receive()
    assert "سلامت و بهداشت" in by_activity.text


async def test_roster_pages_ten_at_a_time(harness):
    center = await harness.services.centers.by_code("4175")
    coordinator = await make_coordinator(harness, "4175")
    from tests.storage_fixtures import insert_registrations

    await insert_registrations(harness.services.db, center.id, 23)
    await coordinator.command("roster")
    first = await coordinator.receive_text("۲۳ نفر")
    assert first.text.count("\n۱") >= 1 and "۱۰." in first.text and "۱۱." not in first.text
    await coordinator.press("بعدی »")
    second = await coordinator.receive()
    assert "۱۱." in second.text and "۲۰." in second.text
    await coordinator.press("بعدی »")
    third = await coordinator.receive()
    assert "۲۳." in third.text and "بعدی »" not in coordinator.inline_buttons()


async def test_export_sends_xlsx_and_csv_with_the_centers_rows(harness):
    coordinator = await make_coordinator(harness, "4175")
    other_center_volunteer = harness.user()
    from tests.e2e.signup_steps import Answers, register

    for n in range(2):
        await registered_volunteer(harness, n)
        await coordinator.receive_text("یاریگر تازه")
    await register(other_center_volunteer, Answers(national_id="1234567891", mobile="09127770000"))
    await coordinator.receive_text("یاریگر تازه")
    await harness.services.registrations.update(
        (await harness.services.signup.registration_of(harness.platform, other_center_volunteer.id)).id,
        center_id=(await harness.services.centers.by_code("4170")).id)
    await coordinator.command("export")
    xlsx_message = await coordinator.receive()
    csv_message = await coordinator.receive()
    document = xlsx_message.message["document"]
    assert document["file_name"].endswith(".xlsx") and "۲ ردیف" in xlsx_message.text
    workbook = openpyxl.load_workbook(io.BytesIO(harness.bot.files[document["file_id"]].content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("کد پیگیری", "نام و نام خانوادگی", "کد ملی", "شماره همراه",
                           "شماره تأییدشده (مخاطب خودش)")
    column = {title: n for n, title in enumerate(rows[0])}
    assert sorted(r[2] for r in rows[1:]) == ["0013542419", "0499370899"]
    assert {r[column["کد مرکز"]] for r in rows[1:]} == {"4175"}
    assert rows[1][column["تاریخ تولد"]] == "1375/06/21" and rows[1][column["وضعیت"]] == "در انتظار بررسی"
    assert rows[1][column["تاریخ ثبت‌نام"]].startswith("1405/")
    # A reader's sheet: the messenger named as people say it, a bold header that filters.
    assert rows[1][column["پیام‌رسان"]] == ("بله" if harness.platform == "bale" else "تلگرام")
    sheet = workbook.active
    assert sheet["A1"].font.b and sheet.auto_filter.ref == "A1:V3" and sheet.sheet_view.rightToLeft
    csv_bytes = harness.bot.files[csv_message.message["document"]["file_id"]].content
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert csv_bytes.decode("utf-8-sig").splitlines()[0].startswith("کد پیگیری,")


async def test_poster_arrives_as_a_printable_photo(harness):
    coordinator = await make_coordinator(harness, "4175")
    await coordinator.command("poster", "۴۱۷۵")
    photo = await coordinator.receive_text("پوستر ثبت‌نام")
    biggest = photo.message["photo"][-1]
    content = harness.bot.files[biggest["file_id"]].content
    image = Image.open(io.BytesIO(content))
    assert image.size == (1240, 1754) and image.format == "PNG"
    assert len(image.convert("L").getcolors(maxcolors=256 * 256)) > 2  # text and QR, not blank


async def test_help_shows_the_commands_of_the_users_roles(harness):
    citizen, admin = harness.user(), harness.user(ADMIN_ID)
    coordinator = await make_coordinator(harness, "4175")
    for user in (citizen, coordinator, admin):
        user.skip_all()
        await user.command("help")
    assert "/roster" not in (await citizen.receive_text("/start")).text
    coordinator_help = await coordinator.receive_text("فرمان‌های تسهیلگر")
    assert "/invite" not in coordinator_help.text
    assert "/invite" in (await admin.receive_text("فرمان‌های مدیر")).text


async def test_a_profile_name_cannot_spoof_a_line_of_an_alert(harness):
    spoof = "زهرا\u202e\n✅ تأیید شد توسط مدیرکل\u2066" + "ا" * 80
    coordinator = await make_coordinator(harness, "4175", name=spoof)
    volunteer = harness.user()
    await register(volunteer)
    alert = await coordinator.receive_text("🆕 یاریگر تازه")
    await coordinator.press("✅ تأیید", message=alert)
    redrawn = await coordinator.receive_text("✅ تأیید شد توسط")
    decided = [line for line in redrawn.text.splitlines() if line.startswith("✅")]
    assert len(decided) == 1 and decided[0].startswith("✅ تأیید شد توسط زهرا ✅")  # one line
    assert not any(ch in redrawn.text for ch in "\u202e\u2066")
    assert len(decided[0].split(" — ")[0]) < 70  # the name is capped


async def test_invites_answer_only_in_private_and_can_be_revoked(harness):
    admin = harness.user(ADMIN_ID, first_name="مدیر")
    in_group = group_member(harness, admin)
    await in_group.command("invite", "4175")
    pointer = await in_group.receive_text("فقط در گفتگوی خصوصی")
    assert "inv-" not in pointer.text and not [u for u in pointer.url_buttons().values() if "inv-" in u]
    await in_group.silence(0.5)

    kept, revoked = await invite_token(admin, "4175"), await invite_token(admin, "4170")
    admin.skip_all()
    await admin.command("invites")
    listing = await admin.receive_text("دعوت‌های باز تسهیلگری")
    assert "۱. «مرکز" in listing.text and "۲. «مرکز" in listing.text and "معتبر تا" in listing.text
    assert "inv-" not in listing.text  # the list names invites, it does not hand out their links
    stranger = harness.user()
    forged = await stranger.press_data(f"iv|revoke|{kept}", listing.message)
    assert (await stranger.answer_to(forged)).text == "این کار برای نقش شما مجاز نیست."
    answer = await admin.answer_to(await admin.press("🗑 لغو دعوت ۲", message=listing))
    assert "دعوت لغو شد" in answer.text
    latecomer = harness.user()
    await latecomer.command("start", f"inv-{revoked}")
    await latecomer.receive_text("این پیوند دعوت لغو شده است")
    await latecomer.command("help")
    assert "فرمان‌های تسهیلگر" not in (await latecomer.receive_text("راهنما")).text
    coordinator = harness.user()
    await coordinator.command("start", f"inv-{kept}")  # the other one still works
    await coordinator.receive_text("شما اکنون تسهیلگر")
    await admin.command("invites")
    await admin.receive_text("دعوت باز")
    assert "دعوت باز (استفاده‌نشده" in admin.state.actions[-1].text


async def test_who_loses_the_role_never_sees_the_volunteer_again(harness):
    """A removed coordinator and an unlinked group: their alert copies lose the volunteer's data
    and buttons at once, later decisions never redraw them, and the removed person is told."""
    admin = harness.user(ADMIN_ID, first_name="مدیر")
    removed = await make_coordinator(harness, "4175", name="رفته")
    staying = await make_coordinator(harness, "4175", name="مانده")
    in_group = group_member(harness, admin)
    await in_group.command("linkgroup", "4175")
    await in_group.receive_text("به این گروه هم می‌آید")
    await registered_volunteer(harness)
    for holder in (removed, staying, in_group):
        await holder.receive_text("یاریگر تازه")

    admin.skip_all()
    await admin.command("coordinators")
    listing = await admin.receive_text("تسهیلگران")
    await admin.press("حذف ۱", message=listing)
    await admin.receive_text("حذف شود؟")  # asked first
    await admin.press("بله، حذف شود", message=listing)
    await admin.receive_text("دیگر تسهیلگر")
    told = await removed.receive_text("دیگر تسهیلگر")
    assert "مرکز مثبت زندگی مرکزی ملایر" in told.text
    retracted = await removed.receive()
    assert retracted.kind in ("edit", "delete")
    if retracted.kind == "edit":
        assert "مریم" not in retracted.text and "۰۹۱۲" not in retracted.text
        assert not retracted.message.get("reply_markup", {}).get("inline_keyboard")

    await in_group.command("unlinkgroup")
    answers = [await in_group.receive(), await in_group.receive()]
    assert [a for a in answers if "دیگر به این گروه نمی‌آید" in a.text]
    [group_copy] = [a for a in answers if a.kind in ("edit", "delete")]
    assert "مریم" not in group_copy.text

    alert = next(a for a in staying.state.actions if "یاریگر تازه" in a.text)
    await staying.press("✅ تأیید", message=alert)
    await staying.receive_text("تأیید شد توسط مانده")
    await removed.silence(0.5)
    await in_group.silence(0.1)
    for gone in (removed, in_group):
        assert not [a for a in gone.pending() if "مریم" in a.text or "تأیید شد توسط" in a.text]
    # The old buttons act on nothing any more.
    old = next(a for a in removed.state.actions if "یاریگر تازه" in a.text)
    pressed = await removed.press_data(old.message["reply_markup"]["inline_keyboard"][0][0]
                                       ["callback_data"], old.message)
    assert (await removed.answer_to(pressed)).text == "این کار برای نقش شما مجاز نیست."


async def test_a_group_linked_to_another_center_loses_the_old_centers_alerts(harness):
    admin = harness.user(ADMIN_ID, first_name="مدیر")
    in_group = group_member(harness, admin)
    await in_group.command("linkgroup", "4175")
    await in_group.receive_text("به این گروه هم می‌آید")
    await registered_volunteer(harness)
    await in_group.receive_text("یاریگر تازه")
    await in_group.command("linkgroup", "4170")
    answers = [await in_group.receive(), await in_group.receive()]
    assert [a for a in answers if "«مرکز مثبت زندگی" in a.text and "به این گروه هم می‌آید" in a.text]
    [moved] = [a for a in answers if a.kind in ("edit", "delete")]
    assert "مریم" not in moved.text


async def test_a_rejection_has_a_reason_and_a_changed_decision_is_confirmed(harness):
    coordinator = await make_coordinator(harness, "4175", name="زهرا")
    volunteer = await registered_volunteer(harness)
    alert = await coordinator.receive_text("🆕 یاریگر تازه")

    # Reject asks why first; cancelling the question changes nothing.
    await coordinator.press("❌ رد", message=alert)
    picker = await coordinator.receive_text("دلیل رد")
    assert picker.message_id == alert.message_id or picker.kind == "message"
    assert "ظرفیت حوزه‌های انتخابی در این مرکز پر است" in coordinator.inline_buttons()
    await coordinator.press("↩️ انصراف", message=picker)
    back = await coordinator.receive()
    assert coordinator.inline_buttons() == ["✅ تأیید", "❌ رد", "📞 تماس گرفتم"], back.text
    registration = await harness.services.signup.registration_of(harness.platform, volunteer.id)
    assert registration.status == "pending"
    await volunteer.silence(0.2)
    assert not volunteer.pending()

    await coordinator.press("❌ رد", message=alert)
    picker = await coordinator.receive_text("دلیل رد")
    await coordinator.press("ظرفیت حوزه‌های انتخابی در این مرکز پر است", message=picker)
    told = await volunteer.receive_text("تأیید نشد")
    assert "دلیل: ظرفیت حوزه‌های انتخابی در این مرکز پر است" in told.text and "/edit" in told.text
    redrawn = await coordinator.receive_text("❌ رد شد توسط زهرا")
    assert "دلیل: ظرفیت" in redrawn.text

    # Approving after the volunteer heard "rejected" asks for confirmation first.
    await coordinator.press("✅ تأیید", message=alert)
    confirm = await coordinator.receive_text("به یاریگر گفته شده")
    await volunteer.silence(0.2)
    assert not volunteer.pending()
    await coordinator.press("✅ بله، تأیید شود", message=confirm)
    await volunteer.receive_text("تأیید شد")
    await coordinator.receive_text("✅ تأیید شد توسط زهرا")

    # Rejecting after approval: the picker warns; a typed reason is asked in private.
    await coordinator.press("❌ رد", message=alert)
    picker = await coordinator.receive_text("به یاریگر گفته شده")
    await coordinator.press("✍️ دلیل دیگر (بنویسید)", message=picker)
    await coordinator.receive_text("را بنویسید (یاریگر آن را می‌بیند)")
    await coordinator.send("ok")
    await coordinator.receive_text("کوتاه")
    await coordinator.send("حوزهٔ سلامت\u202e فعلاً\nبرنامه‌ای ندارد")
    done = [await coordinator.receive(), await coordinator.receive()]  # the alert redrawn, and:
    assert [a for a in done if a.text.startswith("دلیل ثبت شد")]
    told = await volunteer.receive_text("تأیید نشد")
    assert "دلیل: حوزهٔ سلامت فعلاً برنامه‌ای ندارد" in told.text
    registration = await harness.services.signup.registration_of(harness.platform, volunteer.id)
    assert (registration.status, registration.review_reason) == ("rejected", "typed")
    audit = [a[1] for a in await harness.services.audit.entries(f"registration:{registration.id}")]
    assert audit == ["registration.reject", "registration.approve", "registration.reject"]


async def test_a_rejected_volunteer_can_choose_another_center(harness):
    coordinator = await make_coordinator(harness, "4175")
    volunteer = await registered_volunteer(harness)
    alert = await coordinator.receive_text("🆕 یاریگر تازه")
    await coordinator.press("❌ رد", message=alert)
    picker = await coordinator.receive_text("دلیل رد")
    await coordinator.press("مرکز دیگری به محل یاریگر نزدیک‌تر است", message=picker)
    await volunteer.receive_text("تأیید نشد")
    await volunteer.command("edit")
    await volunteer.receive_text("مرکز دیگری")
    await volunteer.press("انتخاب مرکز دیگر")
    await volunteer.question("مرکز مثبت زندگی محله‌تان")
    await volunteer.question("استان")
    await volunteer.send("ملایر")
    await volunteer.question("مرکز پیدا شد")
    await volunteer.press("مرکز مثبت زندگی مرکزی ملایر (نمونه) (کد ۴۱۷۵)")
    await volunteer.question("همین مرکز")
    await volunteer.question("استان")  # the same question again
    await volunteer.send("اکباتان")
    await volunteer.question("مرکز پیدا شد")
    await volunteer.press("مرکز مثبت زندگی اکباتان (نمونه) (کد ۴۱۷۰)")
    await volunteer.question("منتقل شد")
    registration = await harness.services.signup.registration_of(harness.platform, volunteer.id)
    assert registration.status == "pending" and registration.review_reason is None
    await volunteer.command("status")
    await volunteer.receive_text("در انتظار بررسی")


async def test_a_volunteer_in_the_roster_opens_as_an_alert_that_can_be_acted_on(harness):
    coordinator = await make_coordinator(harness, "4175")
    volunteer = await registered_volunteer(harness)
    await coordinator.receive_text("یاریگر تازه")  # missed, say, in a busy chat
    await coordinator.command("roster")
    roster = await coordinator.receive_text("یاریگران «")
    assert "— کد پیگیری " in roster.text  # the code says what it is
    assert "شماره‌اش را بزنید" in roster.text and "۱" in coordinator.inline_buttons()
    await coordinator.press("۱", message=roster)
    alert = await coordinator.receive_text("یاریگر تازه")
    assert "✅ تأیید" in coordinator.inline_buttons()
    await coordinator.press("✅ تأیید", message=alert)
    await volunteer.receive_text("تأیید شد")
    registration = await harness.services.signup.registration_of(harness.platform, volunteer.id)
    assert registration.status == "approved"


async def test_a_poster_is_found_by_the_centers_name(harness):
    admin = harness.user(ADMIN_ID, first_name="مدیر")
    await admin.command("poster", "اکباتان")  # one center: its poster at once
    photo = await admin.receive_text("پوستر ثبت‌نام")
    assert "اکباتان" in photo.text
    await admin.command("poster", "همدان")  # several: a pick-list
    choose = await admin.receive_text("چند مرکز پیدا شد؛ کدام؟")
    assert "مرکز مثبت زندگی مدنی (نمونه) (کد ۴۱۷۱)" in admin.inline_buttons()
    await admin.press("مرکز مثبت زندگی مدنی (نمونه) (کد ۴۱۷۱)", message=choose)
    photo = await admin.receive_text("پوستر ثبت‌نام")
    assert "۴۱۷۱" in photo.text
    await admin.command("poster", "ناموجود")
    await admin.receive_text("مرکزی با «ناموجود» در نام، نشانی یا شهرستان پیدا نشد")
    await admin.command("poster", "9999")
    await admin.receive_text("مرکزی با کد «۹۹۹۹» پیدا نشد")  # what was typed, in Persian digits


async def test_coordinators_are_paged_named_and_removed_after_a_confirmation(harness):
    center = await harness.services.centers.by_code("4175")
    for n in range(23):
        await harness.services.coordinators.add(harness.platform, 700_000 + n, center.id, f"تسهیلگر {n:02d}")
    admin = harness.user(ADMIN_ID, first_name="مدیر")
    await admin.command("coordinators")
    first = await admin.receive_text("تسهیلگران — ۲۳ نفر (صفحه ۱ از ۳)")
    assert first.text.count("\n") == 10 and "telegram:" not in first.text and "bale:" not in first.text
    assert "تسهیلگر" in first.text and len(admin.inline_buttons()) == 11  # ten removals and Next
    await admin.press("بعدی »", message=first)
    second = await admin.receive()
    assert "صفحه ۲ از ۳" in second.text and "۱۱." in second.text
    await admin.press("حذف ۱۱", message=second)
    confirm = await admin.receive()
    assert "از تسهیلگری «مرکز مثبت زندگی مرکزی ملایر (نمونه) (کد ۴۱۷۵)» حذف شود؟" in confirm.text
    assert await harness.services.coordinators.for_center(center.id)  # nothing removed yet
    await admin.press("بله، حذف شود", message=confirm)
    done = await admin.receive()
    assert "دیگر تسهیلگر" in done.text and "۲۲ نفر" in done.text
    assert len(await harness.services.coordinators.for_center(center.id)) == 22
