"""Sign-up rules: the steps and their order, answer checks, duplicates, confirm, edit, withdraw, forget."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot import validation
from bot.validation import Invalid
from storage.activities import ActivityRepository
from storage.centers import CenterRepository
from storage.clock import Clock
from storage.drafts import DraftRepository
from storage.lookups import LookupRepository
from storage.models import ACTIVE_STATUSES, Center, Draft, NewRegistration, Registration, Status
from storage.registrations import DuplicateRegistration, RegistrationRepository
from storage.users import UserRepository

# The campaign kickoff at every center: 14 Bahman 1404, 08:00 Tehran time.
KICKOFF_AT = datetime(2026, 2, 3, 4, 30, tzinfo=UTC)
WEEKDAYS = ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
DAY_PARTS = ("morning", "afternoon", "evening")
GENDERS = ("female", "male")
MAX_ACTIVITIES = 3
# Digits only: typeable on a Persian keyboard and never confused (no O/0, I/1).
TRACKING_CODE_DIGITS = 8


class Step(StrEnum):
    CENTER_LINK = "center_link"
    LANGUAGE = "language"
    PRIVACY = "privacy"
    NAME = "name"
    NATIONAL_ID = "national_id"
    MOBILE = "mobile"
    BIRTH_DATE = "birth_date"
    GENDER = "gender"
    CENTER = "center"
    ACTIVITIES = "activities"
    DAYS = "days"
    PARTS = "parts"
    SUMMARY = "summary"


SIGNUP_ORDER = (Step.LANGUAGE, Step.PRIVACY, Step.NAME, Step.NATIONAL_ID, Step.MOBILE,
                Step.BIRTH_DATE, Step.GENDER, Step.CENTER, Step.ACTIVITIES, Step.DAYS, Step.PARTS,
                Step.SUMMARY)
SUMMARY_FIELDS = (Step.NAME, Step.NATIONAL_ID, Step.MOBILE, Step.BIRTH_DATE, Step.GENDER,
                  Step.CENTER, Step.ACTIVITIES, Step.DAYS, Step.PARTS)
# What a registered volunteer may change with /edit, and the steps that ask it.
EDITABLE_AFTER_SIGNUP = {
    "center": (Step.CENTER,),
    "activities": (Step.ACTIVITIES,),
    "availability": (Step.DAYS, Step.PARTS),
    "mobile": (Step.MOBILE,),
}
# A rejected registration can only go to another center (where it is reviewed afresh): at the
# same center the decision stands, and a coordinator can change it from the alert.
EDITABLE_AFTER_REJECTION = ("center",)


LOOKUPS_PER_DAY = 5  # national codes (and, apart, mobiles) one person may have checked a day


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


class SignupService:
    """Everything the sign-up conversation decides; handlers only read updates and render texts."""

    def __init__(self, drafts: DraftRepository, users: UserRepository,
                 registrations: RegistrationRepository, centers: CenterRepository,
                 activities: ActivityRepository, lookups: LookupRepository, timezone: ZoneInfo,
                 clock: Clock):
        self._drafts = drafts
        self._lookups = lookups
        self._users = users
        self._registrations = registrations
        self._centers = centers
        self._activities = activities
        self._timezone = timezone
        self.clock = clock

    # ----------------------------------------------------------------- drafts and steps
    async def draft(self, platform: str, user_id: int) -> Draft | None:
        """The sign-up or edit this user is in the middle of."""
        return await self._drafts.get(platform, user_id)

    async def begin(self, platform: str, user_id: int, center: Center | None = None) -> Draft:
        """Start a new sign-up (at a center already chosen when it came from a poster's link)."""
        if center is not None:
            draft = Draft(platform, user_id, Step.CENTER_LINK, {"mode": "signup", "center_id": center.id})
        else:
            draft = Draft(platform, user_id, Step.LANGUAGE, {"mode": "signup"})
        await self._drafts.save(draft)
        return draft

    async def begin_edit(self, platform: str, user_id: int, registration: Registration,
                         field: str) -> Draft:
        """Start changing one part of a registration."""
        steps = EDITABLE_AFTER_SIGNUP[field]
        answers = {
            "mode": "edit", "registration_id": registration.id, "edit_steps": list(steps),
            "rejected": registration.status is Status.REJECTED,
            "center_id": registration.center_id, "previous_center_id": registration.center_id,
            "mobile": registration.mobile, "mobile_verified": registration.mobile_verified,
            "activities": list(registration.activity_ids),
            "days": list(registration.availability_days), "parts": list(registration.availability_parts),
        }
        draft = Draft(platform, user_id, steps[0], answers)
        await self._drafts.save(draft)
        return draft

    async def discard(self, platform: str, user_id: int) -> None:
        """Drop the draft (/cancel)."""
        await self._drafts.delete(platform, user_id)

    @staticmethod
    def is_edit(draft: Draft) -> bool:
        return draft.answers.get("mode") == "edit"

    @staticmethod
    def owns(draft: Draft) -> bool:
        """Whether the draft is a sign-up or an edit (admins' dialogs keep drafts too)."""
        return draft.answers.get("mode") in (None, "signup", "edit")

    def next_step(self, draft: Draft) -> Step | None:
        """The step after the current one; None when an edit is complete."""
        answers, step = draft.answers, Step(draft.step)
        if self.is_edit(draft):
            steps = [Step(s) for s in answers["edit_steps"]]
            index = steps.index(step) + 1
            return steps[index] if index < len(steps) else None
        if step is Step.CENTER_LINK:
            return Step.LANGUAGE
        if answers.get("return_to") == Step.SUMMARY:
            return Step.SUMMARY
        following = SIGNUP_ORDER[SIGNUP_ORDER.index(step) + 1]
        if following is Step.CENTER and answers.get("center_id"):
            following = Step.ACTIVITIES
        return following

    def previous_step(self, draft: Draft) -> Step | None:
        """Where Back leads; None when there is nothing before (an edit is then abandoned)."""
        step = Step(draft.step)
        if self.is_edit(draft):
            steps = [Step(s) for s in draft.answers["edit_steps"]]
            index = steps.index(step)
            return steps[index - 1] if index > 0 else None
        if draft.answers.get("return_to") == Step.SUMMARY:
            return Step.SUMMARY
        if step in (Step.CENTER_LINK, Step.LANGUAGE):
            return None
        return SIGNUP_ORDER[SIGNUP_ORDER.index(step) - 1]

    async def move(self, draft: Draft, step: Step) -> Draft:
        """Go to `step` and write the draft (arriving at the summary ends any edit-from-summary)."""
        draft.step = step
        if step is Step.SUMMARY:
            draft.answers.pop("return_to", None)
        await self._drafts.save(draft)
        return draft

    async def advance(self, draft: Draft) -> Draft | EditApplied:
        """After a valid answer: save and go on; an edit whose last step is answered is applied."""
        following = self.next_step(draft)
        if following is None:
            registration = await self._apply_edit(draft)
            return EditApplied(registration, draft.answers["previous_center_id"])
        return await self.move(draft, following)

    async def edit_from_summary(self, draft: Draft, step: Step) -> Draft:
        """Re-ask one answer, then come back to the summary."""
        draft.answers["return_to"] = Step.SUMMARY
        return await self.move(draft, step)

    # ----------------------------------------------------------------- answers
    @staticmethod
    def set_language(draft: Draft, language: str) -> None:
        draft.answers["language"] = language

    @staticmethod
    def agree(draft: Draft) -> None:
        draft.answers["agreed"] = True

    @staticmethod
    def answer_name(draft: Draft, raw: str) -> None:
        draft.answers["full_name"] = validation.full_name(raw)

    async def _look_up(self, draft: Draft, kind: str) -> None:
        """Count one check of a national code or mobile against the registrations: its answer
        tells whether one is registered, so a person gets LOOKUPS_PER_DAY of each a day."""
        if not await self._lookups.spend(draft.platform, draft.user_id, kind,
                                         self.today().isoformat(), LOOKUPS_PER_DAY):
            raise Invalid("invalid.lookups_exhausted")

    async def answer_national_id(self, draft: Draft, raw: str) -> None:
        value = validation.national_id(raw)
        await self._look_up(draft, "national_id")
        existing = await self._registrations.active_by_national_id(value)
        if existing is not None:
            raise self._duplicate("national_id", existing, draft)
        draft.answers["national_id"] = value

    async def answer_mobile(self, draft: Draft, raw: str, verified: bool = False) -> None:
        """A typed mobile, or (`verified`) the number of the person's own shared contact."""
        value = validation.mobile(raw)
        if value != draft.answers.get("mobile"):  # re-confirming the number already given is no probe
            await self._look_up(draft, "mobile")
        existing = await self._registrations.active_by_mobile(value)
        if existing is not None and existing.id != draft.answers.get("registration_id"):
            raise self._duplicate("mobile", existing, draft)
        draft.answers["mobile"] = value
        draft.answers["mobile_verified"] = verified

    def answer_birth_date(self, draft: Draft, raw: str) -> None:
        born, minor = validation.birth_date(raw, self.today())
        draft.answers["birth_date"] = born.isoformat()
        draft.answers["is_minor"] = minor

    @staticmethod
    def answer_gender(draft: Draft, gender: str) -> None:
        if gender not in GENDERS:
            raise Invalid("invalid.choice")
        draft.answers["gender"] = gender

    async def link_center(self, draft: Draft, center_id: int) -> Draft:
        """A center's QR link opened mid-sign-up: it answers the center question, now or later."""
        await self.choose_center(draft, center_id)
        if Step(draft.step) is Step.CENTER:
            return await self.advance(draft)
        return await self.move(draft, Step(draft.step))

    async def choose_center(self, draft: Draft, center_id: int) -> Center:
        center = await self._centers.by_id(center_id)
        if center is None or not center.active:
            raise Invalid("invalid.center.inactive")
        if draft.answers.get("rejected") and center_id == draft.answers.get("previous_center_id"):
            raise Invalid("invalid.center.rejected_here")
        draft.answers["center_id"] = center.id
        return center

    @staticmethod
    def toggle(draft: Draft, key: str, value: object, allowed: tuple, maximum: int | None = None) -> None:
        """Select or unselect one option of a multiple choice."""
        if value not in allowed:
            raise Invalid("invalid.choice")
        chosen = list(draft.answers.get(key, []))
        if value in chosen:
            chosen.remove(value)
        elif maximum is not None and len(chosen) >= maximum:
            raise Invalid(f"invalid.{key}.max", max=maximum)
        else:
            chosen.append(value)
        draft.answers[key] = chosen

    async def activity_ids(self) -> tuple[int, ...]:
        return tuple(a.id for a in await self._activities.active())

    @staticmethod
    def require_choice(draft: Draft, key: str, minimum: int = 1) -> None:
        """Done pressed on a multiple choice: at least `minimum` must be selected."""
        if len(draft.answers.get(key, [])) < minimum:
            raise Invalid(f"invalid.{key}.min", min=minimum)

    # ----------------------------------------------------------------- registrations
    async def confirm(self, draft: Draft) -> Registration:
        """Save the sign-up in one transaction and drop the draft."""
        a = draft.answers
        missing = [s for s in SUMMARY_FIELDS if not self.answered(draft, s)]
        if missing:
            raise Invalid("invalid.summary.incomplete", step=missing[0])
        order = {s: i for i, s in enumerate(WEEKDAYS)}
        new = NewRegistration(
            platform=draft.platform, user_id=draft.user_id, national_id=a["national_id"],
            mobile=a["mobile"], full_name=a["full_name"], birth_date=a["birth_date"],
            is_minor=bool(a.get("is_minor")), gender=a["gender"], center_id=a["center_id"],
            activity_ids=tuple(a["activities"]),
            availability_days=tuple(sorted(a["days"], key=order.__getitem__)),
            availability_parts=tuple(p for p in DAY_PARTS if p in a["parts"]),
            mobile_verified=bool(a.get("mobile_verified")),
        )
        try:
            registration = await self._registrations.create(new, new_tracking_code)
        except DuplicateRegistration as exc:
            existing = await (self._registrations.active_by_national_id(new.national_id)
                              if exc.field == "national_id"
                              else self._registrations.active_by_mobile(new.mobile))
            if existing is None:  # withdrawn in the meantime: the index no longer blocks
                raise
            raise self._duplicate(exc.field, existing, draft) from exc
        return registration

    @staticmethod
    def answered(draft: Draft, step: Step) -> bool:
        key = {Step.NAME: "full_name", Step.NATIONAL_ID: "national_id", Step.MOBILE: "mobile",
               Step.BIRTH_DATE: "birth_date", Step.GENDER: "gender", Step.CENTER: "center_id",
               Step.ACTIVITIES: "activities", Step.DAYS: "days", Step.PARTS: "parts"}[step]
        return bool(draft.answers.get(key))

    async def _apply_edit(self, draft: Draft) -> Registration:
        a, steps = draft.answers, set(draft.answers["edit_steps"])
        order = {s: i for i, s in enumerate(WEEKDAYS)}
        moved = Step.CENTER in steps and a["center_id"] != a["previous_center_id"]
        try:
            registration = await self._registrations.update(
                a["registration_id"],
                # A move: the new center decides afresh (the old center's approval is not theirs).
                pending_again=moved,
                center_id=a["center_id"] if Step.CENTER in steps else None,
                activity_ids=tuple(a["activities"]) if Step.ACTIVITIES in steps else None,
                availability_days=tuple(sorted(a["days"], key=order.__getitem__))
                if Step.DAYS in steps else None,
                availability_parts=tuple(p for p in DAY_PARTS if p in a["parts"])
                if Step.PARTS in steps else None,
                mobile=a["mobile"] if Step.MOBILE in steps else None,
                mobile_verified=bool(a.get("mobile_verified")),
            )
        except DuplicateRegistration as exc:
            registration = await self._registrations.by_id(a["registration_id"])
            existing = await (self._registrations.active_by_national_id(registration.national_id)
                              if exc.field == "national_id"
                              else self._registrations.active_by_mobile(a["mobile"]))
            if existing is None:
                raise
            raise self._duplicate(exc.field, existing, draft) from exc
        await self._drafts.delete(draft.platform, draft.user_id)
        return registration

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
    def _duplicate(field: str, existing: Registration, draft: Draft) -> Duplicate:
        own = (existing.platform, existing.user_id) == (draft.platform, draft.user_id)
        return Duplicate(field, existing, own)
