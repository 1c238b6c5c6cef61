"""What every handler uses to answer: send, reply, redraw; who is asking; and the guards that refuse
a person the command or button is not for (private-only, admin-only)."""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, Update

from bot import keyboards as kb
from bot.callbacks import CallbackData
from bot.context import BotContext
from bot.i18n import Translator
from bot.services.places import PlaceService
from bot.services.roles import Actor
from bot.validation import display_name, normalize_text
from storage.models import Center

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


async def send(update: Update, context: BotContext, text: str, markup: Markup | None = None) -> None:
    """A new message in the chat the update came from."""
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def reply(update: Update, context: BotContext, text: str) -> None:
    """A reply to the user's message (in groups it shows which message it answers)."""
    await context.bot.send_message(
        update.effective_chat.id, text,
        **context.services.profile.reply_to(update.effective_message.message_id))


async def redraw(update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup) -> None:
    """Redraw the message a button was on; where the platform refuses the edit (Bale, for
    messages with buttons), the messenger sends it anew."""
    message = update.callback_query.message
    await context.services.messenger.edit(message.chat.id, message.message_id, text, markup)


def who(update: Update, context: BotContext) -> tuple[str, int]:
    """The sender's account key: (platform, user id)."""
    return context.services.profile.name, update.effective_user.id


def actor_of(update: Update, context: BotContext) -> Actor:
    """The sender as services see them: account and a display name safe to show others."""
    user = update.effective_user
    return Actor(context.services.profile.name, user.id, display_name(user.full_name))


async def refuse(update: Update, context: BotContext) -> None:
    """Tell the sender this command or button is not theirs (an alert on a button press)."""
    text = context.t("roles.not_allowed")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await send(update, context, text)


async def is_admin(update: Update, context: BotContext) -> bool:
    """Whether the sender is an admin (says nothing either way)."""
    platform, user_id = who(update, context)
    return await context.services.roles.is_admin(platform, user_id)


async def is_organiser(update: Update, context: BotContext) -> bool:
    """Whether the sender may organise events: an admin, or a center's coordinator (says nothing)."""
    platform, user_id = who(update, context)
    roles = context.services.roles
    return await roles.is_admin(platform, user_id) or bool(await roles.centers_of(platform, user_id))


async def admin_or_refuse(update: Update, context: BotContext) -> Actor | None:
    """The sender, when an admin; otherwise they are told the command or button is not theirs."""
    actor = actor_of(update, context)
    if await context.services.roles.is_admin(actor.platform, actor.user_id):
        return actor
    await refuse(update, context)
    return None


async def in_private(update: Update, context: BotContext) -> bool:
    """Whether the command came in a private chat. Elsewhere (a group) personal data must not be
    posted: the sender is pointed to a private chat with the bot, and nothing else is said."""
    if update.effective_chat.type == "private":
        return True
    profile = context.services.profile
    await context.bot.send_message(
        update.effective_chat.id, context.t("common.private_only"),
        reply_markup=kb.link(context.t("common.open_private"), profile.chat_link(context.bot.username)),
        **profile.reply_to(update.effective_message.message_id))
    return False


async def private_admin(update: Update, context: BotContext) -> Actor | None:
    """The sender, when an admin writing in a private chat (what it answers must not reach a group)."""
    if not await in_private(update, context):
        return None
    return await admin_or_refuse(update, context)


async def group_admin(update: Update, context: BotContext) -> Actor | None:
    """The sender, when an admin writing inside a group (commands that act on the group itself)."""
    actor = await admin_or_refuse(update, context)
    if actor is not None and update.effective_chat.type == "private":
        await send(update, context, context.t("group.only_in_group"))
        return None
    return actor


CENTER_CHOICES = 10  # centers listed when a typed name matches several


async def centers_named(t: Translator, places: PlaceService, text: str) -> tuple[str, list[Center]]:
    """The typed text as read, and the centers it names (by code, else by part of a name, address
    or county), alphabetically: one more than are ever listed, so a caller knows there are more."""
    query = normalize_text(text)
    return query, t.sorted(await places.matching(query, CENTER_CHOICES + 1), lambda c: c.name)


async def center_from_args(update: Update, context: BotContext,
                           choice: Callable[[int], CallbackData] | None = None) -> Center | None:
    """The center the command's arguments name: its code, or (part of) its name, address or
    county. None, with a word to the user, when none or several match; several are listed, as
    buttons where `choice` makes a button for a center (the command then goes on from there)."""
    t = context.t
    query, found = await centers_named(t, context.services.places, " ".join(context.args or []))
    if len(found) == 1:
        return found[0]
    if not found:
        await send(update, context, t("roles.unknown_center", code=t.digits(query)) if query.isdigit()
                   else t("roles.no_center_named", query=t.digits(query) or "-"))
        return None
    shown = found[:CENTER_CHOICES]
    if choice is not None:
        await send(update, context, t("roles.several_centers_pick"),
                   kb.inline([[choice(c.id).button(t.center(c))] for c in shown]))
    else:
        await send(update, context, "\n".join([t("roles.several_centers_code"), *map(t.center, shown)]))
    return None
