"""Admins' broadcasts: /broadcast → text → audience (place, activity, status) → preview with the
exact recipient count → Confirm. Sending then runs through the outbox."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update

from bot import keyboards as kb
from bot.context import BotContext
from bot.validation import Invalid
from handlers import scope_picker
from handlers.coordinator import actor_of
from handlers.signup_prompts import send
from storage.models import Audience, Draft

PATTERN = r"^bc\|"
PREFIX = "bc"
MODE = "broadcast"
MAX_TEXT = 4000
STATUS_CHOICES = {"active": ("pending", "approved"), "pending": ("pending",),
                  "approved": ("approved",), "everyone": ("pending", "approved", "rejected", "withdrawn")}


def _who(update: Update, context: BotContext) -> tuple[str, int]:
    return context.services.profile.name, update.effective_user.id


def audience_of(draft: Draft) -> Audience:
    a = draft.answers
    kind, scope_id = a.get("scope_kind", "all"), a.get("scope_id")
    return Audience(province_id=scope_id if kind == "province" else None,
                    county_id=scope_id if kind == "county" else None,
                    center_id=scope_id if kind == "center" else None,
                    activity_id=a.get("activity_id"),
                    statuses=STATUS_CHOICES[a.get("statuses", "active")])


async def start_broadcast(update: Update, context: BotContext) -> None:
    """/broadcast: a message to many volunteers."""
    services, t = context.services, context.t
    platform, user_id = _who(update, context)
    if not await services.roles.is_admin(platform, user_id):
        await send(update, context, t("roles.not_allowed"))
        return
    if await services.drafts.get(platform, user_id) is not None:
        await send(update, context, t("admin.finish_first"))
        return
    draft = Draft(platform, user_id, "broadcast.text", {"mode": MODE})
    await services.drafts.save(draft)
    await ask(update, context, draft)


async def ask(update: Update, context: BotContext, draft: Draft, note: str | None = None) -> None:
    t, services = context.t, context.services
    prefix = f"{note}\n\n" if note else ""
    step = draft.step
    if step == "broadcast.text":
        await send(update, context, prefix + t("broadcast.ask.text"), kb.navigation(t))
    elif step == "broadcast.scope":
        await send(update, context, prefix + t("broadcast.ask.scope"),
                   scope_picker.kind_keyboard(context, PREFIX))
    elif step == "broadcast.center_code":
        await send(update, context, prefix + t("scope.ask_code"), kb.navigation(t))
    elif step == "broadcast.activity":
        buttons = [kb.button(t("roster.all_activities"), PREFIX, "activity", 0)]
        buttons += [kb.button(t.name(a), PREFIX, "activity", a.id)
                    for a in await services.activities.active()]
        await send(update, context, prefix + t("broadcast.ask.activity"), kb.inline(kb.in_rows(buttons, 2)))
    elif step == "broadcast.status":
        await send(update, context, prefix + t("broadcast.ask.status"), kb.inline(
            [[kb.button(t(f"broadcast.status.{key}"), PREFIX, "status", key)] for key in STATUS_CHOICES]))
    elif step == "broadcast.confirm":
        audience = audience_of(draft)
        count = await services.broadcasts.count(audience)
        text = t("broadcast.preview", text=draft.answers["text"], count=count,
                 audience=await services.broadcasts.describe(t, audience))
        await send(update, context, prefix + text, kb.inline([
            [kb.button(t("button.send_broadcast"), PREFIX, "send")],
            [kb.button(t("button.cancel"), PREFIX, "cancel")]]))


async def on_message(update: Update, context: BotContext, draft: Draft) -> None:
    """Typed answers of the broadcast dialog: the text, or a center code."""
    t = context.t
    text = update.effective_message.text
    if not text or not text.strip():
        await ask(update, context, draft, t("signup.unexpected.type_text"))
        return
    if draft.step == "broadcast.text":
        if len(text) > MAX_TEXT:
            await ask(update, context, draft, t("invalid.broadcast.length", max=MAX_TEXT))
            return
        draft.answers["text"] = text.strip()
        draft.step = "broadcast.scope"
    elif draft.step == "broadcast.center_code":
        if not await scope_picker.center_from_code(context, draft, text):
            await ask(update, context, draft, t("invalid.center_code"))
            return
        draft.step = "broadcast.activity"
    else:
        await ask(update, context, draft, t("signup.unexpected.use_buttons"))
        return
    await context.services.drafts.save(draft)
    await ask(update, context, draft)


async def on_button(update: Update, context: BotContext) -> None:
    """Buttons of the broadcast dialog."""
    query, t, services = update.callback_query, context.t, context.services
    draft = await services.drafts.get(*_who(update, context))
    _, action, *args = query.data.split(kb.SEP)
    if draft is None or draft.answers.get("mode") != MODE:
        await query.answer(t("signup.stale_button"))
        return
    await query.answer()
    try:
        if action == "scope" and draft.step == "broadcast.scope":
            outcome = await scope_picker.on_scope_button(update, context, draft, PREFIX, args)
            if outcome is None:
                return
            draft.step = "broadcast.center_code" if outcome == "ask_code" else "broadcast.activity"
        elif action == "activity" and draft.step == "broadcast.activity":
            activity_id = int(args[0])
            if activity_id and activity_id not in await services.signup.activity_ids():
                raise ValueError(activity_id)
            draft.answers["activity_id"] = activity_id or None
            draft.step = "broadcast.status"
        elif action == "status" and draft.step == "broadcast.status":
            if args[0] not in STATUS_CHOICES:
                raise ValueError(args[0])
            draft.answers["statuses"] = args[0]
            draft.step = "broadcast.confirm"
        elif action == "send" and draft.step == "broadcast.confirm":
            await _send(update, context, draft)
            return
        elif action == "cancel":
            await services.drafts.delete(*_who(update, context))
            await send(update, context, t("admin.cancelled"), ReplyKeyboardRemove())
            return
        else:
            await ask(update, context, draft)
            return
    except (ValueError, IndexError, Invalid):
        await ask(update, context, draft, t("signup.unexpected.use_buttons"))
        return
    await services.drafts.save(draft)
    await ask(update, context, draft)


async def _send(update: Update, context: BotContext, draft: Draft) -> None:
    services, t = context.services, context.t
    platform, user_id = _who(update, context)
    if not await services.roles.is_admin(platform, user_id):
        await send(update, context, t("roles.not_allowed"))
        return
    await services.drafts.delete(platform, user_id)  # first: a second tap finds no draft
    # Queued before anything is sent: a messenger failing now loses no broadcast.
    broadcast_id, _ = await services.broadcasts.queue(
        actor_of(update, context), update.effective_chat.id, t, draft.answers["text"],
        audience_of(draft))
    try:
        await send(update, context, t("broadcast.started"), ReplyKeyboardRemove())
    finally:
        await services.broadcasts.show_progress(broadcast_id, update.effective_chat.id, t)
