"""Admins' events: /event walks through title, scope, Jalali date-time and reminder offsets;
/events lists upcoming ones with Edit and Cancel. The dialog's state is a draft, like sign-up's."""

from __future__ import annotations

from datetime import datetime

from telegram import ReplyKeyboardRemove, Update

from bot import keyboards as kb
from bot.context import BotContext
from bot.services.events import DEFAULT_OFFSETS, OFFSET_CHOICES, offset_label
from bot.services.roles import NotAllowed
from bot.validation import Invalid
from handlers import scope_picker
from handlers.coordinator import actor_of
from handlers.signup_prompts import redraw, send
from storage.models import Draft, Event

PATTERN = r"^ev\|"
LIST_PATTERN = r"^evl\|"
PREFIX = "ev"
MODES = ("event", "event_edit")


def _who(update: Update, context: BotContext) -> tuple[str, int]:
    return context.services.profile.name, update.effective_user.id


async def _admin_or_refuse(update: Update, context: BotContext) -> bool:
    platform, user_id = _who(update, context)
    if await context.services.roles.is_admin(platform, user_id):
        return True
    await send(update, context, context.t("roles.not_allowed"))
    return False


async def start_event(update: Update, context: BotContext) -> None:
    """/event: a new event, step by step."""
    if not await _admin_or_refuse(update, context):
        return
    drafts = context.services.drafts
    if await drafts.get(*_who(update, context)) is not None:
        await send(update, context, context.t("admin.finish_first"))
        return
    draft = Draft(*_who(update, context), "event.title",
                  {"mode": "event", "offsets": list(DEFAULT_OFFSETS)})
    await drafts.save(draft)
    await ask(update, context, draft)


async def ask(update: Update, context: BotContext, draft: Draft, note: str | None = None) -> None:
    """The question of the dialog's current step."""
    t, a = context.t, draft.answers
    prefix = f"{note}\n\n" if note else ""
    step = draft.step
    if step == "event.title":
        await send(update, context, prefix + t("event.ask.title"), kb.navigation(t))
    elif step == "event.scope":
        await send(update, context, prefix + t("event.ask.scope"),
                   scope_picker.kind_keyboard(context, PREFIX))
    elif step == "event.center_code":
        await send(update, context, prefix + t("scope.ask_code"), kb.navigation(t))
    elif step == "event.when":
        await send(update, context, prefix + t("event.ask.when"), kb.navigation(t))
    elif step == "event.offsets":
        options = [(m, offset_label(t, m)) for m in OFFSET_CHOICES]
        await send(update, context, prefix + t("event.ask.offsets"),
                   kb.toggles(t, PREFIX, options, a.get("offsets", [])))
    elif step == "event.confirm":
        text = t("event.summary", title=a["title"], when=t.datetime(datetime.fromisoformat(a["starts_at"])),
                 place=await context.services.events.scope_label(t, a["scope_kind"], a.get("scope_id")),
                 reminders=_offsets_text(t, a["offsets"]))
        await send(update, context, prefix + text, kb.inline([
            [kb.button(t("button.save"), PREFIX, "save")],
            [kb.button(t("button.cancel"), PREFIX, "cancel")]]))


def _offsets_text(t, offsets) -> str:
    return t("list.separator").join(offset_label(t, m) for m in sorted(offsets, reverse=True)) or "-"


async def on_message(update: Update, context: BotContext, draft: Draft) -> None:
    """Typed answers of the event dialog."""
    t, services = context.t, context.services
    text = update.effective_message.text
    if not text:
        await ask(update, context, draft, t("signup.unexpected.type_text"))
        return
    try:
        if draft.step == "event.title":
            draft.answers["title"] = services.events.check_title(text)
        elif draft.step == "event.when":
            draft.answers["starts_at"] = services.events.parse_start(text, t).isoformat()
        elif draft.step == "event.center_code":
            if not await scope_picker.center_from_code(context, draft, text):
                raise Invalid("invalid.center_code")
        else:
            await ask(update, context, draft, t("signup.unexpected.use_buttons"))
            return
    except Invalid as exc:
        await ask(update, context, draft, t(exc.reason, **exc.details))
        return
    await _next(update, context, draft)


async def _next(update: Update, context: BotContext, draft: Draft) -> None:
    order = {"event.title": "event.scope", "event.scope": "event.when", "event.center_code": "event.when",
             "event.when": "event.offsets", "event.offsets": "event.confirm"}
    if draft.answers["mode"] == "event_edit":
        await _apply_edit(update, context, draft)
        return
    draft.step = order[draft.step]
    await context.services.drafts.save(draft)
    await ask(update, context, draft)


async def on_button(update: Update, context: BotContext) -> None:
    """Buttons of the event dialog (scope picker, offsets, save, cancel)."""
    query, t, services = update.callback_query, context.t, context.services
    draft = await services.drafts.get(*_who(update, context))
    _, action, *args = query.data.split(kb.SEP)
    if draft is None or draft.answers.get("mode") not in MODES:
        await query.answer(t("signup.stale_button"))
        return
    await query.answer()
    try:
        if action == "scope" and draft.step == "event.scope":
            outcome = await scope_picker.on_scope_button(update, context, draft, PREFIX, args)
            if outcome == "ask_code":
                draft.step = "event.center_code"
                await services.drafts.save(draft)
                await ask(update, context, draft)
            elif outcome == "chosen":
                await _next(update, context, draft)
        elif action == "toggle" and draft.step == "event.offsets":
            services.signup.toggle(draft, "offsets", int(args[0]), OFFSET_CHOICES)
            await services.drafts.save(draft)
            options = [(m, offset_label(t, m)) for m in OFFSET_CHOICES]
            await redraw(update, context, t("event.ask.offsets"),
                         kb.toggles(t, PREFIX, options, draft.answers["offsets"]))
        elif action == "done" and draft.step == "event.offsets":
            await _next(update, context, draft)
        elif action == "back":
            await ask(update, context, draft)
        elif action == "save" and draft.step == "event.confirm":
            await _save(update, context, draft)
        elif action == "cancel":
            await services.drafts.delete(*_who(update, context))
            await send(update, context, t("admin.cancelled"), ReplyKeyboardRemove())
        else:
            await ask(update, context, draft)
    except (ValueError, IndexError, Invalid):
        await ask(update, context, draft, t("signup.unexpected.use_buttons"))


async def _save(update: Update, context: BotContext, draft: Draft) -> None:
    t, a, services = context.t, draft.answers, context.services
    try:
        await services.events.create(actor_of(update, context), a["title"], a["scope_kind"],
                                     a.get("scope_id"), datetime.fromisoformat(a["starts_at"]),
                                     tuple(a["offsets"]))
    except NotAllowed:
        await send(update, context, t("roles.not_allowed"))
        return
    await services.drafts.delete(*_who(update, context))
    await send(update, context, t("event.saved", title=a["title"]), ReplyKeyboardRemove())


# --------------------------------------------------------------------------- listing and editing
async def list_events(update: Update, context: BotContext) -> None:
    """/events: upcoming events, each with Edit and Cancel buttons."""
    if not await _admin_or_refuse(update, context):
        return
    t, services = context.t, context.services
    events = await services.events.upcoming()
    if not events:
        await send(update, context, t("event.none"))
        return
    for event in events:
        await send(update, context, await _describe(context, event), kb.inline([
            [kb.button(t("event.edit.title"), "evl", "title", event.id),
             kb.button(t("event.edit.when"), "evl", "when", event.id)],
            [kb.button(t("event.edit.offsets"), "evl", "offsets", event.id),
             kb.button(t("event.edit.cancel"), "evl", "cancel", event.id)]]))


async def _describe(context: BotContext, event: Event) -> str:
    t = context.t
    return t("event.line", title=event.title, when=t.datetime(datetime.fromisoformat(event.starts_at)),
             place=await context.services.events.scope_label(t, event.scope_kind, event.scope_id),
             reminders=_offsets_text(t, event.offsets))


async def on_list_button(update: Update, context: BotContext) -> None:
    """Edit a part of an event, or cancel it (admins only, re-checked)."""
    query, t, services = update.callback_query, context.t, context.services
    platform, user_id = _who(update, context)
    if not await services.roles.is_admin(platform, user_id):
        await query.answer(t("roles.not_allowed"), show_alert=True)
        return
    try:
        _, action, event_id = query.data.split(kb.SEP)
        event = await services.events.by_id(int(event_id))
        if event is None or action not in ("title", "when", "offsets", "cancel"):
            raise ValueError(query.data)
    except ValueError:
        await query.answer(t("roles.not_allowed"), show_alert=True)
        return
    await query.answer()
    if action == "cancel":
        await services.events.cancel(actor_of(update, context), event.id)
        await send(update, context, t("event.cancelled", title=event.title))
        return
    if await services.drafts.get(platform, user_id) is not None:
        await send(update, context, t("admin.finish_first"))
        return
    draft = Draft(platform, user_id, f"event.{action}",
                  {"mode": "event_edit", "event_id": event.id, "offsets": list(event.offsets)})
    await services.drafts.save(draft)
    await ask(update, context, draft)


async def _apply_edit(update: Update, context: BotContext, draft: Draft) -> None:
    a, t = draft.answers, context.t
    if draft.step == "event.title":
        changes = {"title": a["title"]}
    elif draft.step == "event.when":
        changes = {"starts_at": datetime.fromisoformat(a["starts_at"])}
    else:
        changes = {"offsets": tuple(a["offsets"])}
    event = await context.services.events.update(actor_of(update, context), a["event_id"], **changes)
    await context.services.drafts.delete(draft.platform, draft.user_id)
    await send(update, context, t("event.updated") + "\n\n" + await _describe(context, event),
               ReplyKeyboardRemove())
