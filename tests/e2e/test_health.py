"""/health: an admin sees each messenger's state, the last update and error, the outbox backlog,
the database size and the running version, in Persian by default."""

from __future__ import annotations

from bot.config import Settings
from bot.runner import running_bots
from emulator.client import EmulatedUser
from handlers.routes import ROUTES
from tests.conftest import ADMIN_ID, BALE_TOKEN
from tests.e2e.test_independence import closed_port, env_for, root_url


async def test_an_admin_sees_telegram_down_and_bale_serving(emulator, db_path, clock):
    bale = emulator.add_bot(BALE_TOKEN, dialect="bale")
    port = closed_port()
    settings = Settings.from_env(env_for(db_path, f"http://127.0.0.1:{port}", root_url(emulator)))
    async with running_bots(settings, ROUTES, clock):
        citizen = EmulatedUser(emulator, bale, 910_001)
        await citizen.command("health")
        await citizen.receive_text("مجاز نیست")
        admin = EmulatedUser(emulator, bale, ADMIN_ID)
        await admin.command("health")
        report = (await admin.receive_text("🩺 وضعیت بازو")).text  # the admin asks on Bale
    telegram_part, bale_part = report.split("بله:")
    assert "تلگرام: 🔴 در دسترس نیست" in telegram_part
    assert f"127.0.0.1:{port}" in telegram_part  # the last error says why
    assert "آخرین پیام رسیده: هنوز نه" in telegram_part
    assert "🟢 فعال" in bale_part and "آخرین خطا: ندارد" in bale_part
    assert "آخرین پیام رسیده: هنوز نه" not in bale_part  # the admin's /health itself arrived
    assert "صف پیام‌های همگانی: ۰ پیام" in bale_part
    assert "حجم پایگاه داده:" in report and "نسخه: ۰.۱.۰" not in report and "نسخه: 0.1.0" in report
    since = bale_part.split("(از ")[1].split(")")[0]
    assert not any(ch in "0123456789" for ch in since) and "۱۴۰" in since  # Jalali, Persian digits
