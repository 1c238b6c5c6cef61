"""Handlers every audience shares: identifying the sender, /help, unknown commands, errors."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.health import means_unreachable
from bot.services.container import Services
from handlers.ui import in_private, reply, who

logger = logging.getLogger(__name__)


async def identify_user(update: Update, context: BotContext) -> None:
    """Load (or create) the sender's account and answer in their language."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    account = await context.services.accounts.arrived(context.services.profile.name, user.id)
    context.account = account
    context.use_language(account.language)


async def ask_to_slow_down(update: Update, services: Services | None) -> None:
    """In place of the first update past a user's flood limit (the rest are dropped unseen):
    one polite request to slow down, in their language, in private only."""
    user, chat = update.effective_user, update.effective_chat
    if services is None or user is None:
        return
    language = await services.accounts.language_of(services.profile.name, user.id)
    text = services.i18n.translator(language)("flood.slow_down")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif chat is not None and chat.type == "private":
            await services.messenger.send(chat.id, text)
    except TelegramError as exc:
        logger.info("the request to slow down was not delivered: %s", exc)


async def greet_group(update: Update, context: BotContext) -> None:
    """/start in a group: sign-up happens in a private chat."""
    await reply(update, context, context.t("start.group"))


async def show_id(update: Update, context: BotContext) -> None:
    """/myid: the sender's numeric id, as BOT_ADMINS and /addadmin take it (in private only)."""
    if not await in_private(update, context):
        return
    t = context.t
    platform, user_id = who(update, context)
    account = f"{platform}:{user_id}"  # copied as it is into a command or a setting: Latin digits
    await reply(update, context, t("myid.text", messenger=t(f"messenger.{platform}"),
                                   id=t.digits(str(user_id)), command=f"/addadmin {account}",
                                   setting=f"BOT_ADMINS={account}"))


async def show_help(update: Update, context: BotContext) -> None:
    """List what the bot can do for this user's roles."""
    roles, user = context.services.roles, update.effective_user
    platform = context.services.profile.name
    parts = [context.t("help.text")]
    if await roles.centers_of(platform, user.id):
        parts.append(context.t("help.coordinator"))
    if await roles.is_admin(platform, user.id):
        parts.append(context.t("help.admin"))
    await reply(update, context, "\n\n".join(parts))


async def show_privacy(update: Update, context: BotContext) -> None:
    """What the bot keeps about a person, who sees it, for how long, and how to erase it."""
    days = context.services.settings.draft_retention_days
    await reply(update, context, context.t("privacy.text", days=days))


async def unknown_command(update: Update, context: BotContext) -> None:
    """Answer a command the bot does not know, politely."""
    await reply(update, context, context.t("common.unknown_command"))


def describe_update(update: object) -> str:
    """Who and where an update came from, for logs (ids only: never names, texts or numbers)."""
    if not isinstance(update, Update):
        return repr(type(update).__name__)
    user = update.effective_user.id if update.effective_user else None
    chat = update.effective_chat.id if update.effective_chat else None
    kind = next((k for k in ("message", "callback_query", "edited_message", "my_chat_member")
                 if getattr(update, k, None) is not None), "other")
    return f"update {update.update_id} ({kind}) from user {user} in chat {chat}"


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with context and tell the user, in their language, that it went wrong.
    A messenger that cannot be reached is one line (the runner and /health tell the rest); a
    traceback is for what is the bot's own fault."""
    error = context.error
    if means_unreachable(error):
        logger.warning("could not finish %s: the messenger is unreachable (%s)",
                       describe_update(update), error)
        return
    logger.error("error while handling %s", describe_update(update), exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await update.effective_chat.send_message(context.t("error.generic"))
    except TelegramError as exc:  # the user still gets nothing, but the log says why
        logger.warning("could not tell %s about the error: %s", describe_update(update), exc)
