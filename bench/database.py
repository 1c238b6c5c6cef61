"""Database figures at campaign scale: a center's export and /stats over a million registrations."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.data import database_with
from bot.i18n import I18n
from bot.services.exports import ExportService
from bot.services.stats import StatsService
from storage.activities import ActivityRepository
from storage.attendance import AttendanceRepository
from storage.audit import AuditRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.registrations import RegistrationRepository
from storage.stats import StatsRepository
from storage.users import UserRepository

CENTERS = 2_500  # the campaign's neighbourhoods
BIG_SHARE = 0.02  # one provincial office holds 2% of everyone


async def _median_seconds(action: Callable[[], Awaitable[object]], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def measure(workdir: Path, registrations: int) -> dict[str, float]:
    """Generate the rows (once), then time exports and stats as the bot computes them."""
    path = workdir / f"campaign-{registrations}.sqlite3"
    generated = 0.0
    if not path.exists():
        started = time.perf_counter()
        await database_with(path, registrations, CENTERS, big_share=BIG_SHARE)
        generated = time.perf_counter() - started
    db = await Database.open(path)
    try:
        center_ids = [row[0] for row in await db.fetch_all(
            "SELECT id FROM centers WHERE code >= '60000' ORDER BY id")]
        typical, big = center_ids[len(center_ids) // 2], center_ids[0]
        t = I18n.load("fa", ZoneInfo("Asia/Tehran")).translator("fa")
        exports = ExportService(RegistrationRepository(db, DraftRepository(db), UserRepository(db)),
                                    ActivityRepository(db), AuditRepository(db), AttendanceRepository(db))
        stats = StatsService(StatsRepository(db), ActivityRepository(db), lambda: datetime.now(UTC))

        async def export(center: int) -> None:
            await exports.documents(t, [center])

        sizes = {c: (await db.fetch_one("SELECT COUNT(*) FROM registrations WHERE center_id = ?",
                                        (c,)))[0] for c in (typical, big)}
        all_stats = await stats.gather(t, None)
        return {
            "registrations": all_stats.total, "generated_s": generated,
            "typical_center_rows": sizes[typical], "big_center_rows": sizes[big],
            "export_typical_s": await _median_seconds(lambda: export(typical)),
            "export_big_s": await _median_seconds(lambda: export(big)),
            "stats_all_s": await _median_seconds(lambda: _stats_text(stats, t, None)),
            "stats_center_s": await _median_seconds(lambda: _stats_text(stats, t, [typical])),
            "charts_s": await _median_seconds(lambda: stats.charts(t, all_stats), runs=1),
        }
    finally:
        await db.close()


async def _stats_text(stats: StatsService, t, center_ids: list[int] | None) -> str:
    return StatsService.text(t, await stats.gather(t, center_ids))
