"""Every dialog of the bot and where a person's message goes: to the engine's dialog their draft
belongs to, or to sign-up."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from handlers import signup, signup_prompts
from handlers.dialogs.broadcast import BROADCAST
from handlers.dialogs.engine import Engine
from handlers.dialogs.event import CHANGE_EVENT, NEW_EVENT
from handlers.dialogs.rejection import REJECTION_REASON
from handlers.ui import who
from storage.models import Draft

ENGINE = Engine([BROADCAST, NEW_EVENT, CHANGE_EVENT, REJECTION_REASON])


async def on_message(update: Update, context: BotContext) -> None:
    """Any non-command message in a private chat."""
    draft = await context.services.conversations.current(*who(update, context))
    if draft is not None and ENGINE.owns(draft):
        await ENGINE.on_message(update, context, draft)
    else:
        await signup.on_message(update, context)


async def on_button(update: Update, context: BotContext) -> None:
    """A button of one of the engine's dialogs."""
    await ENGINE.on_button(update, context)


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel: whatever conversation the person is in ends, its answers dropped."""
    draft = await context.services.conversations.current(*who(update, context))
    if draft is not None and ENGINE.owns(draft):
        await ENGINE.cancel(update, context, draft)
    else:
        await signup.cancel(update, context)


async def ask_again(update: Update, context: BotContext, draft: Draft) -> None:
    """The current question of whichever dialog the draft belongs to, asked again."""
    if ENGINE.owns(draft):
        await ENGINE.ask_again(update, context, draft)
    else:
        await signup_prompts.ask(update, context, draft)
