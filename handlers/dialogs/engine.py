"""The dialog engine: what every multi-step conversation shares, written once.

A dialog is a module declaring its steps in order (how each question is asked, how a typed text,
a button, a contact or a location answers it, what comes next) and a dataclass of its answers.
The engine keeps the conversation in the person's draft (written at every step, so a restart
resumes where they were), and owns Back, Cancel, "finish this first", stale and forged buttons,
the progress line, and taking the buttons off a question once it is answered.

Only the question on screen has buttons. A typed question shows its reply keyboard (Back and
Cancel, and a contact or location button where asked). A question of inline buttons gets Back
and Cancel as its last row, and the reply keyboard of an earlier question is taken away first
(a message can carry one keyboard only, so the progress line goes just before it, carrying the
removal).

Button data: `<dialog prefix>|<step>|<action>|<arg>…`; a press counts only on the question the
person is at now.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from telegram import (
    Contact,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Location,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import keyboards as kb
from bot.callbacks import SEP
from bot.context import BotContext
from bot.validation import Invalid
from handlers.ui import Markup, redraw, send, who
from storage.models import Draft

logger = logging.getLogger(__name__)
A = TypeVar("A")


async def clear_buttons(update: Update, context: BotContext, message_id: int | None) -> None:
    """An answered question keeps its text but loses its buttons (pressing them could only
    confuse). Best effort: a message the messenger will not edit keeps them, and stays stale."""
    if message_id is None:
        return
    try:
        await context.bot.edit_message_reply_markup(update.effective_user.id, message_id,
                                                    reply_markup=None)
    except TelegramError as exc:
        logger.info("the buttons of an answered question stayed in a private chat: %s", exc)


@dataclass(frozen=True)
class Question:
    """What a step asks: a text and its keyboard (`before`: a message sent first, e.g. a reply
    keyboard offering to share a location above an inline list)."""

    text: str
    markup: Markup | None = None
    before: Question | None = None


@dataclass(frozen=True)
class Redraw:
    """An answer that changes the question in place (a ✓ toggled, a page turned): stay there."""

    question: Question


class Finished:
    """The dialog is over: the reader already said what happened; the draft is deleted."""


@dataclass(frozen=True)
class Visit:
    """Go to `step` and come back (through the dialog's `then` and `back_to`): an excursion, e.g.
    changing one answer from a summary, that leaves Back's history as it was."""

    step: str


class Stay:
    """The reader answered in a message of its own (search results to pick from): the question
    stays as it is."""


FINISHED, STAY = Finished(), Stay()
# What a reader returns: None for the next step in order, a step's name to go there, Redraw or
# STAY to stay, FINISHED when done. A refused answer raises Invalid: the question is asked again
# with why.
Result = None | str | Visit | Redraw | Stay | Finished


@dataclass
class Turn(Generic[A]):
    """One update inside a dialog: who, where, the answers so far, and how to answer."""

    update: Update
    context: BotContext
    dialog: Dialog[A]
    step: str
    answers: A
    asked: int | None = None  # the message of the question being answered (its buttons go at the end)
    ended: bool = False  # the reader ended the dialog itself (see `end`)
    shown: int | None = None  # a message `show` sent in the question's place

    @property
    def t(self):
        return self.context.t

    @property
    def services(self):
        return self.context.services

    def button(self, label: str, action: str, *args: object) -> InlineKeyboardButton:
        """A button of this step (its press comes back to this step's reader for `action`)."""
        return InlineKeyboardButton(label, callback_data=SEP.join(
            str(part) for part in (self.dialog.prefix, self.step, action, *args)))

    async def send(self, text: str, markup: Markup | None = None) -> None:
        await send(self.update, self.context, text, markup)

    async def show(self, text: str, markup: InlineKeyboardMarkup) -> None:
        """Buttons that answer the question, sent in its place (found by a search, say): the
        question's own buttons go, these are the ones pressed now (the reader returns STAY)."""
        message = await self.context.bot.send_message(self.update.effective_user.id, text,
                                                      reply_markup=markup)
        self.shown = message.message_id

    async def end(self) -> None:
        """End the dialog now, before telling what its answers did (the reader then returns
        FINISHED): a crash or a second tap after this point never meets the dialog again."""
        await self.services.conversations.end(*who(self.update, self.context))
        self.ended = True
        if self.dialog.clear_answered:  # before the reader says what the answers did
            await clear_buttons(self.update, self.context, self.asked)

    def toggles(self, options: Sequence[tuple[object, str]], chosen: Sequence[object],
                per_row: int = 1) -> InlineKeyboardMarkup:
        """A multiple choice: ✓ marks what is chosen (action "toggle"); Done below."""
        buttons = [self.button(f"✓ {label}" if value in chosen else label, "toggle", value)
                   for value, label in options]
        done = self.button(self.t("button.done"), "done")
        return InlineKeyboardMarkup([*kb.in_rows(buttons, per_row), [done]])

    def paged(self, items: Sequence[InlineKeyboardButton], page: int, page_action: str,
              *page_args: object, per_row: int = 2,
              back: InlineKeyboardButton | None = None) -> InlineKeyboardMarkup:
        """One page of buttons with « / » (action `page_action`, then `page_args` and the page)."""
        pages = max(1, -(-len(items) // kb.PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        rows = kb.in_rows(list(items[page * kb.PAGE_SIZE:(page + 1) * kb.PAGE_SIZE]), per_row)
        nav = []
        if page > 0:
            nav.append(self.button(self.t("button.previous_page"), page_action, *page_args, page - 1))
        if page < pages - 1:
            nav.append(self.button(self.t("button.next_page"), page_action, *page_args, page + 1))
        rows.append(nav)
        if back is not None:
            rows.append([back])
        return InlineKeyboardMarkup([row for row in rows if row])


TextReader = Callable[[Turn[A], str], Awaitable[Result]]
ButtonReader = Callable[[Turn[A], list[str]], Awaitable[Result]]
ContactReader = Callable[[Turn[A], Contact], Awaitable[Result]]
LocationReader = Callable[[Turn[A], Location], Awaitable[Result]]


@dataclass(frozen=True)
class Step(Generic[A]):
    """One question: how it is asked and how each kind of answer is read."""

    name: str
    ask: Callable[[Turn[A]], Awaitable[Question]]
    text: TextReader | None = None
    buttons: Mapping[str, ButtonReader] = field(default_factory=dict)
    contact: ContactReader | None = None
    location: LocationReader | None = None
    skip: Callable[[A], bool] | None = None  # passed over (forward and back) while this holds

    def applies(self, answers: A) -> bool:
        return self.skip is None or not self.skip(answers)


@dataclass(frozen=True)
class Dialog(Generic[A]):
    """A conversation: its steps in order and the dataclass of its answers."""

    name: str  # kept in the draft: which dialog it belongs to
    prefix: str  # of its buttons' data
    answers: type[A]
    steps: tuple[Step[A], ...]
    cancelled: str  # catalog key said when the person cancels
    # Re-checked at every update (a role can be taken away mid-dialog); False: refused and ended.
    allowed: Callable[[Update, BotContext], Awaitable[bool]] | None = None
    progress: bool = True  # "step 3 of 5" above each question
    clear_answered: bool = True  # an answered question loses its buttons
    # Where an answer leads instead of the next step in order (e.g. back to a summary), if anywhere.
    then: Callable[[A, str], str | None] | None = None
    # Where Back leads instead of the question answered before, if anywhere.
    back_to: Callable[[A, str], str | None] | None = None
    back_at_start_cancels: bool = False  # Back at the first question ends the dialog
    # After the last step: what the dialog does with its answers (FINISHED, or a step to fix).
    finish: Callable[[Turn[A]], Awaitable[Result]] | None = None

    def step(self, name: str) -> Step[A]:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def first(self, answers: A) -> str:
        """The first step that applies to these answers."""
        return next(s.name for s in self.steps if s.applies(answers))

    def following(self, name: str, answers: A) -> str | None:
        """The step after `name` that applies to these answers; None at the end."""
        names = [s.name for s in self.steps]
        for step in self.steps[names.index(name) + 1:]:
            if step.applies(answers):
                return step.name
        return None

    def position(self, name: str, answers: A) -> tuple[int, int]:
        """(number of `name`, how many steps apply) for the progress line."""
        applying = [s.name for s in self.steps if s.applies(answers)]
        return (applying.index(name) + 1 if name in applying else len(applying)), len(applying)


@dataclass
class _State:
    """A dialog's draft as the engine keeps it."""

    step: str
    answers: Any
    history: list[str]  # the steps answered before this one, for Back
    asked: int | None  # the message of the question on screen, whose buttons go once answered
    keyboard: bool = True  # a reply keyboard may be showing (taken away before inline buttons)


# Kept in a draft beside the answers (no answers dataclass has a field of these names).
_ENGINE_KEYS = ("mode", "history", "asked", "keyboard")


def _load(dialog: Dialog, draft: Draft) -> _State:
    """The draft's answers, flat beside the engine's keys. A field the draft lacks takes its
    default and a key the dataclass lacks is ignored, so a draft written by an earlier version
    (or before the dialog ran on the engine) still resumes."""
    stored = draft.answers
    upgrade = getattr(dialog.answers, "from_earlier_draft", None)
    if "history" not in stored and upgrade is not None:
        stored = upgrade(stored)
    names = {f.name for f in dataclasses.fields(dialog.answers)}
    answers = dialog.answers(**{k: v for k, v in stored.items() if k in names})
    history = stored.get("history")
    if history is None:  # an earlier version kept none: Back walks the steps in order
        steps = [s.name for s in dialog.steps]
        earlier = dialog.steps[:steps.index(draft.step)] if draft.step in steps else ()
        history = [s.name for s in earlier if s.applies(answers)]
    return _State(draft.step, answers, list(history), stored.get("asked"), stored.get("keyboard", True))


def _dump(dialog: Dialog, platform: str, user_id: int, state: _State) -> Draft:
    return Draft(platform, user_id, state.step, {
        **dataclasses.asdict(state.answers), "mode": dialog.name, "history": state.history,
        "asked": state.asked, "keyboard": state.keyboard})


def _parts(data: str | None) -> tuple[str, str, str, list[str]]:
    """A dialog button's (prefix, step, action, args); empty strings for data of another shape."""
    parts = (data or "").split(SEP)
    if len(parts) < 3:
        return "", "", "", []
    return parts[0], parts[1], parts[2], parts[3:]


def _asked(dialog: Dialog | None, draft: Draft | None, step_name: str) -> bool:
    """Whether a button's step is the question the person's draft is at (else it is stale)."""
    return dialog is not None and draft is not None and draft.answers.get("mode") == dialog.name \
        and draft.step == step_name


def _reading(step: Step, turn: Turn, message: Message, text: str) -> Awaitable[Result] | None:
    """The step's reader applied to what was sent; None when the step reads no such thing."""
    if text and step.text is not None:
        return step.text(turn, text)
    if message.contact is not None and step.contact is not None:
        return step.contact(turn, message.contact)
    if message.location is not None and step.location is not None:
        return step.location(turn, message.location)
    return None


def _move(dialog: Dialog, state: _State, result: Result) -> bool:
    """Move `state` to the question after an answer; False when that answer was the last one.
    A reader's step name is a jump, Visit an excursion (Back's history untouched)."""
    if isinstance(result, Visit):
        state.step = result.step
        return True
    if isinstance(result, str):
        following = result
    else:
        returning = dialog.then and dialog.then(state.answers, state.step)
        if returning:  # the end of an excursion: Back's history is as it was before it
            state.step = returning
            return True
        following = dialog.following(state.step, state.answers)
        if following is None:
            return False
    state.history.append(state.step)
    state.step = following
    return True


class Engine:
    """Every dialog of the bot, reached by the name kept in a draft or a button's prefix."""

    def __init__(self, dialogs: list[Dialog]):
        self._by_name = {d.name: d for d in dialogs}
        self._by_prefix = {d.prefix: d for d in dialogs}

    def owns(self, draft: Draft) -> bool:
        return draft.answers.get("mode") in self._by_name

    def patterns(self) -> list[str]:
        """Route patterns of every dialog's buttons."""
        return [rf"^{prefix}\|" for prefix in self._by_prefix]

    # ----------------------------------------------------------------- beginning and ending
    async def begin(self, update: Update, context: BotContext, dialog: Dialog[A], answers: A,
                    step: str | None = None, *, note: str | None = None, in_private: bool = False,
                    replacing: bool = False) -> bool:
        """Start `dialog` at its first step (or `step`); refused, with a word, when the person is
        in the middle of another conversation (`replacing`: one of the same dialog starts over).
        `in_private`: the question goes to the person's private chat (a button pressed in a
        group); False when that chat cannot be reached (they never started the bot)."""
        platform, user_id = who(update, context)
        chat_id = user_id if in_private else update.effective_chat.id
        if not await context.services.conversations.may_start(platform, user_id, dialog.name, replacing):
            await context.bot.send_message(chat_id, context.t("admin.finish_first"))
            return True
        # Whatever came before ended with its keyboard taken away (a dialog's end does that);
        # the same dialog started over may still show the keyboard of its question.
        replaced = await context.services.conversations.current(platform, user_id) if replacing else None
        shown = bool(replaced and replaced.answers.get("keyboard", True))
        if replaced is not None and dialog.clear_answered:  # its question's buttons go with it
            await clear_buttons(update, context, replaced.answers.get("asked"))
        state = _State(step or dialog.first(answers), answers, [], None, keyboard=shown)
        try:
            await self._ask(update, context, dialog, state, note)
        except TelegramError as exc:
            if not in_private:
                raise
            logger.info("could not open %s in the private chat of user %s: %s", dialog.name, user_id, exc)
            await context.services.conversations.end(platform, user_id)
            return False
        return True

    async def cancel(self, update: Update, context: BotContext, draft: Draft) -> None:
        """/cancel or the Cancel button: the draft goes, and the person is told."""
        dialog = self._by_name[draft.answers["mode"]]
        if dialog.clear_answered:
            await clear_buttons(update, context, draft.answers.get("asked"))
        await context.services.conversations.end(draft.platform, draft.user_id)
        await send(update, context, context.t(dialog.cancelled), ReplyKeyboardRemove())

    async def ask_again(self, update: Update, context: BotContext, draft: Draft,
                        note: str | None = None) -> None:
        """The current question once more (after /start, a language change or a stale press);
        not after a press in a group: the dialog lives in the person's private chat."""
        if update.effective_chat.type != ChatType.PRIVATE:
            return
        dialog = self._by_name[draft.answers["mode"]]
        state = await self._state(update, context, dialog, draft)
        if state is not None:
            await self._ask(update, context, dialog, state, note)

    def answers_of(self, draft: Draft) -> Any:
        """The typed answers a draft holds (for a command that acts on a dialog in progress)."""
        return _load(self._by_name[draft.answers["mode"]], draft).answers

    async def go_to(self, update: Update, context: BotContext, draft: Draft, answers: Any,
                    step: str | None = None, note: str | None = None, *, returning: bool = False) -> None:
        """Replace the answers (and move to `step`) from outside the dialog, then ask;
        `returning`: the end of an excursion, which leaves Back's history as it was."""
        dialog = self._by_name[draft.answers["mode"]]
        state = _load(dialog, draft)
        state.answers = answers
        if step is not None and step != state.step:
            if not returning:
                state.history.append(state.step)
            state.step = step
        await self._ask(update, context, dialog, state, note)

    # ----------------------------------------------------------------- answers
    async def on_message(self, update: Update, context: BotContext, draft: Draft) -> None:
        """A typed text, contact or location inside a dialog: Back, Cancel, or an answer."""
        dialog = self._by_name[draft.answers["mode"]]
        message, i18n = update.effective_message, context.services.i18n
        text = (message.text or "").strip()
        if text and text in i18n.all_texts("button.cancel"):
            await self.cancel(update, context, draft)
            return
        state = await self._enter(update, context, dialog, draft)
        if state is None:
            return
        if text and text in i18n.all_texts("button.back"):
            await self._back(update, context, dialog, state)
            return
        step = dialog.step(state.step)
        turn = Turn(update, context, dialog, state.step, state.answers, state.asked)
        reading = _reading(step, turn, message, text)
        if reading is None:
            reason = "signup.unexpected.type_text" if step.text else "signup.unexpected.use_buttons"
            await self._ask(update, context, dialog, state, context.t(reason))
            return
        await self._apply(update, context, dialog, state, reading, turn)

    async def on_button(self, update: Update, context: BotContext) -> None:
        """A dialog's button: acted on only when it belongs to the question the person is at."""
        query = update.callback_query
        prefix, step_name, action, args = _parts(query.data)
        dialog = self._by_prefix.get(prefix)
        draft = await context.services.conversations.current(*who(update, context))
        if not _asked(dialog, draft, step_name) or not action:
            await query.answer(context.t("signup.stale_button"))
            if draft is not None and self.owns(draft):
                await self.ask_again(update, context, draft)
            return
        await query.answer()
        if action == "cancel":
            await self.cancel(update, context, draft)
            return
        state = await self._enter(update, context, dialog, draft)
        if state is None:
            return
        if action == "back":
            await self._back(update, context, dialog, state)
            return
        await self._press(update, context, dialog, state, action, args)

    async def _press(self, update: Update, context: BotContext, dialog: Dialog, state: _State,
                     action: str, args: list[str]) -> None:
        """The current step's reader of the pressed button; forged or damaged data is refused
        and the question asked again, never acted on."""
        reader = dialog.step(state.step).buttons.get(action)
        turn = Turn(update, context, dialog, state.step, state.answers, state.asked)
        try:
            if reader is None:
                raise KeyError(action)
            await self._apply(update, context, dialog, state, reader(turn, args), turn)
        except (ValueError, IndexError, KeyError) as exc:
            logger.warning("refused button %r of user %s: %s", f"{dialog.prefix}|{state.step}|{action}",
                           update.effective_user.id, type(exc).__name__)
            await self._ask(update, context, dialog, state, context.t("signup.unexpected.use_buttons"))

    # ----------------------------------------------------------------- moving
    async def _apply(self, update: Update, context: BotContext, dialog: Dialog, state: _State,
                     reading: Awaitable[Result], turn: Turn) -> None:
        """Act on what a step's reader made of an answer: refuse it, end, stay, redraw or move on."""
        try:
            result = await reading
        except Invalid as refused:
            await self._ask(update, context, dialog, state, context.t(refused.reason, **refused.details))
            return
        if isinstance(result, Finished):
            if not turn.ended:
                if dialog.clear_answered:
                    await clear_buttons(update, context, state.asked)
                await context.services.conversations.end(*who(update, context))
        elif isinstance(result, (Stay, Redraw)):
            if turn.shown is not None and dialog.clear_answered:
                await clear_buttons(update, context, state.asked)
                state.asked = turn.shown
            await self._save(update, context, dialog, state)
            if isinstance(result, Redraw):
                text = self._with_progress(context, dialog, state, result.question.text)
                await redraw(update, context, text,
                             self._navigable(context, dialog, state, result.question.markup))
        elif _move(dialog, state, result):
            await self._ask(update, context, dialog, state)
        elif dialog.finish is None:
            raise RuntimeError(f"dialog {dialog.name} ran past its last step {state.step}")
        else:
            turn = Turn(update, context, dialog, state.step, state.answers, state.asked)
            await self._apply(update, context, dialog, state, dialog.finish(turn), turn)

    async def _back(self, update: Update, context: BotContext, dialog: Dialog, state: _State) -> None:
        """The previous question answered (skipping steps that no longer apply); at the first
        question, the same question again (or the dialog ends, where it says so)."""
        elsewhere = dialog.back_to and dialog.back_to(state.answers, state.step)
        if elsewhere:
            state.step = elsewhere
            await self._ask(update, context, dialog, state)
            return
        if not state.history and dialog.back_at_start_cancels:
            await self.cancel(update, context, _dump(dialog, *who(update, context), state))
            return
        while state.history:
            previous = dialog.step(state.history.pop())
            if previous.applies(state.answers):
                state.step = previous.name
                break
        await self._ask(update, context, dialog, state)

    async def _ask(self, update: Update, context: BotContext, dialog: Dialog, state: _State,
                   note: str | None = None) -> None:
        """Take the buttons off the question answered, ask the current one, write the draft.
        Always in the person's private chat (whose id is theirs, on both messengers), even when
        a button in a group began the dialog."""
        turn = Turn(update, context, dialog, state.step, state.answers, state.asked)
        question = await dialog.step(state.step).ask(turn)
        messages = self._messages(context, dialog, state, question, note)
        answered, state.asked = state.asked, None
        # Written before the question goes out: whatever the person answers next is read against
        # the step they were shown, even if the bot stops right after sending.
        await self._save(update, context, dialog, state)
        if dialog.clear_answered:
            await clear_buttons(update, context, answered)
        chat = update.effective_user.id
        for text, markup in messages:
            message = await context.bot.send_message(chat, text, reply_markup=markup)
        if dialog.clear_answered and isinstance(messages[-1][1], InlineKeyboardMarkup):
            state.asked = message.message_id  # its buttons go once it is answered
            await self._save(update, context, dialog, state)

    def _messages(self, context: BotContext, dialog: Dialog, state: _State, question: Question,
                  note: str | None) -> list[tuple[str, Markup | None]]:
        """The messages that ask `question` (the note, then the progress line, open it), and
        whether a reply keyboard shows after them (kept in `state`)."""
        def opened(text: str) -> str:
            text = self._with_progress(context, dialog, state, text)
            return f"{note}\n\n{text}" if note else text

        if question.before is not None:  # e.g. a location button above an inline list
            state.keyboard = isinstance(question.before.markup, ReplyKeyboardMarkup)
            return [(opened(question.before.text), question.before.markup),
                    (question.text, self._navigable(context, dialog, state, question.markup))]
        if isinstance(question.markup, ReplyKeyboardMarkup):
            state.keyboard = True
            return [(opened(question.text), question.markup)]
        shown, state.keyboard = state.keyboard, False
        markup = self._navigable(context, dialog, state, question.markup)
        if not shown:
            return [(opened(question.text), markup)]
        # One message carries one keyboard: a short one takes the reply keyboard away first.
        return [(context.t("dialog.next"), ReplyKeyboardRemove()), (opened(question.text), markup)]

    def _navigable(self, context: BotContext, dialog: Dialog, state: _State,
                   markup: Markup | None) -> Markup | None:
        """Inline buttons with Back (unless at the first question, where it would do nothing) and
        Cancel as their last row; where a reply keyboard shows, it has them already."""
        if not isinstance(markup, InlineKeyboardMarkup) or state.keyboard:
            return markup
        turn = Turn(None, context, dialog, state.step, state.answers)  # type: ignore[arg-type]
        row = [turn.button(context.t("button.cancel"), "cancel")]
        if state.history or dialog.back_at_start_cancels:
            row.insert(0, turn.button(context.t("button.back"), "back"))
        return InlineKeyboardMarkup([*markup.inline_keyboard, row])

    def _progress(self, context: BotContext, dialog: Dialog, state: _State) -> str | None:
        """«Step 3 of 9» (counting only the steps that apply to these answers)."""
        if not dialog.progress:
            return None
        number, total = dialog.position(state.step, state.answers)
        return context.t("dialog.progress", number=number, total=total)

    def _with_progress(self, context: BotContext, dialog: Dialog, state: _State, text: str) -> str:
        progress = self._progress(context, dialog, state)
        return f"{progress}\n{text}" if progress else text

    async def _save(self, update: Update, context: BotContext, dialog: Dialog, state: _State) -> None:
        await context.services.conversations.keep(_dump(dialog, *who(update, context), state))

    # ----------------------------------------------------------------- refusing
    async def _state(self, update: Update, context: BotContext, dialog: Dialog,
                     draft: Draft) -> _State | None:
        """The draft as the dialog keeps it; one it cannot read (written by another version of
        the dialog) is dropped, and the person asked to start again."""
        try:
            return _load(dialog, draft)
        except (KeyError, TypeError, ValueError) as exc:
            logger.warning("dropped an unreadable %s draft of user %s: %s", dialog.name,
                           draft.user_id, type(exc).__name__)
            await context.services.conversations.end(draft.platform, draft.user_id)
            await send(update, context, context.t("dialog.start_again"), ReplyKeyboardRemove())
            return None

    async def _enter(self, update: Update, context: BotContext, dialog: Dialog,
                     draft: Draft) -> _State | None:
        """The dialog's state, if its guard still lets the person in and the draft is readable."""
        if not await self._allowed(update, context, dialog, draft):
            return None
        return await self._state(update, context, dialog, draft)

    async def _allowed(self, update: Update, context: BotContext, dialog: Dialog, draft: Draft) -> bool:
        """The dialog's guard, re-checked: who lost the role is refused and the dialog ends."""
        if dialog.allowed is None or await dialog.allowed(update, context):
            return True
        await context.services.conversations.end(draft.platform, draft.user_id)
        await send(update, context, context.t("roles.not_allowed"), ReplyKeyboardRemove())
        return False
