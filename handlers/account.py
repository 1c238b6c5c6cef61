"""A registered volunteer's commands: /status, /edit, /withdraw, /forget, and /language for everyone."""

from __future__ import annotations

from datetime import datetime

from telegram import ReplyKeyboardRemove, Update

from bot import keyboards as kb
from bot.callbacks import AccountButton
from bot.context import BotContext
from bot.i18n import Translator
from bot.services.alerts import AlertKind
from bot.services.signup import EDITABLE_AFTER_SIGNUP
from handlers.dialogs import ENGINE, ask_again
from handlers.dialogs.signup import EDIT
from handlers.ui import send, who
from storage.models import Activity, Center, Registration, Status


async def show_status(update: Update, context: BotContext) -> None:
    """The volunteer's registration, its status and its Jalali dates."""
    t, services = context.t, context.services
    registration = await services.signup.registration_of(*who(update, context))
    if registration is None:
        await send(update, context, t("account.not_registered"))
        return
    center = await services.places.center(registration.center_id)
    activities = await services.places.activities_by_id()
    text = registration_card(t, registration, center, activities)
    await send(update, context, text + (t.center_contact(center) if center else ""))


async def start_edit(update: Update, context: BotContext) -> None:
    """Which part of the registration to change."""
    t, signup = context.t, context.services.signup
    platform, user_id = who(update, context)
    registration = await signup.editable_registration_of(platform, user_id)
    if registration is None:
        await send(update, context, await _why_nothing_to_change(update, context))
        return
    draft = await context.services.conversations.current(platform, user_id)
    if draft is not None and draft.answers.get("mode") != EDIT.name:
        key = "account.finish_signup_first" if draft.answers.get("mode") == "signup" else "admin.finish_first"
        await send(update, context, t(key))
        return
    if registration.status is Status.REJECTED:
        center = await context.services.places.center(registration.center_id)
        await send(update, context, t("edit.after_rejection", center=t.center(center)), kb.inline(
            [[AccountButton("edit_field", "center").button(t("edit.field.other_center"))]]))
        return
    rows = [[AccountButton("edit_field", field).button(t(f"edit.field.{field}"))]
            for field in signup.editable_fields(registration)]
    await send(update, context, t("edit.prompt"), kb.inline(rows))


async def ask_withdraw(update: Update, context: BotContext) -> None:
    """Ask before withdrawing."""
    t = context.t
    if await context.services.signup.active_registration_of(*who(update, context)) is None:
        await send(update, context, await _why_nothing_to_change(update, context))
        return
    await send(update, context, t("withdraw.confirm"), kb.inline([
        [AccountButton("withdraw").button(t("button.yes_withdraw")),
         AccountButton("keep").button(t("button.no"))]]))


async def _why_nothing_to_change(update: Update, context: BotContext) -> str:
    """Why /withdraw (or /edit) has nothing to act on: no registration, or it was withdrawn
    already, or (for /withdraw) it was not accepted."""
    t = context.t
    latest = await context.services.signup.registration_of(*who(update, context))
    if latest is None:
        return t("account.not_registered")
    if latest.status is Status.WITHDRAWN:
        return t("account.already_withdrawn", code=t.digits(latest.tracking_code))
    return t("account.rejected_no_withdraw", code=t.digits(latest.tracking_code))


async def ask_forget(update: Update, context: BotContext) -> None:
    """Ask before erasing personal data."""
    t = context.t
    await send(update, context, t("forget.confirm"), kb.inline([
        [AccountButton("forget").button(t("button.yes_forget")),
         AccountButton("keep").button(t("button.no"))]]))


async def choose_language(update: Update, context: BotContext) -> None:
    """فارسی / English at any time."""
    await send(update, context, context.t("language.prompt"), kb.inline([[
        AccountButton("lang", "fa").button("فارسی"), AccountButton("lang", "en").button("English")]]))


async def on_button(update: Update, context: BotContext) -> None:
    """Buttons of the account commands; each re-checks the registration before acting."""
    query = update.callback_query
    try:
        pressed = AccountButton.parse(query.data)
    except ValueError:
        await query.answer(context.t("signup.stale_button"))
        return
    await query.answer()
    if pressed.action in _PERSON_ACTIONS:
        await _PERSON_ACTIONS[pressed.action](update, context, pressed.arg)
        return
    registration = await context.services.signup.editable_registration_of(*who(update, context))
    if registration is None or (pressed.action == "withdraw" and registration.status is Status.REJECTED):
        await send(update, context, context.t("account.not_registered"))
        return
    act = _REGISTRATION_ACTIONS.get(pressed.action)
    if act is None:
        await send(update, context, context.t("signup.stale_button"))
        return
    await act(update, context, registration, pressed.arg)


async def _set_language(update: Update, context: BotContext, language: str) -> None:
    """The chosen language from now on; a dialog in progress asks its question again in it."""
    services = context.services
    if language not in services.i18n.languages:
        await send(update, context, context.t("signup.stale_button"))
        return
    await services.accounts.set_language(*who(update, context), language)
    context.use_language(language)
    await send(update, context, context.t("language.done"))
    draft = await services.conversations.current(*who(update, context))
    if draft is not None:
        await ask_again(update, context, draft)


async def _keep(update: Update, context: BotContext, _: str) -> None:
    """The person thought better of erasing their data."""
    await send(update, context, context.t("account.nothing_changed"))


async def _forget(update: Update, context: BotContext, _: str) -> None:
    """Erase everything the bot holds about the person (confirmed)."""
    await context.services.erasure.forget_person(update.effective_user.id)
    context.use_language(None)
    await send(update, context, context.t("forget.done"), ReplyKeyboardRemove())


async def _edit(update: Update, context: BotContext, _: Registration, __: str) -> None:
    """The choice of what to change."""
    await start_edit(update, context)


async def _edit_part(update: Update, context: BotContext, registration: Registration, part: str) -> None:
    """The /edit dialog for one part of the registration."""
    services = context.services
    if part not in services.signup.editable_fields(registration):
        await send(update, context, context.t("signup.stale_button"))
        return
    answers = services.signup.begin_edit(registration, part)
    await ENGINE.begin(update, context, EDIT, answers, EDITABLE_AFTER_SIGNUP[part][0], replacing=True)


async def _withdraw(update: Update, context: BotContext, registration: Registration, _: str) -> None:
    """Withdraw (confirmed); the center's alerts say so."""
    t = context.t
    withdrawn = await context.services.signup.withdraw(registration)
    await send(update, context, t("withdraw.done", code=t.digits(withdrawn.tracking_code)))
    await context.services.alerts.registration_event(withdrawn, AlertKind.WITHDRAWN)


_PERSON_ACTIONS = {"lang": _set_language, "keep": _keep, "forget": _forget}
_REGISTRATION_ACTIONS = {"edit": _edit, "edit_field": _edit_part, "withdraw": _withdraw}


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
