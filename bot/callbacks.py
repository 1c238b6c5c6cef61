"""Typed button data: each kind of button is a frozen dataclass that packs itself into the
callback data string (`prefix|field|field…`, well under the 64-byte limit) and parses it back,
refusing anything malformed or forged with ValueError. The one place a button's format lives."""

from __future__ import annotations

import dataclasses
import re
from typing import ClassVar, Self, get_type_hints

from telegram import InlineKeyboardButton

SEP = "|"


@dataclasses.dataclass(frozen=True)
class CallbackData:
    """Subclasses set PREFIX (unique) and may set ACTIONS, the values their `action` field takes."""

    PREFIX: ClassVar[str]
    ACTIONS: ClassVar[frozenset[str] | None] = None

    @classmethod
    def pattern(cls) -> str:
        """The route pattern of this kind of button."""
        return rf"^{re.escape(cls.PREFIX)}\|"

    def pack(self) -> str:
        return SEP.join([self.PREFIX, *(str(getattr(self, f.name)) for f in dataclasses.fields(self))])

    def button(self, text: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text, callback_data=self.pack())

    @classmethod
    def parse(cls, data: str | None) -> Self:
        """The button a press carries; ValueError if it is not one of this kind, well formed."""
        prefix, *values = (data or "").split(SEP)
        fields = dataclasses.fields(cls)
        required = sum(1 for f in fields if f.default is dataclasses.MISSING)
        # Trailing fields with a default may be missing (buttons sent before they were added).
        if prefix != cls.PREFIX or not required <= len(values) <= len(fields):
            raise ValueError(f"not a {cls.__name__}")
        hints = get_type_hints(cls)
        parsed = {f.name: int(v) if hints[f.name] is int else v for f, v in zip(fields, values, strict=False)}
        button = cls(**parsed)
        action = parsed.get("action")
        if cls.ACTIONS is not None and action not in cls.ACTIONS:
            raise ValueError(f"unknown action of {cls.__name__}")
        return button


@dataclasses.dataclass(frozen=True)
class ReviewButton(CallbackData):
    """Under an alert: a coordinator's decision on a registration, or a question it asks first."""

    PREFIX = "rv"
    action: str  # approve, reject, contacted, confirm, back, typed, reason-<key>
    registration_id: int


@dataclasses.dataclass(frozen=True)
class ReleaseButton(CallbackData):
    PREFIX = "rl"
    ACTIONS = frozenset({"yes", "no"})
    action: str
    registration_id: int


@dataclasses.dataclass(frozen=True)
class RosterPage(CallbackData):
    """A roster page: a center's volunteers by status ("-": any) and activity (0: any)."""

    PREFIX = "ro"
    center_id: int
    status: str
    activity_id: int
    page: int


@dataclasses.dataclass(frozen=True)
class RosterActivities(CallbackData):
    """The roster's activity picker for a center and status."""

    PREFIX = "ra"
    center_id: int
    status: str


@dataclasses.dataclass(frozen=True)
class RosterOpen(CallbackData):
    """One volunteer of the roster, opened as their alert with its review buttons."""

    PREFIX = "rv1"
    registration_id: int


@dataclasses.dataclass(frozen=True)
class PosterFor(CallbackData):
    """A center picked for /poster among several whose name matched."""

    PREFIX = "po"
    center_id: int


@dataclasses.dataclass(frozen=True)
class RemoveCoordinator(CallbackData):
    """Removing a coordinator from a center: asked first ("ask"), then done ("rm")."""

    PREFIX = "co"
    ACTIONS = frozenset({"ask", "rm"})
    action: str
    platform: str
    user_id: int
    center_id: int


@dataclasses.dataclass(frozen=True)
class CoordinatorsPage(CallbackData):
    """A page of /coordinators (of one center, or all: 0)."""

    PREFIX = "cp"
    center_id: int
    page: int


@dataclasses.dataclass(frozen=True)
class RevokeInvite(CallbackData):
    PREFIX = "iv"
    ACTIONS = frozenset({"revoke"})
    action: str
    token: str


@dataclasses.dataclass(frozen=True)
class AccountButton(CallbackData):
    """A volunteer's own account: change a part, withdraw, erase, keep as is, or the language."""

    PREFIX = "account"
    ACTIONS = frozenset({"edit", "edit_field", "withdraw", "forget", "keep", "lang"})
    action: str
    arg: str = ""  # the part to change, or the language


@dataclasses.dataclass(frozen=True)
class EventAction(CallbackData):
    """Under a listed event: edit one of its parts, or cancel it."""

    PREFIX = "evl"
    ACTIONS = frozenset({"title", "when", "end", "place", "capacity", "offsets", "cancel", "cancel_yes",
                         "keep"})
    action: str
    event_id: int


@dataclasses.dataclass(frozen=True)
class RsvpButton(CallbackData):
    """A volunteer's answer to an event: coming ("yes"), not ("no"); from /myevents a
    cancellation is asked first ("ask_no", then "no" or "keep"), and "ics" sends the calendar
    file. `card` 1: pressed on a /myevents card, which is redrawn; 0: under an invitation,
    a reminder or an offer, answered with a new message."""

    PREFIX = "rs"
    ACTIONS = frozenset({"yes", "no", "ask_no", "keep", "ics"})
    action: str
    event_id: int
    card: int = 0


@dataclasses.dataclass(frozen=True)
class AttendanceButton(CallbackData):
    """An event's attendance sheet at a center: open a page, tick a volunteer in, take it back,
    check them out, or verify everyone's hours."""

    PREFIX = "at"
    ACTIONS = frozenset({"page", "in", "undo", "out", "verify"})
    action: str
    event_id: int
    center_id: int
    page: int = 0
    registration_id: int = 0
