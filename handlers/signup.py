"""A citizen's /start: begin a sign-up (a poster's link `/start c-<code>` preselects the center),
resume one, or open a coordinator invite; and what a message says when no dialog is going on.
The sign-up dialog itself is handlers/dialogs/signup.py."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.services.certificates import PREFIX as CERTIFICATE_PREFIX
from bot.services.checkin import PREFIX as CHECKIN_PREFIX
from bot.services.signup import SignupAnswers, Step
from bot.validation import Invalid, normalize_digits
from handlers.admin import accept_invite
from handlers.certificate import verify as verify_certificate
from handlers.checkin import checkin_text
from handlers.dialogs import ENGINE
from handlers.dialogs.signup import SIGNUP
from handlers.ui import send, who


async def start(update: Update, context: BotContext) -> None:
    """Begin or resume a sign-up; `/start c-<code>` (a poster's QR) preselects a center;
    `/start k-…` (an event's check-in QR) checks a volunteer in, or signs a newcomer up first."""
    services, t = context.services, context.t
    platform, user_id = who(update, context)
    payload = context.args[0] if context.args else ""
    if payload.startswith(CERTIFICATE_PREFIX):  # a certificate's QR: its verification
        await verify_certificate(update, context, payload.removeprefix(CERTIFICATE_PREFIX))
        return
    if payload.startswith("inv-"):
        await accept_invite(update, context, payload.removeprefix("inv-"))
        return
    checkin = ""
    if payload.startswith(CHECKIN_PREFIX):  # an event's check-in QR
        outcome = await services.checkin.check_in(platform, user_id, payload)
        if not outcome.needs_signup:
            await send(update, context, checkin_text(t, outcome))
            return
        # Not signed up yet: sign-up first, at the QR's center; the check-in follows it.
        await send(update, context, t("checkin.sign_up_first", title=outcome.event.title))
        checkin, payload = payload, f"c-{outcome.center.code}"
    registration = await services.signup.active_registration_of(platform, user_id)
    if registration is not None:
        await send(update, context, t("signup.already_registered",
                                      code=t.digits(registration.tracking_code),
                                      status=t(f"status.{registration.status}")))
        return
    center, note = None, None
    if payload.startswith("c-"):
        center = await services.places.center_by_code(normalize_digits(payload[2:]))
        if center is None or not center.active:
            center, note = None, t("signup.center_link.unknown")
    draft = await services.conversations.current(platform, user_id)
    if draft is not None and draft.answers.get("mode") == SIGNUP.name:
        await _resume(update, context, draft, center, note, checkin)
        return
    if draft is not None and ENGINE.owns(draft):
        await send(update, context, t("admin.finish_first"))
        return
    if draft is not None:  # left by a version that no longer reads it
        await services.conversations.end(platform, user_id)
    language = context.account.language if context.account else None
    answers = SignupAnswers(language=language, language_known=language is not None,
                            center_id=center.id if center else None, center_from_link=center is not None,
                            checkin=checkin)
    await send(update, context, t("start.greeting"))
    await ENGINE.begin(update, context, SIGNUP, answers,
                       Step.CENTER_LINK if center is not None else None, note=note)


async def _resume(update: Update, context: BotContext, draft, center, note: str | None,
                  checkin: str = "") -> None:
    """A sign-up in progress goes on; a center's link opened meanwhile answers the center question
    (a check-in QR's too, and the check-in follows the confirmation)."""
    t = context.t
    if center is None:
        await ENGINE.ask_again(update, context, draft, note or t("signup.resumed"))
        return
    answers: SignupAnswers = ENGINE.answers_of(draft)
    answers.checkin = checkin or answers.checkin
    try:
        await context.services.signup.choose_center(answers, center.id)
    except Invalid as refused:
        await ENGINE.ask_again(update, context, draft, t(refused.reason, **refused.details))
        return
    order = [s.name for s in SIGNUP.steps]
    # Not reached yet: the center question will be skipped. At it: answered, on to the next.
    # Past it (or changing it from the summary): the answer changes, the person stays or returns.
    answers.center_from_link = order.index(draft.step) < order.index(Step.CENTER)
    step, returning = None, answers.return_to_summary
    if returning:
        answers.return_to_summary, step = False, Step.SUMMARY
    elif draft.step == Step.CENTER:
        step = SIGNUP.following(Step.CENTER, answers)
    await ENGINE.go_to(update, context, draft, answers, step,
                       t("signup.center_link.set", center=t.center(center)), returning=returning)
