"""The admin's event dialogs as declared: a new event's order and Back, changing one part, drafts."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from bot.services.events import DEFAULT_OFFSETS, EventService, offset_label
from handlers.dialogs import ENGINE
from handlers.dialogs.event import CHANGE_EVENT, NEW_EVENT, EventAnswers, EventChange, offsets_text
from storage.models import Draft, Event, EventPlaces, ScopeKind
from tests.handlers.dialogs.test_engine import USER, Chat, T, nav_row, progress, removes_keyboard, rows

COOKING = SimpleNamespace(id=7, name_fa="آشپزی", name_en="Cooking")
WHEN = datetime(2030, 3, 21, 4, 30, tzinfo=UTC)  # 1409/01/01 08:00 in Tehran
DAY, TWO_HOURS, HOUR = 24 * 60, 2 * 60, 60


class Events:
    """The event service as the dialogs use it: its own rules for a title, a place and a start
    time (the clock at the start of 2026), scope and place labels, and changes recorded."""

    check_title = staticmethod(EventService.check_title)
    check_place = staticmethod(EventService.check_place)
    check_capacity = staticmethod(EventService.check_capacity)
    span = staticmethod(EventService.span)

    def __init__(self) -> None:
        service = EventService(
            events=None, broadcasts=None, centers=None, roles=None, audit=None, i18n=None,
            clock=lambda: datetime(2026, 1, 1, tzinfo=UTC), wake_workers=lambda: None,
            capacity_changed=None)
        self.parse_start, self.parse_end = service.parse_start, service.parse_end
        self.updated: list[tuple[int, dict]] = []

    async def scope_label(self, t, scope_kind, scope_id) -> str:
        return f"{scope_kind} {scope_id}"

    async def place_label(self, t, event: Event) -> str:
        return event.place or t("event.place.own_center")

    async def update(self, actor, event_id: int, **changes) -> Event:
        self.updated.append((event_id, changes))
        return Event(event_id, "Kickoff", ScopeKind.ALL, None, WHEN.isoformat(), None, (DAY,),
                     changes.get("place", "Azadi Square"))


def admin_chat() -> Chat:
    """An admin in a private chat; one center, code 1234."""
    chat = Chat(ENGINE)
    services = chat.context.services
    services.roles = SimpleNamespace(is_admin=lambda platform, user_id: _async(True))
    services.places = SimpleNamespace(
        matching=lambda query, limit: _async([SimpleNamespace(id=5, name="Azadi")] if query == "1234"
                                             else []),
        activities=lambda: _async([COOKING]))
    services.events = Events()
    services.rsvps = SimpleNamespace(places=lambda event_id: _async(EventPlaces(3, 0, 1, 2)))
    return chat


async def _async(value):
    return value


def _walk(answers: EventAnswers) -> list[str]:
    seen = [NEW_EVENT.first(answers)]
    while (step := NEW_EVENT.following(seen[-1], answers)) is not None:
        seen.append(step)
    return seen


# ----------------------------------------------------------------------------- a new event
@pytest.mark.parametrize("kind", list(ScopeKind))
def test_a_new_event_asks_the_center_code_only_when_one_center_was_chosen(kind):
    answers = EventAnswers(scope_kind=kind)
    code = ["center_code"] if kind == ScopeKind.CENTER else []
    assert _walk(answers) == ["title", "scope", *code, "when", "end", "place", "capacity", "areas",
                              "offsets", "confirm"]
    assert NEW_EVENT.position("place", answers) == ((6, 10) if code else (5, 9))
    assert NEW_EVENT.position("offsets", answers) == ((9, 10) if code else (8, 9))


def test_the_answers_of_a_new_event_round_trip_through_their_draft():
    answers = EventAnswers("Kickoff", ScopeKind.CENTER, 5, WHEN.isoformat(), [HOUR, 7 * DAY], "Azadi Square")
    stored = json.loads(json.dumps({**dataclasses.asdict(answers), "mode": "event",
                                    "history": ["title", "scope", "center_code", "when"], "asked": None,
                                    "keyboard": True}))
    assert ENGINE.answers_of(Draft("telegram", USER, "offsets", stored)) == answers
    fresh = ENGINE.answers_of(Draft("telegram", USER, "title", {"mode": "event"}))
    assert fresh == EventAnswers() and fresh.offsets == list(DEFAULT_OFFSETS) and fresh.place == ""


def test_reminders_are_listed_earliest_first_or_a_dash_when_there_are_none():
    assert offsets_text(T, [HOUR, 7 * DAY]) == offset_label(T, 7 * DAY) + T("list.separator") \
        + offset_label(T, HOUR)
    assert offsets_text(T, []) == "-"


async def test_a_new_event_is_asked_in_order_and_back_returns_through_the_center_code():
    chat = admin_chat()
    await chat.begin(NEW_EVENT, EventAnswers())
    await chat.type("  Salam   Mahalleh kickoff ")
    await chat.press(T("scope.kind.center"))
    await chat.type("1234")
    assert chat.last == progress(4, 10) + "\n" + T("event.ask.when")
    await chat.type("1400/01/01 08:00")  # passed already
    assert chat.last.startswith(T("invalid.event.past")) and (await chat.draft()).step == "when"
    await chat.type("۱۴۰۹/۰۱/۰۱ ۰۸:۰۰")
    assert chat.last == progress(5, 10) + "\n" + T("event.ask.end")
    await chat.type("08:00")  # the start itself
    assert chat.last.startswith(T("invalid.event.end_before", start=T.datetime(WHEN)))
    await chat.type("۱۲:۰۰")
    # The place: typed, or the button for each volunteer's own center (the reply keyboard goes first).
    heading, question = chat.recent(2)
    assert removes_keyboard(heading) and question[0] == progress(6, 10) + "\n" + T("event.ask.place")
    assert rows(question[1]) == [[(T("event.place.own_center_button"), "ev|place|own")],
                                 nav_row("ev", "place")]
    await chat.type("ab")
    assert chat.last.startswith(T("invalid.event.place", min=3, max=200) + "\n\n")
    assert (await chat.draft()).step == "place"
    await chat.type("  Azadi   Square,\ngate 2 ")
    assert chat.last == progress(7, 10) + "\n" + T("event.ask.capacity")
    for bad in ("0", "10000", "twenty"):
        await chat.type(bad)
        assert chat.last.startswith(T("invalid.event.capacity", max=5_000))
    await chat.type("۲۵")
    assert chat.last == progress(8, 10) + "\n" + T("event.ask.areas")
    await chat.press("Cooking")
    assert chat.recent(1)[0][0] == progress(8, 10) + "\n" + T("event.ask.areas")  # redrawn, ticked
    assert rows(chat.recent(1)[0][1])[0] == [("✓ Cooking", "ev|areas|toggle|7")]
    await chat.press_data("ev|areas|toggle|99")  # not an area
    await chat.press(T("button.done"))
    assert chat.last == progress(9, 10) + "\n" + T("event.ask.offsets")
    assert rows(chat.recent(1)[0][1])[-2:] == [[(T("button.done"), "ev|offsets|done")],
                                               nav_row("ev", "offsets")]
    draft = await chat.draft()
    assert draft.answers["history"] == ["title", "scope", "center_code", "when", "end", "place", "capacity",
                                        "areas"]
    answers = ENGINE.answers_of(draft)
    assert answers == EventAnswers("Salam Mahalleh kickoff", ScopeKind.CENTER, 5, answers.starts_at,
                                   list(DEFAULT_OFFSETS), "Azadi Square, gate 2", answers.ends_at, 25, [7])
    assert datetime.fromisoformat(answers.starts_at) == WHEN
    assert datetime.fromisoformat(answers.ends_at) - WHEN == timedelta(hours=4)
    await chat.press(T("button.back"))  # the engine's Back under the reminder choices
    assert (await chat.draft()).step == "areas"
    await chat.press(T("button.back"))
    assert (await chat.draft()).step == "capacity"
    await chat.press(T("event.capacity.unlimited_button"))
    assert (await chat.draft()).step == "areas" and ENGINE.answers_of(await chat.draft()).capacity is None
    await chat.press(T("button.back"))
    await chat.press(T("button.back"))  # the one under the capacity question
    assert (await chat.draft()).step == "place"
    await chat.press(T("event.place.own_center_button"))
    assert (await chat.draft()).step == "capacity" and ENGINE.answers_of(await chat.draft()).place == ""
    await chat.press(T("button.back"))
    await chat.press(T("button.back"))
    assert (await chat.draft()).step == "end"
    await chat.type(T("button.back"))
    assert (await chat.draft()).step == "when"


async def test_reminders_are_toggled_in_place_and_done_leads_to_the_summary():
    chat = admin_chat()
    answers = EventAnswers("Kickoff", starts_at=WHEN.isoformat(), offsets=[DAY])
    await chat.begin(NEW_EVENT, answers, step="offsets")
    await chat.press(offset_label(T, HOUR))
    await chat.press("✓ " + offset_label(T, DAY))
    assert len(chat.sent) == 1  # redrawn in place
    assert [b.text for row in chat.sent[1][1].inline_keyboard for b in row if "✓" in b.text] \
        == ["✓ " + offset_label(T, HOUR)]
    assert rows(chat.sent[1][1])[-1] == nav_row("ev", "offsets", back=False)  # begun here: no Back
    await chat.press_data("ev|offsets|toggle|61")  # not one of the choices
    assert ENGINE.answers_of(await chat.draft()).offsets == [HOUR]
    await chat.press(T("button.done"))
    assert chat.last == progress(9, 9) + "\n" + T(
        "event.summary", title="Kickoff", when=T.span(WHEN, WHEN + timedelta(hours=2)), scope="all None",
        place=T("event.place.own_center"), capacity=T("event.capacity.unlimited"),
        areas=T("event.areas.all"), reminders=offset_label(T, HOUR))
    assert rows(chat.recent(1)[0][1]) == [[(T("button.save"), "ev|confirm|save")], nav_row("ev", "confirm")]


async def test_the_summary_of_a_new_event_shows_the_place_typed():
    chat = admin_chat()
    answers = EventAnswers("Kickoff", ScopeKind.PROVINCE, 8, WHEN.isoformat(), [DAY], "Azadi Square",
                           (WHEN + timedelta(hours=3)).isoformat(), 40, [7])
    await chat.begin(NEW_EVENT, answers, step="confirm")
    assert chat.last == progress(9, 9) + "\n" + T(
        "event.summary", title="Kickoff", when=T.span(WHEN, WHEN + timedelta(hours=3)), scope="province 8",
        place="Azadi Square", capacity=T("event.capacity.places", n=40), areas="Cooking",
        reminders=offset_label(T, DAY))
    assert "08:00 to 11:00" in chat.last


# ----------------------------------------------------------------------------- changing one part
@pytest.mark.parametrize("part", ["title", "when", "end", "place", "capacity", "offsets"])
def test_a_change_asks_only_the_part_chosen_and_nothing_after_it(part):
    change = EventChange(4, part)
    assert [s.name for s in CHANGE_EVENT.steps if s.applies(change)] == [part]
    assert CHANGE_EVENT.first(change) == part and CHANGE_EVENT.following(part, change) is None
    assert not CHANGE_EVENT.progress and CHANGE_EVENT.finish is None


def test_a_change_round_trips_through_its_draft_and_one_without_its_event_is_unreadable():
    change = EventChange(4, "offsets", offsets=[DAY, HOUR])
    stored = json.loads(json.dumps({**dataclasses.asdict(change), "mode": "event_edit"}))
    assert ENGINE.answers_of(Draft("telegram", USER, "offsets", stored)) == change
    place = EventChange(4, "place", place="Azadi Square")
    stored = json.loads(json.dumps({**dataclasses.asdict(place), "mode": "event_edit", "keyboard": False}))
    assert ENGINE.answers_of(Draft("telegram", USER, "place", stored)) == place
    with pytest.raises(TypeError):
        ENGINE.answers_of(Draft("telegram", USER, "offsets", {"mode": "event_edit", "part": "offsets"}))


async def test_a_changed_time_is_saved_at_once_and_the_dialog_ends():
    chat = admin_chat()
    await chat.begin(CHANGE_EVENT, EventChange(4, "when"), step="when")
    assert chat.last == T("event.ask.when")  # no progress line
    await chat.type(T("button.back"))  # the only question: asked again
    assert (await chat.draft()).step == "when" and chat.last == T("event.ask.when")
    await chat.type("1400/01/01 08:00")
    assert chat.last.startswith(T("invalid.event.past")) and chat.context.services.events.updated == []
    await chat.type("۱۴۰۹/۰۱/۰۱ ۰۸:۰۰")
    assert chat.context.services.events.updated == [(4, {"starts_at": WHEN})]
    assert await chat.draft() is None and chat.last.startswith(T("event.updated"))
    assert "Azadi Square" in chat.last  # the event as /events lists it, its place too


@pytest.mark.parametrize(("answer", "place"), [("typed", "Azadi Square, gate 2"), ("button", "")])
async def test_a_changed_place_is_saved_at_once_typed_or_as_each_volunteers_own_center(answer, place):
    chat = admin_chat()
    await chat.begin(CHANGE_EVENT, EventChange(4, "place"), step="place")
    assert chat.last == T("event.ask.place")  # no progress line, and no reply keyboard to take away
    assert len(chat.sent) == 1
    assert rows(chat.recent(1)[0][1]) == [[(T("event.place.own_center_button"), "eve|place|own")],
                                          nav_row("eve", "place", back=False)]
    if answer == "typed":
        await chat.type(" Azadi Square,  gate 2")
    else:
        await chat.press(T("event.place.own_center_button"))
    assert chat.context.services.events.updated == [(4, {"place": place})]
    assert await chat.draft() is None and chat.last.startswith(T("event.updated"))
    assert (place or T("event.place.own_center")) in chat.last


async def test_changed_reminders_are_redrawn_in_place_and_not_saved_before_done():
    chat = admin_chat()
    await chat.begin(CHANGE_EVENT, EventChange(4, "offsets", offsets=[DAY]), step="offsets")
    await chat.press(offset_label(T, HOUR))
    draft = await chat.draft()
    assert draft.step == "offsets" and ENGINE.answers_of(draft).offsets == [DAY, HOUR]
    assert len(chat.sent) == 1 and chat.context.services.events.updated == []
    # The only question: Cancel but no Back under it; a typed Back asks it again, the choice kept.
    assert rows(chat.sent[1][1])[-1] == nav_row("eve", "offsets", back=False)
    await chat.type(T("button.back"))
    assert (await chat.draft()).step == "offsets" and chat.last == T("event.ask.offsets")
    assert ENGINE.answers_of(await chat.draft()).offsets == [DAY, HOUR]
    assert rows(chat.recent(1)[0][1])[-1] == nav_row("eve", "offsets", back=False)


async def test_a_change_whose_draft_lost_its_event_is_dropped():
    chat = admin_chat()
    await chat.drafts.save(Draft("telegram", USER, "title", {"mode": "event_edit", "part": "title"}))
    await chat.type("New title")
    assert await chat.draft() is None and chat.last == T("dialog.start_again")
    assert chat.context.services.events.updated == []
