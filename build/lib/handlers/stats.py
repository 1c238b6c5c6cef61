"""/stats: registrations per day, per center, per activity and by status — text and charts."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.roles import NotAllowed
from handlers.ui import actor_of, center_from_args, refuse, send


async def show_stats(update: Update, context: BotContext) -> None:
    """Admins see everything (or one center); coordinators see their centers."""
    services, t = context.services, context.t
    center = None
    if context.args:
        center = await center_from_args(update, context)
        if center is None:
            return
    try:
        center_ids = await services.roles.visible_centers(actor_of(update, context), center)
    except NotAllowed:
        await refuse(update, context)
        return
    stats = await services.stats.gather(t, center_ids)
    await send(update, context, services.stats.text(t, stats))
    if not stats.total:  # no chart of nothing: one sentence says it
        await send(update, context, t("stats.no_charts"))
        return
    for number, chart in enumerate(await services.stats.charts(t, stats), start=1):
        await services.messenger.send_photo(update.effective_chat.id, chart,
                                            filename=f"stats-{number}.png")
