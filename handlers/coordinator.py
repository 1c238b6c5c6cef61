"""Coordinators (and admins) at work: invites accepted, alert buttons, /roster, /export, /poster."""

from __future__ import annotations

from datetime import date, datetime

import jdatetime
from telegram import Update

from bot import keyboards as kb
from bot.callbacks import PosterFor, ReleaseButton, ReviewButton, RosterActivities, RosterOpen, RosterPage
from bot.context import BotContext
from bot.services.alerts import mobile_shown
from bot.services.events import EventService
from bot.services.roles import Actor, NotAllowed
from bot.validation import age_on
from handlers.dialogs import ENGINE
from handlers.dialogs.rejection import REJECTION_REASON, TypedReason
from handlers.ui import actor_of, center_from_args, in_private, redraw, refuse, send
from storage.models import Center, Status

ROSTER_PAGE = 10
ROSTER_STATUSES = ("-", *Status)  # "-": every status


async def review_button(update: Update, context: BotContext) -> None:
    """Approve / Reject / Contacted under an alert, and the questions a decision may ask first
    (why reject; really undo what the volunteer was told): re-checked on the server each time."""
    query, t, services = update.callback_query, context.t, context.services
    try:
        pressed = ReviewButton.parse(query.data)
        markup = query.message.reply_markup
        buttons = frozenset(b.callback_data for row in (markup.inline_keyboard if markup else ())
                            for b in row if b.callback_data)
        outcome = await services.alerts.review(
            actor_of(update, context), pressed.registration_id, pressed.action, query.message.chat.id,
            query.message.message_id, t, buttons)
    except (NotAllowed, ValueError):
        await query.answer(t("roles.not_allowed"), show_alert=True)
        return
    if outcome.needs_typed_reason and not await ENGINE.begin(
            update, context, REJECTION_REASON, TypedReason(pressed.registration_id), in_private=True,
            replacing=True):
        await query.answer(t("alert.answer.open_private"), show_alert=True)
        return
    await query.answer(t(outcome.answer))
    if outcome.redraw is not None:
        await redraw(update, context, *outcome.redraw)


# --------------------------------------------------------------------------- roster
async def roster(update: Update, context: BotContext) -> None:
    """/roster [center code]: the center's volunteers, newest first, ten a page (private only)."""
    if not await in_private(update, context):
        return
    services, t = context.services, context.t
    actor = actor_of(update, context)
    center = None
    if context.args:
        center = await center_from_args(update, context)
        if center is None:
            return
    try:
        centers = await services.roles.visible_centers(actor, center)
    except NotAllowed:
        await refuse(update, context)
        return
    if centers is None:  # an admin: every center is too many for one list; their own, if any
        centers = await services.roles.centers_of(actor.platform, actor.user_id)
        if not centers:
            await send(update, context, t("roster.which_center"))
            return
    if len(centers) > 1:
        rows = []
        for center_id in centers:
            center = await services.places.center(center_id)
            rows.append([RosterPage(center_id, "-", 0, 0).button(t.center(center))])
        await send(update, context, t("roster.choose_center"), kb.inline(rows))
        return
    try:
        text, markup = await _roster_page(context, actor, centers[0], "-", 0, 0)
    except NotAllowed:
        await send(update, context, t("roles.not_allowed"))
        return
    await send(update, context, text, markup)


async def roster_button(update: Update, context: BotContext) -> None:
    """Paging and filters of the roster, or the activity picker."""
    query, t = update.callback_query, context.t
    actor = actor_of(update, context)
    try:
        if query.data.startswith(RosterActivities.PREFIX + "|"):
            picker = RosterActivities.parse(query.data)
            if picker.status not in ROSTER_STATUSES:
                raise ValueError(picker.status)
            await context.services.roles.require_manager(actor, picker.center_id)
            text, markup = await _activity_picker(context, picker.center_id, picker.status)
        else:
            wanted = RosterPage.parse(query.data)
            if wanted.status not in ROSTER_STATUSES:
                raise ValueError(wanted.status)
            text, markup = await _roster_page(context, actor, wanted.center_id, wanted.status,
                                              wanted.activity_id, wanted.page)
    except (NotAllowed, ValueError):
        await query.answer(t("roles.not_allowed"), show_alert=True)
        return
    await query.answer()
    await redraw(update, context, text, markup)


async def _roster_page(context: BotContext, actor: Actor, center_id: int, status: str,
                       activity_id: int, page: int):
    services, t = context.services, context.t
    volunteers, total = await services.roster.page(
        actor, center_id, None if status == "-" else Status(status), activity_id or None, page,
        ROSTER_PAGE)
    center = await services.places.center(center_id)
    activities = await services.places.activities_by_id()
    today = services.signup.today()
    lines = [t("roster.title", center=t.center(center), total=total)]
    filters = [t(f"status.{status}") if status != "-" else t("roster.all_statuses")]
    if activity_id in activities:
        a = activities[activity_id]
        filters.append(t.name(a))
    lines.append(t("roster.filters", filters=t("list.separator").join(filters)))
    if volunteers:
        lines.append(t("roster.open_hint"))
    for number, v in enumerate(volunteers, start=page * ROSTER_PAGE + 1):
        age = age_on(date.fromisoformat(v.birth_date), today) if v.birth_date else 0
        lines.append(t("roster.line", number=number, name=v.full_name or "-", age=age,
                       mobile=mobile_shown(t, v), status=t(f"status.{v.status}"),
                       code=t.digits(v.tracking_code)))
    if not volunteers:
        lines.append(t("roster.empty"))
    status_row = [RosterPage(center_id, s, activity_id, 0).button(
        ("✓ " if s == status else "") + (t(f"status.{s}") if s != "-" else t("roster.all_statuses")))
        for s in ROSTER_STATUSES]
    nav = []
    if page > 0:
        nav.append(RosterPage(center_id, status, activity_id, page - 1).button(t("button.previous_page")))
    if (page + 1) * ROSTER_PAGE < total:
        nav.append(RosterPage(center_id, status, activity_id, page + 1).button(t("button.next_page")))
    # A button per volunteer opens their alert, with Approve / Reject / Contacted.
    openers = [RosterOpen(v.id).button(t.digits(str(number)))
               for number, v in enumerate(volunteers, start=page * ROSTER_PAGE + 1)]
    rows = [*kb.in_rows(openers, 5), *kb.in_rows(status_row, 3),
            [RosterActivities(center_id, status).button(t("roster.by_activity"))], nav]
    return "\n".join(lines), kb.inline(rows)


async def open_from_roster(update: Update, context: BotContext) -> None:
    """A roster number pressed: that volunteer's alert, with its review buttons, in private."""
    query = update.callback_query
    try:
        pressed = RosterOpen.parse(query.data)
        await context.services.alerts.show(actor_of(update, context), pressed.registration_id, context.t)
    except (NotAllowed, ValueError):
        await query.answer(context.t("roles.not_allowed"), show_alert=True)
        return
    await query.answer()


async def _activity_picker(context: BotContext, center_id: int, status: str):
    t = context.t
    buttons = [RosterPage(center_id, status, 0, 0).button(t("roster.all_activities"))]
    for a in await context.services.places.activities():
        buttons.append(RosterPage(center_id, status, a.id, 0).button(t.name(a)))
    return t("roster.pick_activity"), kb.inline(kb.in_rows(buttons, 2))


# --------------------------------------------------------------------------- release
async def ask_release(update: Update, context: BotContext) -> None:
    """/release <national code, mobile or tracking code>: a registration that blocks the real
    owner of that national code or mobile, shown before it is released (private chats only)."""
    if not await in_private(update, context):
        return
    services, t = context.services, context.t
    actor = actor_of(update, context)
    if not (await services.roles.is_admin(actor.platform, actor.user_id)
            or await services.roles.centers_of(actor.platform, actor.user_id)):
        await send(update, context, t("roles.not_allowed"))
        return
    if not context.args:
        await send(update, context, t("release.usage"))
        return
    registration = await services.release.find(actor, " ".join(context.args))
    if registration is None:
        await send(update, context, t("release.not_found"))
        return
    center = await services.places.center(registration.center_id)
    await send(update, context, t(
        "release.confirm", name=registration.full_name or "-", code=t.digits(registration.tracking_code),
        mobile=mobile_shown(t, registration), center=t.center(center),
        status=t(f"status.{registration.status}"),
        created=t.datetime(datetime.fromisoformat(registration.created_at))), kb.inline([[
            ReleaseButton("yes", registration.id).button(t("button.release")),
            ReleaseButton("no", registration.id).button(t("button.no"))]]))


async def release_button(update: Update, context: BotContext) -> None:
    """Release confirmed (re-checked on the server), or not."""
    query, t, services = update.callback_query, context.t, context.services
    try:
        pressed = ReleaseButton.parse(query.data)
        if pressed.action == "no":
            await query.answer()
            await redraw(update, context, t("account.nothing_changed"), None)
            return
        released = await services.release.release(actor_of(update, context), pressed.registration_id)
    except (NotAllowed, ValueError):
        await query.answer(t("roles.not_allowed"), show_alert=True)
        return
    await query.answer()
    if released is None:
        await redraw(update, context, t("release.not_active"), None)
        return
    await redraw(update, context, t("release.done", code=t.digits(released.tracking_code)), None)


# --------------------------------------------------------------------------- export and poster
async def export(update: Update, context: BotContext) -> None:
    """/export [center code]: XLSX and CSV of the user's centers (admins: of everything);
    private chats only."""
    if not await in_private(update, context):
        return
    services, t = context.services, context.t
    actor = actor_of(update, context)
    center = None
    if context.args:
        center = await center_from_args(update, context)
        if center is None:
            return
    try:
        center_ids = await services.roles.visible_centers(actor, center)
    except NotAllowed:
        await refuse(update, context)
        return
    label = center.code if center else "all" if center_ids is None else "mine"
    persian = services.i18n.translator("fa")  # the files have Persian headers for everyone
    documents = await services.exports.documents(persian, center_ids)
    today = jdatetime.date.fromgregorian(date=services.signup.today()).strftime("%Y-%m-%d")
    name = f"salam-mahalleh-{label}-{today}"
    messenger = services.messenger
    await messenger.send_document(update.effective_chat.id, documents.xlsx, f"{name}.xlsx",
                                  t("export.caption", count=documents.rows))
    await messenger.send_document(update.effective_chat.id, documents.csv, f"{name}.csv")
    await services.exports.record(actor.key, label, documents.rows)


async def poster(update: Update, context: BotContext) -> None:
    """/poster <center code or name>: a printable PNG with the center's QR codes."""
    if not context.args:
        await send(update, context, context.t("poster.usage"))
        return
    center = await center_from_args(update, context, choice=PosterFor)
    if center is not None:
        await _send_poster(update, context, center)


async def poster_for(update: Update, context: BotContext) -> None:
    """A center picked from the /poster list of several matching a name."""
    query = update.callback_query
    try:
        center = await context.services.places.center(PosterFor.parse(query.data).center_id)
        if center is None:
            raise ValueError(query.data)
    except ValueError:
        await query.answer(context.t("signup.stale_button"))
        return
    await query.answer()
    await _send_poster(update, context, center)


async def _send_poster(update: Update, context: BotContext, center: Center) -> None:
    """The center's poster, for whoever manages it."""
    services, t = context.services, context.t
    actor = actor_of(update, context)
    if not await services.roles.may_manage(actor.platform, actor.user_id, center.id):
        await send(update, context, t("roles.not_allowed"))
        return
    persian = services.i18n.translator("fa")
    links = [(persian(f"messenger.{platform}"), link)
             for platform, link in services.deep_links(f"c-{center.code}")]
    png = services.posters.render(persian, center, links)
    await services.messenger.send_photo(update.effective_chat.id, png,
                                        t("poster.caption", center=t.center(center)),
                                        filename=f"poster-{center.code}.png")
    for event in await services.events.ahead_at(center.id):  # and each event's check-in QR here
        links = [(persian(f"messenger.{platform}"), link)
                 for platform, link in services.deep_links(services.checkin.payload(event, center))]
        png = services.posters.render_checkin(persian, event.title, EventService.span(persian, event),
                                              center, links)
        await services.messenger.send_photo(
            update.effective_chat.id, png,
            t("poster.checkin.caption", title=event.title, center=t.center(center)),
            filename=f"checkin-{event.id}-{center.code}.png")
