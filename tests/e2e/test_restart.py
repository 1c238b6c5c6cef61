"""Crash safety: kill -9 the real bot process mid-sign-up, start it again, carry on."""

from __future__ import annotations

from emulator.bot_process import until as _until
from tests.conftest import TELEGRAM_TOKEN


async def test_kill_9_at_several_steps_resumes_with_answers_kept(emulator, bot_process, db_path):
    from emulator.client import EmulatedUser

    bot = emulator.bots[TELEGRAM_TOKEN]
    user = EmulatedUser(emulator, bot, 555_001)

    async def say(action, expect: str) -> None:
        await action
        await user.question(expect, timeout=15)
        await _until(lambda: not bot.updates, what="the update to be confirmed")

    async def crash_and_restart() -> None:
        await bot_process.kill()
        await bot_process.start(bot)

    await bot_process.start(bot)
    await say(user.command("start"), "سلام")
    await user.receive_text("زبان")
    await say(user.press("فارسی"), "پیش از شروع")
    await say(user.press("✅ موافقم"), "نام و نام خانوادگی")
    await crash_and_restart()
    await say(user.send("مریم احمدی"), "کد ملی")
    await say(user.send("0499370899"), "شماره همراه")
    await crash_and_restart()
    await say(user.share_contact("+989121234567"), "تاریخ تولد")
    await say(user.send("1375/06/21"), "جنسیت")
    await say(user.press("زن"), "مرکز مثبت زندگی محله‌تان")
    await user.receive_text("استان")
    await say(user.send("اکباتان"), "مرکز پیدا شد")
    await say(user.press("مرکز مثبت زندگی اکباتان (نمونه) (کد ۴۱۷۰)"), "در کدام حوزه‌ها")
    await crash_and_restart()
    # The keyboard sent before the crash still works after it.
    await user.press("سلامت و بهداشت")
    await user.receive(timeout=15)
    await say(user.press("✅ تمام"), "چه روزهایی")
    await say(user.press("شنبه"), "")
    await say(user.press("✅ تمام"), "چه ساعتی")
    await say(user.press("صبح"), "")
    await say(user.press("✅ تمام"), "لطفاً اطلاعات خود را بررسی کنید")
    await crash_and_restart()
    summary_buttons = user.inline_buttons()
    assert "✅ تأیید و ثبت نهایی" in summary_buttons
    await say(user.press("✅ تأیید و ثبت نهایی"), "کد پیگیری")
    await crash_and_restart()
    await say(user.command("status"), "مرکز مثبت زندگی اکباتان")

    import aiosqlite

    async with aiosqlite.connect(db_path) as conn:
        rows = await (await conn.execute(
            "SELECT full_name, national_id, mobile, birth_date, status FROM registrations")).fetchall()
    assert rows == [("مریم احمدی", "0499370899", "09121234567", "1996-09-11", "pending")]
