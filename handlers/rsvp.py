"""Volunteers' answers to events: «می‌آیم» / «نمی‌توانم بیایم» under invitations, reminders and
offers, and /myevents (each upcoming event with the answer given, a cancellation asked first, and
the event as a calendar file)."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot.callbacks import RsvpButton
from bot.context import BotContext
from bot.i18n import Translator
from bot.services.events import EventService
from handlers.ui import in_private, redraw, send, who
from storage.models import Answer, Event, Rsvp

MAX_CARDS = 10  # /myevents shows the soonest ones


async def my_events(update: Update, context: BotContext) -> None:
    """/myevents: the volunteer's upcoming events, each with its answer and buttons."""
    if not await in_private(update, context):
        return
    t, services = context.t, context.services
    mine = await services.rsvps.mine(*who(update, context))
    if mine is None:
        await send(update, context, t("rsvp.not_registered"))
        return
    if not mine:
        await send(update, context, t("myevents.none"))
        return
    for event, rsvp in mine[:MAX_CARDS]:
        await send(update, context, await _card(t, services.events, event, rsvp),
                   _card_buttons(t, event, rsvp))


async def on_button(update: Update, context: BotContext) -> None:
    """An answer to an event (from an invitation, a reminder, an offer or a /myevents card), a
    cancellation asked first, or the calendar file."""
    query, t, services = update.callback_query, context.t, context.services
    try:
        pressed = RsvpButton.parse(query.data)
    except ValueError:
        await query.answer(t("roles.not_allowed"), show_alert=True)
        return
    platform, user_id = who(update, context)
    if pressed.action == "no" and not pressed.card:
        # Under an invitation or a reminder one tap must not give up a place (or one's turn in
        # the line): asked first, in a message of its own, like /myevents.
        event, rsvp = await services.rsvps.of(platform, user_id, pressed.event_id)
        if (event is not None and rsvp is not None and rsvp.answer in (Answer.COMING, Answer.WAITING)
                and services.rsvps.open_for_answers(event)):
            await query.answer()
            await send(update, context, *_ask_to_give_up(t, event, rsvp))
            return
    if pressed.action in ("yes", "no"):
        outcome = await services.rsvps.answer(platform, user_id, pressed.event_id, pressed.action == "yes")
        if outcome.refusal is not None:
            await query.answer(t(outcome.refusal), show_alert=True)
            return
        await query.answer()
        event, rsvp = outcome.event, outcome.rsvp
        if pressed.card:
            await redraw(update, context, await _card(t, services.events, event, rsvp),
                         _card_buttons(t, event, rsvp))
        else:
            await send(update, context, await _answered(t, context, event, rsvp),
                       _answered_buttons(t, event, rsvp))
        return
    event, rsvp = await services.rsvps.of(platform, user_id, pressed.event_id)
    if event is None or rsvp is None:  # a forged press, or a volunteer no longer registered
        await query.answer(t("rsvp.unknown"), show_alert=True)
        return
    await query.answer()
    if pressed.action == "ics":
        if event.cancelled_at:
            await send(update, context, t("rsvp.cancelled"))
            return
        place = await services.events.place_label(t, event)
        calendar = services.rsvps.calendar_file(event, place, "\n".join(
            [event.title, EventService.span(t, event), place]))
        await services.messenger.send_document(update.effective_chat.id, calendar, f"event-{event.id}.ics",
                                               t("rsvp.ics_caption", title=event.title))
    elif pressed.action == "ask_no" and rsvp.answer in (Answer.COMING, Answer.WAITING):
        await redraw(update, context, *_ask_to_give_up(t, event, rsvp))
    else:  # keep, or a card pressed after the answer changed elsewhere: the card as it stands
        await redraw(update, context, await _card(t, services.events, event, rsvp),
                     _card_buttons(t, event, rsvp))


def _ask_to_give_up(t: Translator, event: Event, rsvp: Rsvp) -> tuple[str, InlineKeyboardMarkup]:
    """«Cancel your place?» or «Leave the waitlist?», with the two answers (on a card: pressed,
    the message becomes the event's card)."""
    coming = rsvp.answer is Answer.COMING
    text = t("rsvp.confirm_cancel" if coming else "rsvp.confirm_leave", title=event.title,
             when=EventService.span(t, event))
    return text, kb.inline([[
        RsvpButton("no", event.id, 1).button(t("rsvp.button.cancel" if coming else "rsvp.button.leave")),
        RsvpButton("keep", event.id, 1).button(t("rsvp.button.keep" if coming else "rsvp.button.stay"))]])


async def _card(t: Translator, events: EventService, event: Event, rsvp: Rsvp | None) -> str:
    return t("myevents.card", title=event.title, when=EventService.span(t, event),
             place=await events.place_label(t, event), answer=_answer(t, rsvp))


def _answer(t: Translator, rsvp: Rsvp | None) -> str:
    if rsvp is None:
        return t("myevents.answer.none")
    if rsvp.answer is Answer.WAITING:
        return t("myevents.answer.waiting", position=rsvp.position or 1)
    if rsvp.answer is Answer.OFFERED:
        return t("myevents.answer.offered", until=t.datetime(datetime.fromisoformat(rsvp.offer_until)))
    return t(f"myevents.answer.{rsvp.answer}")


def _card_buttons(t: Translator, event: Event, rsvp: Rsvp | None) -> InlineKeyboardMarkup:
    """What a card offers: to come (or take a held place), to cancel (asked first), the calendar."""
    answer = rsvp.answer if rsvp else None
    if answer is Answer.COMING:
        return kb.inline([[RsvpButton("ics", event.id, 1).button(t("rsvp.button.ics")),
                           RsvpButton("ask_no", event.id, 1).button(t("rsvp.button.cancel"))]])
    if answer is Answer.WAITING:
        return kb.inline([[RsvpButton("ask_no", event.id, 1).button(t("rsvp.button.leave"))]])
    yes = RsvpButton("yes", event.id, 1).button(t("rsvp.button.yes"))
    if answer in (None, Answer.OFFERED):
        return kb.inline([[yes, RsvpButton("no", event.id, 1).button(t("rsvp.button.no"))]])
    return kb.inline([[yes]])


async def _answered(t: Translator, context: BotContext, event: Event, rsvp: Rsvp) -> str:
    """What the volunteer is told after pressing an answer under a message."""
    if rsvp.answer is Answer.COMING:
        return t("rsvp.coming", title=event.title, when=EventService.span(t, event),
                 place=await context.services.events.place_label(t, event))
    if rsvp.answer is Answer.WAITING:
        return t("rsvp.waiting", title=event.title, position=rsvp.position or 1)
    return t("rsvp.declined", title=event.title)


def _answered_buttons(t: Translator, event: Event, rsvp: Rsvp) -> InlineKeyboardMarkup | None:
    if rsvp.answer is Answer.COMING:
        return kb.inline([[RsvpButton("ics", event.id).button(t("rsvp.button.ics"))]])
    return None
