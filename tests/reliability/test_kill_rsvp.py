"""kill -9 the real bot process right after answers to an event: every answer stays, a freed place
is offered once (never lost, never twice), and the offer taken after a restart holds."""

from __future__ import annotations

import aiosqlite

from emulator.client import EmulatedUser
from storage.db import Database
from tests.conftest import ADMIN_ID, TELEGRAM_TOKEN
from tests.e2e.test_events import _create_event
from tests.storage_fixtures import insert_registrations

HOLDER, WAITING = 5_000_000, 5_000_001


async def _answers(db_path) -> list[tuple[int, str]]:
    async with aiosqlite.connect(db_path) as conn:
        return list(await (await conn.execute(
            "SELECT r.user_id, v.answer FROM rsvps v JOIN registrations r ON r.id = v.registration_id "
            "ORDER BY r.user_id")).fetchall())


async def test_answers_and_a_promotion_survive_kill_9(emulator, bot_process, db_path):
    db = await Database.open(db_path)
    center = await db.fetch_one("SELECT id FROM centers WHERE code = '4175'")
    await insert_registrations(db, center[0], 2)
    await db.close()
    bot = emulator.bots[TELEGRAM_TOKEN]
    bot.open_private_chats([HOLDER, WAITING])
    holder, waiting = EmulatedUser(emulator, bot, HOLDER), EmulatedUser(emulator, bot, WAITING)
    await bot_process.start(bot)
    await _create_event(EmulatedUser(emulator, bot, ADMIN_ID), capacity=1)
    for person in (holder, waiting):
        await person.receive_text("📣 دعوت", timeout=15)
    await holder.press("✅ می‌آیم")
    await holder.receive_text("✅ ثبت شد", timeout=15)
    await waiting.press("✅ می‌آیم")
    await waiting.receive_text("فهرست انتظار", timeout=15)
    await bot_process.kill()
    await bot_process.start(bot)
    assert await _answers(db_path) == [(HOLDER, "coming"), (WAITING, "waiting")]

    await holder.press("❌ نمی‌توانم بیایم")
    asked = await holder.receive_text("لغو شود؟", timeout=15)
    await holder.press("❌ لغو حضور", message=asked)
    await holder.receive_text("پاسخ شما: نمی‌آیم", timeout=15)
    await bot_process.kill()  # at once: the offer it owes may or may not have gone out yet
    assert (await _answers(db_path))[0] == (HOLDER, "declined")
    await bot_process.start(bot)
    offer = await waiting.receive_text("🎉 جایی", timeout=20)
    await waiting.press("✅ می‌آیم", message=offer)
    await waiting.receive_text("✅ ثبت شد", timeout=15)
    await bot_process.kill()
    await bot_process.start(bot)
    await waiting.silence(2.0)  # the offer came once, even across the restarts
    assert await _answers(db_path) == [(HOLDER, "declined"), (WAITING, "coming")]
    offers = [a for a in bot.messages_to(WAITING) if "🎉 جایی" in a.text]
    assert len(offers) == 1
