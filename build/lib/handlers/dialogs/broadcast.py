"""The admin's broadcast: text → where (everyone, a province, a county, a center) → activity →
status → a preview with the exact recipient count → Send. Sending goes through the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import ReplyKeyboardRemove

from bot import keyboards as kb
from bot.validation import Invalid
from handlers.dialogs.engine import FINISHED, Dialog, Question, Result, Step, Turn
from handlers.dialogs.scope import scope_steps
from handlers.ui import actor_of, is_admin
from storage.models import ACTIVE_STATUSES, Audience, ScopeKind, Status

MAX_TEXT = 4000
# Who withdrew asked to hear no more: no choice reaches them. Rejected ones only when chosen.
STATUS_CHOICES = {"active": ACTIVE_STATUSES, "pending": (Status.PENDING,),
                  "approved": (Status.APPROVED,), "with_rejected": (*ACTIVE_STATUSES, Status.REJECTED)}


@dataclass
class BroadcastAnswers:
    text: str = ""
    scope_kind: ScopeKind = ScopeKind.ALL
    scope_id: int | None = None
    activity_id: int | None = None
    statuses: str = "active"  # a key of STATUS_CHOICES

    def __post_init__(self) -> None:
        self.scope_kind = ScopeKind(self.scope_kind)  # read back from a draft as a string
        if self.statuses == "everyone":  # a draft of the version that reached withdrawn people
            self.statuses = "with_rejected"

    def audience(self) -> Audience:
        return Audience.within(self.scope_kind, self.scope_id, self.activity_id,
                               STATUS_CHOICES[self.statuses])


async def ask_text(turn: Turn[BroadcastAnswers]) -> Question:
    return Question(turn.t("broadcast.ask.text"), kb.navigation(turn.t))


async def read_text(turn: Turn[BroadcastAnswers], text: str) -> Result:
    if len(text) > MAX_TEXT:
        raise Invalid("invalid.broadcast.length", max=MAX_TEXT)
    turn.answers.text = text.strip()
    return None


async def ask_activity(turn: Turn[BroadcastAnswers]) -> Question:
    t = turn.t
    buttons = [turn.button(t("roster.all_activities"), "pick", 0)]
    buttons += [turn.button(t.name(a), "pick", a.id) for a in await turn.services.places.activities()]
    return Question(t("broadcast.ask.activity"), kb.inline(kb.in_rows(buttons, 2)))


async def pick_activity(turn: Turn[BroadcastAnswers], args: list[str]) -> Result:
    activity_id = int(args[0])
    if activity_id and activity_id not in await turn.services.signup.activity_ids():
        raise ValueError(activity_id)
    turn.answers.activity_id = activity_id or None
    return None


async def ask_status(turn: Turn[BroadcastAnswers]) -> Question:
    t = turn.t
    return Question(t("broadcast.ask.status"), kb.inline(
        [[turn.button(t(f"broadcast.status.{key}"), "pick", key)] for key in STATUS_CHOICES]))


async def pick_status(turn: Turn[BroadcastAnswers], args: list[str]) -> Result:
    if args[0] not in STATUS_CHOICES:
        raise ValueError(args[0])
    turn.answers.statuses = args[0]
    return None


async def ask_confirm(turn: Turn[BroadcastAnswers]) -> Question:
    t, broadcasts = turn.t, turn.services.broadcasts
    audience = turn.answers.audience()
    count, described = await broadcasts.count(audience), await broadcasts.describe(t, audience)
    if not count:  # nothing to send: only the way back (the engine's Back and Cancel)
        return Question(t("broadcast.nobody", text=turn.answers.text, audience=described), kb.inline([]))
    text = t("broadcast.preview", text=turn.answers.text, count=count, audience=described)
    return Question(text, kb.inline([[turn.button(t("button.send_broadcast"), "send")]]))


async def send_broadcast(turn: Turn[BroadcastAnswers], args: list[str]) -> Result:
    """Queued before anything is sent: a messenger failing now loses no broadcast."""
    t, services, chat_id = turn.t, turn.services, turn.update.effective_chat.id
    if not await services.broadcasts.count(turn.answers.audience()):
        raise ValueError("nobody to send to")  # an old Send pressed after the audience emptied
    await turn.end()
    broadcast_id, _ = await services.broadcasts.queue(
        actor_of(turn.update, turn.context), chat_id, t, turn.answers.text, turn.answers.audience())
    try:
        await turn.send(t("broadcast.started"), ReplyKeyboardRemove())
    finally:
        await services.broadcasts.show_progress(broadcast_id, chat_id, t)
    return FINISHED


BROADCAST = Dialog(
    name="broadcast", prefix="bc", answers=BroadcastAnswers, cancelled="admin.cancelled",
    allowed=is_admin,
    steps=(
        Step("text", ask_text, text=read_text),
        *scope_steps("broadcast.ask.scope"),
        Step("activity", ask_activity, buttons={"pick": pick_activity}),
        Step("status", ask_status, buttons={"pick": pick_status}),
        Step("confirm", ask_confirm, buttons={"send": send_broadcast}),
    ),
)
