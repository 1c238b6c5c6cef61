"""A coordinator's own words for a rejection: asked in their private chat (never in a group),
cleaned of control and bidi characters, then the rejection is made and the volunteer sees it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.roles import NotAllowed
from bot.validation import rejection_note
from handlers.dialogs.engine import FINISHED, Dialog, Question, Result, Step, Turn
from handlers.ui import actor_of


@dataclass
class TypedReason:
    registration_id: int


async def ask_reason(turn: Turn[TypedReason]) -> Question:
    registration = await turn.services.alerts.registration(turn.answers.registration_id)
    code = registration.tracking_code if registration else "-"
    return Question(turn.t("alert.typed_reason_prompt", code=turn.t.digits(code)))


async def read_reason(turn: Turn[TypedReason], text: str) -> Result:
    note = rejection_note(text)
    try:
        outcome = await turn.services.alerts.reject_with_note(
            actor_of(turn.update, turn.context), turn.answers.registration_id, note)
    except NotAllowed:
        await turn.send(turn.t("roles.not_allowed"))
        return FINISHED
    await turn.send(turn.t("alert.typed_reason_done" if outcome == "alert.answer.reject" else outcome))
    return FINISHED


REJECTION_REASON = Dialog(
    name="reject_reason", prefix="rr", answers=TypedReason, cancelled="admin.cancelled", progress=False,
    steps=(Step("reason", ask_reason, text=read_reason),),
)
