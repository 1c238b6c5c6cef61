"""/hours: a volunteer's attended events and the hours their coordinators verified."""

from __future__ import annotations

from datetime import datetime

from telegram import Update

from bot.context import BotContext
from bot.services.attendance import hours_text
from handlers.ui import in_private, send, who


async def my_hours(update: Update, context: BotContext) -> None:
    """/hours: the verified total, then each attended event (newest first)."""
    if not await in_private(update, context):
        return
    t = context.t
    ledger = await context.services.attendance.ledger(*who(update, context))
    if ledger is None:
        await send(update, context, t("rsvp.not_registered"))
        return
    if not ledger.lines:
        await send(update, context, t("hours.none"))
        return
    lines = [t("hours.title", total=hours_text(t, ledger.verified_hours))]
    for line in ledger.lines:
        day = t.date(datetime.fromisoformat(line.starts_at))
        if line.hours is None:
            lines.append(t("hours.line_pending", title=line.title, date=day))
        else:
            lines.append(t("hours.line", title=line.title, date=day, hours=hours_text(t, line.hours)))
    await send(update, context, "\n".join(lines))
