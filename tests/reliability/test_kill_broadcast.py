"""kill -9 the real bot process five times during one broadcast: after each restart it carries
on; every recipient ends sent, blocked or failed; only sends that were in flight may repeat."""

from __future__ import annotations

import asyncio

import aiosqlite
import pytest

from bot.services.outbox import MAX_REPEATS_AFTER_CRASH
from emulator.bot_process import until
from emulator.client import EmulatedUser
from storage.db import Database
from tests.conftest import ADMIN_ID, TELEGRAM_TOKEN
from tests.storage_fixtures import insert_registrations

RECIPIENTS = 1000
KILLS = 5
FIRST_USER = 5_000_000


@pytest.fixture
def bot_env(bot_env):
    return {**bot_env, "BROADCAST_RATE": "200"}


async def test_five_kills_mid_broadcast_lose_no_recipient(emulator, bot_process, db_path):
    db = await Database.open(db_path)
    center = await db.fetch_one("SELECT id FROM centers WHERE code = '4175'")
    await insert_registrations(db, center[0], RECIPIENTS)
    await db.close()
    bot = emulator.bots[TELEGRAM_TOKEN]
    recipients = [FIRST_USER + n for n in range(RECIPIENTS)]
    blocked, gone = set(recipients[100::97]), set(recipients[150::89])
    gone -= blocked
    bot.open_private_chats([u for u in recipients if u not in gone])  # gone: 400 chat not found
    for user_id in blocked:
        emulator.faults.block(user_id)

    def answered() -> int:
        """Recipients the API has answered (sent, refused or blocked) at least once."""
        return len({chat for method, chat, _ in bot.answers
                    if method == "sendMessage" and chat in recipient_set})

    recipient_set = set(recipients)
    admin = EmulatedUser(emulator, bot, ADMIN_ID)
    await bot_process.start(bot)
    await admin.command("broadcast")
    await admin.receive_text("متن پیام همگانی", timeout=15)
    await admin.send("یادآوری مهم")
    await admin.question("کجا")
    await admin.press("همه مراکز")
    await admin.answered()
    await admin.question("حوزه")
    await admin.press("همه حوزه‌ها")
    await admin.answered()
    await admin.question("وضعیت")
    await admin.press("فعال (در انتظار و تأییدشده)")
    await admin.answered()
    await admin.question("۱٬۰۰۰ نفر")
    await admin.press("📣 بفرست")
    kills_at = []
    for kill in range(KILLS):
        target = (kill + 1) * RECIPIENTS // (KILLS + 2)
        await until(lambda t=target: answered() >= t, timeout=30, what=f"{target} answers")
        await bot_process.kill()
        kills_at.append(answered())
        await bot_process.start(bot)
    assert kills_at == sorted(kills_at) and kills_at[-1] < RECIPIENTS  # every kill was mid-way

    await until(lambda: answered() == RECIPIENTS, timeout=60, what="every recipient")
    async with aiosqlite.connect(db_path) as conn:
        async def outcomes() -> dict[str, int]:
            return dict(await conn.execute_fetchall(
                "SELECT status, COUNT(*) FROM outbox GROUP BY status"))

        await until_async(lambda: outcomes(), {"sent": RECIPIENTS - len(blocked) - len(gone),
                                               "blocked": len(blocked) + len(gone)})
    sends = [len(bot.messages_to(u)) for u in recipients if u not in blocked | gone]
    assert min(sends) == 1  # nobody lost
    assert sum(sends) - len(sends) <= KILLS * MAX_REPEATS_AFTER_CRASH  # repeats: the batches in flight
    progress = next(m for m in admin.state.messages.values()
                    if m.get("text", "").startswith(("📣", "✅ ارسال پیام همگانی")))

    def final_shown() -> bool:
        return "تمام شد" in admin.state.messages[progress["message_id"]]["text"]

    await until(final_shown, timeout=20, what="the final report")
    report = admin.state.messages[progress["message_id"]]["text"]
    assert "ارسال‌شده: ۹۸۰" in report, report


async def until_async(read, expected, timeout: float = 20.0) -> None:
    """Wait until the awaited `read()` equals `expected`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (found := await read()) != expected:
        assert asyncio.get_running_loop().time() < deadline, f"{found} != {expected}"
        await asyncio.sleep(0.1)
