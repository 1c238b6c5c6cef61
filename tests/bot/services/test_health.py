"""/health tells admins each messenger's state, its own broadcast backlog, the database size and version."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest_asyncio

from bot.config import Settings
from bot.hub import Hub
from bot.i18n import I18n
from bot.services.health import HealthService, running_version
from storage.broadcasts import BroadcastRepository

I18N = I18n.load("fa", ZoneInfo("Asia/Tehran"))
FA, EN = I18N.translator("fa"), I18N.translator("en")


class Clock:
    def __init__(self):
        self.now = datetime(2026, 2, 3, 4, 30, tzinfo=UTC)  # 08:00 in Tehran

    def __call__(self):
        return self.now


@pytest_asyncio.fixture
async def setup(db_path):
    clock = Clock()
    hub = Hub(Settings.from_env({"BOT_TOKEN": "1:a", "BALE_TOKEN": "2:b", "BOT_DB": str(db_path)}),
              clock)
    db = await hub.open()
    yield HealthService(hub, BroadcastRepository(db, hub.users), db), hub, db, clock
    await hub.close()


def _section(report: str, name: str) -> str:
    return next(part for part in report.split("\n\n") if part.startswith(name))


async def _outbox(db, platform: str, statuses: list[str]) -> None:
    async with db.transaction() as conn:
        cursor = await conn.execute("INSERT INTO broadcasts(text, created_by, status, created_at) "
                                    "VALUES ('سلام', 'admin', 'sending', '2026-02-03T04:00:00+00:00')")
        await conn.executemany(
            "INSERT INTO outbox(broadcast_id, platform, chat_id, status) VALUES (?, ?, ?, ?)",
            [(cursor.lastrowid, platform, 1_000 + n, status) for n, status in enumerate(statuses)])


async def test_each_messenger_shows_its_own_state_and_pending_backlog(setup):
    health, hub, db, clock = setup
    await _outbox(db, "telegram", ["pending", "pending", "pending", "sent", "failed", "blocked"])
    await _outbox(db, "bale", ["sent"])
    hub.health("telegram").updates_received(2)
    clock.now += timedelta(minutes=5)
    hub.health("bale").unreachable("connection refused")
    report = await health.report(EN)
    telegram, bale = _section(report, "Telegram"), _section(report, "Bale")
    assert telegram.splitlines()[0].startswith("Telegram: 🟢 serving")
    assert "Broadcast backlog: 3 messages" in telegram  # only what is still to send
    assert "Last error: none" in telegram
    assert bale.splitlines()[0].startswith("Bale: 🔴 unreachable")
    assert "Broadcast backlog: 0 messages" in bale and "Last update received: not yet" in bale
    assert "— connection refused" in bale


async def test_times_are_shown_in_jalali_tehran_time_with_persian_digits(setup):
    health, hub, _, _ = setup
    hub.health("telegram").updates_received(1)
    report = await health.report(FA)
    assert "۱۴ بهمن ۱۴۰۴" in report and "۰۸:۰۰" in report
    assert "2026" not in report and "04:30" not in report


async def test_a_messenger_not_yet_started_says_so(setup):
    health, _, _, _ = setup
    bale = _section(await health.report(EN), "Bale")
    assert bale.splitlines()[0] == "Bale: 🟡 starting (since not yet)"
    assert "Last update received: not yet" in bale and "Last error: none" in bale


async def test_database_size_counts_the_file_and_its_write_ahead_log_and_the_version_is_shown(setup):
    health, _, db, _ = setup
    blob = "INSERT INTO broadcasts(text, created_by, status, created_at) VALUES (?, 'admin', 'done', ?)"
    await db.write_one(blob, ("x" * 3_200_000, "2026-02-03T04:00:00+00:00"))
    assert await db.checkpoint()  # the first blob now in the database file ...
    await db.write_one(blob, ("y" * 3_200_000, "2026-02-03T04:01:00+00:00"))  # ... the second in the log
    report = await health.report(EN)
    shown = float(next(line for line in report.splitlines() if line.startswith("Database size: "))
                  .removeprefix("Database size: ").removesuffix(" MB"))
    assert 6.0 <= shown < 8.0
    assert report.endswith(f"Version: {running_version()}")
