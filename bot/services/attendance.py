"""Who came, for coordinators: an event's sheet at their center (a check-in ticked or taken back,
a check-out) and its hours verified in one go; for volunteers, their ledger of hours (/hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.i18n import Translator
from bot.services.checkin import OPENS_BEFORE
from bot.services.roles import Actor, RoleService
from storage.attendance import AttendanceRepository
from storage.audit import AuditRepository
from storage.clock import Clock, utc_iso
from storage.events import EventRepository
from storage.models import ACTIVE_STATUSES, Event, LedgerLine, SheetLine
from storage.registrations import RegistrationRepository

SHEET_PAGE = 10
RECENT = timedelta(days=7)  # an event stays on the sheet list this long after it ended
QUARTER = 4  # hours are verified to the quarter hour
EVER = "0001-01-01T00:00:00+00:00"  # every event a center ever hosted ended after this


def hours_text(t: Translator, hours: float) -> str:
    """«۱۲٫۵», «۴»: hours as people write them."""
    return t.digits(f"{hours:g}")


def hours_of(event: Event, checked_in: str, checked_out: str | None) -> float:
    """A volunteer's hours at an event: from their arrival (not before the start) to their
    check-out (not after the end); without a check-out, the event's length (the coordinator, who
    verifies them, checks out whoever left early)."""
    start, end = datetime.fromisoformat(event.starts_at), datetime.fromisoformat(event.end)
    if checked_out is None:
        span = end - start
    else:
        span = min(datetime.fromisoformat(checked_out), end) - max(datetime.fromisoformat(checked_in), start)
    return max(round(span.total_seconds() / 3600 * QUARTER) / QUARTER, 0.0)


@dataclass(frozen=True)
class Sheet:
    """One page of an event's attendance at a center."""

    event: Event
    lines: list[SheetLine]
    total: int
    came: int
    verified: int


@dataclass(frozen=True)
class Ledger:
    """A volunteer's attended events and their verified hours."""

    lines: list[LedgerLine]

    @property
    def verified_hours(self) -> float:
        return sum(line.hours for line in self.lines if line.hours is not None)


class AttendanceService:
    """Rules of the sheet; who may keep a center's sheet is asked of RoleService."""

    def __init__(self, attendance: AttendanceRepository, events: EventRepository,
                 registrations: RegistrationRepository, roles: RoleService, audit: AuditRepository,
                 clock: Clock):
        self._attendance = attendance
        self._events = events
        self._registrations = registrations
        self._roles = roles
        self._audit = audit
        self._clock = clock

    async def events_at(self, actor: Actor, center_id: int) -> list[Event]:
        """The center's events ahead, under way, ended in the last week, or with check-ins still
        to verify (sheets are kept and verified after the day)."""
        await self._roles.require_manager(actor, center_id)
        events = await self._events.ahead_at(center_id, utc_iso(self._clock() - RECENT))
        listed = {e.id for e in events}
        for event_id in await self._attendance.events_unverified(center_id):
            event = await self._events.by_id(event_id)
            if event_id not in listed and event is not None and not event.cancelled_at:
                events.append(event)
        return sorted(events, key=lambda e: e.starts_at)

    async def _hosted(self, actor: Actor, event_id: int, center_id: int) -> Event | None:
        """The event, if this center hosts it (however long ago) and the actor keeps the
        center's sheet."""
        await self._roles.require_manager(actor, center_id)
        hosted = await self._events.ahead_at(center_id, EVER)
        return next((e for e in hosted if e.id == event_id), None)

    async def sheet(self, actor: Actor, event_id: int, center_id: int, page: int) -> Sheet | None:
        event = await self._hosted(actor, event_id, center_id)
        if event is None:
            return None
        lines, total = await self._attendance.sheet(event_id, center_id, SHEET_PAGE, page * SHEET_PAGE)
        came, verified = await self._attendance.counts(event_id, center_id)
        return Sheet(event, lines, total, came, verified)

    async def mark(self, actor: Actor, event_id: int, center_id: int, registration_id: int,
                   action: str) -> str | None:
        """Tick a volunteer in ("in"), take it back ("undo"), or check them out ("out"). A catalog
        key when refused."""
        event = await self._hosted(actor, event_id, center_id)
        registration = await self._registrations.by_id(registration_id)
        if event is None or registration is None or event.cancelled_at:
            return "attendance.gone"
        if action == "in":
            if self._clock() < datetime.fromisoformat(event.starts_at) - OPENS_BEFORE:
                return "attendance.not_yet"
            # Ticked by hand: only the center's own active volunteers (others check in by QR).
            if registration.status not in ACTIVE_STATUSES or registration.center_id != center_id:
                return "attendance.gone"
            await self._attendance.check_in(event_id, registration_id, center_id, actor.key)
        elif action == "undo":
            if not await self._attendance.undo(event_id, registration_id, center_id):
                return "attendance.locked"
        elif not await self._attendance.check_out(event_id, registration_id, center_id):
            return "attendance.locked"
        await self._audit.record(actor.key, f"attendance.{action}", f"event:{event_id}",
                                 f"registration:{registration_id}")
        return None

    async def verify_all(self, actor: Actor, event_id: int, center_id: int) -> int | None:
        """Verify the hours of everyone checked in at this center and not verified yet; None
        before the event has ended (whoever leaves early must still be checked out)."""
        event = await self._hosted(actor, event_id, center_id)
        if event is None:
            return 0
        if self._clock() < datetime.fromisoformat(event.end):
            return None
        hours = {registration_id: (hours_of(event, checked_in, checked_out), checked_out)
                 for registration_id, checked_in, checked_out in
                 await self._attendance.unverified(event_id, center_id)}
        verified = await self._attendance.verify(event_id, hours, actor.key)
        await self._audit.record(actor.key, "attendance.verify", f"event:{event_id}", str(verified))
        return verified

    async def ledger(self, platform: str, user_id: int) -> Ledger | None:
        """The volunteer's hours (None: no registration)."""
        if await self._registrations.latest_for_user(platform, user_id) is None:
            return None
        return Ledger(await self._attendance.ledger(platform, user_id))
