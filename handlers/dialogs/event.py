"""The admin's events: a new one (title → for whom → Jalali start → end → place → places →
activity areas → reminder offsets → Save, which invites its volunteers), and changing one part of
an existing one from /events."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from telegram import ReplyKeyboardRemove

from bot import keyboards as kb
from bot.i18n import Translator
from bot.services.events import DEFAULT_OFFSETS, OFFSET_CHOICES, EventService, offset_label
from bot.validation import Invalid
from handlers.dialogs.engine import FINISHED, Dialog, Question, Redraw, Result, Step, Turn
from handlers.dialogs.scope import scope_steps
from handlers.ui import actor_of, is_organiser
from storage.models import Event, EventPlaces, ScopeKind


def offsets_text(t: Translator, offsets) -> str:
    return t("list.separator").join(offset_label(t, m) for m in sorted(offsets, reverse=True)) or "-"


def capacity_text(t: Translator, capacity: int | None) -> str:
    return t("event.capacity.places", n=capacity) if capacity else t("event.capacity.unlimited")


async def describe(t: Translator, events: EventService, event: Event, places: EventPlaces) -> str:
    """An event as /events lists it, with how its answers stand."""
    return t("event.line", title=event.title, when=EventService.span(t, event),
             scope=await events.scope_label(t, event.scope_kind, event.scope_id),
             place=await events.place_label(t, event), capacity=capacity_text(t, event.capacity),
             answers=t("rsvp.answers", coming=places.coming, waiting=places.waiting + places.offered,
                       declined=places.declined),
             reminders=offsets_text(t, event.offsets))


@dataclass
class EventAnswers:
    title: str = ""
    scope_kind: ScopeKind = ScopeKind.ALL
    scope_id: int | None = None
    starts_at: str = ""  # ISO-8601 with its offset
    offsets: list[int] = field(default_factory=lambda: list(DEFAULT_OFFSETS))  # minutes before
    place: str = ""  # an address; empty: each volunteer at their own center
    ends_at: str = ""  # ISO-8601 with its offset
    capacity: int | None = None  # None: no limit
    activity_ids: list[int] = field(default_factory=list)  # only volunteers of these; empty: all
    own_centers: list[int] = field(default_factory=list)  # a coordinator's: the event is at one

    def __post_init__(self) -> None:
        self.scope_kind = ScopeKind(self.scope_kind)  # read back from a draft as a string


@dataclass
class EventChange:
    """One part of an existing event being changed: `part` is the step that asks it."""

    event_id: int
    part: str  # title, when, end, place, capacity or offsets
    title: str = ""
    starts_at: str = ""
    offsets: list[int] = field(default_factory=list)
    place: str = ""
    ends_at: str = ""
    capacity: int | None = None


# ----------------------------------------------------------------------------- the parts
async def ask_title(turn: Turn) -> Question:
    return Question(turn.t("event.ask.title"), kb.navigation(turn.t))


async def read_title(turn: Turn, text: str) -> Result:
    turn.answers.title = turn.services.events.check_title(text)
    return None


async def ask_when(turn: Turn) -> Question:
    return Question(turn.t("event.ask.when"), kb.navigation(turn.t))


async def read_when(turn: Turn, text: str) -> Result:
    turn.answers.starts_at = turn.services.events.parse_start(text, turn.t).isoformat()
    return None


async def ask_end(turn: Turn) -> Question:
    return Question(turn.t("event.ask.end"), kb.navigation(turn.t))


async def read_end(turn: Turn, text: str) -> Result:
    a = turn.answers
    starts = datetime.fromisoformat(a.starts_at)
    a.ends_at = turn.services.events.parse_end(text, starts, turn.t).isoformat()
    return None


async def ask_capacity(turn: Turn) -> Question:
    t = turn.t
    unlimited = turn.button(t("event.capacity.unlimited_button"), "unlimited")
    return Question(t("event.ask.capacity"), kb.inline([[unlimited]]))


async def read_capacity(turn: Turn, text: str) -> Result:
    turn.answers.capacity = turn.services.events.check_capacity(text)
    return None


async def unlimited(turn: Turn, args: list[str]) -> Result:
    turn.answers.capacity = None
    return None


async def _areas_question(turn: Turn[EventAnswers]) -> Question:
    t, chosen = turn.t, turn.answers.activity_ids
    rows = kb.in_rows([turn.button(f"✓ {t.name(a)}" if a.id in chosen else t.name(a), "toggle", a.id)
                       for a in await turn.services.places.activities()], 2)
    rows.append([turn.button(t("button.done"), "done")])
    return Question(t("event.ask.areas"), kb.inline(rows))


async def ask_areas(turn: Turn[EventAnswers]) -> Question:
    return await _areas_question(turn)


async def toggle_area(turn: Turn[EventAnswers], args: list[str]) -> Result:
    activity_id = int(args[0])
    if activity_id not in {a.id for a in await turn.services.places.activities()}:
        raise ValueError(activity_id)
    chosen = turn.answers.activity_ids
    if activity_id in chosen:
        chosen.remove(activity_id)
    else:
        chosen.append(activity_id)
    return Redraw(await _areas_question(turn))


async def areas_done(turn: Turn, args: list[str]) -> Result:
    return None


async def areas_text(t: Translator, turn: Turn, activity_ids) -> str:
    """The areas an event is for, or «همه حوزه‌ها»."""
    if not activity_ids:
        return t("event.areas.all")
    names = {a.id: t.name(a) for a in await turn.services.places.activities()}
    return t("list.separator").join(names.get(a, str(a)) for a in sorted(activity_ids))


async def ask_place(turn: Turn) -> Question:
    t = turn.t
    own = turn.button(t("event.place.own_center_button"), "own")
    return Question(t("event.ask.place"), kb.inline([[own]]))


async def read_place(turn: Turn, text: str) -> Result:
    turn.answers.place = turn.services.events.check_place(text)
    return None


async def own_center(turn: Turn, args: list[str]) -> Result:
    """Each volunteer comes to their own center (the kickoff at every center)."""
    turn.answers.place = ""
    return None


def _offsets_question(turn: Turn) -> Question:
    t = turn.t
    chosen = turn.answers.offsets
    rows = kb.in_rows([turn.button(f"✓ {offset_label(t, m)}" if m in chosen else offset_label(t, m),
                                   "toggle", m) for m in OFFSET_CHOICES], 1)
    rows.append([turn.button(t("button.done"), "done")])
    return Question(t("event.ask.offsets"), kb.inline(rows))


async def ask_offsets(turn: Turn) -> Question:
    return _offsets_question(turn)


async def toggle_offset(turn: Turn, args: list[str]) -> Result:
    minutes = int(args[0])
    if minutes not in OFFSET_CHOICES:
        raise ValueError(minutes)
    offsets = turn.answers.offsets
    if minutes in offsets:
        offsets.remove(minutes)
    else:
        offsets.append(minutes)
    return Redraw(_offsets_question(turn))


async def offsets_done(turn: Turn, args: list[str]) -> Result:
    return None


# ----------------------------------------------------------------------------- a new event
async def ask_confirm(turn: Turn[EventAnswers]) -> Question:
    t, a = turn.t, turn.answers
    events = turn.services.events
    draft = Event(0, a.title, a.scope_kind, a.scope_id, a.starts_at, None, tuple(a.offsets), a.place,
                  a.ends_at or None, a.capacity)
    text = t("event.summary", title=a.title, when=EventService.span(t, draft),
             scope=await events.scope_label(t, a.scope_kind, a.scope_id),
             place=await events.place_label(t, draft), capacity=capacity_text(t, a.capacity),
             areas=await areas_text(t, turn, a.activity_ids), reminders=offsets_text(t, a.offsets))
    return Question(text, kb.inline([[turn.button(t("button.save"), "save")]]))


async def save(turn: Turn[EventAnswers], args: list[str]) -> Result:
    a = turn.answers
    await turn.end()
    await turn.services.events.create(actor_of(turn.update, turn.context), a.title, a.scope_kind,
                                      a.scope_id, datetime.fromisoformat(a.starts_at),
                                      tuple(a.offsets), a.place,
                                      ends_at=datetime.fromisoformat(a.ends_at) if a.ends_at else None,
                                      capacity=a.capacity, activity_ids=tuple(sorted(a.activity_ids)))
    await turn.send(turn.t("event.saved", title=a.title), ReplyKeyboardRemove())
    return FINISHED


def _own_center_only(step: Step) -> Step:
    """The center step of a coordinator's event: only a center of theirs is taken."""
    async def check(turn: Turn[EventAnswers], result: Result) -> Result:
        a = turn.answers
        if a.own_centers and a.scope_id not in a.own_centers:
            raise Invalid("invalid.event.not_your_center")
        return result

    async def read(turn: Turn[EventAnswers], text: str) -> Result:
        return await check(turn, await step.text(turn, text))

    async def pick(turn: Turn[EventAnswers], args: list[str]) -> Result:
        return await check(turn, await step.buttons["pick"](turn, args))

    # Asked of a coordinator of several centers; one center of theirs is the event's, unasked.
    return replace(step, text=read, buttons={**step.buttons, "pick": pick},
                   skip=lambda a: a.scope_kind != ScopeKind.CENTER or len(a.own_centers) == 1)


_PICKER, _CENTER = scope_steps("event.ask.scope")

NEW_EVENT = Dialog(
    name="event", prefix="ev", answers=EventAnswers, cancelled="admin.cancelled", allowed=is_organiser,
    steps=(
        Step("title", ask_title, text=read_title),
        replace(_PICKER, skip=lambda a: bool(a.own_centers)),  # a coordinator's: at their center
        _own_center_only(_CENTER),
        Step("when", ask_when, text=read_when),
        Step("end", ask_end, text=read_end),
        Step("place", ask_place, text=read_place, buttons={"own": own_center}),
        Step("capacity", ask_capacity, text=read_capacity, buttons={"unlimited": unlimited}),
        Step("areas", ask_areas, buttons={"toggle": toggle_area, "done": areas_done}),
        Step("offsets", ask_offsets, buttons={"toggle": toggle_offset, "done": offsets_done}),
        Step("confirm", ask_confirm, buttons={"save": save}),
    ),
)


# ----------------------------------------------------------------------------- changing one
def _then_apply(reader):
    """The part is read, then the event is changed at once and the dialog ends."""
    async def read_and_apply(turn: Turn[EventChange], answer) -> Result:
        result = await reader(turn, answer)
        if result is not None:
            return result
        a = turn.answers
        if a.part == "when":
            changes = {"starts_at": datetime.fromisoformat(a.starts_at)}
        elif a.part == "end":
            changes = {"ends_at": datetime.fromisoformat(a.ends_at)}
        elif a.part == "capacity":
            changes = {"capacity": a.capacity} if a.capacity else {"unlimited": True}
        elif a.part == "title":
            changes = {"title": a.title}
        elif a.part == "place":
            changes = {"place": a.place}
        else:
            changes = {"offsets": tuple(a.offsets)}
        event = await turn.services.events.update(actor_of(turn.update, turn.context), a.event_id,
                                                  **changes)
        described = await describe(turn.t, turn.services.events, event,
                                   await turn.services.rsvps.places(event.id))
        await turn.send(turn.t("event.updated") + "\n\n" + described, ReplyKeyboardRemove())
        return FINISHED
    return read_and_apply


def _only(part: str):
    return lambda answers: answers.part != part


CHANGE_EVENT = Dialog(
    name="event_edit", prefix="eve", answers=EventChange, cancelled="admin.cancelled",
    allowed=is_organiser, progress=False,
    steps=(
        Step("title", ask_title, text=_then_apply(read_title), skip=_only("title")),
        Step("when", ask_when, text=_then_apply(read_when), skip=_only("when")),
        Step("end", ask_end, text=_then_apply(read_end), skip=_only("end")),
        Step("place", ask_place, text=_then_apply(read_place), skip=_only("place"),
             buttons={"own": _then_apply(own_center)}),
        Step("capacity", ask_capacity, text=_then_apply(read_capacity), skip=_only("capacity"),
             buttons={"unlimited": _then_apply(unlimited)}),
        Step("offsets", ask_offsets, skip=_only("offsets"),
             buttons={"toggle": toggle_offset, "done": _then_apply(offsets_done)}),
    ),
)
