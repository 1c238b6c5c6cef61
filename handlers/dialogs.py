"""Routes a typed message to the dialog the sender's draft belongs to (sign-up by default)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from handlers import broadcast, coordinator, events, signup, signup_prompts

ADMIN_DIALOGS = {"event": events.on_message, "event_edit": events.on_message,
                 "broadcast": broadcast.on_message,
                 coordinator.REASON_MODE: coordinator.on_typed_reason}


async def on_message(update: Update, context: BotContext) -> None:
    """Any non-command message in a private chat."""
    draft = await context.services.drafts.get(context.services.profile.name, update.effective_user.id)
    dialog = ADMIN_DIALOGS.get(draft.answers.get("mode")) if draft else None
    if dialog is None:
        await signup.on_message(update, context)
        return
    text = update.effective_message.text
    if text and text.strip() in context.services.i18n.all_texts("button.cancel"):
        await signup.cancel(update, context)
        return
    if text and text.strip() in context.services.i18n.all_texts("button.back"):
        await dialog_ask(update, context, draft)
        return
    await dialog(update, context, draft)


async def ask_again(update: Update, context: BotContext, draft) -> None:
    """The current question of whichever dialog the draft belongs to, asked again."""
    if context.services.signup.owns(draft):
        await signup_prompts.ask(update, context, draft)
    else:
        await dialog_ask(update, context, draft)


async def dialog_ask(update: Update, context: BotContext, draft) -> None:
    """Back in an admin dialog asks the current question again (its steps are short)."""
    if draft.answers.get("mode") == "broadcast":
        await broadcast.ask(update, context, draft)
    elif draft.answers.get("mode") == coordinator.REASON_MODE:
        await coordinator.ask_typed_reason_again(update, context, draft)
    else:
        await events.ask(update, context, draft)
