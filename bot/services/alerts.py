"""Coordinator alerts: sent on every confirmed registration, edit and withdrawal at a center;
their Approve / Reject / Contacted buttons act on the registration, for authorised people only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from telegram import InlineKeyboardMarkup
from telegram.error import TelegramError

from bot import keyboards as kb
from bot.callbacks import ReviewButton
from bot.hub import Hub
from bot.i18n import I18n, Translator
from bot.services.roles import Actor, NotAllowed, RoleService
from bot.validation import age_on
from storage.activities import ActivityRepository
from storage.alerts import AlertCopy, AlertRepository
from storage.audit import AuditRepository
from storage.centers import CenterRepository
from storage.clock import Clock
from storage.coordinators import CoordinatorRepository
from storage.models import ACTIVE_STATUSES, Center, CopyKind, Registration, Status
from storage.registrations import DuplicateRegistration, RegistrationRepository
from storage.users import UserRepository

logger = logging.getLogger(__name__)


class AlertKind(StrEnum):
    """What happened to a registration, as the alert's title says (`alert.title.<kind>`), or
    the notice a center gets about a volunteer it no longer has."""

    NEW = "new"
    EDITED = "edited"
    WITHDRAWN = "withdrawn"
    RELEASED = "released"
    MOVED_AWAY = "moved_away"  # notice: the volunteer moved to another center
    FORGOTTEN = "forgotten"  # notice: the volunteer erased their data
REVIEW_AUDIT = {Status.APPROVED: "registration.approve", Status.REJECTED: "registration.reject"}
# What a coordinator can give as the reason of a rejection; "typed" is a reason they write.
REJECTION_REASONS = ("capacity", "age", "unreachable", "other_center")
# The buttons an alert can carry: the three of a fresh alert, and those of the two questions a
# decision may need (why reject; really approve what the volunteer heard was rejected).
REVIEW_ACTIONS = ("approve", "reject", "contacted", "confirm", "back", "typed",
                  *(f"reason-{r}" for r in REJECTION_REASONS))


def mobile_shown(t: Translator, registration: Registration, in_group: bool = False) -> str:
    """The mobile as coordinators see it, with whether it was proven: only a contact the person
    shared of themselves is; a typed number could be anyone's. A group sees only the proof."""
    if registration.mobile is None:  # erased, or released as someone else's
        return "-"
    number = t("alert.mobile_in_private") if in_group else t.digits(registration.mobile)
    proof = t("alert.mobile_verified" if registration.mobile_verified else "alert.mobile_unverified")
    return f"{number} {proof}"


def _kind_now(registration: Registration) -> AlertKind:
    """The title an alert about the registration has now."""
    if registration.review_reason == "released":
        return AlertKind.RELEASED
    return AlertKind.WITHDRAWN if registration.status is Status.WITHDRAWN else AlertKind.NEW


def guardian_shown(t: Translator, registration: Registration, in_group: bool = False) -> str:
    """A minor's guardian, who consented, as a line of the alert (their mobile, as the
    volunteer's, in private only)."""
    if not registration.is_minor or not registration.guardian_name:
        return ""
    if in_group:  # a group is not vetted one by one: the guardian is named in private only
        return t("alert.guardian_in_private")
    return t("signup.summary.guardian", name=registration.guardian_name,
             mobile=t.digits(registration.guardian_mobile or "-"))


@dataclass(frozen=True)
class ReviewOutcome:
    """What a press did: the i18n key of the short answer to the presser, and, when a question
    comes before the decision, the text and buttons the pressed message shows instead."""

    answer: str
    redraw: tuple[str, InlineKeyboardMarkup] | None = None
    needs_typed_reason: bool = False


class AlertService:
    """Alerts for coordinators and linked groups, each on the platform they use."""

    def __init__(self, hub: Hub, registrations: RegistrationRepository,
                 alerts: AlertRepository, coordinators: CoordinatorRepository, users: UserRepository,
                 centers: CenterRepository, activities: ActivityRepository, roles: RoleService,
                 audit: AuditRepository, i18n: I18n, clock: Clock):
        self._hub = hub
        self._registrations = registrations
        self._alerts = alerts
        self._coordinators = coordinators
        self._users = users
        self._centers = centers
        self._activities = activities
        self._roles = roles
        self._audit = audit
        self._i18n = i18n
        self._clock = clock

    # ----------------------------------------------------------------- sending
    async def registration(self, registration_id: int) -> Registration | None:
        """A registration as coordinators act on it (for the questions a decision asks)."""
        return await self._registrations.by_id(registration_id)

    async def registration_event(self, registration: Registration, kind: AlertKind,
                                 previous_center_id: int | None = None) -> int:
        """`kind` is new, edited or withdrawn. The alerts already out are redrawn first (or
        retracted where the chat may no longer see the volunteer), then a new alert rings. A move
        is a new volunteer at the new center; the old center gets a notice of who left. Returns how
        many chats received the alert; an unreachable one never stops the rest."""
        if kind is not AlertKind.NEW:
            await self.refresh(registration)
        if previous_center_id in (None, registration.center_id):
            return await self._announce(registration.center_id, kind, registration)
        sent = await self._announce(registration.center_id, AlertKind.NEW, registration)
        return sent + await self._announce(previous_center_id, AlertKind.MOVED_AWAY, registration)

    async def _announce(self, center_id: int, kind: AlertKind, registration: Registration) -> int:
        """Send one alert, or a notice (moved away, forgotten), to every chat of a center;
        record each copy (a notice of a forgotten volunteer names nobody and is not recorded)."""
        sent = 0
        center = await self._centers.by_id(center_id)
        for platform, chat_id, language, in_group in await self._recipients(center_id):
            messenger = self._hub.messenger(platform)
            if messenger is None:  # a platform this process does not serve
                continue
            t = self._i18n.translator(language)
            buttons, copy_kind = None, CopyKind.NOTICE
            if kind is AlertKind.MOVED_AWAY:
                text = t("alert.moved_away", center=t.center(center), name=registration.full_name or "-",
                         code=t.digits(registration.tracking_code))
            elif kind is AlertKind.FORGOTTEN:
                text, copy_kind = self._forgotten_text(t, registration, center), None
            else:
                text = await self.render(t, registration, kind, in_group)
                buttons, copy_kind = self._buttons(t, registration), CopyKind.ALERT
            try:
                message_id = await messenger.send(chat_id, text, buttons)
            except TelegramError as exc:
                logger.warning("alert about registration %s not delivered to %s chat %s: %s",
                               registration.id, platform, chat_id, exc)
                continue
            if copy_kind is not None:
                await self._alerts.add(AlertCopy(registration.id, platform, chat_id, message_id,
                                                 t.language, copy_kind, center_id))
            sent += 1
        return sent

    @staticmethod
    def _forgotten_text(t: Translator, registration: Registration, center: Center) -> str:
        return t("alert.forgotten", center=t.center(center), code=t.digits(registration.tracking_code))

    async def forgotten(self, before: Registration) -> None:
        """A volunteer erased their data (/forget): every copy about their registration is
        redrawn without it (or deleted) and forgotten; the center of an active one is told."""
        center = await self._centers.by_id(before.center_id)
        for copy in await self._alerts.for_registration(before.id):
            await self._retract(copy, lambda t: self._forgotten_text(t, before, center), always=True)
        if before.status in ACTIVE_STATUSES:
            await self._announce(before.center_id, AlertKind.FORGOTTEN, before)

    async def _recipients(self, center_id: int) -> list[tuple[str, int, str | None, bool]]:
        """(platform, chat id, language, is a linked group) of every chat the center alerts."""
        recipients = []
        for platform, user_id in await self._coordinators.for_center(center_id):
            account = await self._users.get(platform, user_id)
            recipients.append((platform, user_id, account.language if account else None, False))
        for platform, chat_id in await self._coordinators.groups_of_center(center_id):
            recipients.append((platform, chat_id, None, True))
        return recipients

    async def render(self, t: Translator, registration: Registration, kind: AlertKind,
                     in_group: bool = False) -> str:
        """The alert text in one language. A linked group gets no mobile number: its members are
        not vetted one by one as coordinators are (they read it in private, in /roster)."""
        center = await self._centers.by_id(registration.center_id)
        activities = {a.id: a for a in await self._activities.active()}
        separator = t("list.separator")
        today = self._clock().astimezone(t.timezone).date()
        age = age_on(date.fromisoformat(registration.birth_date), today) if registration.birth_date else 0
        lines = [
            t(f"alert.title.{kind}", center=t.center(center)),
            t("alert.body",
              name=registration.full_name or "-",
              age=age,
              minor=t("signup.summary.minor") if registration.is_minor else "",
              gender=t(f"gender.{registration.gender}") if registration.gender else "-",
              guardian=guardian_shown(t, registration, in_group),
              mobile=mobile_shown(t, registration, in_group),
              activities=separator.join(
                  t.name(activities[i])
                  for i in registration.activity_ids if i in activities),
              days=separator.join(t(f"day.{d}") for d in registration.availability_days),
              parts=separator.join(t(f"part.{p}") for p in registration.availability_parts),
              code=t.digits(registration.tracking_code),
              created=t.datetime(datetime.fromisoformat(registration.created_at)),
              status=t(f"status.{registration.status}")),
        ]
        if registration.reviewed_by and registration.status in (Status.APPROVED, Status.REJECTED):
            lines.append(t(f"alert.reviewed.{registration.status}", actor=registration.reviewed_by,
                           when=t.datetime(datetime.fromisoformat(registration.reviewed_at))))
        if registration.review_reason == "released":
            lines.append(t("alert.released", actor=registration.reviewed_by,
                           when=t.datetime(datetime.fromisoformat(registration.reviewed_at))))
        if registration.status is Status.REJECTED and registration.review_reason:
            lines.append(t("alert.reason", reason=self.reason_text(t, registration)))
        if registration.contacted_by:
            lines.append(t("alert.contacted", actor=registration.contacted_by,
                           when=t.datetime(datetime.fromisoformat(registration.contacted_at))))
        return "\n".join(lines)

    @staticmethod
    def _buttons(t: Translator, registration: Registration) -> InlineKeyboardMarkup | None:
        if registration.status is Status.WITHDRAWN:
            return None
        return kb.inline([[ReviewButton(action, registration.id).button(t(f"button.review.{action}"))
                           for action in ("approve", "reject", "contacted")]])

    @staticmethod
    def _reason_buttons(t: Translator, registration: Registration) -> InlineKeyboardMarkup:
        rows = [[ReviewButton(f"reason-{r}", registration.id).button(t(f"reason.{r}"))]
                for r in REJECTION_REASONS]
        rows.append([ReviewButton("typed", registration.id).button(t("reason.typed_button"))])
        rows.append([ReviewButton("back", registration.id).button(t("button.review.back"))])
        return kb.inline(rows)

    @staticmethod
    def reason_text(t: Translator, registration: Registration) -> str:
        """Why the registration was rejected, in the reader's language."""
        if registration.review_reason == "typed":
            return registration.review_note or "-"
        if registration.review_reason in REJECTION_REASONS:
            return t(f"reason.{registration.review_reason}")
        return "-"

    # ----------------------------------------------------------------- acting
    async def review(self, actor: Actor, registration_id: int, action: str, chat_id: int,
                     message_id: int, t: Translator,
                     buttons_on_message: frozenset[str] = frozenset()) -> ReviewOutcome:
        """A pressed alert button. Raises NotAllowed for a forged button or a person without
        the role.

        The button must sit on a real alert about this registration: a copy recorded in the
        database, or (a press within milliseconds, before the copy is recorded) a message whose
        keyboard, as the messenger reports it, carries exactly this button. A rejection asks for
        its reason first; undoing a decision the volunteer was told asks for confirmation."""
        registration = await self._registrations.by_id(registration_id)
        if action not in REVIEW_ACTIONS or registration is None:
            raise NotAllowed
        pressed = ReviewButton(action, registration_id).pack()
        if pressed not in buttons_on_message and not await self._alerts.is_alert_about(
                actor.platform, chat_id, message_id, registration_id):
            raise NotAllowed
        await self._roles.require_manager(actor, registration.center_id)
        if registration.status is Status.WITHDRAWN:
            return ReviewOutcome("alert.answer.withdrawn")
        shown = await self.render(t, registration, AlertKind.NEW, in_group=chat_id < 0)
        if action == "contacted":
            registration = await self._registrations.mark_contacted(registration.id, actor.name)
            await self._audit.record(actor.key, "registration.contacted",
                                     f"registration:{registration.id}")
            await self.refresh(registration)
            return ReviewOutcome("alert.answer.contacted")
        if action == "back":
            return ReviewOutcome("alert.answer.kept", (shown, self._buttons(t, registration)))
        if action in ("approve", "confirm"):
            if registration.status is Status.APPROVED:
                return ReviewOutcome("alert.answer.unchanged")
            if registration.status is Status.REJECTED and action == "approve":
                return ReviewOutcome("alert.answer.confirm", (
                    f"{shown}\n\n{t('alert.confirm_approve')}", kb.inline([[
                        ReviewButton("confirm", registration.id).button(t("button.review.confirm")),
                        ReviewButton("back", registration.id).button(t("button.review.back"))]])))
            try:
                await self._decide(actor, registration, Status.APPROVED)
            except DuplicateRegistration:  # its national code or mobile is taken by others by now
                return ReviewOutcome("alert.answer.taken")
            return ReviewOutcome("alert.answer.approve")
        if registration.status is Status.REJECTED:
            return ReviewOutcome("alert.answer.unchanged")
        if action == "reject":
            warning = t("alert.undo_approval") + "\n" if registration.status is Status.APPROVED else ""
            return ReviewOutcome("alert.answer.pick_reason", (
                f"{shown}\n\n{warning}{t('alert.ask_reason')}", self._reason_buttons(t, registration)))
        if action == "typed":
            return ReviewOutcome("alert.answer.typed_reason", needs_typed_reason=True)
        await self._decide(actor, registration, Status.REJECTED, action.removeprefix("reason-"))
        return ReviewOutcome("alert.answer.reject")

    async def reject_with_note(self, actor: Actor, registration_id: int, note: str) -> str:
        """A rejection whose reason the coordinator typed; returns the i18n key of the answer."""
        registration = await self._registrations.by_id(registration_id)
        if registration is None:
            raise NotAllowed
        await self._roles.require_manager(actor, registration.center_id)
        if registration.status is Status.WITHDRAWN:
            return "alert.answer.withdrawn"
        if registration.status is Status.REJECTED:
            return "alert.answer.unchanged"
        await self._decide(actor, registration, Status.REJECTED, "typed", note)
        return "alert.answer.reject"

    async def _decide(self, actor: Actor, registration: Registration, status: str,
                      reason: str | None = None, note: str | None = None) -> None:
        registration = await self._registrations.review(registration.id, status, actor.name,
                                                        reason, note)
        await self._audit.record(actor.key, REVIEW_AUDIT[status], f"registration:{registration.id}")
        await self.tell_volunteer(registration)
        await self.refresh(registration)

    async def refresh(self, registration: Registration) -> None:
        """Redraw every copy of the registration's alert, on every platform served. A copy held by
        a chat no longer entitled to the center's volunteers is retracted instead, never redrawn
        with their data."""
        groups = set(await self._coordinators.groups_of_center(registration.center_id))
        for copy in await self._alerts.for_registration(registration.id):
            messenger = self._hub.messenger(copy.platform)
            if messenger is None or copy.kind is not CopyKind.ALERT:
                continue
            in_group = (copy.platform, copy.chat_id) in groups
            if not in_group and not await self._entitled(copy, registration.center_id):
                await self._retract(copy, lambda t: t("alert.no_longer_shown"))
                continue
            t = self._i18n.translator(copy.language)
            try:
                shown = await messenger.edit(copy.chat_id, copy.message_id,
                                             await self.render(t, registration, _kind_now(registration),
                                                               in_group),
                                             self._buttons(t, registration))
            except TelegramError as exc:
                logger.warning("alert copy in chat %s not updated: %s", copy.chat_id, exc)
                continue
            if shown != copy.message_id:
                await self._alerts.moved(copy, shown)

    async def _entitled(self, copy: AlertCopy, center_id: int) -> bool:
        """Whether the chat holding a copy may still see the center's volunteers: a coordinator of
        the center or an admin in their private chat, or a group linked to the center."""
        if copy.chat_id < 0:  # group chats have negative ids on both messengers
            return (copy.platform, copy.chat_id) in await self._coordinators.groups_of_center(center_id)
        return await self._roles.may_manage(copy.platform, copy.chat_id, center_id)

    async def show(self, actor: Actor, registration_id: int, t: Translator) -> None:
        """One registration's alert, with its review buttons, in the actor's private chat (opened
        from the roster: an alert missed or deleted can still be acted on). Recorded as every
        copy is, so it is redrawn with each decision and retracted if the actor loses the center."""
        registration = await self._registrations.by_id(registration_id)
        if registration is None:
            raise NotAllowed
        await self._roles.require_manager(actor, registration.center_id)
        messenger = self._hub.messenger(actor.platform)
        text = await self.render(t, registration, _kind_now(registration))
        message_id = await messenger.send(actor.user_id, text, self._buttons(t, registration))
        await self._alerts.add(AlertCopy(registration.id, actor.platform, actor.user_id, message_id,
                                         t.language, CopyKind.ALERT, registration.center_id))

    async def access_lost(self, platform: str, chat_id: int, center_id: int) -> None:
        """A coordinator was removed or a group unlinked: retract every alert the chat holds about
        the center's volunteers, and tell a removed coordinator."""
        probe = AlertCopy(0, platform, chat_id, 0, "")
        if await self._entitled(probe, center_id):  # e.g. an admin who also coordinated
            return
        if chat_id > 0:
            await self._tell_removed(platform, chat_id, center_id)
        center = await self._centers.by_id(center_id)
        for copy in await self._alerts.in_chat_about_center(platform, chat_id, center_id):
            await self._retract(copy, lambda t: t("alert.retracted", center=t.center(center)))

    async def _retract(self, copy: AlertCopy, text: Callable[[Translator], str],
                       always: bool = False) -> None:
        """Replace a copy by a text without the volunteer's data or buttons (or delete it), then
        forget it. A copy that could not be reached stays recorded, to be retried next time,
        unless `always` (its registration will never be redrawn again)."""
        messenger = self._hub.messenger(copy.platform)
        if messenger is None:
            return
        t = self._i18n.translator(copy.language)
        try:
            gone = await messenger.retract(copy.chat_id, copy.message_id, text(t))
        except TelegramError as exc:
            logger.warning("alert copy in chat %s not retracted: %s", copy.chat_id, exc)
            gone = False
        if gone or always:
            await self._alerts.remove(copy)

    async def _tell_removed(self, platform: str, user_id: int, center_id: int) -> None:
        messenger = self._hub.messenger(platform)
        if messenger is None:
            return
        account = await self._users.get(platform, user_id)
        t = self._i18n.translator(account.language if account else None)
        center = await self._centers.by_id(center_id)
        try:
            await messenger.send(user_id, t("coordinators.you_were_removed", center=t.center(center)))
        except TelegramError as exc:
            logger.warning("removed coordinator on %s not told: %s", platform, exc)

    async def tell_volunteer(self, registration: Registration, key: str | None = None) -> None:
        """Tell the volunteer, on their messenger, what became of their registration (by default,
        the decision its status records)."""
        messenger = self._hub.messenger(registration.platform)
        if messenger is None or registration.user_id is None:
            return
        account = await self._users.get(registration.platform, registration.user_id)
        t = self._i18n.translator(account.language if account else None)
        center = await self._centers.by_id(registration.center_id)
        text = t(key or f"volunteer.{registration.status}", code=t.digits(registration.tracking_code),
                 center=t.center(center), reason=self.reason_text(t, registration))
        text += t.center_contact(center)  # where to ask: the center's address and phone
        try:
            await messenger.send(registration.user_id, text)
        except TelegramError as exc:
            logger.warning("volunteer of registration %s not told about the decision: %s",
                           registration.id, exc)
