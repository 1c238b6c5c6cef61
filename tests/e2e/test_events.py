"""Events and reminders over the emulator, with the bot's clock moved by the test (no sleeping
for hours): reminders reach the event's scope at the right time, once, even across a restart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings
from bot.runner import running_bots
from bot.validation import normalize_digits
from emulator.client import EmulatedUser
from handlers.routes import ROUTES
from tests.conftest import ADMIN_ID, BOTH_PLATFORMS, TELEGRAM_TOKEN
from tests.e2e.signup_steps import speak_english
from tests.storage_fixtures import insert_registrations

# 14 Bahman 1405, 08:00 in Tehran.
KICKOFF = datetime(2027, 2, 3, 4, 30, tzinfo=UTC)
HAMADAN_USERS = [5_000_000, 5_000_001, 5_000_002]
BIRJAND_USER = 5_000_003


async def _messages(bot, user_id) -> list[str]:
    return [a.text for a in bot.messages_to(user_id)]


async def _reminders(bot, user_id, kind: str = "⏰ یادآوری") -> list[str]:
    return [text for text in await _messages(bot, user_id) if kind in text]


async def _wait_for(condition, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def _create_event(admin: EmulatedUser, place: str | None = None, capacity: int | None = None) -> None:
    """/event: Hamadan's centers, 14 Bahman 1405 08:00–12:00, at each volunteer's center (or
    `place`), as many as come (or `capacity`)."""
    await admin.command("event")
    await admin.question("عنوان رویداد")
    await admin.send("آیین آغاز پویش سلام محله")
    await admin.question("برای کجاست")
    await admin.press("یک استان")
    await admin.question("استان را انتخاب کنید")
    await admin.press("همدان")
    await admin.question("تاریخ و ساعت شروع")
    await admin.send("۱۴۰۵/۱۱/۱۴ ۲۵:۰۰")
    await admin.question("به شکل ۱۴۰۵/۱۱/۱۴ ۰۸:۰۰")
    await admin.send("1404/11/14 08:00")
    await admin.question("این زمان گذشته است")
    await admin.send("2026/12/20 10:00")  # a Gregorian date is never read as a Jalali one
    await admin.question("لطفاً تاریخ شمسی بنویسید. همان روز به شمسی: ۱۴۰۵/۰۹/۲۹")
    await admin.send("۱۴۰۵/۱۱/۱۴ ۰۸:۰۰")
    await admin.question("ساعت پایان را بنویسید")
    await admin.send("۰۷:۳۰")
    await admin.question("پایان باید بعد از شروع (۱۴ بهمن ۱۴۰۵، ساعت ۰۸:۰۰) باشد")
    await admin.send("1405/11/30 12:00")
    await admin.question("یک رویداد بیش از یک هفته طول نمی‌کشد")
    await admin.send("۱۲:۰۰")
    await admin.question("کجا برگزار می‌شود")
    if place is None:
        await admin.press("🏠 در مرکز خود هر یاریگر")
    else:
        await admin.send(place)
    await admin.question("چند نفر می‌توانند بیایند")
    await admin.send("۰")
    await admin.question("ظرفیت را با عددی از ۱ تا ۵٬۰۰۰ بنویسید")
    await admin.send("10000")
    await admin.question("ظرفیت را با عددی از ۱ تا ۵٬۰۰۰ بنویسید")
    if capacity is None:
        await admin.press("♾ بدون محدودیت")
    else:
        await admin.send(str(capacity))
    areas = await admin.question("فقط یاریگران حوزه‌های خاصی دعوت شوند")
    await admin.press("✅ تمام", message=areas)
    offsets = await admin.question("یادآوری‌ها چه زمانی")
    assert "✓ ۱ روز قبل" in admin.inline_buttons() and "✓ ۲ ساعت قبل" in admin.inline_buttons()
    await admin.press("✅ تمام", message=offsets)
    summary = await admin.question("ذخیره شود")
    assert "۱۴ بهمن ۱۴۰۵، ساعت ۰۸:۰۰ تا ۱۲:۰۰" in summary.text and "برای: مراکز همدان" in summary.text
    assert f"ظرفیت: {f'{capacity} نفر' if capacity else 'بدون محدودیت'}" in normalize_digits(summary.text)
    assert "حوزه‌ها: همه حوزه‌ها" in summary.text
    assert f"مکان: {place or 'مرکز مثبت زندگی خود یاریگر'}" in summary.text
    await admin.press("✅ ذخیره")
    await admin.question("ذخیره شد")


async def test_reminders_reach_the_scope_at_the_right_time_once_across_restarts(
        emulator, bot_env, db_path, clock):
    bot = emulator.add_bot(TELEGRAM_TOKEN)
    settings = Settings.from_env(bot_env)
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    async with running_bots(settings, ROUTES, clock) as applications:
        services = applications[0].bot_data.services
        for code, users in (("4175", HAMADAN_USERS[:2]), ("4170", HAMADAN_USERS[2:]),
                            ("5201", [BIRJAND_USER])):
            center = await services.centers.by_code(code)
            await insert_registrations(services.db, center.id, len(users),
                                       start=users[0] - 5_000_000)
        bot.open_private_chats([*HAMADAN_USERS, BIRJAND_USER])
        admin = EmulatedUser(emulator, bot, ADMIN_ID)
        await _create_event(admin)

        async def invited() -> bool:
            return all([await _reminders(bot, u, "📣 دعوت") for u in HAMADAN_USERS])

        await _wait_for(invited)
        await asyncio.sleep(1.5)
        assert [await _reminders(bot, u) for u in HAMADAN_USERS] == [[], [], []]  # too early

        clock.now = KICKOFF - timedelta(days=1) + timedelta(minutes=1)

        async def first_reminders() -> bool:
            return all([await _reminders(bot, u) for u in HAMADAN_USERS])

        await _wait_for(first_reminders)
        [text] = await _reminders(bot, HAMADAN_USERS[0])
        assert "آیین آغاز پویش سلام محله" in text
        assert "۱۴ بهمن ۱۴۰۵، ساعت ۰۸:۰۰ تا ۱۲:۰۰" in text and "مکان: مرکز مثبت زندگی خود یاریگر" in text
        reminder = next(a for a in bot.messages_to(HAMADAN_USERS[0]) if "یادآوری" in a.text)
        labels = [b["text"] for row in reminder.reply_markup["inline_keyboard"] for b in row]
        assert labels == ["✅ می‌آیم", "❌ نمی‌توانم بیایم"]  # every reminder can be answered
        assert not bot.messages_to(BIRJAND_USER)

    # A restart: the schedule comes back from the database; nothing is sent twice.
    async with running_bots(settings, ROUTES, clock) as applications:
        await asyncio.sleep(1.5)
        assert [len(await _reminders(bot, u)) for u in HAMADAN_USERS] == [1, 1, 1]
        clock.now = KICKOFF - timedelta(hours=2)

        async def second_reminders() -> bool:
            return all([len(await _reminders(bot, u)) == 2 for u in HAMADAN_USERS])

        await _wait_for(second_reminders)
        await asyncio.sleep(1.5)
        assert [len(await _reminders(bot, u)) for u in HAMADAN_USERS] == [2, 2, 2]
        assert [len(bot.messages_to(u)) for u in HAMADAN_USERS] == [3, 3, 3]  # and one invitation
        assert not bot.messages_to(BIRJAND_USER)


async def test_list_edit_and_cancel_events(harness, clock):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    admin = harness.user(ADMIN_ID)
    await _create_event(admin)
    await admin.command("events")
    listing = await admin.receive_text("📅 آیین آغاز پویش")
    await admin.press("🕒 زمان", message=listing)
    await admin.receive_text("تاریخ و ساعت شروع")
    await admin.send("۱۴۰۵/۱۱/۱۵ ۰۹:۳۰")
    updated = await admin.receive_text("رویداد به‌روز شد")
    assert "۱۵ بهمن ۱۴۰۵، ساعت ۰۹:۳۰" in updated.text
    [event] = await harness.services.events.upcoming()
    assert event.starts_at == "2027-02-04T06:00:00+00:00"
    await admin.command("events")
    listing = await admin.receive_text("📅")
    await admin.press("✖️ لغو رویداد", message=listing)
    asked = await admin.receive()  # asked first: one tap never cancels
    assert asked.kind == "edit" and "لغو شود؟ به همه یاریگرانش پیام لغو فرستاده می‌شود" in asked.text
    await admin.press("نه، بماند", message=listing)
    kept = await admin.receive()
    assert "📅 آیین آغاز پویش" in kept.text and len(await harness.services.events.upcoming()) == 1
    await admin.press("✖️ لغو رویداد", message=listing)
    await admin.receive()
    await admin.press("بله، لغو شود", message=listing)
    await admin.receive_text("لغو شد")
    assert await harness.services.events.upcoming() == []
    clock.now = datetime(2027, 2, 3, 6, 0, tzinfo=UTC)
    assert await harness.services.events.send_due_reminders() == 0


@pytest.mark.parametrize("platform", BOTH_PLATFORMS)
async def test_a_cancelled_events_volunteers_are_told(harness, clock):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    center = await harness.services.centers.by_code("4175")
    await insert_registrations(harness.services.db, center.id, 2, platform=harness.platform)
    harness.bot.open_private_chats(HAMADAN_USERS[:2])
    admin = harness.user(ADMIN_ID)
    await _create_event(admin, place="تالار شهر ملایر، خیابان بهار")
    await admin.command("events")
    listing = await admin.receive_text("مکان: تالار شهر ملایر، خیابان بهار")
    await admin.press("✖️ لغو رویداد", message=listing)
    await admin.receive()
    await admin.press("بله، لغو شود", message=listing)
    await admin.receive_text("لغو شد")

    async def told() -> bool:
        return all([await _reminders(harness.bot, u, "لغو شد") for u in HAMADAN_USERS[:2]])

    await _wait_for(told)
    [notice] = await _reminders(harness.bot, HAMADAN_USERS[0], "لغو شد")
    assert "❌ رویداد «آیین آغاز پویش سلام محله» که برای ۱۴ بهمن ۱۴۰۵، ساعت ۰۸:۰۰ بود، لغو شد" in notice


async def test_reminders_due_together_send_only_the_nearest_one(harness, clock):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    center = await harness.services.centers.by_code("4175")
    await insert_registrations(harness.services.db, center.id, 1, platform=harness.platform)
    harness.bot.open_private_chats(HAMADAN_USERS[:1])
    admin = harness.user(ADMIN_ID)
    await _create_event(admin)
    clock.now = KICKOFF - timedelta(minutes=90)  # the day-before and the two-hours reminders are both due
    assert await harness.services.events.send_due_reminders() == 1

    async def reminded() -> bool:
        return bool(await _reminders(harness.bot, HAMADAN_USERS[0]))

    await _wait_for(reminded)
    await asyncio.sleep(0.5)
    assert len(await _reminders(harness.bot, HAMADAN_USERS[0])) == 1
    assert await harness.services.events.send_due_reminders() == 0


async def test_a_reminder_missed_while_down_is_skipped_once_the_event_began(harness, clock):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    admin = harness.user(ADMIN_ID)
    await _create_event(admin)
    clock.now = KICKOFF + timedelta(minutes=5)
    assert await harness.services.events.send_due_reminders() == 0
    rows = await harness.services.db.fetch_all("SELECT sent_at, skipped_at FROM reminders")
    assert all(r["sent_at"] is None and r["skipped_at"] for r in rows)


async def test_only_admins_manage_events(harness):
    citizen = harness.user()
    await citizen.command("event")
    await citizen.receive_text("مجاز نیست")
    await citizen.command("events")
    await citizen.receive_text("مجاز نیست")


async def test_an_imported_county_without_an_english_name_keeps_its_persian_name_in_english(
        harness, clock):
    from bot.services.roles import Actor

    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    center = await harness.services.centers.by_code("4175")
    # import-centers creates a county with its Persian name only.
    await harness.services.db.write_one("UPDATE counties SET name_en = '' WHERE id = ?", (center.county_id,))
    county = await harness.services.centers.county(center.county_id)
    await harness.services.events.create(Actor(harness.platform, ADMIN_ID, "admin"), "Kickoff",
                                         "county", center.county_id, KICKOFF, (120,))
    admin = harness.user(ADMIN_ID)
    await speak_english(admin)
    await admin.command("events")
    listing = await admin.receive_text("Kickoff")
    assert f"centers of {county.name_fa}" in listing.text


@pytest.mark.parametrize("platform", BOTH_PLATFORMS)
async def test_an_events_title_and_reminders_can_be_changed(harness, clock):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    admin = harness.user(ADMIN_ID)
    await _create_event(admin)
    await admin.command("events")
    await admin.press("✏️ عنوان", message=await admin.receive_text("📅 آیین آغاز پویش"))
    await admin.question("عنوان رویداد")
    await admin.send("جشن یاریگران محله")
    updated = await admin.receive_text("رویداد به‌روز شد")
    assert "جشن یاریگران محله" in updated.text and "۱۴ بهمن ۱۴۰۵، ساعت ۰۸:۰۰" in updated.text
    await admin.command("events")
    await admin.press("⏰ یادآوری‌ها", message=await admin.receive_text("📅 جشن یاریگران"))
    offsets = await admin.receive_text("یادآوری‌ها چه زمانی")
    await admin.press("✓ ۲ ساعت قبل", message=offsets)
    offsets = await admin.receive()
    await admin.press("✅ تمام", message=offsets)
    updated = await admin.receive_text("رویداد به‌روز شد")
    assert "۱ روز قبل" in updated.text and "۲ ساعت قبل" not in updated.text
    [event] = await harness.services.events.upcoming()
    assert (event.title, event.offsets) == ("جشن یاریگران محله", (24 * 60,))


COORDINATOR = 6_000_010


@pytest.mark.parametrize("platform", BOTH_PLATFORMS)
async def test_a_coordinator_makes_an_event_at_their_own_center_and_only_there(harness, clock):
    from tests.e2e.coordinator_steps import coordinator_of

    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    for code, start in (("4175", 0), ("5201", 1)):
        center = await harness.services.centers.by_code(code)
        await insert_registrations(harness.services.db, center.id, 1, start=start, platform=harness.platform)
    harness.bot.open_private_chats([5_000_000, 5_000_001, COORDINATOR, COORDINATOR + 1])
    await coordinator_of(harness, "4175", COORDINATOR)
    coordinator = harness.user(COORDINATOR)
    await coordinator.command("event")
    await coordinator.question("عنوان رویداد")
    await coordinator.send("جلسه یاریگران ملایر")
    await coordinator.question("تاریخ و ساعت شروع")  # the event is at their center: not asked where
    await coordinator.send("۱۴۰۵/۱۱/۲۰ ۱۰:۰۰")
    await coordinator.question("ساعت پایان")
    await coordinator.send("۱۲:۰۰")
    await coordinator.question("کجا برگزار می‌شود")
    await coordinator.press("🏠 در مرکز خود هر یاریگر")
    await coordinator.question("چند نفر")
    await coordinator.send("۳۰")
    areas = await coordinator.question("حوزه‌های خاصی")
    await coordinator.press("✅ تمام", message=areas)
    offsets = await coordinator.question("یادآوری‌ها")
    await coordinator.press("✅ تمام", message=offsets)
    summary = await coordinator.question("ذخیره شود")
    assert "برای: مرکز مثبت زندگی مرکزی ملایر (نمونه) (کد ۴۱۷۵)" in summary.text
    await coordinator.press("✅ ذخیره")
    await coordinator.question("ذخیره شد")
    malayer, birjand = harness.user(5_000_000), harness.user(5_000_001)
    await malayer.receive_text("📣 دعوت به «جلسه یاریگران ملایر»")
    await birjand.silence(1.0)

    await coordinator.command("events")  # theirs to change or cancel
    listing = await coordinator.receive_text("📅 جلسه یاریگران ملایر")
    await coordinator.press("✖️ لغو رویداد", message=listing)
    await coordinator.receive_text("لغو شود؟")
    await coordinator.press("بله، لغو شود", message=listing)
    await coordinator.receive_text("لغو شد")

    # A coordinator of two centers says which; another center is refused.
    await coordinator_of(harness, "4175", COORDINATOR + 1)
    await coordinator_of(harness, "4170", COORDINATOR + 1)
    other = harness.user(COORDINATOR + 1)
    await other.command("event")
    await other.question("عنوان رویداد")
    await other.send("کارگاه مشترک")
    await other.question("کد مرکز")
    await other.send("5201")
    await other.question("این مرکز از مراکز شما نیست")
    await other.send("4170")
    await other.question("تاریخ و ساعت شروع")
    citizen = harness.user()
    await citizen.command("event")
    await citizen.receive_text("مجاز نیست")
