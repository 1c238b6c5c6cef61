"""Sign-up rules: what each answer must be, duplicates and look-up limits, confirming a sign-up,
changing a registration (/edit), withdrawing and forgetting."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot import validation
from bot.validation import Invalid
from storage.activities import ActivityRepository
from storage.centers import CenterRepository
from storage.clock import Clock
from storage.lookups import LookupRepository
from storage.models import ACTIVE_STATUSES, Center, NewRegistration, Registration, Status
from storage.registrations import MOBILE_SHARED_MAX, DuplicateRegistration, RegistrationRepository

# The campaign kickoff at every center: 14 Bahman 1404, 08:00 Tehran time.
KICKOFF_AT = datetime(2026, 2, 3, 4, 30, tzinfo=UTC)
WEEKDAYS = ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
DAY_PARTS = ("morning", "afternoon", "evening")
GENDERS = ("female", "male")
MAX_ACTIVITIES = 3
# Digits only: typeable on a Persian keyboard and never confused (no O/0, I/1).
TRACKING_CODE_DIGITS = 8
LOOKUPS_PER_DAY = 5  # national codes (and, apart, mobiles) one person may have checked a day


class Step(StrEnum):
    """The questions of sign-up and /edit (their names in drafts and button data)."""

    CENTER_LINK = "center_link"
    LANGUAGE = "language"
    PRIVACY = "privacy"
    NAME = "name"
    NATIONAL_ID = "national_id"
    MOBILE = "mobile"
    BIRTH_DATE = "birth_date"
    GUARDIAN_NAME = "guardian_name"  # the guardian steps: for a volunteer under 18 only
    GUARDIAN_MOBILE = "guardian_mobile"
    GUARDIAN_CONSENT = "guardian_consent"
    GENDER = "gender"
    CENTER = "center"
    ACTIVITIES = "activities"
    DAYS = "days"
    PARTS = "parts"
    SUMMARY = "summary"


# The answers the summary shows (each with an Edit button), and a confirmation needs.
SUMMARY_FIELDS = (Step.NAME, Step.NATIONAL_ID, Step.MOBILE, Step.BIRTH_DATE, Step.GENDER,
                  Step.CENTER, Step.ACTIVITIES, Step.DAYS, Step.PARTS)
GUARDIAN_STEPS = (Step.GUARDIAN_NAME, Step.GUARDIAN_MOBILE, Step.GUARDIAN_CONSENT)
# What a registered volunteer may change with /edit, and the steps that ask it (the national
# code is not among them: a center checks it against the person's card).
EDITABLE_AFTER_SIGNUP = {
    "name": (Step.NAME,),
    "birth_date": (Step.BIRTH_DATE, *GUARDIAN_STEPS),  # the guardian's, once under 18
    "center": (Step.CENTER,),
    "activities": (Step.ACTIVITIES,),
    "availability": (Step.DAYS, Step.PARTS),
    "mobile": (Step.MOBILE,),
}
# A rejected registration can only go to another center (where it is reviewed afresh): at the
# same center the decision stands, and a coordinator can change it from the alert.
EDITABLE_AFTER_REJECTION = ("center",)


@dataclass
class SignupAnswers:
    """A sign-up's answers so far, kept in the person's draft."""

    language: str | None = None
    language_known: bool = False  # chosen before this sign-up: its question is skipped
    agreed: bool = False
    full_name: str | None = None
    national_id: str | None = None
    mobile: str | None = None
    mobile_verified: bool = False  # the number came from the person's own shared contact
    birth_date: str | None = None  # ISO
    is_minor: bool = False
    guardian_name: str | None = None
    guardian_mobile: str | None = None
    guardian_consent: bool = False
    gender: str | None = None
    center_id: int | None = None
    center_from_link: bool = False  # a poster's link chose the center: its question is skipped
    center_query: str = ""  # the last search typed at the center question (paged through)
    activities: list[int] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    return_to_summary: bool = False  # an answer changed from the summary goes back to it
    checkin: str = ""  # a scanned check-in QR's payload: the person is checked in once signed up

    @staticmethod
    def from_earlier_draft(stored: dict) -> dict:
        """A draft of the version before the dialog engine: the same keys but these two."""
        return {**stored, "return_to_summary": stored.get("return_to") == Step.SUMMARY,
                # That version skipped the center question whenever a center was set.
                "center_from_link": bool(stored.get("center_id"))}

    def answered(self, step: Step) -> bool:
        if step is Step.PRIVACY:
            return self.agreed
        if step in GUARDIAN_STEPS and not self.is_minor:
            return True
        return bool(getattr(self, {Step.NAME: "full_name", Step.CENTER: "center_id"}.get(step, step)))


@dataclass
class EditAnswers:
    """An /edit of one part of a registration: the registration's values, then the new ones."""

    registration_id: int
    part: str  # a key of EDITABLE_AFTER_SIGNUP
    previous_center_id: int
    rejected: bool = False  # a rejected registration may only move to another center
    full_name: str | None = None
    birth_date: str | None = None
    is_minor: bool = False
    guardian_name: str | None = None
    guardian_mobile: str | None = None
    guardian_consent: bool = False
    center_id: int | None = None
    center_query: str = ""
    mobile: str | None = None
    mobile_verified: bool = False
    activities: list[int] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    def asks(self, step: Step) -> bool:
        return step in EDITABLE_AFTER_SIGNUP[self.part]

    @staticmethod
    def from_earlier_draft(stored: dict) -> dict:
        """A draft of the version before the dialog engine named its steps, not its part."""
        steps = tuple(stored.get("edit_steps") or ())
        part = next((p for p, s in EDITABLE_AFTER_SIGNUP.items() if s == steps), None)
        return {**stored, "part": part} if part else stored


class Duplicate(Exception):
    """The answer matches an active registration; `own` tells whether it is the same account's."""

    def __init__(self, field: str, registration: Registration, own: bool):
        super().__init__(field)
        self.field = field
        self.registration = registration
        self.own = own


@dataclass(frozen=True)
class EditApplied:
    """An /edit finished: the registration as it is now, and the center it was at before."""

    registration: Registration
    previous_center_id: int


def new_tracking_code() -> str:
    """A random 8-digit code that does not start with 0."""
    return str(secrets.randbelow(9 * 10 ** (TRACKING_CODE_DIGITS - 1)) + 10 ** (TRACKING_CODE_DIGITS - 1))


def _days_in_order(days: list[str]) -> tuple[str, ...]:
    return tuple(d for d in WEEKDAYS if d in days)


def _parts_in_order(parts: list[str]) -> tuple[str, ...]:
    return tuple(p for p in DAY_PARTS if p in parts)


class SignupService:
    """Everything sign-up and /edit decide; the dialogs only read updates and render texts."""

    def __init__(self, registrations: RegistrationRepository, centers: CenterRepository,
                 activities: ActivityRepository, lookups: LookupRepository, timezone: ZoneInfo,
                 clock: Clock):
        self._lookups = lookups
        self._registrations = registrations
        self._centers = centers
        self._activities = activities
        self._timezone = timezone
        self.clock = clock

    # ----------------------------------------------------------------- answers
    @staticmethod
    def answer_name(answers: SignupAnswers, raw: str) -> None:
        answers.full_name = validation.full_name(raw)

    async def _look_up(self, platform: str, user_id: int, kind: str) -> None:
        """Count one check of a national code or mobile against the registrations: its answer
        tells whether one is registered, so a person gets LOOKUPS_PER_DAY of each a day."""
        if not await self._lookups.spend(platform, user_id, kind, self.today().isoformat(),
                                         LOOKUPS_PER_DAY):
            raise Invalid("invalid.lookups_exhausted")

    async def answer_national_id(self, platform: str, user_id: int, answers: SignupAnswers,
                                 raw: str) -> None:
        value = validation.national_id(raw)
        await self._look_up(platform, user_id, "national_id")
        existing = await self._registrations.active_by_national_id(value)
        if existing is not None:
            raise self._duplicate("national_id", existing, platform, user_id)
        answers.national_id = value

    async def answer_mobile(self, platform: str, user_id: int, answers: SignupAnswers | EditAnswers,
                            raw: str, verified: bool = False) -> None:
        """A typed mobile, or (`verified`) the number of the person's own shared contact."""
        value = validation.mobile(raw)
        if value != answers.mobile:  # re-confirming the number already given is no probe
            await self._look_up(platform, user_id, "mobile")
        if await self._registrations.mobile_is_full(value, getattr(answers, "registration_id", None)):
            raise Invalid("invalid.mobile_full", max=MOBILE_SHARED_MAX)
        answers.mobile = value
        answers.mobile_verified = verified

    @staticmethod
    def answer_guardian_name(answers: SignupAnswers | EditAnswers, raw: str) -> None:
        """A guardian named anew must consent anew."""
        answers.guardian_name = validation.full_name(raw)
        answers.guardian_consent = False

    @staticmethod
    def answer_guardian_mobile(answers: SignupAnswers | EditAnswers, raw: str) -> None:
        """The guardian's own number: not the volunteer's (the center must reach someone else)."""
        value = validation.mobile(raw)
        if value == answers.mobile:
            raise Invalid("invalid.guardian.same_mobile")
        answers.guardian_mobile = value
        answers.guardian_consent = False

    @staticmethod
    def guardian_complete(answers: SignupAnswers | EditAnswers) -> bool:
        """An adult needs none; a minor needs a guardian's name, mobile and consent."""
        return not answers.is_minor or bool(
            answers.guardian_name and answers.guardian_mobile and answers.guardian_consent)

    @staticmethod
    def answer_guardian_consent(answers: SignupAnswers | EditAnswers) -> None:
        answers.guardian_consent = True

    def answer_birth_date(self, answers: SignupAnswers | EditAnswers, raw: str) -> None:
        born, minor = validation.birth_date(raw, self.today())
        answers.birth_date = born.isoformat()
        answers.is_minor = minor
        if not minor:  # an adult needs no guardian: none is kept
            answers.guardian_name = answers.guardian_mobile = None
            answers.guardian_consent = False

    @staticmethod
    def answer_gender(answers: SignupAnswers, gender: str) -> None:
        if gender not in GENDERS:
            raise Invalid("invalid.choice")
        answers.gender = gender

    async def choose_center(self, answers: SignupAnswers | EditAnswers, center_id: int) -> Center:
        center = await self._centers.by_id(center_id)
        if center is None or not center.active:
            raise Invalid("invalid.center.inactive")
        if isinstance(answers, EditAnswers) and answers.rejected and center_id == answers.previous_center_id:
            raise Invalid("invalid.center.rejected_here")
        answers.center_id = center.id
        return center

    @staticmethod
    def toggle(chosen: list, key: str, value: object, allowed: tuple, maximum: int | None = None) -> None:
        """Select or unselect one option of a multiple choice (`chosen` is changed in place)."""
        if value not in allowed:
            raise Invalid("invalid.choice")
        if value in chosen:
            chosen.remove(value)
        elif maximum is not None and len(chosen) >= maximum:
            raise Invalid(f"invalid.{key}.max", max=maximum)
        else:
            chosen.append(value)

    async def activity_ids(self) -> tuple[int, ...]:
        return tuple(a.id for a in await self._activities.active())

    @staticmethod
    def require_choice(chosen: list, key: str, minimum: int = 1) -> None:
        """Done pressed on a multiple choice: at least `minimum` must be selected."""
        if len(chosen) < minimum:
            raise Invalid(f"invalid.{key}.min", min=minimum)

    # ----------------------------------------------------------------- registrations
    async def confirm(self, platform: str, user_id: int, a: SignupAnswers) -> Registration:
        """Save the sign-up; its draft goes in the same transaction."""
        missing = [s for s in (Step.PRIVACY, *SUMMARY_FIELDS, *GUARDIAN_STEPS) if not a.answered(s)]
        if missing:
            raise Invalid("invalid.summary.incomplete", step=missing[0])
        new = NewRegistration(
            platform=platform, user_id=user_id, national_id=a.national_id, mobile=a.mobile,
            full_name=a.full_name, birth_date=a.birth_date, is_minor=a.is_minor, gender=a.gender,
            center_id=a.center_id, activity_ids=tuple(a.activities),
            availability_days=_days_in_order(a.days), availability_parts=_parts_in_order(a.parts),
            mobile_verified=a.mobile_verified, guardian_name=a.guardian_name,
            guardian_mobile=a.guardian_mobile, guardian_consent=a.guardian_consent,
        )
        try:
            return await self._registrations.create(new, new_tracking_code)
        except DuplicateRegistration as exc:
            if exc.field == "mobile":  # taken by others meanwhile, up to the shared-phone limit
                raise Invalid("invalid.mobile_full", max=MOBILE_SHARED_MAX) from exc
            existing = await self._registrations.active_by_national_id(new.national_id)
            if existing is None:  # withdrawn in the meantime: the index no longer blocks
                raise
            raise self._duplicate(exc.field, existing, platform, user_id) from exc

    @staticmethod
    def begin_edit(registration: Registration, part: str) -> EditAnswers:
        """The answers an /edit of `part` starts from: the registration as it is."""
        if part not in EDITABLE_AFTER_SIGNUP:
            raise ValueError(part)
        return EditAnswers(
            registration_id=registration.id, part=part, previous_center_id=registration.center_id,
            rejected=registration.status is Status.REJECTED, center_id=registration.center_id,
            full_name=registration.full_name, birth_date=registration.birth_date,
            is_minor=registration.is_minor, guardian_name=registration.guardian_name,
            guardian_mobile=registration.guardian_mobile, guardian_consent=registration.guardian_consent,
            mobile=registration.mobile, mobile_verified=registration.mobile_verified,
            activities=list(registration.activity_ids), days=list(registration.availability_days),
            parts=list(registration.availability_parts))

    async def apply_edit(self, platform: str, user_id: int, e: EditAnswers) -> EditApplied | None:
        """Write the changed part; a move makes the registration pending at the new center.
        None when the registration can no longer be edited by this person (withdrawn, erased or
        released while the /edit was going on)."""
        current = await self._registrations.by_id(e.registration_id)
        if current is None or (current.platform, current.user_id) != (platform, user_id) \
                or current.status is Status.WITHDRAWN:
            return None
        moved = e.asks(Step.CENTER) and e.center_id != e.previous_center_id
        try:
            registration = await self._registrations.update(
                e.registration_id,
                # A move: the new center decides afresh (the old center's approval is not theirs).
                pending_again=moved,
                center_id=e.center_id if e.asks(Step.CENTER) else None,
                activity_ids=tuple(e.activities) if e.asks(Step.ACTIVITIES) else None,
                availability_days=_days_in_order(e.days) if e.asks(Step.DAYS) else None,
                availability_parts=_parts_in_order(e.parts) if e.asks(Step.PARTS) else None,
                mobile=e.mobile if e.asks(Step.MOBILE) else None,
                mobile_verified=e.mobile_verified,
                full_name=e.full_name if e.asks(Step.NAME) else None,
                birth=(e.birth_date, e.is_minor) if e.asks(Step.BIRTH_DATE) else None,
                guardian=(e.guardian_name, e.guardian_mobile, e.guardian_consent)
                if e.asks(Step.BIRTH_DATE) else None,
            )
        except DuplicateRegistration as exc:
            if exc.field == "mobile":  # the shared-phone limit, reached meanwhile
                raise Invalid("invalid.mobile_full", max=MOBILE_SHARED_MAX) from exc
            raise Invalid("invalid.registration_taken") from exc  # its national code, active elsewhere
        return EditApplied(registration, e.previous_center_id)

    async def registration_of(self, platform: str, user_id: int) -> Registration | None:
        """The user's newest registration, if any."""
        return await self._registrations.latest_for_user(platform, user_id)

    async def editable_registration_of(self, platform: str, user_id: int) -> Registration | None:
        """The registration /edit changes: an active one, or a rejected one (to another center)."""
        registration = await self.registration_of(platform, user_id)
        return registration if registration and registration.status is not Status.WITHDRAWN else None

    @staticmethod
    def editable_fields(registration: Registration) -> tuple[str, ...]:
        if registration.status is Status.REJECTED:
            return EDITABLE_AFTER_REJECTION
        return tuple(EDITABLE_AFTER_SIGNUP)

    async def active_registration_of(self, platform: str, user_id: int) -> Registration | None:
        registration = await self.registration_of(platform, user_id)
        return registration if registration and registration.status in ACTIVE_STATUSES else None

    async def withdraw(self, registration: Registration) -> Registration:
        """Mark withdrawn; the row stays for the record."""
        return await self._registrations.set_status(registration.id, Status.WITHDRAWN)

    async def forget(self, platform: str, user_id: int) -> int:
        """Erase the user's personal data; returns how many registrations were anonymised."""
        return await self._registrations.forget_user(platform, user_id)  # and draft and account

    # ----------------------------------------------------------------- time
    def today(self) -> date:
        return self.clock().astimezone(self._timezone).date()

    def kickoff_ahead(self) -> bool:
        """Whether the 14 Bahman kickoff is still to come."""
        return self.clock() < KICKOFF_AT

    @staticmethod
    def _duplicate(field: str, existing: Registration, platform: str, user_id: int) -> Duplicate:
        own = (existing.platform, existing.user_id) == (platform, user_id)
        return Duplicate(field, existing, own)
