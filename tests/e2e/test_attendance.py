"""Attendance kept by the coordinator over the emulator, on both messengers: /attendance opens the
event's sheet at their center; names tick volunteers in (walk-ins too) or take it back, ⏏ checks
them out; Verify fixes everyone's hours (to the check-out, or the whole event); /hours shows them."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from tests.conftest import ADMIN_ID, BOTH_PLATFORMS
from tests.e2e.coordinator_steps import coordinator_of
from tests.e2e.test_events import KICKOFF, _create_event
from tests.e2e.test_rsvp import TITLE, _volunteers

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)

COORDINATOR = 6_000_003


async def test_a_coordinator_ticks_checks_out_and_verifies_and_volunteers_see_their_hours(harness, clock):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    absent, coming, walk_in = await _volunteers(harness, 3)
    await _create_event(harness.user(ADMIN_ID))
    for person in (absent, coming, walk_in):
        await person.receive_text("📣 دعوت")
    await coming.press("✅ می‌آیم")
    await coming.receive_text("✅ ثبت شد")
    await coordinator_of(harness, "4175", COORDINATOR)
    harness.bot.open_private_chats([COORDINATOR])
    coordinator = harness.user(COORDINATOR)
    [event] = await harness.services.events.upcoming()
    center = await harness.services.centers.by_code("4175")
    ids = {user_id: rid for rid, user_id in await harness.services.db.fetch_all(
        "SELECT id, user_id FROM registrations")}

    clock.now = KICKOFF - timedelta(hours=2)
    await coordinator.command("attendance")
    await coordinator.receive_text("حضور کدام رویداد «مرکز مثبت زندگی مرکزی ملایر")
    await coordinator.press(f"{TITLE} — ۱۴ بهمن ۱۴۰۵")
    sheet = await coordinator.receive_text(f"📋 حضور در «{TITLE}»")
    assert "آمده‌اند: ۰ نفر" in sheet.text
    # Who said they come is listed first; everyone else of the center follows (walk-ins).
    assert coordinator.inline_buttons()[:3] == ["⬜ یاریگر 1", "⬜ یاریگر 0", "⬜ یاریگر 2"]
    too_early = await coordinator.press("⬜ یاریگر 1")
    assert "یک ساعت پیش از شروع" in (await coordinator.answer_to(too_early)).text

    clock.now = KICKOFF + timedelta(minutes=30)
    for name in ("یاریگر 1", "یاریگر 2", "یاریگر 0"):
        await coordinator.press(f"⬜ {name}")
        await coordinator.receive()
    await coordinator.press("✅ یاریگر 0 (۰۸:۳۰)")  # ticked by mistake: taken back
    redrawn = await coordinator.receive()
    assert "آمده‌اند: ۲ نفر" in redrawn.text
    assert coordinator.inline_buttons()[:5] == ["✅ یاریگر 1 (۰۸:۳۰)", "⏏ خروج", "⬜ یاریگر 0",
                                                "✅ یاریگر 2 (۰۸:۳۰)", "⏏ خروج"]

    clock.now = KICKOFF + timedelta(hours=3)  # 11:00: the volunteer who came leaves
    await coordinator.press(data=f"at|out|{event.id}|{center.id}|0|{ids[coming.id]}", message=sheet)
    await coordinator.receive()
    assert coordinator.inline_buttons()[0] == "🏁 یاریگر 1 (۰۸:۳۰)"
    early = await coordinator.press("✔️ تأیید ساعت‌های حاضران")  # 11:00: the event runs till 12:00
    assert "پس از پایان رویداد" in (await coordinator.answer_to(early)).text
    # Eight days on, the sheet is still on the list while hours wait for their check.
    clock.now = KICKOFF + timedelta(days=8)
    await coordinator.command("attendance")
    await coordinator.receive_text("حضور کدام رویداد")
    await coordinator.press(f"{TITLE} — ۱۴ بهمن ۱۴۰۵")
    sheet = await coordinator.receive_text(f"📋 حضور در «{TITLE}»")
    verify = await coordinator.press("✔️ تأیید ساعت‌های حاضران")
    assert (await coordinator.answer_to(verify)).text == "ساعت‌های ۲ نفر تأیید شد."
    verified = await coordinator.receive()
    assert "ساعت تأییدشده: ۲ نفر" in verified.text
    assert coordinator.inline_buttons()[:3] == ["🔒 یاریگر 1", "⬜ یاریگر 0", "🔒 یاریگر 2"]
    locked = await coordinator.press_data(f"at|undo|{event.id}|{center.id}|0|{ids[walk_in.id]}",
                                          verified.message)
    assert "تأیید شده است" in (await coordinator.answer_to(locked)).text

    await coming.command("hours")  # 08:30 to 11:00
    hours = await coming.receive_text("⏱ ساعت‌های خدمت شما: ۲٫۵ ساعت تأییدشده")
    assert f"• {TITLE} — ۱۴ بهمن ۱۴۰۵ — ۲٫۵ ساعت" in hours.text
    await walk_in.command("hours")  # no check-out: the whole event, 08:00 to 12:00
    await walk_in.receive_text("⏱ ساعت‌های خدمت شما: ۴ ساعت تأییدشده")
    await absent.command("hours")
    await absent.receive_text("هنوز حضوری برای شما ثبت نشده است")

    # The center's export holds the attendance, event by event, and each volunteer's hours.
    coordinator.skip_all()
    await coordinator.command("export")
    workbook = await coordinator.receive(timeout=15)
    content = harness.bot.files[workbook.message["document"]["file_id"]].content
    sheets = openpyxl.load_workbook(io.BytesIO(content))
    assert sheets.sheetnames == ["یاریگران", "حضور در رویدادها", "ساعت‌ها"]
    attended = {row[5]: row for row in sheets["حضور در رویدادها"].iter_rows(min_row=2, values_only=True)}
    assert attended["یاریگر 1"][6:] == ("✅ می‌آیم", "1405/11/14 08:30", "1405/11/14 11:00", "2.5")
    assert attended["یاریگر 2"][6:] == (None, "1405/11/14 08:30", None, "4")
    hours_rows = sorted(row[1:] for row in sheets["ساعت‌ها"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in hours_rows] == ["یاریگر 1", "یاریگر 2"] and hours_rows[0][-1] == "2.5"
    await coordinator.receive(timeout=15)  # and the CSV

    # Managers see how the event went: three invited, one said they come, two came, no no-show.
    line = f"• {TITLE} (۱۴ بهمن ۱۴۰۵): دعوت ۳ — می‌آیند ۱ — آمدند ۲ — نیامدند ۰"
    for manager in (harness.user(ADMIN_ID), coordinator):
        manager.skip_all()
        await manager.command("stats")
        stats = await manager.receive_text("📊")
        assert "حضور در رویدادها" in stats.text and line in stats.text
        # Per center, per area and the events' attendance (nobody signed up in the last 30 days:
        # no chart per day).
        charts = [await manager.receive(timeout=30) for _ in range(3)]
        assert all("photo" in chart.message for chart in charts)
        await manager.silence(1.0)


async def test_only_the_centers_coordinators_keep_its_sheet(harness, clock):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    await _volunteers(harness, 1)
    await _create_event(harness.user(ADMIN_ID))
    [event] = await harness.services.events.upcoming()
    center = await harness.services.centers.by_code("4175")
    stranger = harness.user()
    await stranger.command("attendance", "4175")
    await stranger.receive_text("مجاز نیست")
    message = await stranger.command("hours")
    await stranger.receive_text("ابتدا به‌عنوان یاریگر ثبت‌نام کنید")
    query = await stranger.press_data(f"at|in|{event.id}|{center.id}|0|1", message)
    assert "مجاز نیست" in (await stranger.answer_to(query)).text
    # Coordinators of other centers: Ekbatan (in Hamadan, hosting the event) may not tick
    # Malayer's volunteer on its own sheet; Birjand's center does not host the event at all.
    clock.now = KICKOFF + timedelta(minutes=10)
    for code, user_id in (("4170", COORDINATOR + 1), ("5201", COORDINATOR + 2)):
        await coordinator_of(harness, code, user_id)
        harness.bot.open_private_chats([user_id])
        other = harness.user(user_id)
        own = await harness.services.centers.by_code(code)
        await other.command("hours")
        hint = await other.receive()
        query = await other.press_data(f"at|in|{event.id}|{own.id}|0|1", hint.message)
        assert "دیگر در فهرست نیست" in (await other.answer_to(query)).text
    assert await harness.services.db.fetch_all("SELECT * FROM attendance") == []
