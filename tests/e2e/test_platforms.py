"""Telegram and Bale from one process: shared database and services, each person reached on the
messenger they use, Bale's differences handled by its platform profile."""

from __future__ import annotations

import asyncio
import io

import pytest_asyncio
from PIL import Image

from bot.config import Settings
from bot.runner import running_bots
from emulator.client import EmulatedUser
from handlers.routes import ROUTES
from tests.conftest import ADMIN_ID, BALE_TOKEN, TELEGRAM_TOKEN
from tests.e2e.coordinator_steps import invite_token
from tests.e2e.signup_steps import Answers, register
from tests.storage_fixtures import insert_registrations


@pytest_asyncio.fixture
async def both(emulator, db_path, clock):
    telegram = emulator.add_bot(TELEGRAM_TOKEN, username="salam_tg_bot")
    bale = emulator.add_bot(BALE_TOKEN, username="salam_bale_bot", dialect="bale")
    settings = Settings.from_env({
        "BOT_TOKEN": TELEGRAM_TOKEN, "BOT_API_BASE_URL": emulator.base_url,
        "BOT_API_FILE_URL": emulator.file_url,
        "BALE_TOKEN": BALE_TOKEN, "BALE_API_BASE_URL": emulator.base_url,
        "BALE_API_FILE_URL": emulator.file_url,
        "BOT_DB": str(db_path), "BOT_ADMINS": f"{ADMIN_ID},bale:{ADMIN_ID}",
        "BROADCAST_RATE": "telegram:300,bale:200",
    })
    async with running_bots(settings, ROUTES, clock) as applications:
        yield emulator, telegram, bale, applications


async def test_a_bale_citizen_alerts_a_telegram_coordinator(both):
    emulator, telegram, bale, applications = both
    assert {app.bot_data.services.profile.name for app in applications} == {"telegram", "bale"}
    assert applications[0].bot_data.services.db is applications[1].bot_data.services.db
    admin = EmulatedUser(emulator, telegram, ADMIN_ID)
    token = await invite_token(admin, "4175")
    coordinator = EmulatedUser(emulator, telegram, 700_001, first_name="زهرا")
    await coordinator.command("start", f"inv-{token}")
    await coordinator.receive_text("شما اکنون تسهیلگر")

    citizen = EmulatedUser(emulator, bale, 800_001)
    await register(citizen, Answers())
    alert = await coordinator.receive_text("🆕 یاریگر تازه")
    assert "مریم احمدی" in alert.text and alert.message["from"]["id"] == telegram.id
    await coordinator.press("✅ تأیید", message=alert)
    told = await citizen.receive_text("تأیید شد")
    assert told.message["from"]["id"] == bale.id  # the volunteer hears on Bale
    await coordinator.receive()  # the alert redrawn on Telegram

    # The same numeric id on the other platform is another person.
    stranger = EmulatedUser(emulator, telegram, 800_001)
    await stranger.command("status")
    await stranger.receive_text("هنوز ثبت‌نامی ندارید")


async def test_an_admin_added_from_telegram_is_an_admin_on_bale_at_once(both):
    emulator, telegram, bale, _ = both
    newcomer = EmulatedUser(emulator, bale, 800_002)
    await newcomer.command("help")
    assert "فرمان‌های مدیر" not in (await newcomer.receive_text("راهنمای")).text
    admin = EmulatedUser(emulator, telegram, ADMIN_ID)
    await admin.command("addadmin", "bale:800002")
    await admin.receive_text("مدیر شد")
    await newcomer.command("help")
    await newcomer.receive_text("فرمان‌های مدیر")


async def test_posters_carry_both_platforms_links(both):
    emulator, _, bale, applications = both
    admin = EmulatedUser(emulator, bale, ADMIN_ID)
    await admin.command("poster", "4170")
    photo = await admin.receive_text("پوستر ثبت‌نام")
    png = bale.files[photo.message["photo"][-1]["file_id"]].content
    assert Image.open(io.BytesIO(png)).size == (1240, 1754)
    links = dict(applications[0].bot_data.services.deep_links("c-4170"))
    assert links == {"telegram": "https://t.me/salam_tg_bot?start=c-4170",
                     "bale": "https://ble.ir/salam_bale_bot?start=c-4170"}


async def test_broadcast_reaches_each_volunteer_on_their_platform(both):
    emulator, telegram, bale, applications = both
    services = applications[0].bot_data.services
    center = await services.centers.by_code("4175")
    await insert_registrations(services.db, center.id, 30, platform="telegram")
    await insert_registrations(services.db, center.id, 20, start=30, platform="bale")
    telegram.open_private_chats(range(5_000_000, 5_000_030))
    bale.open_private_chats(range(5_000_030, 5_000_050))
    admin = EmulatedUser(emulator, bale, ADMIN_ID)
    await admin.command("broadcast")
    await admin.receive_text("متن پیام همگانی")
    await admin.send("سلام به همه یاریگران")
    await admin.question()
    for label in ("همه مراکز", "همه حوزه‌ها", "فعال (در انتظار و تأییدشده)"):
        await admin.press(label)
        await admin.answered()
        if label != "فعال (در انتظار و تأییدشده)":
            await admin.receive()
    preview = await admin.receive_text("پیش‌نمایش")
    assert "۵۰ نفر" in preview.text
    await admin.press("📣 بفرست")
    for _ in range(100):
        if all(telegram.messages_to(u) for u in range(5_000_000, 5_000_030)) and all(
                bale.messages_to(u) for u in range(5_000_030, 5_000_050)):
            break
        await asyncio.sleep(0.1)
    assert all(len(telegram.messages_to(u)) == 1 for u in range(5_000_000, 5_000_030))
    assert all(len(bale.messages_to(u)) == 1 for u in range(5_000_030, 5_000_050))
    assert not any(telegram.messages_to(u) for u in range(5_000_030, 5_000_050))


async def test_bale_group_replies_use_reply_to_message_id(both):
    emulator, telegram, bale, _ = both
    for bot, expected in ((bale, "reply_to_message_id"), (telegram, "reply_parameters")):
        member = EmulatedUser(emulator, bot, 600_001, chat={"id": -100_777, "type": "group",
                                                            "title": "گروه"})
        sent = await member.command("help")
        reply = await member.receive_text("راهنما")
        assert reply.message["reply_to_message"]["message_id"] == sent["message_id"]
        params = [p for m, p in bot.requests if m == "sendMessage"][-1]
        assert expected in params
