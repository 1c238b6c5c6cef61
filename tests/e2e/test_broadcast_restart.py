"""kill -9 the real bot process in the middle of a broadcast: after a restart it carries on, no
recipient is lost, and only the sends that were in flight may be repeated."""

from __future__ import annotations

import aiosqlite
import pytest

from bot.services.outbox import BATCH_SIZE
from emulator.client import EmulatedUser
from storage.db import Database
from tests.bot_process import until
from tests.conftest import ADMIN_ID, TELEGRAM_TOKEN
from tests.storage_fixtures import insert_registrations

RECIPIENTS = 1000
FIRST_USER = 5_000_000


@pytest.fixture
def bot_env(bot_env):
    return {**bot_env, "BROADCAST_RATE": "150"}


async def test_kill_9_mid_broadcast_loses_no_recipient(emulator, bot_process, db_path):
    db = await Database.open(db_path)
    center = await db.fetch_one("SELECT id FROM centers WHERE code = '4175'")
    await insert_registrations(db, center[0], RECIPIENTS)
    await db.close()
    bot = emulator.bots[TELEGRAM_TOKEN]
    recipients = [FIRST_USER + n for n in range(RECIPIENTS)]
    bot.open_private_chats(recipients)

    def delivered() -> int:
        return sum(1 for user_id in recipients if bot.messages_to(user_id))

    admin = EmulatedUser(emulator, bot, ADMIN_ID)
    await bot_process.start(bot)
    await admin.command("broadcast")
    await admin.receive_text("متن پیام همگانی", timeout=15)
    await admin.send("یادآوری مهم")
    await admin.receive_text("کجا")
    await admin.press("همه مراکز")
    await admin.receive_text("حوزه")
    await admin.press("همه حوزه‌ها")
    await admin.receive_text("وضعیت")
    await admin.press("فعال (در انتظار و تأییدشده)")
    await admin.receive_text("۱٬۰۰۰ نفر")
    await admin.press("📣 بفرست")
    await until(lambda: delivered() >= 300, what="300 deliveries")
    await bot_process.kill()
    at_kill = delivered()
    assert at_kill < RECIPIENTS

    await bot_process.start(bot)
    await until(lambda: delivered() == RECIPIENTS, timeout=60, what="every recipient")
    duplicates = sum(len(bot.messages_to(u)) - 1 for u in recipients)
    assert 0 <= duplicates <= BATCH_SIZE  # at most the batch that was in flight at the kill
    async with aiosqlite.connect(db_path) as conn:
        async def counts():
            rows = await (await conn.execute(
                "SELECT status, COUNT(*) FROM outbox GROUP BY status")).fetchall()
            return dict(rows)
        assert (await counts()) == {"sent": RECIPIENTS}
    progress = next(m for m in admin.state.messages.values()
                    if m.get("text", "").startswith(("📣", "✅ ارسال پیام همگانی")))

    def final_shown() -> bool:
        return "تمام شد" in admin.state.messages[progress["message_id"]]["text"]

    await until(final_shown, timeout=20, what="the final report")
    assert "ارسال‌شده: ۱٬۰۰۰" in admin.state.messages[progress["message_id"]]["text"]
