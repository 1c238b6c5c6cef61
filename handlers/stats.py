"""/stats: registrations per day, per center, per activity and by status — text and charts."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from handlers.coordinator import actor_of, center_from_args
from handlers.signup_prompts import send


async def show_stats(update: Update, context: BotContext) -> None:
    """Admins see everything (or one center); coordinators see their centers."""
    services, t = context.services, context.t
    actor = actor_of(update, context)
    if context.args:
        center = await center_from_args(update, context)
        if center is None:
            return
        if not await services.roles.may_manage(actor.platform, actor.user_id, center.id):
            await send(update, context, t("roles.not_allowed"))
            return
        center_ids: list[int] | None = [center.id]
    elif await services.roles.is_admin(actor.platform, actor.user_id):
        center_ids = None
    else:
        center_ids = await services.roles.centers_of(actor.platform, actor.user_id)
        if not center_ids:
            await send(update, context, t("roles.not_allowed"))
            return
    stats = await services.stats.gather(t, center_ids)
    await send(update, context, services.stats.text(t, stats))
    for number, chart in enumerate(await services.stats.charts(t, stats), start=1):
        await services.messenger.send_photo(update.effective_chat.id, chart,
                                            filename=f"stats-{number}.png")
