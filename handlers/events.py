"""Admins' events: /event creates one (the dialog is handlers/dialogs/event.py); /events lists
the upcoming ones, each with buttons to change a part of it or cancel it."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot.callbacks import EventAction
from bot.context import BotContext
from handlers.dialogs import ENGINE
from handlers.dialogs.event import CHANGE_EVENT, NEW_EVENT, EventAnswers, EventChange, describe
from handlers.ui import actor_of, is_organiser, redraw, refuse, send, who
from storage.models import Event, ScopeKind


async def start_event(update: Update, context: BotContext) -> None:
    """/event: a new event, step by step: an admin's anywhere, a coordinator's at their center."""
    platform, user_id = who(update, context)
    roles = context.services.roles
    if await roles.is_admin(platform, user_id):
        await ENGINE.begin(update, context, NEW_EVENT, EventAnswers())
        return
    own = await roles.centers_of(platform, user_id)
    if not own:
        await refuse(update, context)
        return
    await ENGINE.begin(update, context, NEW_EVENT, EventAnswers(
        scope_kind=ScopeKind.CENTER, scope_id=own[0] if len(own) == 1 else None, own_centers=own))


async def list_events(update: Update, context: BotContext) -> None:
    """/events: the upcoming events the sender organises (all, for an admin), each with Edit and
    Cancel buttons."""
    if not await is_organiser(update, context):
        await refuse(update, context)
        return
    t, services = context.t, context.services
    events = await services.events.organised_by(actor_of(update, context))
    if not events:
        await send(update, context, t("event.none"))
        return
    for event in events:
        await send(update, context, await describe(t, services.events, event,
                                                   await services.rsvps.places(event.id)),
                   _actions(t, event))


def _actions(t, event: Event) -> InlineKeyboardMarkup:
    """The buttons under a listed event: change a part of it, or cancel it."""
    return kb.inline([
        [EventAction("title", event.id).button(t("event.edit.title")),
         EventAction("when", event.id).button(t("event.edit.when"))],
        [EventAction("end", event.id).button(t("event.edit.end")),
         EventAction("capacity", event.id).button(t("event.edit.capacity"))],
        [EventAction("place", event.id).button(t("event.edit.place")),
         EventAction("offsets", event.id).button(t("event.edit.offsets"))],
        [EventAction("cancel", event.id).button(t("event.edit.cancel"))]])


async def on_list_button(update: Update, context: BotContext) -> None:
    """Change a part of an event, or cancel it (its organisers only, re-checked)."""
    query, t, services = update.callback_query, context.t, context.services
    actor = actor_of(update, context)
    try:
        pressed = EventAction.parse(query.data)
        event = await services.events.by_id(pressed.event_id)
        if event is None or not await services.events.may_organise(actor, event):
            raise ValueError(pressed.event_id)
    except ValueError:
        await query.answer(t("roles.not_allowed"), show_alert=True)
        return
    await query.answer()
    when = t.datetime(datetime.fromisoformat(event.starts_at))
    if pressed.action == "cancel":  # asked first: the volunteers will be told
        await redraw(update, context, t("event.confirm_cancel", title=event.title, when=when), kb.inline([
            [EventAction("cancel_yes", event.id).button(t("event.yes_cancel")),
             EventAction("keep", event.id).button(t("event.keep"))]]))
        return
    if pressed.action == "keep":
        await redraw(update, context, await describe(t, services.events, event,
                                                     await services.rsvps.places(event.id)),
                     _actions(t, event))
        return
    if pressed.action == "cancel_yes":
        await services.events.cancel(actor, event.id)
        await redraw(update, context, t("event.cancelled", title=event.title), None)
        return
    await ENGINE.begin(update, context, CHANGE_EVENT,
                       EventChange(event.id, pressed.action, offsets=list(event.offsets),
                                   starts_at=event.starts_at),
                       step=pressed.action)
