"""A citizen's sign-up, and a volunteer's /edit of one part of their registration: the questions
in order, how each answer is read, and what happens at the end. The rules are SignupService's.

Sign-up: (a poster's center?) → (language, once) → privacy → name → national code → mobile →
birth date → (under 18: guardian's name, mobile and consent) → gender → center → activities →
days → times of day → summary (any answer can be changed from there, then the summary comes
back) → confirm. /edit: the steps of the part being changed."""

from __future__ import annotations

from datetime import date

from telegram import Contact, InlineKeyboardMarkup, Location, ReplyKeyboardRemove

from bot import keyboards as kb
from bot.callbacks import AccountButton
from bot.services.alerts import AlertKind
from bot.services.signup import (
    DAY_PARTS,
    GENDERS,
    KICKOFF_AT,
    MAX_ACTIVITIES,
    SUMMARY_FIELDS,
    WEEKDAYS,
    Duplicate,
    EditAnswers,
    SignupAnswers,
    Step,
)
from bot.validation import Invalid, normalize_text
from handlers.checkin import checkin_text
from handlers.dialogs.engine import FINISHED, STAY, Dialog, Question, Redraw, Result, Turn, Visit
from handlers.dialogs.engine import Step as DialogStep
from handlers.ui import who
from storage.models import Center, Registration

SEARCH_MIN, SEARCH_MAX, SEARCH_LIMIT, NEAREST = 2, 50, 200, 5
NEAR_KM = 30  # farther than this, the nearest centers are listed as "none near you"
Answers = SignupAnswers | EditAnswers


# ----------------------------------------------------------------------------- ending
async def thank(turn: Turn, registration: Registration) -> None:
    """The thank-you with the tracking code, the center and the kickoff if it is still ahead."""
    t, services = turn.t, turn.services
    center = await services.places.center(registration.center_id)
    text = t("signup.done", code=t.digits(registration.tracking_code), center=t.center(center))
    if services.signup.kickoff_ahead():
        text += "\n\n" + t("signup.done_kickoff", when=t.datetime(KICKOFF_AT))
    await turn.send(text, ReplyKeyboardRemove())


async def tell_duplicate(turn: Turn, duplicate: Duplicate) -> Result:
    """The national code or mobile is in an active registration: never a second one. The
    person's own: the dialog ends with a way to change it. Another account's: said, with none of
    its details, and the question is asked again."""
    t, existing = turn.t, duplicate.registration
    field = t(f"field.{duplicate.field}")
    if not duplicate.own:
        raise Invalid("signup.duplicate.other", field=field)
    await turn.send(t("signup.duplicate.own", field=field, code=t.digits(existing.tracking_code),
                      status=t(f"status.{existing.status}")),
                    kb.inline([[AccountButton("edit").button(t("button.edit_registration"))]]))
    return FINISHED


async def _guarded(turn: Turn, answer) -> Result:
    """Apply an answer whose check may find a duplicate."""
    try:
        await answer
    except Duplicate as duplicate:
        return await tell_duplicate(turn, duplicate)
    return None


# ----------------------------------------------------------------------------- the questions
async def ask_language(turn: Turn[SignupAnswers]) -> Question:
    return Question(turn.t("signup.language.prompt"), kb.inline([[
        turn.button("فارسی", "set", "fa"), turn.button("English", "set", "en")]]))


async def set_language(turn: Turn[SignupAnswers], args: list[str]) -> Result:
    """فارسی / English: remembered for every later message."""
    language = args[0]
    if language not in turn.services.i18n.languages:
        raise ValueError(language)
    await turn.services.accounts.set_language(*who(turn.update, turn.context), language)
    turn.context.use_language(language)
    turn.answers.language = language
    return None


async def ask_center_link(turn: Turn[SignupAnswers]) -> Question:
    t = turn.t
    center = await turn.services.places.center(turn.answers.center_id)
    return Question(t("signup.center_link.prompt", center=t.center(center)), kb.inline([
        [turn.button(t("button.continue"), "yes")], [turn.button(t("button.other_center"), "no")]]))


async def keep_link_center(turn: Turn[SignupAnswers], args: list[str]) -> Result:
    """Keep the center from the poster's link."""
    return None


async def drop_link_center(turn: Turn[SignupAnswers], args: list[str]) -> Result:
    """Another center, chosen later in the flow."""
    turn.answers.center_id, turn.answers.center_from_link = None, False
    return None


async def ask_privacy(turn: Turn[SignupAnswers]) -> Question:
    t = turn.t
    return Question(t("signup.privacy.prompt"), kb.inline([
        [turn.button(t("button.agree"), "agree")]]))


async def agree(turn: Turn[SignupAnswers], args: list[str]) -> Result:
    turn.answers.agreed = True
    return None


def _typed(key: str):
    async def ask(turn: Turn) -> Question:
        return Question(turn.t(f"signup.{key}.prompt"), kb.navigation(turn.t))
    return ask


async def read_name(turn: Turn[Answers], text: str) -> Result:
    """Full name: letters, 3–60 characters."""
    turn.services.signup.answer_name(turn.answers, text)
    return None


async def read_national_id(turn: Turn[SignupAnswers], text: str) -> Result:
    """کد ملی: checksum, no repeated digit, not already registered."""
    return await _guarded(turn, turn.services.signup.answer_national_id(
        *who(turn.update, turn.context), turn.answers, text))


async def ask_mobile(turn: Turn) -> Question:
    return Question(turn.t("signup.mobile.prompt"), kb.share_contact(turn.t))


async def read_mobile(turn: Turn[Answers], text: str) -> Result:
    """A typed mobile number in any accepted format."""
    return await _guarded(turn, turn.services.signup.answer_mobile(
        *who(turn.update, turn.context), turn.answers, text))


async def read_contact(turn: Turn[Answers], contact: Contact) -> Result:
    """A shared contact counts only when it is the sender's own: not forwarded, and not naming
    another user. Bale may send a contact without user_id: its number is then taken as if typed
    (typing it is allowed too, and unverified), so Bale citizens are not locked out."""
    sender = turn.update.effective_user.id
    if turn.update.effective_message.forward_origin is not None or (
            contact.user_id is not None and contact.user_id != sender):
        raise Invalid("invalid.contact.not_own")
    # Verified only when the messenger names the contact's owner and it is the sender.
    return await _guarded(turn, turn.services.signup.answer_mobile(
        *who(turn.update, turn.context), turn.answers, contact.phone_number, contact.user_id == sender))


async def read_birth_date(turn: Turn[Answers], text: str) -> Result:
    """A Jalali birth date giving an age of 12–100."""
    turn.services.signup.answer_birth_date(turn.answers, text)
    return None


async def read_guardian_name(turn: Turn[Answers], text: str) -> Result:
    """The guardian's full name (the same rules as the volunteer's)."""
    turn.services.signup.answer_guardian_name(turn.answers, text)
    return None


async def read_guardian_mobile(turn: Turn[Answers], text: str) -> Result:
    """The guardian's mobile, typed (a shared contact would be the volunteer's own)."""
    turn.services.signup.answer_guardian_mobile(turn.answers, text)
    return None


async def ask_guardian_consent(turn: Turn[Answers]) -> Question:
    t = turn.t
    return Question(t("signup.guardian_consent.prompt", name=turn.answers.guardian_name),
                    kb.inline([[turn.button(t("button.guardian_consents"), "yes")]]))


async def guardian_consents(turn: Turn[Answers], args: list[str]) -> Result:
    turn.services.signup.answer_guardian_consent(turn.answers)
    return None


def _guardian_steps(skip_of) -> tuple[DialogStep, ...]:
    """Asked of a volunteer under 18 only (and again when a changed birth date makes them one)."""
    return (
        DialogStep(Step.GUARDIAN_NAME, _typed("guardian_name"), text=read_guardian_name,
                   skip=skip_of(Step.GUARDIAN_NAME)),
        DialogStep(Step.GUARDIAN_MOBILE, _typed("guardian_mobile"), text=read_guardian_mobile,
                   skip=skip_of(Step.GUARDIAN_MOBILE)),
        DialogStep(Step.GUARDIAN_CONSENT, ask_guardian_consent, buttons={"yes": guardian_consents},
                   skip=skip_of(Step.GUARDIAN_CONSENT)),
    )


async def ask_gender(turn: Turn[SignupAnswers]) -> Question:
    t = turn.t
    return Question(t("signup.gender.prompt"), kb.inline([
        [turn.button(t(f"gender.{g}"), "set", g) for g in GENDERS]]))


async def set_gender(turn: Turn[SignupAnswers], args: list[str]) -> Result:
    turn.services.signup.answer_gender(turn.answers, args[0])
    return None


# ----------------------------------------------------------------------------- the center
async def _provinces(turn: Turn, page: int) -> InlineKeyboardMarkup:
    t = turn.t
    provinces = t.sorted(await turn.services.places.provinces(), t.name)
    return turn.paged([turn.button(t.name(p), "prov", p.id, 0) for p in provinces], page, "provs")


async def ask_center(turn: Turn) -> Question:
    t = turn.t
    return Question(t("signup.center.pick_province"), await _provinces(turn, 0),
                    before=Question(t("signup.center.prompt"), kb.share_location(t)))


async def browse_provinces(turn: Turn, args: list[str]) -> Result:
    """A page of provinces."""
    return Redraw(Question(turn.t("signup.center.pick_province"), await _provinces(turn, int(args[0]))))


async def browse_counties(turn: Turn, args: list[str]) -> Result:
    """The counties of a province."""
    t, province_id = turn.t, int(args[0])
    counties = t.sorted(await turn.services.places.counties(province_id), t.name)
    markup = turn.paged([turn.button(t.name(c), "county", c.id, 0) for c in counties], int(args[1]),
                        "prov", province_id, back=turn.button(t("button.to_provinces"), "provs", 0))
    return Redraw(Question(t("signup.center.pick_county"), markup))


async def browse_centers(turn: Turn, args: list[str]) -> Result:
    """The centers of a county."""
    t, places = turn.t, turn.services.places
    county = await places.county(int(args[0]))
    if county is None:
        raise ValueError(args[0])
    centers = t.sorted(await places.centers_in(county.id), lambda c: c.name)
    # Back goes to the counties of the same province (where the person came from).
    markup = turn.paged([turn.button(t.center(c), "pick", c.id) for c in centers], int(args[1]),
                        "county", county.id, per_row=1,
                        back=turn.button(t("button.to_counties"), "prov", county.province_id, 0))
    return Redraw(Question(t("signup.center.pick_center"), markup))


def _choices(turn: Turn, centers: list[tuple[Center, float | None]]) -> InlineKeyboardMarkup:
    """Found or nearest centers, one per row (with the distance when known)."""
    t, rows = turn.t, []
    for center, distance in centers:
        label = t.center(center)
        if distance is not None:
            label = t("center.with_distance", center=label, km=t.digits(f"{distance:.1f}"))
        rows.append([turn.button(label, "pick", center.id)])
    return kb.inline(rows)


async def _found(turn: Turn[Answers], query: str, page: int) -> Question:
    """A page of the centers matching a search, in alphabetical order."""
    t = turn.t
    found = t.sorted(await turn.services.places.search(query, SEARCH_LIMIT), lambda c: c.name)
    if not found:
        raise Invalid("signup.center.no_match", query=t.digits(query))
    markup = turn.paged([turn.button(t.center(c), "pick", c.id) for c in found], page, "found",
                        per_row=1)
    return Question(t("signup.center.matches", count=len(found)), markup)


async def search_centers(turn: Turn[Answers], text: str) -> Result:
    """Typed text at the center question: centers whose name, address, county or code matches
    (spaces and half-spaces aside), a page at a time."""
    query = normalize_text(text)
    if not SEARCH_MIN <= len(query) <= SEARCH_MAX:
        raise Invalid("signup.center.search_length", min=SEARCH_MIN, max=SEARCH_MAX)
    found = await _found(turn, query, 0)
    turn.answers.center_query = query  # for its next pages
    await turn.show(found.text, found.markup)
    return STAY


async def page_found(turn: Turn[Answers], args: list[str]) -> Result:
    """Another page of the search's results."""
    return Redraw(await _found(turn, turn.answers.center_query, int(args[0])))


async def nearest_centers(turn: Turn, location: Location) -> Result:
    """A shared location: the nearest active centers with their distance (saying so when even
    the nearest is far)."""
    t = turn.t
    nearest = await turn.services.places.nearest(location.latitude, location.longitude, NEAREST)
    if not nearest:
        raise Invalid("signup.center.none_near")
    text = t("signup.center.nearest") if nearest[0][1] <= NEAR_KM else t("signup.center.none_within",
                                                                          km=NEAR_KM)
    await turn.show(text, _choices(turn, nearest))
    return STAY


async def pick_center(turn: Turn[Answers], args: list[str]) -> Result:
    """A center chosen from a list, a search or the nearest ones."""
    await turn.services.signup.choose_center(turn.answers, int(args[0]))
    return None


# ----------------------------------------------------------------------------- multiple choices
async def _activity_options(turn: Turn) -> list[tuple[int, str]]:
    return [(a.id, turn.t.name(a)) for a in await turn.services.places.activities()]


async def ask_activities(turn: Turn[Answers]) -> Question:
    chosen = turn.answers.activities
    return Question(turn.t("signup.activities.prompt", chosen=len(chosen)),
                    turn.toggles(await _activity_options(turn), chosen))


async def ask_days(turn: Turn[Answers]) -> Question:
    return Question(turn.t("signup.days.prompt"),
                    turn.toggles([(d, turn.t(f"day.{d}")) for d in WEEKDAYS], turn.answers.days, 2))


async def ask_parts(turn: Turn[Answers]) -> Question:
    return Question(turn.t("signup.parts.prompt"),
                    turn.toggles([(p, turn.t(f"part.{p}")) for p in DAY_PARTS], turn.answers.parts, 3))


def _toggle(key: str, ask, allowed, maximum: int | None = None):
    async def toggle(turn: Turn[Answers], args: list[str]) -> Result:
        """Select or unselect one option; the question is redrawn with ✓ marks."""
        options = await allowed(turn)
        value = int(args[0]) if options and isinstance(options[0], int) else args[0]
        turn.services.signup.toggle(getattr(turn.answers, key), key, value, options, maximum)
        return Redraw(await ask(turn))
    return toggle


def _done(key: str):
    async def done(turn: Turn[Answers], args: list[str]) -> Result:
        """Done: at least one option must be chosen."""
        turn.services.signup.require_choice(getattr(turn.answers, key), key)
        return None
    return done


async def _activity_ids(turn: Turn) -> tuple:
    return await turn.services.signup.activity_ids()


async def _weekdays(turn: Turn) -> tuple:
    return WEEKDAYS


async def _day_parts(turn: Turn) -> tuple:
    return DAY_PARTS


def _choice_buttons(ask, key: str, allowed, maximum: int | None = None) -> dict:
    return {"toggle": _toggle(key, ask, allowed, maximum), "done": _done(key)}


# ----------------------------------------------------------------------------- the summary
async def ask_summary(turn: Turn[SignupAnswers]) -> Question:
    """Every answer, an Edit button per field, Confirm and Cancel."""
    t, a = turn.t, turn.answers
    center = await turn.services.places.center(a.center_id)
    activities = await turn.services.places.activities_by_id()
    separator = t("list.separator")
    text = t(
        "signup.summary.prompt", name=a.full_name, national_id=t.digits(a.national_id),
        mobile=t.digits(a.mobile), birth_date=t.date(date.fromisoformat(a.birth_date)),
        minor=t("signup.summary.minor") if a.is_minor else "", gender=t(f"gender.{a.gender}"),
        guardian=_guardian_line(turn, a),
        center=t.center(center),
        activities=separator.join(t.name(activities[i]) for i in a.activities if i in activities),
        days=separator.join(t(f"day.{d}") for d in WEEKDAYS if d in a.days),
        parts=separator.join(t(f"part.{p}") for p in DAY_PARTS if p in a.parts),
    )
    fields = list(SUMMARY_FIELDS)
    if a.is_minor:
        fields.insert(fields.index(Step.BIRTH_DATE) + 1, Step.GUARDIAN_NAME)
    edits = [turn.button(t(f"button.edit.{s}"), "edit", s) for s in fields]
    return Question(text, kb.inline([
        *kb.in_rows(edits, 3), [turn.button(t("button.confirm"), "confirm")]]))


async def change_answer(turn: Turn[SignupAnswers], args: list[str]) -> Result:
    """Change one answer from the summary, then come back to it."""
    step = Step(args[0])
    if step not in SUMMARY_FIELDS and not (step is Step.GUARDIAN_NAME and turn.answers.is_minor):
        raise ValueError(step)
    turn.answers.return_to_summary = True
    return Visit(step)


async def confirm(turn: Turn[SignupAnswers], args: list[str]) -> Result:
    """Save the registration, give the tracking code, tell the center."""
    t, services = turn.t, turn.services
    try:
        registration = await services.signup.confirm(*who(turn.update, turn.context), turn.answers)
    except Invalid as refused:
        if refused.reason != "invalid.summary.incomplete":
            raise  # e.g. the mobile reached its limit meanwhile: said, at the summary
        raise Invalid(refused.reason, step=t(f"field.{refused.details.get('step')}")) from None
    except Duplicate as duplicate:
        return await tell_duplicate(turn, duplicate)
    checkin = turn.answers.checkin
    await turn.end()  # the registration's transaction deleted the draft already
    await thank(turn, registration)
    await services.alerts.registration_event(registration, AlertKind.NEW)
    if checkin:  # signed up at an event's door: now the check-in the QR was for
        outcome = await services.checkin.check_in(*who(turn.update, turn.context), checkin)
        await turn.send(checkin_text(t, outcome))
    return FINISHED


def _guardian_line(turn: Turn, a: Answers) -> str:
    """The guardian under the birth date of a minor: who, their number, whether they consented."""
    t = turn.t
    if not a.is_minor:
        return ""
    if not turn.services.signup.guardian_complete(a):
        return t("signup.summary.guardian_missing")
    return t("signup.summary.guardian", name=a.guardian_name, mobile=t.digits(a.guardian_mobile))


def _back_to_summary(answers: SignupAnswers, step: str) -> str | None:
    """An answer changed from the summary (or Back while changing it) leads back there; the
    guardian's questions are answered together first (also when a changed birth date makes the
    volunteer a minor)."""
    guardian_pending = answers.is_minor and not answers.guardian_consent
    if step in (Step.GUARDIAN_NAME, Step.GUARDIAN_MOBILE) or (step == Step.BIRTH_DATE and guardian_pending):
        return None
    if answers.return_to_summary and step != Step.SUMMARY:
        answers.return_to_summary = False
        return Step.SUMMARY
    return None


# ----------------------------------------------------------------------------- /edit's end
async def apply_edit(turn: Turn[EditAnswers]) -> Result:
    """The part's last question answered: the registration changes, the center hears of it."""
    t, services = turn.t, turn.services
    try:
        applied = await services.signup.apply_edit(*who(turn.update, turn.context), turn.answers)
    except Duplicate as duplicate:
        return await tell_duplicate(turn, duplicate)
    await turn.end()
    if applied is None:
        await turn.send(t("edit.not_editable"), ReplyKeyboardRemove())
        return FINISHED
    registration = applied.registration
    if registration.center_id != applied.previous_center_id:
        center = await services.places.center(registration.center_id)
        text = t("edit.moved", center=t.center(center))
    else:
        text = t("edit.done")
    await turn.send(text, ReplyKeyboardRemove())
    await services.alerts.registration_event(registration, AlertKind.EDITED, applied.previous_center_id)
    return FINISHED


def _center_step(skip) -> DialogStep:
    return DialogStep(Step.CENTER, ask_center, text=search_centers, location=nearest_centers, skip=skip,
                      buttons={"provs": browse_provinces, "prov": browse_counties, "county": browse_centers,
                               "found": page_found, "pick": pick_center})


def _choice_steps(skip_of) -> tuple[DialogStep, ...]:
    return (
        DialogStep(Step.ACTIVITIES, ask_activities, skip=skip_of(Step.ACTIVITIES),
                   buttons=_choice_buttons(ask_activities, "activities", _activity_ids, MAX_ACTIVITIES)),
        DialogStep(Step.DAYS, ask_days, skip=skip_of(Step.DAYS),
                   buttons=_choice_buttons(ask_days, "days", _weekdays)),
        DialogStep(Step.PARTS, ask_parts, skip=skip_of(Step.PARTS),
                   buttons=_choice_buttons(ask_parts, "parts", _day_parts)),
    )


def _never(step: Step):
    return None


SIGNUP = Dialog(
    name="signup", prefix="su", answers=SignupAnswers, cancelled="signup.cancelled",
    then=_back_to_summary, back_to=_back_to_summary,
    steps=(
        DialogStep(Step.CENTER_LINK, ask_center_link, skip=lambda a: not a.center_from_link,
                   buttons={"yes": keep_link_center, "no": drop_link_center}),
        # Asked once: who chose a language before (an earlier sign-up, /language) is not asked.
        DialogStep(Step.LANGUAGE, ask_language, buttons={"set": set_language},
                   skip=lambda a: a.language_known),
        DialogStep(Step.PRIVACY, ask_privacy, buttons={"agree": agree}),
        DialogStep(Step.NAME, _typed("name"), text=read_name),
        DialogStep(Step.NATIONAL_ID, _typed("national_id"), text=read_national_id),
        DialogStep(Step.MOBILE, ask_mobile, text=read_mobile, contact=read_contact),
        DialogStep(Step.BIRTH_DATE, _typed("birth_date"), text=read_birth_date),
        *_guardian_steps(lambda _: lambda a: not a.is_minor),
        DialogStep(Step.GENDER, ask_gender, buttons={"set": set_gender}),
        _center_step(skip=lambda a: a.center_from_link),
        *_choice_steps(_never),
        DialogStep(Step.SUMMARY, ask_summary, buttons={"edit": change_answer, "confirm": confirm}),
    ),
)


def _unless_edited(step: Step):
    return lambda e: not e.asks(step)


EDIT = Dialog(
    name="edit", prefix="ed", answers=EditAnswers, cancelled="edit.cancelled",
    back_at_start_cancels=True, finish=apply_edit,
    steps=(
        DialogStep(Step.NAME, _typed("name"), text=read_name, skip=_unless_edited(Step.NAME)),
        DialogStep(Step.BIRTH_DATE, _typed("birth_date"), text=read_birth_date,
                   skip=_unless_edited(Step.BIRTH_DATE)),
        *_guardian_steps(lambda step: lambda e: not e.asks(step) or not e.is_minor),
        _center_step(skip=_unless_edited(Step.CENTER)),
        *_choice_steps(_unless_edited),
        DialogStep(Step.MOBILE, ask_mobile, text=read_mobile, contact=read_contact,
                   skip=_unless_edited(Step.MOBILE)),
    ),
)
