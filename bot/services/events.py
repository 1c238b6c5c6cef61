"""Events and their reminders: scope, Jalali date-time in BOT_TZ, offsets; the scheduler that
turns due reminders into outbox items exactly once, rebuilt from the database at every start."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

import jdatetime

from bot.i18n import I18n, Translator
from bot.services.roles import Actor, RoleService
from bot.services.rsvps import answer_buttons
from bot.validation import Invalid, display_name, jalali_date, normalize_digits
from storage.audit import AuditRepository
from storage.broadcasts import BroadcastRepository
from storage.centers import CenterRepository
from storage.clock import Clock, utc_iso
from storage.events import EventRepository
from storage.models import DEFAULT_LENGTH, Audience, BroadcastKind, Event, ScopeKind

logger = logging.getLogger(__name__)
DEFAULT_OFFSETS = (24 * 60, 2 * 60)  # a day and two hours before
OFFSET_CHOICES = (7 * 24 * 60, 3 * 24 * 60, 24 * 60, 2 * 60, 60)
TICK_SECONDS = 1.0
PLACE_MIN, PLACE_MAX = 3, 200
CAPACITY_MAX = 5_000  # more than the biggest hall; 10,000 is a typo
LENGTH_MAX = timedelta(days=7)
_TIME = re.compile(r"^([0-9]{1,2})[:٫.]([0-9]{2})$")


def audience_of(event: Event) -> Audience:
    """Who an event's invitation and cancellation reach: active volunteers in its scope (of its
    activity areas, if it names some) who have not said they will not come."""
    return replace(Audience.within(event.scope_kind, event.scope_id), activity_ids=event.activity_ids,
                   not_declined=event.id)


def reminded(event: Event) -> Audience:
    """Who an event's reminders reach: at an event with places, who holds one (the waitlist is
    not told "we look forward to seeing you"); otherwise everyone invited who did not decline."""
    if event.capacity is None:
        return audience_of(event)
    return replace(audience_of(event), holding_a_place_at=event.id)


class EventService:
    """Rules of events; who may manage them is asked of RoleService."""

    def __init__(self, events: EventRepository, broadcasts: BroadcastRepository,
                 centers: CenterRepository, roles: RoleService, audit: AuditRepository, i18n: I18n,
                 clock: Clock, wake_workers: Callable[[], None],
                 capacity_changed: Callable[[int], Awaitable[None]]):
        self._events = events
        self._broadcasts = broadcasts
        self._centers = centers
        self._roles = roles
        self._audit = audit
        self._i18n = i18n
        self._clock = clock
        self._wake_workers = wake_workers
        self._capacity_changed = capacity_changed  # the waitlist moves up (RsvpService)

    # ----------------------------------------------------------------- answers
    def parse_start(self, raw: str, t: Translator) -> datetime:
        """«۱۴۰۴/۱۱/۱۴ ۰۸:۰۰» in BOT_TZ → an aware datetime; must lie in the future."""
        starts = self._parse_moment(raw).replace(tzinfo=t.timezone)
        if starts <= self._clock():
            raise Invalid("invalid.event.past")
        return starts

    def parse_end(self, raw: str, starts: datetime, t: Translator) -> datetime:
        """The end: a time on the start's day («۱۲:۰۰») or a date and time; after the start and
        within a week of it."""
        text = normalize_digits(raw).strip()
        if _TIME.match(text):
            hour, minute = (int(x) for x in _TIME.match(text).groups())
            if hour > 23 or minute > 59:
                raise Invalid("invalid.event.end")
            ends = starts.astimezone(t.timezone).replace(hour=hour, minute=minute)
        else:
            ends = self._parse_moment(text).replace(tzinfo=t.timezone)
        if ends <= starts:
            raise Invalid("invalid.event.end_before", start=t.datetime(starts))
        if ends - starts > LENGTH_MAX:
            raise Invalid("invalid.event.too_long")
        return ends

    @staticmethod
    def check_capacity(raw: str) -> int:
        """How many places: a whole number from 1 to CAPACITY_MAX."""
        text = normalize_digits(raw).strip().replace(",", "").replace("٬", "")
        if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= CAPACITY_MAX:
            raise Invalid("invalid.event.capacity", max=CAPACITY_MAX)
        return int(text)

    @staticmethod
    def _parse_moment(raw: str) -> datetime:
        """«۱۴۰۴/۱۱/۱۴ ۰۸:۰۰» → the naive Gregorian date and time it names."""
        parts = normalize_digits(raw).split()
        if len(parts) != 2 or not _TIME.match(parts[1]):
            raise Invalid("invalid.event.when")
        day = jalali_date(parts[0])
        hour, minute = (int(x) for x in _TIME.match(parts[1]).groups())
        if hour > 23 or minute > 59:
            raise Invalid("invalid.event.when")
        return jdatetime.datetime(day.year, day.month, day.day, hour, minute).togregorian()

    @staticmethod
    def check_place(raw: str) -> str:
        """An address people will read in their reminders: one clean line, 3–200 characters."""
        place = display_name(raw, PLACE_MAX + 1)
        if not PLACE_MIN <= len(place) <= PLACE_MAX:
            raise Invalid("invalid.event.place", min=PLACE_MIN, max=PLACE_MAX)
        return place

    @staticmethod
    def check_title(raw: str) -> str:
        title = " ".join(raw.split())
        if not 3 <= len(title) <= 100:
            raise Invalid("invalid.event.title", min=3, max=100)
        return title

    # ----------------------------------------------------------------- events
    async def create(self, actor: Actor, title: str, scope_kind: ScopeKind, scope_id: int | None,
                     starts_at: datetime, offsets: tuple[int, ...], place: str = "", *,
                     ends_at: datetime | None = None, capacity: int | None = None,
                     activity_ids: tuple[int, ...] = ()) -> int:
        """Save the event and invite the volunteers it is for (with «می‌آیم» buttons). An admin
        makes any; a coordinator, one at a center of theirs."""
        await self._require_organiser(actor, scope_kind, scope_id)
        ends_at = ends_at or starts_at + DEFAULT_LENGTH
        event_id = await self._events.create(title, scope_kind, scope_id, utc_iso(starts_at),
                                             offsets, actor.key, place, ends_at=utc_iso(ends_at),
                                             capacity=capacity, activity_ids=activity_ids)
        await self._audit.record(actor.key, "event.create", f"event:{event_id}")
        await self.send_invitations()  # now; were the bot killed first, the scheduler sends it
        return event_id

    async def send_invitations(self) -> int:
        """Queue the invitation of every event saved but not yet invited (once each). How many."""
        queued = 0
        for event in await self._events.uninvited(utc_iso(self._clock())):
            queued += await self._invite(event)
        return queued

    async def _invite(self, event: Event) -> int:
        async def invitation(t: Translator) -> str:
            return t("invitation.text", title=event.title, when=self.span(t, event),
                     place=await self.place_label(t, event),
                     capacity=t("invitation.capacity", n=event.capacity) if event.capacity else "")

        texts, buttons = await self._in_every_language(invitation), await self._buttons(event)
        created = await self._broadcasts.create(
            text=texts[""], audience=audience_of(event), created_by="scheduler",
            kind=BroadcastKind.INVITATION, texts_by_language=texts, markup_by_language=buttons,
            invitation_of=event.id)
        self._wake_workers()
        return created is not None

    async def _in_every_language(self, word: Callable[[Translator], Awaitable[str]]) -> dict[str, str]:
        """A text in each language the bot speaks, keyed by it, and under "" the default
        language's (for a recipient whose language is unknown): what the outbox sends."""
        texts = {language: await word(self._i18n.translator(language)) for language in self._i18n.languages}
        texts[""] = texts[self._i18n.default_language]
        return texts

    async def _buttons(self, event: Event) -> dict[str, str]:
        """«می‌آیم» / «نمی‌توانم بیایم» in each language, as the outbox keeps buttons."""
        async def buttons(t: Translator) -> str:
            return answer_buttons(t, event.id)

        return await self._in_every_language(buttons)

    @staticmethod
    def span(t: Translator, event: Event) -> str:
        """When the event runs: «۱۴ بهمن ۱۴۰۵، ساعت ۰۸:۰۰ تا ۱۲:۰۰»."""
        return t.span(datetime.fromisoformat(event.starts_at), datetime.fromisoformat(event.end))

    async def update(self, actor: Actor, event_id: int, **changes) -> Event:
        """Change a part; a new start moves the end with it (the same length), and more places
        go to the first waiting."""
        before = await self._events.by_id(event_id)
        await self._require_organiser(actor, before.scope_kind if before else ScopeKind.ALL,
                                      before.scope_id if before else None)
        if isinstance(changes.get("starts_at"), datetime):
            starts = changes["starts_at"]
            changes["starts_at"] = utc_iso(starts)
            if before is not None and "ends_at" not in changes:
                length = datetime.fromisoformat(before.end) - datetime.fromisoformat(before.starts_at)
                changes["ends_at"] = utc_iso(starts + length)
        if isinstance(changes.get("ends_at"), datetime):
            changes["ends_at"] = utc_iso(changes["ends_at"])
        event = await self._events.update(event_id, **changes)
        await self._audit.record(actor.key, "event.update", f"event:{event_id}", ",".join(changes))
        if "capacity" in changes or changes.get("unlimited"):
            await self._capacity_changed(event_id)
        return event

    async def cancel(self, actor: Actor, event_id: int) -> bool:
        """Cancel the event: its reminders never go out, and its volunteers are told (in their
        language, through the outbox) that it will not take place."""
        event = await self._events.by_id(event_id)
        await self._require_organiser(actor, event.scope_kind if event else ScopeKind.ALL,
                                      event.scope_id if event else None)
        cancelled = await self._events.cancel(event_id)
        await self._audit.record(actor.key, "event.cancel", f"event:{event_id}")
        if cancelled and event is not None:
            async def notice(t: Translator) -> str:
                return t("event.cancelled_notice", title=event.title,
                         when=t.datetime(datetime.fromisoformat(event.starts_at)))

            texts = await self._in_every_language(notice)
            await self._broadcasts.create(text=texts[""], audience=audience_of(event), created_by=actor.key,
                                          kind=BroadcastKind.EVENT_CANCELLED, texts_by_language=texts)
            self._wake_workers()
        return cancelled

    async def place_label(self, t: Translator, event: Event) -> str:
        """Where the event happens: the place given, or each volunteer's own center."""
        if event.place:
            return event.place
        if event.scope_kind == ScopeKind.CENTER:
            center = await self._centers.by_id(event.scope_id)
            return t.center(center) + (t("list.separator") + center.address if center.address else "")
        return t("event.place.own_center")

    async def ahead_at(self, center_id: int) -> list[Event]:
        """The events still ahead (or under way) that this center hosts: its check-in posters."""
        return await self._events.ahead_at(center_id, utc_iso(self._clock()))

    async def _require_organiser(self, actor: Actor, scope_kind: ScopeKind, scope_id: int | None) -> None:
        """Admins organise every event; a center's coordinators, the events of that center."""
        if scope_kind == ScopeKind.CENTER and scope_id is not None:
            await self._roles.require_manager(actor, scope_id)
        else:
            await self._roles.require_admin(actor)

    async def organised_by(self, actor: Actor) -> list[Event]:
        """The upcoming events this person may change or cancel: all for an admin, a
        coordinator's own centers' for a coordinator."""
        events = await self.upcoming()
        if await self._roles.is_admin(actor.platform, actor.user_id):
            return events
        own = set(await self._roles.centers_of(actor.platform, actor.user_id))
        return [e for e in events if e.scope_kind == ScopeKind.CENTER and e.scope_id in own]

    async def may_organise(self, actor: Actor, event: Event) -> bool:
        return event in await self.organised_by(actor)

    async def upcoming(self) -> list[Event]:
        return await self._events.upcoming(utc_iso(self._clock()))

    async def by_id(self, event_id: int) -> Event | None:
        return await self._events.by_id(event_id)

    async def scope_label(self, t: Translator, scope_kind: ScopeKind, scope_id: int | None) -> str:
        if scope_kind == ScopeKind.CENTER:
            center = await self._centers.by_id(scope_id)
            return t.center(center)
        if scope_kind == ScopeKind.COUNTY:
            county = await self._centers.county(scope_id)
            return t("event.scope.in", place=t.name(county))
        if scope_kind == ScopeKind.PROVINCE:
            province = await self._centers.province(scope_id)
            return t("event.scope.in", place=t.name(province))
        return t("event.scope.all")

    # ----------------------------------------------------------------- reminders
    async def run_scheduler(self) -> None:
        """Check for invitations to send and due reminders every second, until cancelled (state
        lives in the database)."""
        while True:
            try:
                await self.send_invitations()
                await self.send_due_reminders()
            except Exception:
                logger.exception("reminder check failed; trying again shortly")
            await asyncio.sleep(TICK_SECONDS)

    async def send_due_reminders(self) -> int:
        """Queue every due reminder once; of an event's reminders due together (a move, or the
        bot down past several) only the nearest the start goes, the rest are skipped; one whose
        event already began is skipped. Returns how many were queued."""
        now = self._clock()
        queued = 0
        nearest: dict[int, tuple[int, int, Event]] = {}
        for reminder_id, event, offset in await self._events.due(utc_iso(now)):
            kept = nearest.get(event.id)
            if kept is None or offset < kept[0]:
                if kept is not None:
                    await self._events.skip(kept[1])
                nearest[event.id] = (offset, reminder_id, event)
            else:
                await self._events.skip(reminder_id)
        for _, reminder_id, event in nearest.values():
            if datetime.fromisoformat(event.starts_at) <= now:
                await self._events.skip(reminder_id)
                continue
            async def reminder(t: Translator, event: Event = event) -> str:
                return t("reminder.text", title=event.title, when=self.span(t, event),
                         scope=await self.scope_label(t, event.scope_kind, event.scope_id),
                         place=await self.place_label(t, event))

            texts, buttons = await self._in_every_language(reminder), await self._buttons(event)
            created = await self._broadcasts.create(
                text=texts[""], audience=reminded(event), created_by="scheduler",
                kind=BroadcastKind.REMINDER, reminder_id=reminder_id, texts_by_language=texts,
                markup_by_language=buttons)
            if created is not None:
                queued += 1
                logger.info("reminder %s of event %s queued for %s volunteers", reminder_id, event.id,
                            created[1])
        if queued:
            self._wake_workers()
        return queued


def offset_label(t: Translator, minutes: int) -> str:
    """A reminder offset in words: «۱ روز قبل», «۲ ساعت قبل»."""
    if minutes % (24 * 60) == 0:
        return t("event.offset.days", n=minutes // (24 * 60))
    if minutes % 60 == 0:
        return t("event.offset.hours", n=minutes // 60)
    return t("event.offset.minutes", n=minutes)
