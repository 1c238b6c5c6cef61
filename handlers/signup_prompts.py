"""The question of every sign-up step, rendered in the user's language with its keyboard."""

from __future__ import annotations

from datetime import date, datetime

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot.context import BotContext
from bot.i18n import Translator
from bot.services.signup import DAY_PARTS, GENDERS, SUMMARY_FIELDS, WEEKDAYS, Step
from handlers.ui import Markup, send
from storage.models import Activity, Center, Draft, Registration


async def ask(update: Update, context: BotContext, draft: Draft, note: str | None = None) -> None:
    """Send the current step's question (after `note`, when an answer was refused)."""
    t, step = context.t, Step(draft.step)
    prefix = f"{note}\n\n" if note else ""
    if step is Step.CENTER:
        await send(update, context, prefix + t("signup.center.prompt"), kb.share_location(t))
        await send(update, context, t("signup.center.pick_province"),
                   await province_keyboard(context, page=0))
        return
    text, markup = await question(context, draft)
    await send(update, context, prefix + text, markup)


async def question(context: BotContext, draft: Draft) -> tuple[str, Markup]:
    """The text and keyboard of one step (every step but the two-message center step)."""
    t, a, step = context.t, draft.answers, Step(draft.step)
    if step is Step.LANGUAGE:
        return t("signup.language.prompt"), kb.inline([[
            kb.button("فارسی", step, "set", "fa"), kb.button("English", step, "set", "en")]])
    if step is Step.CENTER_LINK:
        center = await context.services.places.center(a["center_id"])
        return t("signup.center_link.prompt", center=t.center(center)), kb.inline([
            [kb.button(t("button.continue"), step, "yes")],
            [kb.button(t("button.other_center"), step, "no")]])
    if step is Step.PRIVACY:
        return t("signup.privacy.prompt"), kb.inline([
            [kb.button(t("button.agree"), step, "agree")], [kb.button(t("button.back"), step, "back")]])
    if step is Step.NAME:
        return t("signup.name.prompt"), kb.navigation(t)
    if step is Step.NATIONAL_ID:
        return t("signup.national_id.prompt"), kb.navigation(t)
    if step is Step.MOBILE:
        return t("signup.mobile.prompt"), kb.share_contact(t)
    if step is Step.BIRTH_DATE:
        return t("signup.birth_date.prompt"), kb.navigation(t)
    if step is Step.GENDER:
        return t("signup.gender.prompt"), kb.inline([
            [kb.button(t(f"gender.{g}"), step, "set", g) for g in GENDERS],
            [kb.button(t("button.back"), step, "back")]])
    if step is Step.ACTIVITIES:
        activities = await context.services.places.activities()
        chosen = a.get("activities", [])
        return (t("signup.activities.prompt", chosen=len(chosen)),
                kb.toggles(t, step, [(x.id, t.name(x)) for x in activities], chosen))
    if step is Step.DAYS:
        return (t("signup.days.prompt"),
                kb.toggles(t, step, [(d, t(f"day.{d}")) for d in WEEKDAYS], a.get("days", []), 2))
    if step is Step.PARTS:
        return (t("signup.parts.prompt"),
                kb.toggles(t, step, [(p, t(f"part.{p}")) for p in DAY_PARTS], a.get("parts", []), 3))
    if step is Step.SUMMARY:
        return await summary(context, draft)
    raise ValueError(f"no question for step {step}")


async def summary(context: BotContext, draft: Draft) -> tuple[str, Markup]:
    """Every answer, an Edit button per field, Confirm and Cancel."""
    t, a = context.t, draft.answers
    center = await context.services.places.center(a["center_id"])
    activities = await context.services.places.activities_by_id()
    text = t(
        "signup.summary.prompt",
        name=a["full_name"],
        national_id=t.digits(a["national_id"]),
        mobile=t.digits(a["mobile"]),
        birth_date=t.date(date.fromisoformat(a["birth_date"])),
        minor=t("signup.summary.minor") if a.get("is_minor") else "",
        gender=t(f"gender.{a['gender']}"),
        center=t.center(center),
        activities=t("list.separator").join(
            t.name(activities[i]) for i in a["activities"] if i in activities),
        days=t("list.separator").join(t(f"day.{d}") for d in WEEKDAYS if d in a["days"]),
        parts=t("list.separator").join(t(f"part.{p}") for p in DAY_PARTS if p in a["parts"]),
    )
    edits = [kb.button(t(f"field.{s}"), Step.SUMMARY, "edit", s) for s in SUMMARY_FIELDS]
    rows = [*kb.in_rows(edits, 3),
            [kb.button(t("button.confirm"), Step.SUMMARY, "confirm")],
            [kb.button(t("button.back"), Step.SUMMARY, "back"),
             kb.button(t("button.cancel"), Step.SUMMARY, "cancel")]]
    return text, kb.inline(rows)


async def province_keyboard(context: BotContext, page: int) -> InlineKeyboardMarkup:
    t = context.t
    provinces = await context.services.places.provinces()
    items = [(t.name(p), kb.data(Step.CENTER, "prov", p.id, 0))
             for p in provinces]
    return kb.paged(t, items, page, Step.CENTER, "provs")


async def county_keyboard(context: BotContext, province_id: int, page: int) -> InlineKeyboardMarkup:
    t = context.t
    counties = await context.services.places.counties(province_id)
    items = [(t.name(c),
              kb.data(Step.CENTER, "county", c.id, 0)) for c in counties]
    return kb.paged(t, items, page, Step.CENTER, "prov", province_id,
                    back=kb.data(Step.CENTER, "provs", 0))


async def center_keyboard(context: BotContext, county_id: int, page: int) -> InlineKeyboardMarkup:
    t = context.t
    centers = await context.services.places.centers_in(county_id)
    items = [(t.center(c), kb.data(Step.CENTER, "pick", c.id)) for c in centers]
    return kb.paged(t, items, page, Step.CENTER, "county", county_id, per_row=1,
                    back=kb.data(Step.CENTER, "provs", 0))


def choice_keyboard(t: Translator, centers: list[tuple[Center, float | None]]) -> InlineKeyboardMarkup:
    """Found or nearest centers, one per row (with the distance when known)."""
    rows = []
    for center, distance in centers:
        label = t.center(center)
        if distance is not None:
            label = t("center.with_distance", center=label, km=t.digits(f"{distance:.1f}"))
        rows.append([kb.button(label, Step.CENTER, "pick", center.id)])
    return kb.inline(rows)


def registration_card(t: Translator, registration: Registration, center: Center | None,
                      activities: dict[int, Activity]) -> str:
    """The /status text of a registration."""
    return t(
        "status.card",
        code=t.digits(registration.tracking_code),
        status=t(f"status.{registration.status}"),
        center=t.center(center) if center else "-",
        activities=t("list.separator").join(
            t.name(activities[i]) for i in registration.activity_ids if i in activities),
        days=t("list.separator").join(t(f"day.{d}") for d in registration.availability_days),
        parts=t("list.separator").join(t(f"part.{p}") for p in registration.availability_parts),
        created=t.datetime(datetime.fromisoformat(registration.created_at)),
        updated=t.datetime(datetime.fromisoformat(registration.updated_at)),
    )
