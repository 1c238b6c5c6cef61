"""Every dialog of the bot and where a person's message goes: to the dialog their draft belongs
to (the engine's dialogs, a coordinator's typed rejection reason), or to sign-up."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from handlers import coordinator, signup, signup_prompts
from handlers.dialogs.broadcast import BROADCAST
from handlers.dialogs.engine import Engine
from handlers.dialogs.event import CHANGE_EVENT, NEW_EVENT
from handlers.ui import who
from storage.models import Draft

ENGINE = Engine([BROADCAST, NEW_EVENT, CHANGE_EVENT])


async def on_message(update: Update, context: BotContext) -> None:
    """Any non-command message in a private chat."""
    draft = await context.services.drafts.get(*who(update, context))
    if draft is not None and ENGINE.owns(draft):
        await ENGINE.on_message(update, context, draft)
    elif draft is not None and draft.answers.get("mode") == coordinator.REASON_MODE:
        await _typed_reason(update, context, draft)
    else:
        await signup.on_message(update, context)


async def on_button(update: Update, context: BotContext) -> None:
    """A button of one of the engine's dialogs."""
    await ENGINE.on_button(update, context)


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel: whatever conversation the person is in ends, its answers dropped."""
    draft = await context.services.drafts.get(*who(update, context))
    if draft is not None and ENGINE.owns(draft):
        await ENGINE.cancel(update, context, draft)
    else:
        await signup.cancel(update, context)


async def ask_again(update: Update, context: BotContext, draft: Draft) -> None:
    """The current question of whichever dialog the draft belongs to, asked again."""
    if ENGINE.owns(draft):
        await ENGINE.ask_again(update, context, draft)
    elif draft.answers.get("mode") == coordinator.REASON_MODE:
        await coordinator.ask_typed_reason_again(update, context, draft)
    else:
        await signup_prompts.ask(update, context, draft)


async def _typed_reason(update: Update, context: BotContext, draft: Draft) -> None:
    text = (update.effective_message.text or "").strip()
    if text and text in context.services.i18n.all_texts("button.cancel"):
        await signup.cancel(update, context)
    elif text and text in context.services.i18n.all_texts("button.back"):
        await coordinator.ask_typed_reason_again(update, context, draft)
    else:
        await coordinator.on_typed_reason(update, context, draft)
