"""Registration statistics as text and as PNG charts with Persian labels."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.i18n import Translator
from storage.activities import ActivityRepository
from storage.clock import Clock, utc_iso
from storage.models import EventAttendance, Status
from storage.stats import StatsRepository

DAYS = 30
TOP_CENTERS = 15
EVENTS = 8  # the latest events whose attendance /stats shows
STATUSES = tuple(Status)


@dataclass(frozen=True)
class Stats:
    by_status: dict[str, int]
    by_day: list[tuple[date, int]]
    by_center: list[tuple[str, str, int]]
    by_activity: list[tuple[str, int]]
    attendance: list[EventAttendance] = field(default_factory=list)  # newest event first
    at: datetime | None = None  # when gathered: an event ahead has no no-shows yet

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


class StatsService:
    """Gathers the numbers, as text and (drawn by bot.services.charts) as PNGs."""

    def __init__(self, stats: StatsRepository, activities: ActivityRepository, clock: Clock):
        self._stats = stats
        self._activities = activities
        self._clock = clock

    async def gather(self, t: Translator, center_ids: list[int] | None) -> Stats:
        """Counts of these centers (all when None); days are local days in BOT_TZ."""
        now = self._clock()
        today = now.astimezone(t.timezone).date()
        first_day = today - timedelta(days=DAYS - 1)
        since = datetime(first_day.year, first_day.month, first_day.day, tzinfo=t.timezone)
        per_day: Counter[date] = Counter()
        for slot, count in await self._stats.by_half_hour(center_ids,
                                                          utc_iso(since - timedelta(days=1))):
            local = datetime.fromisoformat(slot + ":00+00:00").astimezone(t.timezone).date()
            if local >= first_day:
                per_day[local] += count
        names = {a.id: t.name(a)
                 for a in await self._activities.active()}
        return Stats(
            by_status=await self._stats.by_status(center_ids),
            by_day=[(first_day + timedelta(days=i), per_day[first_day + timedelta(days=i)])
                    for i in range(DAYS)],
            by_center=await self._stats.by_center(center_ids, TOP_CENTERS),
            by_activity=[(names.get(a, str(a)), n) for a, n in await self._stats.by_activity(center_ids)],
            attendance=await self._stats.attendance(center_ids, EVENTS),
            at=now,
        )

    @staticmethod
    def text(t: Translator, stats: Stats) -> str:
        lines = [t("stats.title", total=stats.total),
                 t("list.separator").join(f"{t(f'status.{s}')}: {t.digits(str(stats.by_status.get(s, 0)))}"
                                          for s in STATUSES),
                 t("stats.today", today=stats.by_day[-1][1], week=sum(n for _, n in stats.by_day[-7:]))]
        if stats.by_center:
            lines.append(t("stats.top_centers"))
            lines += [t("stats.center_line", name=name, code=t.digits(code), count=n)
                      for code, name, n in stats.by_center[:5]]
        if stats.by_activity:
            lines.append(t("stats.activities"))
            lines += [t("stats.activity_line", name=name, count=n) for name, n in stats.by_activity]
        if stats.attendance:
            lines.append(t("stats.attendance.title"))
            for e in stats.attendance:
                lines.append(t("stats.attendance.line", title=e.title,
                               date=t.date(datetime.fromisoformat(e.starts_at)), invited=e.invited,
                               coming=e.coming, came=e.came,
                               no_show=e.no_show if stats.at and e.over(stats.at) else "-"))
        return "\n".join(lines)

    async def charts(self, t: Translator, stats: Stats) -> list[bytes]:
        """PNGs per day, per center, per activity (and the events' attendance), drawn off the
        event loop."""
        # matplotlib takes over half a second to import: loaded at the first /stats, so that a
        # restart after a crash answers citizens sooner.
        from bot.services.charts import draw_attendance, draw_charts

        charts = await asyncio.to_thread(draw_charts, t, stats.by_day, stats.by_center, stats.by_activity)
        if stats.attendance:
            events = [(e.title, e.invited, e.coming, e.came,
                       e.no_show if stats.at and e.over(stats.at) else 0) for e in reversed(stats.attendance)]
            charts.append(await asyncio.to_thread(draw_attendance, t, events))
        return charts
