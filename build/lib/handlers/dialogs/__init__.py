"""Every dialog of the bot, and where a person's message or button goes: to the dialog their
draft belongs to; with no dialog going on, a word on where to start."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update

from bot.context import BotContext
from handlers.dialogs.broadcast import BROADCAST
from handlers.dialogs.engine import Engine
from handlers.dialogs.event import CHANGE_EVENT, NEW_EVENT
from handlers.dialogs.rejection import REJECTION_REASON
from handlers.dialogs.signup import EDIT, SIGNUP
from handlers.ui import send, who
from storage.models import Draft

ENGINE = Engine([SIGNUP, EDIT, BROADCAST, NEW_EVENT, CHANGE_EVENT, REJECTION_REASON])


async def on_message(update: Update, context: BotContext) -> None:
    """Any non-command message in a private chat."""
    draft = await context.services.conversations.current(*who(update, context))
    if draft is not None and ENGINE.owns(draft):
        await ENGINE.on_message(update, context, draft)
        return
    registered = await context.services.signup.active_registration_of(*who(update, context))
    await send(update, context, context.t("signup.idle_registered" if registered else "signup.idle"))


async def on_button(update: Update, context: BotContext) -> None:
    """A button of one of the dialogs."""
    await ENGINE.on_button(update, context)


async def stale_button(update: Update, context: BotContext) -> None:
    """A button the bot no longer knows (an old message, one of an earlier version, or forged
    data): refused, never acted on; whoever is in a dialog gets its current question again."""
    await update.callback_query.answer(context.t("signup.stale_button"))
    draft = await context.services.conversations.current(*who(update, context))
    if draft is not None and ENGINE.owns(draft):
        await ENGINE.ask_again(update, context, draft)


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel: whatever conversation the person is in ends, its answers dropped."""
    services = context.services
    draft = await services.conversations.current(*who(update, context))
    if draft is not None and ENGINE.owns(draft):
        await ENGINE.cancel(update, context, draft)
        return
    if draft is not None:  # left by a version that no longer reads it
        await services.conversations.end(*who(update, context))
        await send(update, context, context.t("signup.cancelled"), ReplyKeyboardRemove())
        return
    await send(update, context, context.t("signup.nothing_to_cancel"), ReplyKeyboardRemove())


async def ask_again(update: Update, context: BotContext, draft: Draft) -> None:
    """The current question of the dialog the draft belongs to, asked again (e.g. in a new language)."""
    if ENGINE.owns(draft):
        await ENGINE.ask_again(update, context, draft)
