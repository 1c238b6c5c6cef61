"""Answers to events over the emulator, on both messengers: an invitation's «می‌آیم» takes a place
or a waitlist spot, /myevents cancels (asked first) and gives a calendar file, a freed place is
offered to the first waiting and moves on when not taken in time, coordinators hear of it; a
press for another event, a forged one or one by a stranger changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import ADMIN_ID, BOTH_PLATFORMS
from tests.e2e.coordinator_steps import coordinator_of
from tests.e2e.test_events import _create_event
from tests.storage_fixtures import insert_registrations

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)

VOLUNTEERS = [5_000_000 + n for n in range(4)]  # insert_registrations' accounts: «یاریگر 0», …
COORDINATOR = 6_000_001
TITLE = "آیین آغاز پویش سلام محله"


async def _volunteers(harness, count: int, code: str = "4175", start: int = 0):
    center = await harness.services.centers.by_code(code)
    await insert_registrations(harness.services.db, center.id, count, start=start, platform=harness.platform)
    ids = [5_000_000 + n for n in range(start, start + count)]
    harness.bot.open_private_chats(ids)
    return [harness.user(user_id) for user_id in ids]


async def _invited(people, capacity_line: str | None = None) -> list:
    invitations = []
    for person in people:
        invitation = await person.receive_text(f"📣 دعوت به «{TITLE}»")
        assert "۱۴ بهمن ۱۴۰۵، ساعت ۰۸:۰۰ تا ۱۲:۰۰" in invitation.text
        if capacity_line:
            assert capacity_line in invitation.text
        assert person.inline_buttons() == ["✅ می‌آیم", "❌ نمی‌توانم بیایم"]
        invitations.append(invitation)
    return invitations


async def test_answers_fill_the_places_and_a_freed_place_goes_to_the_first_waiting(harness, clock):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    people = await _volunteers(harness, 4)
    await coordinator_of(harness, "4175", COORDINATOR)
    harness.bot.open_private_chats([COORDINATOR])
    coordinator = harness.user(COORDINATOR)
    await _create_event(harness.user(ADMIN_ID), capacity=2)
    await _invited(people, "ظرفیت: ۲ نفر")
    first, second, third, fourth = people

    await first.press("✅ می‌آیم")
    coming = await first.receive_text(f"✅ ثبت شد: در «{TITLE}» منتظرتان هستیم")
    assert "مرکز مثبت زندگی خود یاریگر" in coming.text
    await second.press("✅ می‌آیم")
    await second.receive_text("✅ ثبت شد")
    await third.press("✅ می‌آیم")
    await third.receive_text("شما نفر ۱ فهرست انتظارید")
    await fourth.press("✅ می‌آیم")
    await fourth.receive_text("شما نفر ۲ فهرست انتظارید")

    # The calendar file: the event's times in UTC, its title, a reminder.
    await first.press("📅 افزودن به تقویم", message=coming)
    sent = await first.receive()
    document = sent.message["document"]
    assert document["file_name"] == "event-1.ics" and "تقویم گوشی" in sent.text
    ics = harness.bot.files[document["file_id"]].content.decode()
    assert "DTSTART:20270203T043000Z" in ics and "DTEND:20270203T083000Z" in ics
    assert f"SUMMARY:{TITLE}" in ics and "BEGIN:VALARM" in ics

    # /myevents: cancelling is asked first, then the place goes to the first waiting.
    await first.command("myevents")
    card = await first.receive_text("پاسخ شما: ✅ می‌آیم")
    assert first.inline_buttons() == ["📅 افزودن به تقویم", "❌ لغو حضور"]
    await first.press("❌ لغو حضور", message=card)
    await first.receive_text(f"حضورتان در «{TITLE}»")
    assert harness.bot.messages_to(COORDINATOR) == []  # nothing changed yet
    await first.press("❌ لغو حضور", message=card)
    await first.receive_text("پاسخ شما: نمی‌آیم")
    offer = await third.receive_text(f"🎉 جایی در «{TITLE}»")
    assert "نگه داشته می‌شود. می‌آیید؟" in offer.text
    assert third.inline_buttons() == ["✅ می‌آیم", "❌ نمی‌توانم بیایم"]
    told = await coordinator.receive_text("↩️ یاریگر با کد پیگیری ۹۰۰۰۰۰۰۰ دیگر به")
    assert "یاریگر 0" not in told.text  # an outbox message is never taken back: no name in it
    assert "جاها: ۲ از ۲ گرفته شده — در فهرست انتظار: ۱" in told.text

    await third.press("✅ می‌آیم", message=offer)
    await third.receive_text("✅ ثبت شد")
    promoted = await coordinator.receive_text("⬆️ یاریگر با کد پیگیری ۹۰۰۰۰۰۰۲ از فهرست انتظار")
    assert "جاها: ۲ از ۲ گرفته شده — در فهرست انتظار: ۱" in promoted.text
    await fourth.command("myevents")
    await fourth.receive_text("در فهرست انتظار (نفر ۱)")
    assert fourth.inline_buttons() == ["❌ خروج از فهرست انتظار"]
    await fourth.press("❌ خروج از فهرست انتظار")
    await fourth.receive_text(f"از فهرست انتظار «{TITLE}» بیرون بروید؟")
    assert fourth.inline_buttons() == ["❌ خروج از فهرست انتظار", "نه، در فهرست بمانم"]
    await fourth.press("نه، در فهرست بمانم")
    await fourth.receive_text("در فهرست انتظار (نفر ۱)")

    # The admin's list says how the answers stand.
    admin = harness.user(ADMIN_ID)
    admin.skip_all()
    await admin.command("events")
    listing = await admin.receive_text("ظرفیت: ۲ نفر")
    assert "پاسخ‌ها: ۲ نفر می‌آیند، ۱ نفر در انتظار، ۱ نفر نمی‌آیند" in listing.text


async def test_an_offer_not_taken_in_time_moves_on(harness, clock):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    people = await _volunteers(harness, 3)
    await _create_event(harness.user(ADMIN_ID), capacity=1)
    await _invited(people)
    first, second, third = people
    await first.press("✅ می‌آیم")
    await first.receive_text("✅ ثبت شد")
    for person, place in ((second, "۱"), (third, "۲")):
        await person.press("✅ می‌آیم")
        await person.receive_text(f"شما نفر {place} فهرست انتظارید")
    await first.press("❌ نمی‌توانم بیایم")  # under the invitation: one tap never gives a place up
    asked = await first.receive_text(f"حضورتان در «{TITLE}»")
    assert asked.kind == "message" and first.inline_buttons() == ["❌ لغو حضور", "نه، می‌آیم"]
    await first.press("❌ لغو حضور", message=asked)
    await first.receive_text("پاسخ شما: نمی‌آیم")
    offer = await second.receive_text("🎉 جایی")
    clock.now += timedelta(hours=12, minutes=1)
    await second.receive_text(f"مهلت پذیرفتن جای «{TITLE}» گذشت")
    await third.receive_text("🎉 جایی")
    await second.press("✅ می‌آیم", message=offer)  # too late: back in line
    await second.receive_text("شما نفر ۱ فهرست انتظارید")


async def test_a_press_for_another_event_a_forged_one_or_a_strangers_changes_nothing(harness, clock):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    [hamadan] = await _volunteers(harness, 1)
    [birjand] = await _volunteers(harness, 1, code="5201", start=1)
    await _create_event(harness.user(ADMIN_ID), capacity=5)
    await _invited([hamadan])
    await birjand.command("myevents")
    own = await birjand.receive_text("رویداد پیش‌رویی برای شما نیست")
    stranger = harness.user()
    harness.bot.open_private_chats([stranger.id])
    await stranger.command("myevents")
    strangers = await stranger.receive_text("ابتدا به‌عنوان یاریگر ثبت‌نام کنید")
    [event] = await harness.services.events.upcoming()
    for person, message, data, says in (
            (birjand, own, f"rs|yes|{event.id}|0", "این رویداد برای مرکز یا حوزه فعالیت شما نیست"),
            (birjand, own, "rs|yes|999|0", "این رویداد پیدا نشد"),
            (birjand, own, f"rs|steal|{event.id}", "مجاز نیست"),
            (birjand, own, f"rs|ics|{event.id}|0", "این رویداد پیدا نشد"),
            (stranger, strangers, f"rs|yes|{event.id}|0", "ابتدا به‌عنوان یاریگر ثبت‌نام کنید")):
        answer = await person.answer_to(await person.press_data(data, message.message))
        assert says in answer.text
    assert await harness.services.db.fetch_all("SELECT * FROM rsvps") == []
    await hamadan.press("✅ می‌آیم")
    done = await hamadan.receive_text("✅ ثبت شد")
    clock.now = datetime(2027, 2, 3, 4, 35, tzinfo=UTC)  # under way: answers are closed
    query = await hamadan.press_data(f"rs|no|{event.id}|0", done.message)
    assert "آغاز شده است" in (await hamadan.answer_to(query)).text


async def test_at_an_event_with_places_reminders_reach_only_who_holds_one(harness, clock):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    coming, waiting = await _volunteers(harness, 2)
    await _create_event(harness.user(ADMIN_ID), capacity=1)
    await _invited([coming, waiting])
    await coming.press("✅ می‌آیم")
    await coming.receive_text("✅ ثبت شد")
    await waiting.press("✅ می‌آیم")
    await waiting.receive_text("شما نفر ۱ فهرست انتظارید")
    clock.now = datetime(2027, 2, 2, 4, 31, tzinfo=UTC)  # the day before
    reminder = await coming.receive_text(f"⏰ یادآوری: «{TITLE}»")
    assert coming.inline_buttons() == ["✅ می‌آیم", "❌ نمی‌توانم بیایم"] and reminder.kind == "message"
    await waiting.silence(1.5)  # no "we look forward to seeing you" without a place
