"""Check-in on the day over the emulator, on both messengers: the coordinator's /poster gives each
event's check-in QR; scanning it records the volunteer once and only while the event runs; a
forged code or another center's changes nothing; a newcomer signs up at that center first and is
checked in after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services.roles import Actor
from storage.models import ScopeKind
from tests.conftest import ADMIN_ID, BOTH_PLATFORMS
from tests.e2e.coordinator_steps import coordinator_of
from tests.e2e.signup_steps import FA, walk
from tests.e2e.test_events import KICKOFF, _create_event
from tests.e2e.test_rsvp import TITLE, _volunteers

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)

COORDINATOR = 6_000_002


async def _event_and_payload(harness, clock, code: str = "4175"):
    clock.now = datetime(2027, 1, 20, 6, 0, tzinfo=UTC)
    await _create_event(harness.user(ADMIN_ID))
    [event] = await harness.services.events.upcoming()
    center = await harness.services.centers.by_code(code)
    return event, harness.services.checkin.payload(event, center)


async def test_a_check_in_qr_records_a_volunteer_once_and_only_while_the_event_runs(harness, clock):
    [volunteer] = await _volunteers(harness, 1)
    event, payload = await _event_and_payload(harness, clock)
    await volunteer.receive_text("📣 دعوت")

    # The coordinator prints it: /poster gives the sign-up poster and the event's check-in poster.
    await coordinator_of(harness, "4175", COORDINATOR)
    harness.bot.open_private_chats([COORDINATOR])
    coordinator = harness.user(COORDINATOR)
    await coordinator.command("poster", "4175")
    await coordinator.receive_text("پوستر ثبت‌نام")
    poster = await coordinator.receive_text(f"پوستر ورود «{TITLE}» در «مرکز مثبت زندگی مرکزی ملایر")
    png = harness.bot.files[poster.message["photo"][-1]["file_id"]].content
    assert png.startswith(b"\x89PNG") and len(png) > 20_000

    await volunteer.command("start", payload)
    await volunteer.receive_text(f"ورود به «{TITLE}» از ۱۴ بهمن ۱۴۰۵، ساعت ۰۷:۰۰ باز می‌شود")
    clock.now = KICKOFF + timedelta(minutes=5)
    await volunteer.command("start", payload)
    await volunteer.receive_text(f"✅ ورود شما به «{TITLE}» در مرکز مثبت زندگی مرکزی ملایر (نمونه) (کد ۴۱۷۵) "
                                 "ثبت شد، ساعت ۰۸:۰۵")
    clock.now = KICKOFF + timedelta(minutes=20)
    await volunteer.command("start", payload)
    await volunteer.receive_text(f"ورود شما به «{TITLE}» پیش‌تر ثبت شده است (ساعت ۰۸:۰۵)")
    other = await harness.services.events.create(  # another event, to lend its number
        Actor(harness.platform, ADMIN_ID, "مدیر"), "کارگاه دیگر", ScopeKind.ALL, None,
        KICKOFF + timedelta(days=1), ())
    await volunteer.receive_text("📣 دعوت به «کارگاه دیگر»")
    for forged in (payload[:-1] + ("A" if payload[-1] != "A" else "B"),  # a changed signature
                   payload.replace("-4175-", "-4170-"),  # another center with this one's signature
                   payload.replace(f"k-{event.id}-", f"k-{other}-"),  # another event's number
                   "k-1-4175-AAAAAAAAAAAA", "k-oops"):
        await volunteer.command("start", forged)
        await volunteer.receive_text("این کد ورود معتبر نیست")
    clock.now = KICKOFF + timedelta(hours=4, minutes=1)  # the event ended at 12:00
    await volunteer.command("start", payload)
    await volunteer.receive_text(f"«{TITLE}» پایان یافته است")
    rows = await harness.services.db.fetch_all(
        "SELECT registration_id, checked_in_by, checked_in_at FROM attendance")
    assert [tuple(r) for r in rows] == [(1, "self", "2027-02-03T04:35:00+00:00")]


async def test_a_newcomer_who_scans_signs_up_at_that_center_and_is_checked_in_after(harness, clock):
    event, payload = await _event_and_payload(harness, clock)
    clock.now = KICKOFF + timedelta(minutes=10)
    newcomer = harness.user()
    await newcomer.command("start", payload)
    await newcomer.receive_text(f"برای ثبت ورود به «{TITLE}»، اول در چند دقیقه")
    await newcomer.question("سلام")
    link = await newcomer.question("در حال ثبت‌نام در «مرکز مثبت زندگی مرکزی ملایر (نمونه) (کد ۴۱۷۵)»")
    await newcomer.press("✅ بله، ادامه می‌دهم", message=link)
    await newcomer.question("زبان")
    await walk(newcomer, "language", "gender")
    await newcomer.press(FA["female"])
    await newcomer.question("در کدام حوزه‌ها")  # the center question is skipped: the QR's center
    await walk(newcomer, "activities", "summary")
    await newcomer.press(FA["confirm"])
    await newcomer.question("ثبت‌نام شما انجام شد")
    await newcomer.receive_text(f"✅ ورود شما به «{TITLE}» در مرکز مثبت زندگی مرکزی ملایر (نمونه) (کد ۴۱۷۵) "
                                "ثبت شد، ساعت ۰۸:۱۰")
    [row] = await harness.services.db.fetch_all("SELECT event_id, center_id FROM attendance")
    center = await harness.services.centers.by_code("4175")
    assert tuple(row) == (event.id, center.id)
