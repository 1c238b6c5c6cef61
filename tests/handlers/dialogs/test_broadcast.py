"""The admin's broadcast dialog as declared: its order, the center code only for one center, Back, drafts."""

from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace

import pytest

from bot.validation import Invalid
from handlers.dialogs import ENGINE
from handlers.dialogs.broadcast import BROADCAST, MAX_TEXT, STATUS_CHOICES, BroadcastAnswers, read_text
from handlers.dialogs.engine import Turn
from storage.models import ACTIVE_STATUSES, Audience, Draft, ScopeKind, Status
from tests.handlers.dialogs.test_engine import USER, Chat, T, nav_row, progress, removes_keyboard, rows

TEHRAN = SimpleNamespace(id=8, name_fa="تهران", name_en="Tehran")
REY = SimpleNamespace(id=81, name_fa="ری", name_en="Rey")
COOKING = SimpleNamespace(id=3, name_fa="آشپزی", name_en="Cooking")
CENTER = SimpleNamespace(id=5, name="Azadi")


def _walk(answers: BroadcastAnswers) -> list[str]:
    seen = [BROADCAST.first(answers)]
    while (step := BROADCAST.following(seen[-1], answers)) is not None:
        seen.append(step)
    return seen


def admin_chat(recipients: int = 12) -> Chat:
    """An admin in a private chat; one province (Tehran, county Rey), one center (code 1234), one
    activity (Cooking), and `recipients` volunteers in every audience."""
    chat = Chat(ENGINE)
    services = chat.context.services
    services.roles = SimpleNamespace(is_admin=lambda platform, user_id: _async(True))
    services.places = SimpleNamespace(
        provinces=lambda: _async([TEHRAN]), province=lambda i: _async(TEHRAN if i == TEHRAN.id else None),
        counties=lambda i: _async([REY] if i == TEHRAN.id else []),
        county=lambda i: _async(REY if i == REY.id else None),
        matching=lambda query, limit: _async([CENTER] if query == "1234" else []),
        activities=lambda: _async([COOKING]))
    services.signup = SimpleNamespace(activity_ids=lambda: _async({COOKING.id}))
    services.broadcasts = SimpleNamespace(count=lambda audience: _async(recipients),
                                          describe=lambda t, audience: _async("everyone"))
    return chat


async def _async(value):
    return value


async def _at_scope(chat: Chat) -> None:
    await chat.begin(BROADCAST, BroadcastAnswers())
    await chat.type("  Meeting tomorrow  ")


@pytest.mark.parametrize("kind", list(ScopeKind))
def test_the_center_code_is_asked_only_when_one_center_was_chosen(kind):
    answers = BroadcastAnswers(scope_kind=kind)
    code = ["center_code"] if kind == "center" else []
    assert _walk(answers) == ["text", "scope", *code, "activity", "status", "confirm"]
    assert BROADCAST.position("activity", answers) == ((4, 6) if kind == "center" else (3, 5))


def test_no_choice_of_statuses_reaches_who_withdrew_and_rejected_ones_only_when_chosen():
    assert list(STATUS_CHOICES) == ["active", "pending", "approved", "with_rejected"]
    assert all(Status.WITHDRAWN not in statuses for statuses in STATUS_CHOICES.values())
    with_rejected = [key for key, statuses in STATUS_CHOICES.items() if Status.REJECTED in statuses]
    assert with_rejected == ["with_rejected"]


def test_the_audience_is_the_chosen_place_activity_and_statuses():
    assert BroadcastAnswers().audience() == Audience(statuses=ACTIVE_STATUSES)
    assert BroadcastAnswers(scope_kind="county", scope_id=81, activity_id=3, statuses="pending").audience() \
        == Audience(county_id=81, activity_id=3, statuses=(Status.PENDING,))
    assert BroadcastAnswers(scope_kind="center", scope_id=5, statuses="with_rejected").audience() \
        == Audience(center_id=5, statuses=(Status.PENDING, Status.APPROVED, Status.REJECTED))
    # Who withdrew hears nothing more, also from a draft of the version that offered "everyone".
    assert Status.WITHDRAWN not in BroadcastAnswers(statuses="everyone").audience().statuses
    assert BroadcastAnswers(scope_kind="province", scope_id=8).audience().province_id == 8


async def test_a_text_longer_than_a_message_may_be_is_refused_and_one_that_fits_is_trimmed():
    turn = Turn(None, SimpleNamespace(t=T), BROADCAST, "text", BroadcastAnswers())
    with pytest.raises(Invalid) as refused:
        await read_text(turn, "x" * (MAX_TEXT + 1))
    assert refused.value.details == {"max": MAX_TEXT} and turn.answers.text == ""
    assert await read_text(turn, " hello \n") is None and turn.answers.text == "hello"


def test_the_answers_round_trip_through_their_draft():
    answers = BroadcastAnswers("Hi", ScopeKind.COUNTY, 81, 3, "approved")
    stored = json.loads(json.dumps({**dataclasses.asdict(answers), "mode": "broadcast",
                                    "history": ["text", "scope"], "asked": 9, "keyboard": False}))
    assert ENGINE.answers_of(Draft("telegram", USER, "activity", stored)) == answers
    assert ENGINE.answers_of(Draft("telegram", USER, "text", {"mode": "broadcast"})) == BroadcastAnswers()


async def test_a_county_is_chosen_through_its_province_and_the_preview_counts_the_recipients():
    chat = admin_chat()
    await _at_scope(chat)
    # After the typed text: its reply keyboard goes in a short message, then the question as always.
    heading, question = chat.recent(2)
    assert removes_keyboard(heading) and question[0] == progress(2, 5) + "\n" + T("broadcast.ask.scope")
    assert rows(question[1])[-1] == nav_row("bc", "scope")
    await chat.press(T("scope.kind.county"))
    assert chat.last == progress(2, 5) + "\n" + T("scope.pick_province")
    assert rows(chat.recent(1)[0][1])[-1] == nav_row("bc", "scope")  # redrawn, the row kept
    await chat.press("Tehran")
    await chat.press("Rey")
    assert chat.last == progress(3, 5) + "\n" + T("broadcast.ask.activity")  # after buttons: one message
    await chat.press("Cooking")
    assert rows(chat.recent(1)[0][1]) == [
        *([(T(f"broadcast.status.{key}"), f"bc|status|pick|{key}")] for key in STATUS_CHOICES),
        nav_row("bc", "status")]
    await chat.press(T("broadcast.status.approved"))
    assert chat.last == progress(5, 5) + "\n" + T("broadcast.preview", text="Meeting tomorrow",
                                                   audience="everyone", count=12)
    assert rows(chat.recent(1)[0][1]) == [[(T("button.send_broadcast"), "bc|confirm|send")],
                                          nav_row("bc", "confirm")]
    draft = await chat.draft()
    assert draft.step == "confirm" and draft.answers["history"] == ["text", "scope", "activity", "status"]
    assert ENGINE.answers_of(draft) == BroadcastAnswers("Meeting tomorrow", "county", 81, 3, "approved")


async def test_a_province_is_chosen_from_the_list_and_the_center_code_passed_over():
    chat = admin_chat()
    await _at_scope(chat)
    await chat.press(T("scope.kind.province"))
    await chat.press("Tehran")
    draft = await chat.draft()
    assert draft.step == "activity" and ENGINE.answers_of(draft).audience().province_id == TEHRAN.id


async def test_back_goes_through_the_center_code_only_while_one_center_is_chosen():
    chat = admin_chat()
    await _at_scope(chat)
    await chat.press(T("scope.kind.center"))
    assert chat.last == progress(3, 6) + "\n" + T("scope.ask_code")
    await chat.type("9999")
    assert chat.last.startswith(T("invalid.center_code")) and (await chat.draft()).step == "center_code"
    await chat.type("۱۲۳۴")  # Persian digits
    heading, question = chat.recent(2)
    assert removes_keyboard(heading) and question[0] == progress(4, 6) + "\n" + T("broadcast.ask.activity")
    assert ENGINE.answers_of(await chat.draft()).audience().center_id == CENTER.id
    await chat.type(T("button.back"))
    assert (await chat.draft()).step == "center_code"
    await chat.type(T("button.back"))
    assert (await chat.draft()).step == "scope"
    heading, question = chat.recent(2)
    assert removes_keyboard(heading) and question[0] == progress(2, 6) + "\n" + T("broadcast.ask.scope")
    await chat.press(T("scope.kind.all"))
    assert chat.last == progress(3, 5) + "\n" + T("broadcast.ask.activity")
    await chat.type(T("button.back"))
    draft = await chat.draft()
    assert draft.step == "scope" and draft.answers["history"] == ["text"]


async def test_back_at_the_text_asks_for_it_again_and_the_preview_can_be_cancelled():
    chat = admin_chat()
    await chat.begin(BROADCAST, BroadcastAnswers())
    await chat.type(T("button.back"))
    assert (await chat.draft()).step == "text"
    assert chat.last == progress(1, 5) + "\n" + T("broadcast.ask.text")
    await chat.engine.go_to(chat.update(), chat.context, await chat.draft(), BroadcastAnswers("Hi"),
                            "confirm")
    await chat.press(T("button.cancel"))
    assert await chat.draft() is None and chat.last == T("admin.cancelled")


async def test_an_activity_or_status_that_is_not_offered_is_refused():
    chat = admin_chat()
    await chat.begin(BROADCAST, BroadcastAnswers("Hi"), step="activity")
    await chat.press_data("bc|activity|pick|99")
    assert chat.last.startswith(T("signup.unexpected.use_buttons"))
    await chat.press(T("roster.all_activities"))
    for forged in ("rejected", "everyone"):  # "everyone" was a choice once, and reached who withdrew
        await chat.press_data(f"bc|status|pick|{forged}")
        assert chat.last.startswith(T("signup.unexpected.use_buttons"))
    draft = await chat.draft()
    assert draft.step == "status" and ENGINE.answers_of(draft) == BroadcastAnswers("Hi")
    await chat.press(T("broadcast.status.with_rejected"))
    assert ENGINE.answers_of(await chat.draft()).statuses == "with_rejected"


async def test_a_preview_reaching_nobody_offers_no_send_and_an_old_send_is_refused():
    chat = admin_chat(recipients=0)
    await chat.begin(BROADCAST, BroadcastAnswers("Hi"), step="status")
    await chat.press(T("broadcast.status.pending"))
    assert chat.last == progress(5, 5) + "\n" + T("broadcast.nobody", text="Hi", audience="everyone")
    assert rows(chat.recent(1)[0][1]) == [nav_row("bc", "confirm")]  # only the way back
    await chat.press_data("bc|confirm|send")  # from an earlier preview, when someone matched
    assert chat.last.startswith(T("signup.unexpected.use_buttons"))
    assert (await chat.draft()).step == "confirm"
    await chat.press(T("button.back"))
    assert (await chat.draft()).step == "status"
