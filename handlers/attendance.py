"""Coordinators keep an event's attendance at their center: /attendance lists the center's events;
each opens a sheet of its volunteers (those coming first) to tick in, take back or check out,
and to verify everyone's hours in one go."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot.callbacks import AttendanceButton
from bot.context import BotContext
from bot.i18n import Translator
from bot.services.attendance import SHEET_PAGE, Sheet
from bot.services.events import EventService
from bot.services.roles import NotAllowed
from handlers.ui import actor_of, center_from_args, in_private, redraw, refuse, send
from storage.models import Center


async def attendance(update: Update, context: BotContext) -> None:
    """/attendance [center]: the center's events, each opening its attendance sheet."""
    if not await in_private(update, context):
        return
    t, services = context.t, context.services
    actor = actor_of(update, context)
    if context.args:
        center = await center_from_args(update, context)
        if center is None:
            return
    else:
        own = await services.roles.centers_of(actor.platform, actor.user_id)
        if len(own) != 1:  # an admin, or a coordinator of several centers: name one
            await send(update, context, t("attendance.usage"))
            return
        center = await services.places.center(own[0])
    try:
        events = await services.attendance.events_at(actor, center.id)
    except NotAllowed:
        await refuse(update, context)
        return
    if not events:
        await send(update, context, t("attendance.none", center=t.center(center)))
        return
    await send(update, context, t("attendance.pick", center=t.center(center)), kb.inline(
        [[AttendanceButton("page", e.id, center.id).button(
            f"{e.title} — {t.date(datetime.fromisoformat(e.starts_at))}")]
         for e in events]))


async def on_button(update: Update, context: BotContext) -> None:
    """A press on a sheet: a page, a volunteer ticked in or out, or the hours verified."""
    query, t, services = update.callback_query, context.t, context.services
    try:
        pressed = AttendanceButton.parse(query.data)
    except ValueError:
        await refuse(update, context)
        return
    actor = actor_of(update, context)
    note, alert = None, True  # what the press says: a pop-up to dismiss, unless just news
    try:
        if pressed.action == "verify":
            verified = await services.attendance.verify_all(actor, pressed.event_id, pressed.center_id)
            if verified is None:
                note = t("attendance.verify_after_end")
            else:
                note = t("attendance.verified", n=verified) if verified else t("attendance.verified_none")
                alert = False
        elif pressed.action != "page":
            refusal = await services.attendance.mark(actor, pressed.event_id, pressed.center_id,
                                                     pressed.registration_id, pressed.action)
            note = t(refusal) if refusal else None
        sheet = await services.attendance.sheet(actor, pressed.event_id, pressed.center_id, pressed.page)
    except NotAllowed:
        await refuse(update, context)
        return
    await query.answer(note, show_alert=bool(note) and alert)
    center = await services.places.center(pressed.center_id)
    if sheet is None or center is None:
        return
    await redraw(update, context, *_sheet(t, sheet, center, pressed.page))


def _sheet(t: Translator, sheet: Sheet, center: Center, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """The sheet's text and its buttons: a row per volunteer (their name ticks them in or takes
    it back; ⏏ checks them out), the pages, and Verify."""
    event = sheet.event
    text = t("attendance.sheet", title=event.title, center=t.center(center), when=EventService.span(t, event),
             came=sheet.came, verified=sheet.verified)
    rows = []
    for line in sheet.lines:
        name = line.full_name or t.digits(line.tracking_code)
        if line.hours is not None:
            rows.append([AttendanceButton("page", event.id, center.id, page).button(
                t("attendance.mark.verified", name=name))])
        elif line.checked_in_at is None:
            rows.append([AttendanceButton("in", event.id, center.id, page, line.registration_id).button(
                t("attendance.mark.absent", name=name))])
        else:
            state = "left" if line.checked_out_at else "present"
            arrived = t.digits(datetime.fromisoformat(line.checked_in_at).astimezone(t.timezone)
                               .strftime("%H:%M"))
            label = t(f"attendance.mark.{state}", name=name, at=arrived) + (" 📷" if line.by_scan else "")
            row = [AttendanceButton("undo", event.id, center.id, page, line.registration_id).button(label)]
            if not line.checked_out_at:
                row.append(AttendanceButton("out", event.id, center.id, page, line.registration_id).button(
                    t("attendance.button.out")))
            rows.append(row)
    nav = []
    if page > 0:
        nav.append(AttendanceButton("page", event.id, center.id, page - 1).button(t("button.previous_page")))
    if (page + 1) * SHEET_PAGE < sheet.total:
        nav.append(AttendanceButton("page", event.id, center.id, page + 1).button(t("button.next_page")))
    rows.append(nav)
    rows.append([AttendanceButton("verify", event.id, center.id, page).button(t("attendance.button.verify"))])
    return text, kb.inline(rows)
