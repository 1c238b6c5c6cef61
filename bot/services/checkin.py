"""Check-in on the day: a QR per event and center, signed with the event's secret, read back from
`/start k-…`; attendance recorded once, and only while the event runs (from an hour before its
start until its end)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.attendance import AttendanceRepository
from storage.centers import CenterRepository
from storage.clock import Clock
from storage.events import EventRepository
from storage.models import ACTIVE_STATUSES, Attendance, Center, Event
from storage.registrations import RegistrationRepository

PREFIX = "k-"
OPENS_BEFORE = timedelta(hours=1)  # people arrive early; the QR works from then
_PAYLOAD = re.compile(r"^k-([0-9]{1,9})-([0-9A-Za-z]{1,12})-([A-Za-z0-9_-]{12})$")


def _signature(event: Event, center_code: str) -> str:
    """12 URL-safe characters of an HMAC over the event and the center (72 bits: unguessable)."""
    digest = hmac.new(event.checkin_secret.encode(), f"{event.id}:{center_code}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode()[:12]


@dataclass(frozen=True)
class CheckinOutcome:
    """What a scan did: recorded (or found already recorded), refused with a catalog key, or the
    person must sign up first (at `center`; the check-in follows)."""

    event: Event | None = None
    center: Center | None = None
    attendance: Attendance | None = None
    recorded: bool = False
    refusal: str | None = None
    opens_at: datetime | None = None
    needs_signup: bool = False


class CheckinService:
    """Rules of check-in; the QR's link is `PREFIX` + `payload(event, center)`."""

    def __init__(self, events: EventRepository, centers: CenterRepository, attendance: AttendanceRepository,
                 registrations: RegistrationRepository, clock: Clock):
        self._events = events
        self._centers = centers
        self._attendance = attendance
        self._registrations = registrations
        self._clock = clock

    @staticmethod
    def payload(event: Event, center: Center) -> str:
        """The `/start` payload of the event's check-in QR at this center."""
        return f"{PREFIX}{event.id}-{center.code}-{_signature(event, center.code)}"

    async def check_in(self, platform: str, user_id: int, payload: str) -> CheckinOutcome:
        """A scanned QR: the volunteer is recorded present (once), or told why not."""
        found = await self._read(payload)
        if found is None:
            return CheckinOutcome(refusal="checkin.invalid")
        event, center = found
        if event.cancelled_at:
            return CheckinOutcome(event, center, refusal="checkin.cancelled")
        now = self._clock()
        opens = datetime.fromisoformat(event.starts_at) - OPENS_BEFORE
        if now < opens:
            return CheckinOutcome(event, center, refusal="checkin.not_yet", opens_at=opens)
        if now > datetime.fromisoformat(event.end):
            return CheckinOutcome(event, center, refusal="checkin.over")
        registration = await self._registrations.latest_for_user(platform, user_id)
        if registration is None or registration.status not in ACTIVE_STATUSES:
            return CheckinOutcome(event, center, needs_signup=True)
        recorded, attendance = await self._attendance.check_in(event.id, registration.id, center.id, "self")
        return CheckinOutcome(event, center, attendance, recorded)

    async def _read(self, payload: str) -> tuple[Event, Center] | None:
        """The event and center a payload names, if its signature is the event's own."""
        match = _PAYLOAD.match(payload)
        if match is None:
            return None
        event = await self._events.by_id(int(match[1]))
        if event is None or not event.checkin_secret:
            return None
        if not hmac.compare_digest(match[3], _signature(event, match[2])):
            return None  # forged, or another event's QR with this event's number
        center = await self._centers.by_code(match[2])
        return (event, center) if center is not None else None
