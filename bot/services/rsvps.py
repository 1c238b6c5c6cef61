"""Volunteers' answers to events: coming or not, the waitlist and the places it offers, /myevents
and the calendar file; and the notices a change owes (to the volunteer offered a place, to the
coordinators of one who cancelled or was promoted), sent through the outbox exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.callbacks import RsvpButton
from bot.i18n import I18n, Translator
from storage.broadcasts import BroadcastRepository, buttons_json
from storage.clock import Clock, utc_iso
from storage.coordinators import CoordinatorRepository
from storage.events import EventRepository
from storage.models import (
    ACTIVE_STATUSES,
    Answer,
    BroadcastKind,
    Event,
    EventPlaces,
    NoticeKind,
    Registration,
    Rsvp,
)
from storage.registrations import RegistrationRepository
from storage.rsvps import NotActive, Notice, RsvpRepository
from storage.users import UserRepository

logger = logging.getLogger(__name__)
TICK_SECONDS = 1.0


def answer_buttons(t: Translator, event_id: int) -> str:
    """«می‌آیم» / «نمی‌توانم بیایم» under an invitation, a reminder or an offer (outbox JSON)."""
    return buttons_json([[(t("rsvp.button.yes"), RsvpButton("yes", event_id).pack()),
                          (t("rsvp.button.no"), RsvpButton("no", event_id).pack())]])


@dataclass(frozen=True)
class RsvpOutcome:
    """What an answer did: the volunteer's answer now, or why nothing changed (a catalog key)."""

    event: Event | None
    rsvp: Rsvp | None = None
    refusal: str | None = None


class RsvpService:
    """Rules of answers and the waitlist; the background task that keeps offers moving."""

    def __init__(self, rsvps: RsvpRepository, events: EventRepository, registrations: RegistrationRepository,
                 users: UserRepository, coordinators: CoordinatorRepository, i18n: I18n, clock: Clock,
                 offer_window: timedelta, wake_workers: Callable[[], None]):
        self._rsvps = rsvps
        self._events = events
        self._registrations = registrations
        self._users = users
        self._coordinators = coordinators
        self._i18n = i18n
        self._clock = clock
        self.offer_window = offer_window
        self._wake_workers = wake_workers
        self._changed = asyncio.Event()

    async def volunteer(self, platform: str, user_id: int) -> Registration | None:
        """The account's registration that answers events: its newest active one."""
        registration = await self._registrations.latest_for_user(platform, user_id)
        return registration if registration and registration.status in ACTIVE_STATUSES else None

    async def answer(self, platform: str, user_id: int, event_id: int, coming: bool) -> RsvpOutcome:
        """The volunteer will come (a place, or the waitlist) or will not; refused with a reason
        when the event is unknown, cancelled, begun or not for them."""
        event = await self._events.by_id(event_id)
        if event is None:
            return RsvpOutcome(None, refusal="rsvp.unknown")
        volunteer = await self.volunteer(platform, user_id)
        if volunteer is None:
            return RsvpOutcome(event, refusal="rsvp.not_registered")
        if event.cancelled_at:
            return RsvpOutcome(event, refusal="rsvp.cancelled")
        if not await self._rsvps.covers(event.id, volunteer.id):
            return RsvpOutcome(event, refusal="rsvp.not_for_you")
        if not self.open_for_answers(event):
            return RsvpOutcome(event, refusal="rsvp.begun")
        try:
            rsvp = await self._rsvps.answer(event.id, volunteer.id, coming, self._offer_until(event))
        except NotActive:  # withdrawn or rejected between the look above and the answer
            return RsvpOutcome(event, refusal="rsvp.not_registered")
        self._changed.set()  # a freed place: its offer and the coordinators' word go out now
        return RsvpOutcome(event, rsvp)

    def open_for_answers(self, event: Event) -> bool:
        """Answers are taken until the event begins (and never for a cancelled one)."""
        return not event.cancelled_at and datetime.fromisoformat(event.starts_at) > self._clock()

    async def of(self, platform: str, user_id: int, event_id: int) -> tuple[Event | None, Rsvp | None]:
        """An event and this volunteer's answer to it (None when they have not answered)."""
        event = await self._events.by_id(event_id)
        volunteer = await self.volunteer(platform, user_id)
        if event is None or volunteer is None:
            return event, None
        return event, await self._rsvps.of(event.id, volunteer.id)

    async def mine(self, platform: str, user_id: int) -> list[tuple[Event, Rsvp | None]] | None:
        """The volunteer's events not over yet, with their answers; None when not registered."""
        volunteer = await self.volunteer(platform, user_id)
        if volunteer is None:
            return None
        mine = []
        for event_id, rsvp in await self._rsvps.events_of(volunteer.id, utc_iso(self._clock())):
            event = await self._events.by_id(event_id)
            if event is not None:
                mine.append((event, rsvp))
        return mine

    async def places(self, event_id: int) -> EventPlaces:
        return await self._rsvps.places(event_id)

    async def capacity_changed(self, event_id: int) -> None:
        """More places (or no limit): the first waiting are offered them, now."""
        self._changed.set()

    def _offer_until(self, event: Event) -> str:
        """An offered place is held this long, never past the start."""
        return utc_iso(min(self._clock() + self.offer_window, datetime.fromisoformat(event.starts_at)))

    def calendar_file(self, event: Event, place: str, description: str) -> bytes:
        """The event as an .ics file a phone's calendar adds (times in UTC, a reminder 2 hours
        before)."""
        import icalendar  # loaded at the first calendar file: the bot starts lighter

        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Behzisti//Salam Mahalleh//FA")
        calendar.add("version", "2.0")
        entry = icalendar.Event()
        entry.add("uid", f"event-{event.id}@salam-mahalleh")
        entry.add("dtstamp", self._clock())
        entry.add("dtstart", datetime.fromisoformat(event.starts_at))
        entry.add("dtend", datetime.fromisoformat(event.end))
        entry.add("summary", event.title)
        entry.add("location", place)
        entry.add("description", description)
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title)
        alarm.add("trigger", timedelta(hours=-2))
        entry.add_component(alarm)
        calendar.add_component(entry)
        return calendar.to_ical()

    # ----------------------------------------------------------------- in the background
    async def run(self) -> None:
        """Lapse offers not taken in time and tell every notice, now after a change or every
        second, until cancelled (the state lives in the database)."""
        while True:
            try:
                await self.settle()
            except Exception:
                logger.exception("answers to events: settling failed; trying again shortly")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):  # the once-a-second look: offers running out
                await asyncio.wait_for(self._changed.wait(), TICK_SECONDS)

    async def settle(self) -> int:
        """Offers past their time lapse (their places move on); free places (a withdrawal, more
        places) go to the first waiting; every notice not yet told is queued for the outbox. How
        many notices were queued."""
        now = utc_iso(self._clock())
        for event_id in await self._rsvps.events_with_lapsed_offers(now):
            event = await self._events.by_id(event_id)
            if event is not None:
                await self._rsvps.lapse_offers(event_id, self._offer_until(event))
        for event_id in await self._rsvps.events_with_free_places(now):
            event = await self._events.by_id(event_id)
            if event is not None:
                await self._rsvps.promote(event_id, self._offer_until(event))
        queued = 0
        for notice in await self._rsvps.unqueued_notices():
            try:
                messages = await self._messages(notice)
            except Exception:  # one notice that cannot be worded must not hold up the others
                logger.exception("notice %s (%s of event %s) could not be worded; skipped", notice.id,
                                 notice.kind, notice.event_id)
                messages = []

            async def queue(conn, messages=messages) -> None:
                await BroadcastRepository.queue_within(conn, BroadcastKind.NOTICE, "rsvp", messages, now)

            if await self._rsvps.claim_notice(notice.id, queue):
                queued += 1
        if queued:
            self._wake_workers()
        return queued

    async def _messages(self, notice: Notice) -> list[tuple[str, int, str, str | None]]:
        """(platform, chat, text, buttons) that tell a notice, each in its reader's language."""
        event = await self._events.by_id(notice.event_id)
        registration = await self._registrations.by_id(notice.registration_id)
        if event is None or registration is None or event.cancelled_at:
            return []  # a cancelled event's volunteers were told it will not take place
        starts = datetime.fromisoformat(event.starts_at)
        if notice.kind in (NoticeKind.OFFERED, NoticeKind.LAPSED, NoticeKind.ADMITTED):
            if registration.user_id is None:  # erased meanwhile: nobody to tell
                return []
            t = await self._translator(registration.platform, registration.user_id)
            if notice.kind is NoticeKind.ADMITTED:
                text = t("rsvp.admitted", title=event.title,
                         when=t.span(starts, datetime.fromisoformat(event.end)))
                return [(registration.platform, registration.user_id, text, None)]
            if notice.kind is NoticeKind.OFFERED:
                rsvp = await self._rsvps.of(event.id, registration.id)
                if rsvp is None or rsvp.answer is not Answer.OFFERED:
                    return []  # taken or passed on before it was told: nothing to offer
                text = t("rsvp.offer", title=event.title, when=t.datetime(starts),
                         until=t.datetime(datetime.fromisoformat(rsvp.offer_until)))
                return [(registration.platform, registration.user_id, text, answer_buttons(t, event.id))]
            text = t("rsvp.lapsed", title=event.title)
            yes = buttons_json([[(t("rsvp.button.yes"), RsvpButton("yes", event.id).pack())]])
            return [(registration.platform, registration.user_id, text, yes)]
        places = await self._rsvps.places(event.id)
        messages = []
        # By tracking code, not by name: an outbox message is never taken back, and a name in it
        # would outlive a /forget or the coordinator's role (the roster gives the name).
        for platform, user_id in await self._coordinators.for_center(registration.center_id):
            t = await self._translator(platform, user_id)
            text = t(f"rsvp.coordinator.{notice.kind}", code=t.digits(registration.tracking_code),
                     title=event.title, when=t.datetime(starts)) + "\n" + places_line(t, event, places)
            messages.append((platform, user_id, text, None))
        return messages

    async def _translator(self, platform: str, user_id: int) -> Translator:
        account = await self._users.get(platform, user_id)
        return self._i18n.translator(account.language if account and account.language else None)


def places_line(t: Translator, event: Event, places: EventPlaces) -> str:
    """«جاها: ۱۸ از ۲۰ — در فهرست انتظار: ۳» (or how many come, without a limit)."""
    if event.capacity is None:
        return t("rsvp.places_unlimited", coming=places.coming)
    return t("rsvp.places", taken=places.taken, capacity=event.capacity, waiting=places.waiting)
