"""Citizen sign-up: read each answer, let the sign-up service judge it, ask the next question.

The conversation's state is the draft in SQLite (written at every step), so a restart resumes
exactly where the user was; the per-user update processor keeps one user's updates in order.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable

from telegram import ReplyKeyboardRemove, Update

from bot import keyboards as kb
from bot.context import BotContext
from bot.services.signup import DAY_PARTS, KICKOFF_AT, MAX_ACTIVITIES, WEEKDAYS, Duplicate, EditApplied, Step
from bot.validation import Invalid, normalize_digits, normalize_text
from handlers.admin import accept_invite
from handlers.signup_prompts import (
    ask,
    center_keyboard,
    choice_keyboard,
    county_keyboard,
    province_keyboard,
    question,
)
from handlers.ui import redraw, send, who
from storage.models import Draft, Registration

logger = logging.getLogger(__name__)

BUTTON_PATTERN = r"^(language|center_link|privacy|gender|center|activities|days|parts|summary)\|"
SEARCH_MIN, SEARCH_MAX, SEARCH_RESULTS, NEAREST = 2, 50, 8, 5
Handler = Callable[[Update, BotContext, Draft, list[str]], Awaitable[None]]


# --------------------------------------------------------------------------- commands
async def start(update: Update, context: BotContext) -> None:
    """Begin or resume a sign-up; `/start c-<code>` (a poster's QR) preselects a center."""
    signup, t = context.services.signup, context.t
    platform, user_id = who(update, context)
    payload = context.args[0] if context.args else ""
    if payload.startswith("inv-"):
        await accept_invite(update, context, payload.removeprefix("inv-"))
        return
    registration = await signup.active_registration_of(platform, user_id)
    if registration is not None:
        await send(update, context, t("signup.already_registered",
                                      code=t.digits(registration.tracking_code),
                                      status=t(f"status.{registration.status}")))
        return
    center, note = None, None
    if payload.startswith("c-"):
        center = await context.services.places.center_by_code(normalize_digits(payload[2:]))
        if center is None or not center.active:
            center, note = None, t("signup.center_link.unknown")
    draft = await signup.draft(platform, user_id)
    if draft is not None and not signup.owns(draft):
        await send(update, context, t("admin.finish_first"))
        return
    if draft is not None and not signup.is_edit(draft):
        if center is not None:
            draft = await signup.link_center(draft, center.id)
            note = t("signup.center_link.set", center=t.center(center))
        await ask(update, context, draft, note or t("signup.resumed"))
        return
    draft = await signup.begin(platform, user_id, center)
    await send(update, context, t("start.greeting"))
    await ask(update, context, draft, note)


async def cancel(update: Update, context: BotContext) -> None:
    """Abandon the sign-up or edit in progress."""
    signup, t = context.services.signup, context.t
    platform, user_id = who(update, context)
    draft = await signup.draft(platform, user_id)
    if draft is None:
        await send(update, context, t("signup.nothing_to_cancel"), ReplyKeyboardRemove())
        return
    await signup.discard(platform, user_id)
    key = {"edit": "edit.cancelled", "signup": "signup.cancelled"}.get(
        draft.answers.get("mode"), "admin.cancelled")
    await send(update, context, t(key), ReplyKeyboardRemove())


# --------------------------------------------------------------------------- messages
async def on_message(update: Update, context: BotContext) -> None:
    """Any message that is not a command: the answer to the current step, or Back / Cancel."""
    signup, t, message = context.services.signup, context.t, update.effective_message
    draft = await signup.draft(*who(update, context))
    if draft is None:
        registered = await signup.active_registration_of(*who(update, context))
        await send(update, context, t("signup.idle_registered" if registered else "signup.idle"))
        return
    text = message.text
    i18n = context.services.i18n
    if text and text.strip() in i18n.all_texts("button.cancel"):
        await cancel(update, context)
        return
    if text and text.strip() in i18n.all_texts("button.back"):
        await go_back(update, context, draft)
        return
    step = Step(draft.step)
    if text and step in TEXT_STEPS:
        await TEXT_STEPS[step](update, context, draft, text)
    elif step is Step.MOBILE and message.contact:
        await receive_contact(update, context, draft)
    elif step is Step.CENTER and message.location:
        await nearest_centers(update, context, draft)
    else:
        reason = "signup.unexpected.type_text" if step in TEXT_STEPS else "signup.unexpected.use_buttons"
        await ask(update, context, draft, t(reason))


async def receive_name(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    """Full name: letters, 3–60 characters."""
    await _answer(update, context, draft, lambda: context.services.signup.answer_name(draft, text))


async def receive_national_id(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    """کد ملی: checksum, no repeated digit, not already registered."""
    await _answer(update, context, draft,
                  lambda: context.services.signup.answer_national_id(draft, text))


async def receive_mobile(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    """A typed mobile number in any accepted format."""
    await _answer(update, context, draft, lambda: context.services.signup.answer_mobile(draft, text))


async def receive_contact(update: Update, context: BotContext, draft: Draft) -> None:
    """A shared contact counts only when it is the sender's own: not forwarded, and not naming
    another user. Bale may send a contact without user_id: its number is then taken as if typed
    (typing it is allowed too, and unverified), so Bale citizens are not locked out."""
    message = update.effective_message
    contact = message.contact
    foreign = contact.user_id is not None and contact.user_id != update.effective_user.id
    if message.forward_origin is not None or foreign:
        await ask(update, context, draft, context.t("invalid.contact.not_own"))
        return
    # Verified only when the messenger names the contact's owner and it is the sender.
    verified = contact.user_id == update.effective_user.id
    await _answer(update, context, draft, lambda: context.services.signup.answer_mobile(
        draft, contact.phone_number, verified))


async def receive_birth_date(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    """A Jalali birth date giving an age of 12–100."""
    await _answer(update, context, draft,
                  lambda: context.services.signup.answer_birth_date(draft, text))


async def search_centers(update: Update, context: BotContext, draft: Draft, text: str) -> None:
    """Typed text at the center step: centers whose name, county or code matches."""
    t, query = context.t, normalize_text(text)
    if not SEARCH_MIN <= len(query) <= SEARCH_MAX:
        await ask(update, context, draft, t("signup.center.search_length", min=SEARCH_MIN, max=SEARCH_MAX))
        return
    found = await context.services.places.search(query, SEARCH_RESULTS)
    if not found:
        await ask(update, context, draft, t("signup.center.no_match", query=query))
        return
    await send(update, context, t("signup.center.matches"), choice_keyboard(t, [(c, None) for c in found]))


async def nearest_centers(update: Update, context: BotContext, draft: Draft) -> None:
    """A shared location: the nearest active centers with their distance."""
    location = update.effective_message.location
    nearest = await context.services.places.nearest(location.latitude, location.longitude, NEAREST)
    if not nearest:
        await ask(update, context, draft, context.t("signup.center.none_near"))
        return
    await send(update, context, context.t("signup.center.nearest"), choice_keyboard(context.t, nearest))


TEXT_STEPS = {
    Step.NAME: receive_name,
    Step.NATIONAL_ID: receive_national_id,
    Step.MOBILE: receive_mobile,
    Step.BIRTH_DATE: receive_birth_date,
    Step.CENTER: search_centers,
}


# --------------------------------------------------------------------------- buttons
async def on_button(update: Update, context: BotContext) -> None:
    """A sign-up button: acted on only if it belongs to the question the user is at now."""
    query, signup = update.callback_query, context.services.signup
    step, action, *args = query.data.split(kb.SEP)
    draft = await signup.draft(*who(update, context))
    handler = BUTTONS.get((step, action))
    if draft is None or draft.step != step or handler is None:
        await query.answer(context.t("signup.stale_button"))
        if draft is not None and signup.owns(draft):
            await ask(update, context, draft)
        return
    await query.answer()
    try:
        await handler(update, context, draft, args)
    except (ValueError, IndexError) as exc:  # forged or damaged data: refuse, never act
        logger.warning("refused button %r from user %s: %s", step + "|" + action,
                       update.effective_user.id, exc)
        await ask(update, context, draft, context.t("signup.unexpected.use_buttons"))


async def choose_language(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """فارسی / English: remembered for every later message."""
    language = args[0]
    if language not in context.services.i18n.languages:
        raise ValueError(f"unknown language {language!r}")
    platform, user_id = who(update, context)
    await context.services.accounts.set_language(platform, user_id, language)
    context.use_language(language)
    context.services.signup.set_language(draft, language)
    await _advance(update, context, draft)


async def confirm_link_center(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """Keep the center from the poster's link."""
    await _advance(update, context, draft)


async def reject_link_center(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """Choose another center later in the flow."""
    draft.answers.pop("center_id", None)
    await _advance(update, context, draft)


async def agree_privacy(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """The privacy notice is accepted."""
    await _answer(update, context, draft, lambda: context.services.signup.agree(draft))


async def choose_gender(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """One of two buttons."""
    await _answer(update, context, draft, lambda: context.services.signup.answer_gender(draft, args[0]))


async def browse_provinces(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """A page of provinces."""
    await redraw(update, context, context.t("signup.center.pick_province"),
                   await province_keyboard(context, int(args[0])))


async def browse_counties(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """The counties of a province."""
    await redraw(update, context, context.t("signup.center.pick_county"),
                   await county_keyboard(context, int(args[0]), int(args[1])))


async def browse_centers(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """The centers of a county."""
    await redraw(update, context, context.t("signup.center.pick_center"),
                   await center_keyboard(context, int(args[0]), int(args[1])))


async def pick_center(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """A center chosen from a list, a search or the nearest ones."""
    await _answer(update, context, draft,
                  lambda: context.services.signup.choose_center(draft, int(args[0])))


def _toggle_handler(key: str, options: Callable[[BotContext], Awaitable[tuple]],
                    maximum: int | None) -> Handler:
    async def toggle(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
        """Select or unselect one option; the question is redrawn with ✓ marks."""
        allowed = await options(context)
        value = int(args[0]) if allowed and isinstance(allowed[0], int) else args[0]
        signup = context.services.signup
        try:
            signup.toggle(draft, key, value, allowed, maximum)
        except Invalid as exc:
            await ask(update, context, draft, context.t(exc.reason, **exc.details))
            return
        await signup.move(draft, Step(draft.step))
        text, markup = await question(context, draft)
        await redraw(update, context, text, markup)

    return toggle


def _done_handler(key: str) -> Handler:
    async def done(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
        """Done: at least one option must be selected."""
        await _answer(update, context, draft, lambda: context.services.signup.require_choice(draft, key))

    return done


async def _activity_ids(context: BotContext) -> tuple:
    return await context.services.signup.activity_ids()


async def _weekdays(context: BotContext) -> tuple:
    return WEEKDAYS


async def _day_parts(context: BotContext) -> tuple:
    return DAY_PARTS


async def edit_field(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """Edit one answer from the summary, then come back to it."""
    step = Step(args[0])
    if step is Step.SUMMARY or step not in Step.__members__.values():
        raise ValueError(f"cannot edit {step}")
    await ask(update, context, await context.services.signup.edit_from_summary(draft, step))


async def confirm(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """Save the registration, give the tracking code and thank the volunteer."""
    t, signup = context.t, context.services.signup
    try:
        registration = await signup.confirm(draft)
    except Invalid as exc:
        await ask(update, context, draft, t(exc.reason, step=t(f"field.{exc.details.get('step')}")))
        return
    except Duplicate as duplicate:
        await tell_duplicate(update, context, draft, duplicate)
        return
    await thank(update, context, registration)
    await context.services.alerts.registration_event(registration, "new")


async def thank(update: Update, context: BotContext, registration: Registration) -> None:
    """The thank-you with the tracking code, the center and the kickoff if it is still ahead."""
    t, signup = context.t, context.services.signup
    center = await context.services.places.center(registration.center_id)
    text = t("signup.done", code=t.digits(registration.tracking_code), center=t.center(center))
    if signup.kickoff_ahead():
        text += "\n\n" + t("signup.done_kickoff", when=t.datetime(KICKOFF_AT))
    await send(update, context, text, ReplyKeyboardRemove())


async def cancel_from_summary(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """Cancel pressed under the summary."""
    await cancel(update, context)


async def back(update: Update, context: BotContext, draft: Draft, args: list[str]) -> None:
    """Back pressed under a question."""
    await go_back(update, context, draft)


BUTTONS: dict[tuple[str, str], Handler] = {
    (Step.LANGUAGE, "set"): choose_language,
    (Step.CENTER_LINK, "yes"): confirm_link_center,
    (Step.CENTER_LINK, "no"): reject_link_center,
    (Step.PRIVACY, "agree"): agree_privacy,
    (Step.PRIVACY, "back"): back,
    (Step.GENDER, "set"): choose_gender,
    (Step.GENDER, "back"): back,
    (Step.CENTER, "provs"): browse_provinces,
    (Step.CENTER, "prov"): browse_counties,
    (Step.CENTER, "county"): browse_centers,
    (Step.CENTER, "pick"): pick_center,
    (Step.ACTIVITIES, "toggle"): _toggle_handler("activities", _activity_ids, MAX_ACTIVITIES),
    (Step.ACTIVITIES, "done"): _done_handler("activities"),
    (Step.ACTIVITIES, "back"): back,
    (Step.DAYS, "toggle"): _toggle_handler("days", _weekdays, None),
    (Step.DAYS, "done"): _done_handler("days"),
    (Step.DAYS, "back"): back,
    (Step.PARTS, "toggle"): _toggle_handler("parts", _day_parts, None),
    (Step.PARTS, "done"): _done_handler("parts"),
    (Step.PARTS, "back"): back,
    (Step.SUMMARY, "edit"): edit_field,
    (Step.SUMMARY, "confirm"): confirm,
    (Step.SUMMARY, "cancel"): cancel_from_summary,
    (Step.SUMMARY, "back"): back,
}


# --------------------------------------------------------------------------- shared moves
async def go_back(update: Update, context: BotContext, draft: Draft) -> None:
    """The previous question (an edit with nothing before is abandoned)."""
    signup = context.services.signup
    previous = signup.previous_step(draft)
    if previous is None:
        if signup.is_edit(draft):
            await cancel(update, context)
        else:
            await ask(update, context, draft)
        return
    await ask(update, context, await signup.move(draft, previous))


async def _answer(update: Update, context: BotContext, draft: Draft,
                  apply: Callable[[], object]) -> None:
    """Apply one answer; refused answers re-ask with the reason, accepted ones move on."""
    try:
        result = apply()
        if inspect.isawaitable(result):
            await result
    except Invalid as exc:
        await ask(update, context, draft, context.t(exc.reason, **exc.details))
        return
    except Duplicate as duplicate:
        await tell_duplicate(update, context, draft, duplicate)
        return
    await _advance(update, context, draft)


async def _advance(update: Update, context: BotContext, draft: Draft) -> None:
    signup = context.services.signup
    try:
        outcome = await signup.advance(draft)
    except Duplicate as duplicate:
        await tell_duplicate(update, context, draft, duplicate)
        return
    if isinstance(outcome, EditApplied):
        t, registration = context.t, outcome.registration
        if registration.center_id != outcome.previous_center_id:
            center = await context.services.places.center(registration.center_id)
            text = t("edit.moved", center=t.center(center))
        else:
            text = t("edit.done")
        await send(update, context, text, ReplyKeyboardRemove())
        await context.services.alerts.registration_event(
            outcome.registration, "edited", outcome.previous_center_id)
        return
    await ask(update, context, outcome)


async def tell_duplicate(update: Update, context: BotContext, draft: Draft, duplicate: Duplicate) -> None:
    """The national id or mobile is already in an active registration: never a second one."""
    t, existing = context.t, duplicate.registration
    field = t(f"field.{duplicate.field}")
    if duplicate.own:
        await context.services.signup.discard(draft.platform, draft.user_id)
        await send(update, context, t("signup.duplicate.own", field=field,
                                      code=t.digits(existing.tracking_code),
                                      status=t(f"status.{existing.status}")),
                   kb.inline([[kb.button(t("button.edit_registration"), "account", "edit")]]))
        return
    # Another account's registration: say so, but show none of its details to this account.
    await ask(update, context, draft, t("signup.duplicate.other", field=field))
