"""The coordinator's typed rejection reason: one question in private, the note cleaned, then rejected."""

from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace

import pytest
from telegram.error import Forbidden

from bot.services.roles import NotAllowed
from handlers.dialogs import ENGINE
from handlers.dialogs.rejection import REJECTION_REASON, TypedReason
from storage.models import Draft
from tests.handlers.dialogs.test_engine import USER, Chat, T

GROUP = -100_500
PROMPT = T("alert.typed_reason_prompt", code="TR-123")


class Alerts:
    """Registration 9 (tracking code TR-123); a rejection answers `outcome` (NotAllowed: raised)."""

    def __init__(self, outcome: object = "alert.answer.reject") -> None:
        self.outcome, self.rejected = outcome, []

    async def registration(self, registration_id: int):
        return SimpleNamespace(tracking_code="TR-123") if registration_id == 9 else None

    async def reject_with_note(self, actor, registration_id: int, note: str) -> str:
        if self.outcome is NotAllowed:
            raise NotAllowed
        self.rejected.append((actor.user_id, registration_id, note))
        return self.outcome


async def coordinator(outcome: object = "alert.answer.reject") -> Chat:
    """A coordinator asked for the reason of rejecting registration 9, as a group's button does."""
    chat = Chat(ENGINE)
    chat.context.services.alerts = Alerts(outcome)
    pressed_in_group = chat.update(data="rv|9|reject")
    pressed_in_group.effective_chat = SimpleNamespace(id=GROUP)
    assert await ENGINE.begin(pressed_in_group, chat.context, REJECTION_REASON, TypedReason(9),
                              in_private=True, replacing=True)
    return chat


def test_it_is_one_question_without_a_progress_line():
    assert [s.name for s in REJECTION_REASON.steps] == ["reason"]
    assert REJECTION_REASON.first(TypedReason(9)) == "reason"
    assert REJECTION_REASON.following("reason", TypedReason(9)) is None
    assert not REJECTION_REASON.progress and not REJECTION_REASON.back_at_start_cancels


def test_the_answers_round_trip_through_their_draft_and_need_the_registration():
    stored = json.loads(json.dumps({**dataclasses.asdict(TypedReason(9)), "mode": "reject_reason",
                                    "history": [], "asked": None, "keyboard": False}))
    assert ENGINE.answers_of(Draft("telegram", USER, "reason", stored)) == TypedReason(9)
    with pytest.raises(TypeError):
        ENGINE.answers_of(Draft("telegram", USER, "reason", {"mode": "reject_reason"}))


async def test_the_question_goes_to_the_private_chat_even_when_the_button_was_in_a_group():
    chat = await coordinator()
    # One message: no keyboard of its own, and none before it to take away.
    assert chat.chats == [USER] and chat.sent == {1: (PROMPT, None)}
    draft = await chat.draft()
    assert draft.step == "reason" and draft.answers["mode"] == "reject_reason"
    assert draft.answers["asked"] is None and draft.answers["keyboard"] is False  # nothing to take off


async def test_no_dialog_is_left_when_the_private_chat_cannot_be_reached():
    chat = Chat(ENGINE)
    chat.context.services.alerts = Alerts()

    async def blocked(chat_id, text, reply_markup=None):
        raise Forbidden("bot was blocked by the user")
    chat.context.bot.send_message = blocked
    update = chat.update(data="rv|9|reject")
    update.effective_chat = SimpleNamespace(id=GROUP)
    assert not await ENGINE.begin(update, chat.context, REJECTION_REASON, TypedReason(9), in_private=True)
    assert await chat.draft() is None


async def test_an_unknown_registration_is_shown_with_a_dash():
    chat = Chat(ENGINE)
    chat.context.services.alerts = Alerts()
    await ENGINE.begin(chat.update(), chat.context, REJECTION_REASON, TypedReason(404))
    assert chat.last == T("alert.typed_reason_prompt", code="-")


async def test_a_reason_too_short_is_asked_again_and_nothing_is_rejected():
    chat = await coordinator()
    await chat.type("no")
    assert chat.last == T("invalid.reason_too_short") + "\n\n" + PROMPT
    assert (await chat.draft()).step == "reason" and chat.context.services.alerts.rejected == []
    await chat.type(T("button.back"))  # the only question: asked again
    assert (await chat.draft()).step == "reason" and chat.last == PROMPT


async def test_the_reason_is_cleaned_to_one_line_the_registration_rejected_and_the_dialog_ends():
    chat = await coordinator()
    await chat.type("  Center\u202e is full\nthis month ")
    assert chat.context.services.alerts.rejected == [(USER, 9, "Center is full this month")]
    assert chat.last == T("alert.typed_reason_done") and await chat.draft() is None


@pytest.mark.parametrize("outcome", ["alert.answer.withdrawn", "alert.answer.unchanged"])
async def test_a_registration_decided_meanwhile_is_said_so_and_the_dialog_ends(outcome):
    chat = await coordinator(outcome)
    await chat.type("Center is full this month")
    assert chat.last == T(outcome) and await chat.draft() is None


async def test_a_coordinator_no_longer_allowed_is_refused_and_the_dialog_ends():
    chat = await coordinator(NotAllowed)
    await chat.type("Center is full this month")
    assert chat.last == T("roles.not_allowed") and await chat.draft() is None
