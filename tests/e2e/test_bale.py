"""The real Bale, unkind answers included (emulator/bale.py): the bot serves Bale users as well as
Telegram's — edits in place whatever an edit answers, unreadable updates skipped, no hot polling,
texts shown letter for letter, links that open the right bot, contacts without user_id."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.runner import running_bots
from emulator.bale import BaleQuirks, rendered
from emulator.client import EmulatedUser
from handlers.routes import ROUTES
from tests.conftest import ADMIN_ID, BALE_TOKEN, TELEGRAM_TOKEN
from tests.e2e.coordinator_steps import invite_token, make_coordinator
from tests.e2e.signup_steps import Answers, register, until_step


def _env(emulator, db_path, telegram: bool = False) -> dict[str, str]:
    env = {"BALE_TOKEN": BALE_TOKEN, "BALE_API_BASE_URL": emulator.base_url,
           "BALE_API_FILE_URL": emulator.file_url, "BOT_DB": str(db_path),
           "BOT_ADMINS": f"{ADMIN_ID},bale:{ADMIN_ID}"}
    if telegram:
        env |= {"BOT_TOKEN": TELEGRAM_TOKEN, "BOT_API_BASE_URL": emulator.base_url,
                "BOT_API_FILE_URL": emulator.file_url}
    return env


@pytest_asyncio.fixture
async def both(emulator, db_path, clock) -> AsyncIterator[tuple]:
    telegram = emulator.add_bot(TELEGRAM_TOKEN, username="salam_tg_bot")
    bale = emulator.add_bot(BALE_TOKEN, username="salam_mahalleh_bot", dialect="bale")
    async with running_bots(Settings.from_env(_env(emulator, db_path, telegram=True)), ROUTES, clock) as apps:
        yield telegram, bale, apps


async def test_a_bale_sign_up_leaves_no_more_messages_than_telegram_plus_one(both, emulator):
    telegram, bale, _ = both
    counts = {}
    for bot, user_id, national_id in ((telegram, 810_001, "0499370899"), (bale, 810_002, "0013542419")):
        citizen = EmulatedUser(emulator, bot, user_id)
        await register(citizen, Answers(national_id=national_id, mobile=f"+98912{user_id:07d}"))
        counts[bot.dialect] = len(bot.messages_to(user_id))
        assert "ثبت‌نام شما انجام شد" in citizen.state.actions[-1].text
    assert counts["bale"] <= counts["telegram"] + 1, counts


@pytest.mark.parametrize("variant", ["stub-without-date", "stub", "true", "message", "refused"])
async def test_every_edit_answer_bale_gives_is_understood(emulator, db_path, clock, variant, caplog):
    bale = emulator.add_bot(BALE_TOKEN, dialect="bale", quirks=BaleQuirks(edit_answer=variant))
    settings = Settings.from_env(_env(emulator, db_path))
    async with running_bots(settings, ROUTES, clock) as apps:
        harness = _Harness(emulator, bale, apps)
        coordinator = await make_coordinator(harness, "4175")
        citizen = EmulatedUser(emulator, bale, 820_001)
        await register(citizen)
        alert = await coordinator.receive_text("🆕 یاریگر تازه")
        await coordinator.press("✅ تأیید", message=alert)
        await citizen.receive_text("تأیید شد")
        redrawn = await coordinator.receive_text("✅ تأیید شد توسط")
    # Edits stay in place unless Bale refuses them; then (only then) a new message shows it.
    assert redrawn.kind == ("message" if variant == "refused" else "edit")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_where_bale_refuses_the_edit_a_removed_coordinators_alert_is_deleted(
        emulator, db_path, clock):
    """A retracted alert must not come back as a new message (with the volunteer's data)."""
    bale = emulator.add_bot(BALE_TOKEN, dialect="bale", quirks=BaleQuirks(edit_answer="refused"))
    async with running_bots(Settings.from_env(_env(emulator, db_path)), ROUTES, clock) as apps:
        harness = _Harness(emulator, bale, apps)
        coordinator = await make_coordinator(harness, "4175")
        await register(EmulatedUser(emulator, bale, 820_002))
        await coordinator.receive_text("🆕 یاریگر تازه")
        admin = EmulatedUser(emulator, bale, ADMIN_ID)
        admin.skip_all()
        await admin.command("coordinators")
        listing = await admin.receive_text("تسهیلگران")
        await admin.press("حذف ۱", message=listing)
        confirm = await admin.receive_text("حذف شود؟")  # Bale refuses the edit: a new message
        await admin.press("بله، حذف شود", message=confirm)
        await coordinator.receive_text("دیگر تسهیلگر")
        gone = await coordinator.receive()
        assert gone.kind == "delete"
        await coordinator.silence(0.3)


class _Harness:
    """What tests.e2e.coordinator_steps needs of a harness."""

    def __init__(self, emulator, bot, applications):
        self.emulator, self.bot, self.applications, self.platform = emulator, bot, applications, "bale"
        self._next = iter(range(830_001, 840_000))

    def user(self, user_id=None, language_code="fa", first_name="مریم"):
        return EmulatedUser(self.emulator, self.bot, user_id or next(self._next),
                            first_name=first_name, language_code=language_code)


@pytest.mark.parametrize("platform", ["bale"])
async def test_an_unreadable_update_is_skipped_and_polling_goes_on(harness, caplog):
    name = "مریم احمدی"
    # A message without a chat: no repair can make it an update; it must not stall the rest.
    await harness.bot.push_update({"message": {"message_id": 5, "date": 0, "text": name,
                                               "from": {"id": 5, "first_name": name}}})
    # A button press without its sender: nobody to answer.
    await harness.bot.push_update({"callback_query": {"id": "9", "data": "x", "message": {
        "message_id": 1, "date": 0, "chat": {"id": 6, "type": "private"}}}})
    # A sender without first_name or is_bot (Bale may leave them out): filled in, answered.
    sparse = harness.user()
    sparse.user = {"id": sparse.id}
    await sparse.command("start")
    await sparse.receive_text("سلام")
    skipped = [r.getMessage() for r in caplog.records if "could not be read" in r.getMessage()]
    assert len(skipped) == 2 and "(message)" in skipped[0] and "(callback_query)" in skipped[1]
    assert name not in " ".join(skipped)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("platform", ["bale"])
async def test_polling_a_bale_that_ignores_long_poll_does_not_spin(harness):
    await asyncio.sleep(0.5)
    before = harness.bot.polls
    await asyncio.sleep(2.0)
    polls = harness.bot.polls - before
    assert 2 <= polls <= 8, polls  # about two a second when idle, not thousands
    user = harness.user()
    await user.command("start")
    await user.receive_text("سلام", timeout=2)


async def test_a_bale_invite_opens_the_right_bot_and_reads_right(both, emulator):
    _, bale, _ = both
    admin = EmulatedUser(emulator, bale, ADMIN_ID)
    token = await invite_token(admin, "4175")
    invite = admin.state.actions[-1]
    [link] = invite.url_buttons().values()
    assert link == f"https://ble.ir/salam_mahalleh_bot?start=inv-{token}"
    assert "ble.ir" not in invite.raw_text  # the link is not in the text, where Markdown would cut it
    assert f"/start inv-{token}" in invite.text  # what the person reads, after Markdown
    coordinator = EmulatedUser(emulator, bale, 840_001, first_name="زهرا")
    await coordinator.command("start", f"inv-{token}")
    await coordinator.receive_text("شما اکنون تسهیلگر")


async def test_texts_with_markdown_marks_read_on_bale_as_sent(both, emulator):
    telegram, bale, apps = both
    services = apps[0].bot_data.services
    center = await services.centers.by_code("4175")
    for bot, user_id in ((telegram, 850_001), (bale, 850_002)):
        citizen = EmulatedUser(emulator, bot, user_id)
        await register(citizen, Answers(national_id="0499370899" if bot is telegram else "0013542419",
                                        mobile=f"+98912{user_id:07d}"))
    admin = EmulatedUser(emulator, bale, ADMIN_ID)
    await admin.command("broadcast")
    await admin.receive_text("متن پیام همگانی")
    text = "جلسه *ساعت ۸* در سالن_اصلی_مرکز"
    await admin.send(text)
    await admin.question()
    assert center is not None
    for label in ("همه مراکز", "همه حوزه‌ها", "فعال (در انتظار و تأییدشده)"):
        await admin.press(label)
        await admin.answered()
        await admin.receive()
    await admin.press("📣 بفرست")
    for _ in range(100):
        if all("جلسه" in bot.messages_to(user_id)[-1].raw_text
               for bot, user_id in ((telegram, 850_001), (bale, 850_002))):
            break
        await asyncio.sleep(0.05)
    on_bale = bale.messages_to(850_002)[-1]
    assert on_bale.text == on_bale.raw_text  # nothing turned bold or italic, nothing vanished
    assert "ساعت ۸" in on_bale.text and "سالن" in on_bale.text and "اصلی" in on_bale.text
    assert on_bale.text.count("∗") == 2 and rendered(text) != text
    assert telegram.messages_to(850_001)[-1].text == text  # Telegram shows plain text as it is


async def test_a_bale_contact_without_user_id_counts_as_typed_but_a_forward_never(both, emulator):
    _, bale, apps = both
    citizen = EmulatedUser(emulator, bale, 860_001)
    await until_step(citizen, "mobile")
    await citizen.forward_contact("+989351112233")  # arrives as forward_from/forward_date
    await citizen.receive_text("فقط شماره همراه خودتان")
    await citizen.share_contact("+989351112233")  # arrives without user_id
    await citizen.receive_text("تاریخ تولد")
    draft = await apps[0].bot_data.services.conversations.current("bale", 860_001)
    assert draft.answers["mobile"] == "09351112233"


async def test_someone_elses_contact_is_refused_where_bale_names_its_owner(emulator, db_path, clock):
    bale = emulator.add_bot(BALE_TOKEN, dialect="bale", quirks=BaleQuirks(contact_user_id=True))
    async with running_bots(Settings.from_env(_env(emulator, db_path)), ROUTES, clock):
        citizen = EmulatedUser(emulator, bale, 870_001)
        await until_step(citizen, "mobile")
        await citizen.share_contact("+989351112233", own=False)
        await citizen.receive_text("فقط شماره همراه خودتان")
