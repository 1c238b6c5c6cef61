"""Plain dataclasses returned by the repositories (no telegram, no handlers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple


class Status(StrEnum):
    """Where a registration stands (stored as its value)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# A registration that holds its national code and mobile (one such per person) and hears broadcasts.
ACTIVE_STATUSES = (Status.PENDING, Status.APPROVED)


class ScopeKind(StrEnum):
    """Where an event or broadcast applies (stored as its value)."""

    ALL = "all"
    PROVINCE = "province"
    COUNTY = "county"
    CENTER = "center"


class CopyKind(StrEnum):
    """What a message sent to a coordinator about a registration is (stored as its value)."""

    ALERT = "alert"  # redrawn whenever the registration changes
    NOTICE = "notice"  # sent once as it is


class BroadcastKind(StrEnum):
    """Who sent a broadcast (stored as its value)."""

    BROADCAST = "broadcast"  # an admin's message
    REMINDER = "reminder"  # the scheduler's reminder of an event
    EVENT_CANCELLED = "event_cancelled"  # the word that an event will not take place
    INVITATION = "invitation"  # a new event, to the volunteers of its scope, with answer buttons
    NOTICE = "notice"  # one person told of a change of answer (an offered place, a cancellation)


class Answer(StrEnum):
    """A volunteer's answer to an event, or where the waitlist put it (stored as its value)."""

    COMING = "coming"
    DECLINED = "declined"
    WAITING = "waiting"  # on the waitlist, in the order people asked
    OFFERED = "offered"  # a freed place, held until offer_until for this volunteer to take
    LAPSED = "lapsed"  # an offer not taken in time: off the waitlist (they may ask again)


# The answers that hold one of an event's places.
HOLDING_A_PLACE = (Answer.COMING, Answer.OFFERED)


class NoticeKind(StrEnum):
    """Whom a change of answer must be told to (stored as its value)."""

    OFFERED = "offered"  # the volunteer: a place is free, take it by a time
    LAPSED = "lapsed"  # the volunteer: the offer was not taken in time
    CANCELLED = "cancelled"  # the volunteer's coordinators: one who was coming will not
    PROMOTED = "promoted"  # the volunteer's coordinators: one from the waitlist took a place
    ADMITTED = "admitted"  # the volunteer: the limit was lifted, the place is theirs


class Delivery(StrEnum):
    """What became of one outbox item (stored as its value)."""

    PENDING = "pending"  # not yet sent, or to be tried again
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"


@dataclass(frozen=True)
class Province:
    id: int
    name_fa: str
    name_en: str


@dataclass(frozen=True)
class County:
    id: int
    province_id: int
    name_fa: str
    name_en: str


@dataclass(frozen=True)
class Center:
    id: int
    code: str
    name: str
    county_id: int
    county_fa: str
    province_fa: str
    address: str
    lat: float | None
    lon: float | None
    active: bool
    is_sample: bool
    phone: str = ""


@dataclass(frozen=True)
class Activity:
    id: int
    position: int
    name_fa: str
    name_en: str
    group_fa: str
    group_en: str


@dataclass(frozen=True)
class UserAccount:
    platform: str
    user_id: int
    language: str | None
    is_admin: bool
    blocked_at: str | None


@dataclass(frozen=True)
class CenterRow:
    """One row of a centers CSV, already validated."""

    code: str
    name: str
    province: str
    county: str
    address: str
    lat: float | None
    lon: float | None
    phone: str | None = None  # None: the file has no phone column (a phone set before stays)


@dataclass
class ImportOutcome:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """A sign-up (or an edit) in progress: the current step and the answers so far."""

    platform: str
    user_id: int
    step: str
    answers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Registration:
    id: int
    tracking_code: str
    platform: str
    user_id: int | None
    national_id: str | None
    mobile: str | None
    full_name: str | None
    birth_date: str | None
    is_minor: bool
    gender: str | None
    center_id: int
    activity_ids: tuple[int, ...]
    availability_days: tuple[str, ...]
    availability_parts: tuple[str, ...]
    status: Status
    created_at: str
    updated_at: str
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    contacted_by: str | None = None
    contacted_at: str | None = None
    review_reason: str | None = None  # a key of REJECTION_REASONS, "typed" (see review_note), "released"
    review_note: str | None = None
    mobile_verified: bool = False  # the mobile came from the person's own shared contact
    guardian_name: str | None = None  # a volunteer under 18: their guardian, who consented
    guardian_mobile: str | None = None
    guardian_consent: bool = False


class ExportRow(NamedTuple):
    """One registration as exported, with its center's geography. A named tuple, not a frozen
    dataclass: a big center's export makes twenty thousand, and a tuple is made ten times faster."""

    tracking_code: str
    full_name: str
    national_id: str
    mobile: str
    birth_date: str
    is_minor: bool
    gender: str
    province: str
    county: str
    center_name: str
    center_code: str
    activity_ids: tuple[int, ...]
    availability_days: tuple[str, ...]
    availability_parts: tuple[str, ...]
    status: Status
    created_at: str
    updated_at: str
    contacted_at: str | None
    platform: str
    mobile_verified: bool = False
    guardian_name: str | None = None
    guardian_mobile: str | None = None


@dataclass(frozen=True)
class NewRegistration:
    """Everything a confirmed sign-up stores."""

    platform: str
    user_id: int
    national_id: str
    mobile: str
    full_name: str
    birth_date: str
    is_minor: bool
    gender: str
    center_id: int
    activity_ids: tuple[int, ...]
    availability_days: tuple[str, ...]
    availability_parts: tuple[str, ...]
    mobile_verified: bool = False
    guardian_name: str | None = None  # for a volunteer under 18, with the guardian's consent
    guardian_mobile: str | None = None
    guardian_consent: bool = False


@dataclass(frozen=True)
class Audience:
    """Who a broadcast or reminder reaches: volunteers by place, activity and status."""

    province_id: int | None = None
    county_id: int | None = None
    center_id: int | None = None
    activity_id: int | None = None
    statuses: tuple[Status, ...] = ACTIVE_STATUSES
    activity_ids: tuple[int, ...] = ()  # any of these areas (an event's); empty: any area
    not_declined: int | None = None  # an event's id: leave out who said they will not come
    holding_a_place_at: int | None = None  # an event's id: only who is coming or offered a place

    @classmethod
    def within(cls, kind: ScopeKind, scope_id: int | None, activity_id: int | None = None,
               statuses: tuple[Status, ...] = ACTIVE_STATUSES) -> Audience:
        """The volunteers of one scope (everyone, a province, a county or a center)."""
        kind = ScopeKind(kind)
        return cls(province_id=scope_id if kind is ScopeKind.PROVINCE else None,
                   county_id=scope_id if kind is ScopeKind.COUNTY else None,
                   center_id=scope_id if kind is ScopeKind.CENTER else None,
                   activity_id=activity_id, statuses=statuses)


@dataclass(frozen=True)
class OutboxItem:
    broadcast_id: int
    platform: str
    chat_id: int
    text: str
    attempts: int
    markup: str | None = None  # inline buttons (rows of [label, callback data]) as JSON


@dataclass(frozen=True)
class SendResult:
    """What happened to one outbox item: sent, blocked, failed, or pending again (retry)."""

    broadcast_id: int
    platform: str
    chat_id: int
    status: Delivery
    attempts: int
    next_try_at: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Broadcast:
    id: int
    kind: BroadcastKind
    text: str
    status: str
    created_at: str
    progress_platform: str | None
    progress_chat_id: int | None
    progress_message_id: int | None
    progress_language: str | None


@dataclass(frozen=True)
class Event:
    id: int
    title: str
    scope_kind: ScopeKind
    scope_id: int | None
    starts_at: str
    cancelled_at: str | None
    offsets: tuple[int, ...]  # reminder offsets in minutes before the start
    place: str = ""  # where it happens (an address), given in its reminders
    ends_at: str | None = None  # None: made before events had an end (read as two hours)
    capacity: int | None = None  # places; None: as many as come
    activity_ids: tuple[int, ...] = ()  # only volunteers of these areas are invited; empty: all
    checkin_secret: str = field(default="", repr=False)  # signs the event's check-in QR codes

    @property
    def end(self) -> str:
        """When it ends, as stored (UTC ISO-8601)."""
        if self.ends_at:
            return self.ends_at
        return (datetime.fromisoformat(self.starts_at) + DEFAULT_LENGTH).isoformat()


DEFAULT_LENGTH = timedelta(hours=2)  # an event made before events had an end


@dataclass(frozen=True)
class EventPlaces:
    """How an event's places stand: taken (coming or offered), waiting, declined."""

    coming: int
    offered: int
    waiting: int
    declined: int

    @property
    def taken(self) -> int:
        return self.coming + self.offered


@dataclass(frozen=True)
class Attendance:
    """One volunteer's presence at an event."""

    event_id: int
    registration_id: int
    center_id: int
    checked_in_at: str


@dataclass(frozen=True)
class SheetLine:
    """A volunteer on an event's attendance sheet at a center."""

    registration_id: int
    full_name: str | None
    tracking_code: str
    checked_in_at: str | None
    checked_out_at: str | None
    hours: float | None  # verified; None: not yet
    by_scan: bool | None = None  # checked in by scanning the QR (not ticked by the coordinator)


@dataclass(frozen=True)
class LedgerLine:
    """An event a volunteer came to, with the hours verified (None: not yet)."""

    title: str
    starts_at: str
    hours: float | None


@dataclass(frozen=True)
class Certificate:
    """A certificate of service: whom it vouches for, for how many verified hours."""

    code: str
    registration_id: int
    hours: float
    events: int
    issued_at: str
    revoked_at: str | None
    full_name: str | None  # as issued; None once the volunteer was forgotten
    center_id: int  # as issued


@dataclass(frozen=True)
class EventAttendance:
    """How one event went: invited, said they come, came, and said they come but did not."""

    event_id: int
    title: str
    starts_at: str
    ends_at: str | None  # None: an event made before events had an end
    invited: int
    coming: int
    came: int
    no_show: int  # said they come and have no check-in: counted once the event is over

    def over(self, at: datetime) -> bool:
        end = self.ends_at or (datetime.fromisoformat(self.starts_at) + DEFAULT_LENGTH).isoformat()
        return datetime.fromisoformat(end) <= at


@dataclass(frozen=True)
class Rsvp:
    """One volunteer's answer to one event."""

    event_id: int
    registration_id: int
    answer: Answer
    offer_until: str | None = None
    position: int | None = None  # on the waitlist: 1 is next


@dataclass(frozen=True)
class Invite:
    """An open one-time coordinator invite (ISO UTC times)."""

    token: str
    center_id: int
    created_by: str
    created_at: str
    expires_at: str
