"""The dialog engine on a small dialog of its own: order, skips, progress, Back, drafts, buttons."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot import keyboards as kb
from bot.callbacks import CallbackData
from bot.i18n import I18n
from bot.services.conversations import ConversationService
from bot.validation import Invalid
from handlers.dialogs import ENGINE
from handlers.dialogs.broadcast import BROADCAST
from handlers.dialogs.engine import FINISHED, Dialog, Engine, Question, Redraw, Step, Turn, Visit
from handlers.dialogs.event import CHANGE_EVENT, NEW_EVENT
from handlers.dialogs.rejection import REJECTION_REASON
from handlers.dialogs.signup import EDIT, SIGNUP
from storage.models import Draft

I18N = I18n.load("en", ZoneInfo("Asia/Tehran"))
T = I18N.translator("en")
USER = 42


# ----------------------------------------------------------------------------- a small dialog
@dataclass
class Order:
    table: int  # required: a draft without it cannot be read
    drink: str = ""
    sugars: int = 0
    extras: list[str] = field(default_factory=list)
    changing: bool = False  # an answer changed from the summary goes back to it


EXTRAS = (("milk", "Milk"), ("ice", "Ice"))


async def ask_drink(turn: Turn[Order]) -> Question:
    return Question("Which drink?", kb.inline([[turn.button("Tea", "pick", "tea"),
                                                turn.button("Coffee", "pick", "coffee")]]))


async def pick_drink(turn: Turn[Order], args: list[str]):
    if args[0] not in ("tea", "coffee"):
        raise ValueError(args[0])
    turn.answers.drink = args[0]


async def ask_sugars(turn: Turn[Order]) -> Question:
    return Question("How many sugars?", kb.navigation(turn.t))


async def read_sugars(turn: Turn[Order], text: str):
    if not text.isdigit():
        raise Invalid("invalid.choice")
    turn.answers.sugars = int(text)


async def ask_extras(turn: Turn[Order]) -> Question:
    return Question("Anything else?", turn.toggles(EXTRAS, turn.answers.extras))


async def toggle_extra(turn: Turn[Order], args: list[str]):
    extras = turn.answers.extras
    if args[0] in extras:
        extras.remove(args[0])
    else:
        extras.append(args[0])
    return Redraw(await ask_extras(turn))


async def extras_done(turn: Turn[Order], args: list[str]):
    return None


async def ask_summary(turn: Turn[Order]) -> Question:
    return Question(f"A {turn.answers.drink}?", kb.inline([
        [turn.button("Order", "confirm")], [turn.button("Change sugars", "change", "sugars")]]))


async def confirm(turn: Turn[Order], args: list[str]):
    return FINISHED


async def change(turn: Turn[Order], args: list[str]):
    turn.answers.changing = True
    return Visit(args[0])


def to_summary(answers: Order, step: str) -> str | None:
    if answers.changing and step != "summary":
        answers.changing = False
        return "summary"
    return None


ORDER = Dialog(
    name="order", prefix="or", answers=Order, cancelled="admin.cancelled", then=to_summary,
    back_to=to_summary,
    steps=(
        Step("drink", ask_drink, buttons={"pick": pick_drink}),
        Step("sugars", ask_sugars, text=read_sugars, skip=lambda a: a.drink == "tea"),
        Step("extras", ask_extras, buttons={"toggle": toggle_extra, "done": extras_done}),
        Step("summary", ask_summary, buttons={"confirm": confirm, "change": change}),
    ),
)


# ----------------------------------------------------------------------------- a chat, faked
class Drafts:
    """The drafts table in memory, its answers kept as JSON like the real one."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, int], tuple[str, str]] = {}

    async def get(self, platform: str, user_id: int) -> Draft | None:
        row = self.rows.get((platform, user_id))
        return None if row is None else Draft(platform, user_id, row[0], json.loads(row[1]))

    async def save(self, draft: Draft) -> None:
        self.rows[draft.platform, draft.user_id] = (draft.step, json.dumps(draft.answers))

    async def delete(self, platform: str, user_id: int) -> None:
        self.rows.pop((platform, user_id), None)


class Chat:
    """A person in a private chat, as the engine meets them: what it sends (`sent`: id → (text,
    markup)), the messages whose buttons it takes off, its answers to presses, and the draft;
    `events`: sending ("sent", id) and taking buttons off ("cleared", id) in the order they happened."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.drafts = engine, Drafts()
        self.sent: dict[int, tuple[str, object]] = {}
        self.chats: list[int] = []  # where each message was sent
        self.cleared: list[int] = []
        self.events: list[tuple[str, int]] = []
        self.answered: list[str | None] = []
        services = SimpleNamespace(
            conversations=ConversationService(self.drafts), i18n=I18N,
            profile=SimpleNamespace(name="telegram"), messenger=SimpleNamespace(edit=self._edit))
        bot = SimpleNamespace(send_message=self._send, edit_message_reply_markup=self._clear)
        self.context = SimpleNamespace(services=services, t=T, bot=bot)

    async def _send(self, chat_id: int, text: str, reply_markup=None):
        self.sent[len(self.sent) + 1] = (text, reply_markup)
        self.chats.append(chat_id)
        self.events.append(("sent", len(self.sent)))
        return SimpleNamespace(message_id=len(self.sent))

    async def _edit(self, chat_id: int, message_id: int, text: str, markup) -> None:
        self.sent[message_id] = (text, markup)

    async def _clear(self, chat_id: int, message_id: int, reply_markup=None) -> None:
        self.cleared.append(message_id)
        self.events.append(("cleared", message_id))

    async def _answer(self, text: str | None = None, **_) -> None:
        self.answered.append(text)

    def update(self, text: str | None = None, data: str | None = None, on: int = 0):
        chat = SimpleNamespace(id=USER, type="private")
        message = SimpleNamespace(text=text, contact=None, location=None, chat=chat, message_id=on)
        query = SimpleNamespace(data=data, message=message, answer=self._answer) if data else None
        user = SimpleNamespace(id=USER, full_name="Maryam")
        return SimpleNamespace(effective_user=user, effective_chat=chat,
                               effective_message=message, callback_query=query)

    @property
    def last(self) -> str:
        return self.sent[len(self.sent)][0]

    def recent(self, count: int) -> list[tuple[str, object]]:
        """The last `count` messages sent, oldest first, as (text, markup)."""
        return [self.sent[n] for n in range(len(self.sent) - count + 1, len(self.sent) + 1)]

    async def draft(self) -> Draft | None:
        return await self.drafts.get("telegram", USER)

    async def begin(self, dialog: Dialog, answers, step: str | None = None, **kwargs) -> bool:
        return await self.engine.begin(self.update(), self.context, dialog, answers, step, **kwargs)

    async def type(self, text: str) -> None:
        await self.engine.on_message(self.update(text), self.context, await self.draft())

    async def press_data(self, data: str, on: int = 0) -> None:
        await self.engine.on_button(self.update(data=data, on=on), self.context)

    async def press(self, label: str) -> None:
        """The button `label` of the latest message that has it."""
        for message_id in sorted(self.sent, reverse=True):
            markup = self.sent[message_id][1]
            for row in markup.inline_keyboard if isinstance(markup, InlineKeyboardMarkup) else ():
                for button in row:
                    if button.text == label:
                        await self.press_data(button.callback_data, on=message_id)
                        return
        raise AssertionError(f"no button {label!r}")


def progress(number: int, total: int) -> str:
    return T("dialog.progress", number=number, total=total)


def rows(markup) -> list[list[tuple[str, str]]]:
    """An inline keyboard as rows of (label, data)."""
    assert isinstance(markup, InlineKeyboardMarkup), markup
    return [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]


def nav_row(prefix: str, step: str, back: bool = True) -> list[tuple[str, str]]:
    """The engine's last row under an inline question: Back (not at the first question) and Cancel."""
    cancel = [(T("button.cancel"), f"{prefix}|{step}|cancel")]
    return [(T("button.back"), f"{prefix}|{step}|back"), *cancel] if back else cancel


def removes_keyboard(message: tuple[str, object]) -> bool:
    """Whether `message` is the short one taking a reply keyboard away before an inline question:
    always the catalog's "next" alone (no note, no progress line: those open the question)."""
    return message[0] == T("dialog.next") and isinstance(message[1], ReplyKeyboardRemove)


@pytest.fixture
def chat() -> Chat:
    return Chat(Engine([ORDER]))


def _walk(dialog: Dialog, answers) -> list[str]:
    seen = [dialog.first(answers)]
    while (step := dialog.following(seen[-1], answers)) is not None:
        seen.append(step)
    return seen


# ----------------------------------------------------------------------------- the declaration
def test_a_step_that_does_not_apply_is_passed_over_and_left_out_of_the_count():
    coffee, tea = Order(1, drink="coffee"), Order(1, drink="tea")
    assert _walk(ORDER, coffee) == ["drink", "sugars", "extras", "summary"]
    assert _walk(ORDER, tea) == ["drink", "extras", "summary"]
    assert ORDER.position("extras", coffee) == (3, 4) and ORDER.position("extras", tea) == (2, 3)
    assert ORDER.following("summary", coffee) is None


def test_the_first_step_is_the_first_that_applies_and_an_unknown_step_is_an_error():
    later = dataclasses.replace(ORDER, steps=(
        Step("intro", ask_drink, skip=lambda a: a.table > 0), *ORDER.steps))
    assert later.first(Order(1)) == "drink" and later.first(Order(0)) == "intro"
    assert Step("any", ask_drink).applies(Order(1))
    with pytest.raises(KeyError):
        ORDER.step("dessert")


def test_a_buttons_data_names_dialog_step_and_action_and_only_its_dialog_routes_it():
    turn = Turn(None, SimpleNamespace(t=T), ORDER, "drink", Order(1))
    data = turn.button("Tea", "pick", "tea", 3).callback_data
    assert data == "or|drink|pick|tea|3"
    other = dataclasses.replace(ORDER, name="order_more", prefix="orm")
    patterns = Engine([ORDER, other]).patterns()
    assert [p for p in patterns if re.match(p, data)] == [r"^or\|"]
    assert [p for p in patterns if re.match(p, "orm|drink|pick|tea")] == [r"^orm\|"]


def test_each_dialog_of_the_bot_has_a_name_and_a_button_prefix_of_its_own():
    dialogs = (SIGNUP, EDIT, BROADCAST, NEW_EVENT, CHANGE_EVENT, REJECTION_REASON)
    others = [kind.PREFIX for kind in CallbackData.__subclasses__()]
    assert len({d.name for d in dialogs}) == len({d.prefix for d in dialogs}) == len(dialogs)
    for dialog in dialogs:
        assert ENGINE.owns(Draft("telegram", USER, "any", {"mode": dialog.name}))
        data = f"{dialog.prefix}|step|action"
        assert len([p for p in ENGINE.patterns() if re.match(p, data)]) == 1
        assert not [prefix for prefix in others if data.startswith(prefix + "|")]
        # An answer named like one of the engine's own keys would be overwritten in the draft.
        engine_keys = {"mode", "history", "asked", "keyboard"}
        assert not engine_keys & {f.name for f in dataclasses.fields(dialog.answers)}


def test_a_multiple_choice_marks_what_is_chosen_with_done_below_and_no_back_of_its_own():
    turn = Turn(None, SimpleNamespace(t=T), ORDER, "extras", Order(1, extras=["ice"]))
    rows = turn.toggles(EXTRAS, ["ice"]).inline_keyboard
    # Back and Cancel are the engine's row, added when the question is asked (see below).
    assert [[(b.text, b.callback_data) for b in row] for row in rows] == [
        [("Milk", "or|extras|toggle|milk")], [("✓ Ice", "or|extras|toggle|ice")],
        [(T("button.done"), "or|extras|done")]]


def test_a_long_list_is_paged_and_a_page_out_of_range_shows_the_nearest():
    turn = Turn(None, SimpleNamespace(t=T), ORDER, "drink", Order(1))
    items = [turn.button(str(n), "pick", n) for n in range(kb.PAGE_SIZE * 2 + 3)]
    back = turn.button("back", "back")
    first = turn.paged(items, 0, "page", "x").inline_keyboard
    assert sum(len(row) for row in first[:-1]) == kb.PAGE_SIZE
    assert [(b.text, b.callback_data) for b in first[-1]] == [(T("button.next_page"), "or|drink|page|x|1")]
    last = turn.paged(items, 99, "page", "x", back=back).inline_keyboard
    assert [b.text for row in last[:-2] for b in row] == [str(n) for n in range(16, 19)]
    assert [b.callback_data for b in last[-2]] == ["or|drink|page|x|1"] and last[-1] == (back,)
    assert turn.paged(items[:3], 0, "page").inline_keyboard[-1][-1].text == "2"  # one page: no arrows


# ----------------------------------------------------------------------------- the draft
async def test_the_draft_keeps_the_answers_flat_beside_the_engines_keys(chat):
    assert await chat.begin(ORDER, Order(5, extras=["milk"]))
    draft = await chat.draft()
    assert draft.step == "drink" and draft.answers == {
        "table": 5, "drink": "", "sugars": 0, "extras": ["milk"], "changing": False,
        "mode": "order", "history": [], "asked": 1, "keyboard": False}
    assert chat.engine.owns(draft) and chat.engine.answers_of(draft) == Order(5, extras=["milk"])
    assert not chat.engine.owns(Draft("telegram", USER, "drink", {"mode": "another"}))


async def test_a_draft_of_an_earlier_version_resumes_and_back_walks_the_steps_in_order(chat):
    # No history, a key no field has, a field missing: read anyway, and Back passes "sugars" by.
    await chat.drafts.save(Draft("telegram", USER, "summary", {
        "mode": "order", "table": 2, "drink": "tea", "colour": "red"}))
    assert chat.engine.answers_of(await chat.draft()) == Order(2, drink="tea")
    await chat.type(T("button.back"))
    assert (await chat.draft()).step == "extras" and (await chat.draft()).answers["history"] == ["drink"]
    await chat.type(T("button.back"))
    assert (await chat.draft()).step == "drink"


async def test_a_draft_the_dialog_cannot_read_is_dropped_and_the_person_asked_to_start_again(chat):
    await chat.drafts.save(Draft("telegram", USER, "sugars", {"mode": "order", "drink": "coffee"}))
    await chat.type("2")
    assert await chat.draft() is None and chat.last == T("dialog.start_again")


# ----------------------------------------------------------------------------- moving
async def test_each_question_says_where_the_person_is_and_the_answered_one_loses_its_buttons(chat):
    await chat.begin(ORDER, Order(1))
    assert chat.last == progress(1, 4) + "\nWhich drink?"
    await chat.press("Coffee")
    assert chat.cleared == [1] and chat.answered == [None]
    assert chat.last == progress(2, 4) + "\nHow many sugars?"
    assert isinstance(chat.sent[2][1], ReplyKeyboardMarkup)  # a typed question: its reply keyboard
    draft = await chat.draft()
    assert draft.step == "sugars" and draft.answers["history"] == ["drink"]
    assert draft.answers["asked"] is None  # a reply keyboard: nothing to take off later
    assert draft.answers["keyboard"] is True
    await chat.type("2")
    # The reply keyboard goes first, in a short message of its own; then the question, opened as
    # any other (the progress line), with its buttons.
    heading, question = chat.recent(2)
    assert removes_keyboard(heading) and question[0] == progress(3, 4) + "\nAnything else?"
    assert len(chat.sent) == 4 and rows(question[1])[-1] == nav_row("or", "extras")
    draft = await chat.draft()
    assert draft.answers["history"] == ["drink", "sugars"] and draft.answers["asked"] == 4
    assert draft.answers["keyboard"] is False
    assert Engine([ORDER]).answers_of(draft).sugars == 2
    await chat.press(T("button.done"))  # after inline buttons: nothing to take away, the line opens it
    assert len(chat.sent) == 5 and chat.last == progress(4, 4) + "\nA coffee?" and chat.cleared == [1, 4]


async def test_a_refused_answer_asks_the_same_question_again_with_why(chat):
    await chat.begin(ORDER, Order(1))
    await chat.press("Coffee")
    await chat.type("lots")
    assert chat.last == T("invalid.choice") + "\n\n" + progress(2, 4) + "\nHow many sugars?"
    assert (await chat.draft()).step == "sugars"


async def test_a_text_where_buttons_are_asked_is_refused_with_a_word_on_using_them(chat):
    await chat.begin(ORDER, Order(1))
    await chat.type("coffee please")
    assert chat.last.startswith(T("signup.unexpected.use_buttons") + "\n\n")
    assert (await chat.draft()).step == "drink"


async def test_a_toggle_redraws_the_question_in_place_and_keeps_the_choice(chat):
    await chat.begin(ORDER, Order(1, drink="tea"), step="extras")
    await chat.press("Milk")
    assert len(chat.sent) == 1 and chat.sent[1][0] == progress(2, 3) + "\nAnything else?"
    assert chat.sent[1][1].inline_keyboard[0][0].text == "✓ Milk"
    # Redrawn with the engine's row still last (no Back: nothing was answered before it).
    assert rows(chat.sent[1][1])[-2:] == [[(T("button.done"), "or|extras|done")],
                                          nav_row("or", "extras", back=False)]
    draft = await chat.draft()
    assert draft.step == "extras" and draft.answers["extras"] == ["milk"]


async def test_an_inline_question_after_a_typed_one_first_takes_the_reply_keyboard_away(chat):
    # The first question: Cancel only (Back would do nothing there); no keyboard to take away.
    await chat.begin(ORDER, Order(1))
    assert len(chat.sent) == 1 and chat.last == progress(1, 4) + "\nWhich drink?"
    assert rows(chat.sent[1][1]) == [[("Tea", "or|drink|pick|tea"), ("Coffee", "or|drink|pick|coffee")],
                                     nav_row("or", "drink", back=False)]
    await chat.press("Coffee")
    assert isinstance(chat.sent[2][1], ReplyKeyboardMarkup)  # typed: the reply keyboard, no inline row
    await chat.type("lots")  # refused: the reason and the progress line open it, the keyboard stays
    assert chat.recent(1) == [(T("invalid.choice") + "\n\n" + progress(2, 4) + "\nHow many sugars?",
                               kb.navigation(T))]
    await chat.type("1")
    assert len(chat.sent) == 5
    # The short message is the catalog's "next" alone, whatever the language.
    assert T("dialog.next") == "Next 👇" and I18N.translator("fa")("dialog.next") == "ادامه 👇"
    assert chat.sent[4][0] == "Next 👇" and isinstance(chat.sent[4][1], ReplyKeyboardRemove)
    # The question is opened as any other: the progress line, then its text, with its buttons.
    assert chat.sent[5][0] == progress(3, 4) + "\nAnything else?"
    assert rows(chat.sent[5][1]) == [[("Milk", "or|extras|toggle|milk")], [("Ice", "or|extras|toggle|ice")],
                                     [(T("button.done"), "or|extras|done")], nav_row("or", "extras")]
    assert (await chat.draft()).answers["asked"] == 5  # the question's buttons go, not the short one's
    # A redraw keeps the progress line on the question; the short message stays as it was.
    await chat.press("Milk")
    assert len(chat.sent) == 5 and chat.sent[4][0] == T("dialog.next")
    assert chat.sent[5][0] == progress(3, 4) + "\nAnything else?"
    assert [text for text, _ in chat.sent.values()].count(progress(3, 4) + "\nAnything else?") == 1
    # The engine's Back works like the typed one.
    await chat.press(T("button.back"))
    assert (await chat.draft()).step == "sugars" and isinstance(chat.recent(1)[0][1], ReplyKeyboardMarkup)
    # A note opens the question too, never the short message.
    await chat.engine.go_to(chat.update(), chat.context, await chat.draft(),
                            Order(1, drink="coffee", sugars=1), "extras", note="Noted.")
    heading, question = chat.recent(2)
    assert removes_keyboard(heading) and question[0] == "Noted.\n\n" + progress(3, 4) + "\nAnything else?"
    assert rows(question[1])[-1] == nav_row("or", "extras")
    # Without a progress line: the same short message, and the question alone (after the note
    # and its blank line, where there is one).
    plain = dataclasses.replace(ORDER, progress=False)
    chat = Chat(Engine([plain]))
    await chat.begin(plain, Order(1, drink="coffee"), step="sugars")
    await chat.type("1")
    heading, question = chat.recent(2)
    assert removes_keyboard(heading) and question[0] == "Anything else?"
    assert rows(question[1])[-1] == nav_row("or", "extras")
    await chat.engine.go_to(chat.update(), chat.context, await chat.draft(),
                            Order(1, drink="coffee", sugars=1), "sugars")
    assert chat.last == "How many sugars?"
    await chat.engine.go_to(chat.update(), chat.context, await chat.draft(),
                            Order(1, drink="coffee", sugars=1), "extras", note="Noted.")
    heading, question = chat.recent(2)
    assert removes_keyboard(heading) and question[0] == "Noted.\n\nAnything else?"


async def test_a_note_is_followed_by_a_blank_line_also_without_a_progress_line():
    plain = dataclasses.replace(ORDER, progress=False)
    chat = Chat(Engine([plain]))
    await chat.begin(plain, Order(1), note="Welcome.")
    assert chat.last == "Welcome.\n\nWhich drink?"
    await chat.press("Coffee")
    assert chat.last == "How many sugars?"
    await chat.type("lots")
    assert chat.recent(1) == [(T("invalid.choice") + "\n\nHow many sugars?", kb.navigation(T))]


async def test_back_at_the_first_inline_question_is_offered_where_it_cancels_the_dialog():
    cancelling = dataclasses.replace(ORDER, back_at_start_cancels=True)
    chat = Chat(Engine([cancelling]))
    await chat.begin(cancelling, Order(1))
    assert rows(chat.sent[1][1])[-1] == nav_row("or", "drink")
    await chat.press(T("button.back"))
    assert await chat.draft() is None and chat.last == T("admin.cancelled")


async def test_a_question_with_a_reply_keyboard_above_its_inline_list_adds_no_row_of_its_own():
    async def ask_where(turn: Turn[Order]) -> Question:
        return Question("Pick a table", kb.inline([[turn.button("Table 2", "pick", "2")]]),
                        before=Question("Where do you sit?", kb.navigation(turn.t)))

    async def pick_table(turn: Turn[Order], args: list[str]):
        turn.answers.table = int(args[0])
    seated = dataclasses.replace(ORDER, steps=(
        Step("where", ask_where, buttons={"pick": pick_table}), *ORDER.steps))
    chat = Chat(Engine([seated]))
    await chat.begin(seated, Order(1))
    (before, reply), (question, inline) = chat.recent(2)
    assert before == progress(1, 5) + "\nWhere do you sit?" and isinstance(reply, ReplyKeyboardMarkup)
    # The reply keyboard under the list has Back and Cancel already.
    assert question == "Pick a table" and rows(inline) == [[("Table 2", "or|where|pick|2")]]
    assert (await chat.draft()).answers["keyboard"] is True
    await chat.press("Table 2")
    heading, drink = chat.recent(2)
    assert removes_keyboard(heading) and drink[0] == progress(2, 5) + "\nWhich drink?"
    assert rows(drink[1])[-1] == nav_row("or", "drink")


async def test_back_returns_to_the_last_question_that_still_applies(chat):
    await chat.begin(ORDER, Order(1))
    await chat.press("Coffee")
    await chat.type("2")
    # From outside the dialog, the drink becomes tea: "sugars" no longer applies.
    await chat.engine.go_to(chat.update(), chat.context, await chat.draft(), Order(1, drink="tea"))
    await chat.press(T("button.back"))
    draft = await chat.draft()
    assert draft.step == "drink" and draft.answers["history"] == []
    assert chat.last == progress(1, 3) + "\nWhich drink?"


async def test_back_at_the_first_question_asks_it_again_or_cancels_where_the_dialog_says_so():
    chat = Chat(Engine([ORDER]))
    await chat.begin(ORDER, Order(1))
    await chat.type(T("button.back"))
    assert (await chat.draft()).step == "drink" and chat.last.endswith("Which drink?")
    cancelling = dataclasses.replace(ORDER, back_at_start_cancels=True)
    chat = Chat(Engine([cancelling]))
    await chat.begin(cancelling, Order(1))
    await chat.type(T("button.back"))
    assert await chat.draft() is None and chat.last == T("admin.cancelled")


async def test_an_answer_changed_from_the_summary_leads_back_to_it_and_history_stays(chat):
    await chat.begin(ORDER, Order(1))
    await chat.press("Coffee")
    await chat.type("1")
    await chat.press(T("button.done"))
    before = ["drink", "sugars", "extras"]
    assert (await chat.draft()).step == "summary" and (await chat.draft()).answers["history"] == before
    await chat.press("Change sugars")
    assert (await chat.draft()).step == "sugars" and (await chat.draft()).answers["history"] == before
    await chat.type("3")
    draft = await chat.draft()
    assert draft.step == "summary" and draft.answers["history"] == before
    assert chat.engine.answers_of(draft) == Order(1, drink="coffee", sugars=3)
    await chat.press("Change sugars")
    await chat.type(T("button.back"))  # Back from the excursion: to the summary, not before it
    assert (await chat.draft()).step == "summary"


async def test_going_to_a_step_from_outside_remembers_where_back_leads_unless_returning(chat):
    await chat.begin(ORDER, Order(1, drink="tea"))
    engine, update = chat.engine, chat.update()
    await engine.go_to(update, chat.context, await chat.draft(), Order(1, drink="tea"), "extras")
    assert (await chat.draft()).answers["history"] == ["drink"]
    await engine.go_to(update, chat.context, await chat.draft(), Order(1, drink="tea"), "summary",
                       returning=True)
    assert (await chat.draft()).step == "summary" and (await chat.draft()).answers["history"] == ["drink"]


async def test_the_last_answer_ends_the_dialog_and_its_draft(chat):
    await chat.begin(ORDER, Order(1, drink="tea"), step="summary")
    await chat.press("Order")
    assert await chat.draft() is None and chat.cleared == [1]


async def test_the_final_message_comes_after_the_answered_question_lost_its_buttons():
    asked = []

    async def order(turn: Turn[Order], args: list[str]):
        asked.append(turn.asked)
        await turn.end()
        await turn.send("Ordered.", ReplyKeyboardRemove())
        return FINISHED

    async def finish(turn: Turn[Order]):
        asked.append(turn.asked)
        await turn.end()
        await turn.send("Done.", ReplyKeyboardRemove())
        return FINISHED
    ordering = dataclasses.replace(ORDER, steps=(
        *ORDER.steps[:3], Step("summary", ask_summary, buttons={"confirm": order, "change": change})))
    chat = Chat(Engine([ordering]))
    await chat.begin(ordering, Order(1, drink="tea"), step="summary")
    await chat.press("Order")
    # The reader's turn knows the question answered; its buttons go before the closing message,
    # and once only (FINISHED after `end` takes nothing more off).
    assert asked == [1] and await chat.draft() is None and chat.last == "Ordered."
    assert chat.events == [("sent", 1), ("cleared", 1), ("sent", 2)]
    # The same through the dialog's `finish`, after its last step.
    ending = dataclasses.replace(ORDER, steps=ORDER.steps[:3], finish=finish)
    chat = Chat(Engine([ending]))
    await chat.begin(ending, Order(1, drink="tea"), step="extras")
    await chat.press("Milk")  # a redraw: the same message
    await chat.press(T("button.done"))
    assert asked == [1, 1] and await chat.draft() is None and chat.last == "Done."
    assert chat.events == [("sent", 1), ("cleared", 1), ("sent", 2)]
    # A dialog that keeps the buttons of answered questions: `end` takes none off.
    keeping = dataclasses.replace(ordering, clear_answered=False)
    chat = Chat(Engine([keeping]))
    await chat.begin(keeping, Order(1, drink="tea"), step="summary")
    await chat.press("Order")
    assert await chat.draft() is None and chat.events == [("sent", 1), ("sent", 2)]
    turn = Turn(chat.update(), chat.context, keeping, "summary", Order(1), asked=1)
    await turn.end()  # even told which question was asked
    assert turn.ended and chat.cleared == []


async def test_after_the_last_step_the_dialog_finishes_or_it_is_a_mistake_in_its_declaration():
    finished = []

    async def finish(turn):
        finished.append(turn.answers)
        return FINISHED
    ending = dataclasses.replace(ORDER, steps=ORDER.steps[:3], finish=finish)
    chat = Chat(Engine([ending]))
    await chat.begin(ending, Order(1, drink="tea"), step="extras")
    await chat.press(T("button.done"))
    assert finished == [Order(1, drink="tea")] and await chat.draft() is None
    unfinished = dataclasses.replace(ending, finish=None)
    chat = Chat(Engine([unfinished]))
    await chat.begin(unfinished, Order(1, drink="tea"), step="extras")
    with pytest.raises(RuntimeError, match="ran past its last step extras"):
        await chat.press(T("button.done"))


# ----------------------------------------------------------------------------- refusing
async def test_a_new_dialog_waits_for_the_one_going_on_unless_it_replaces_the_same(chat):
    await chat.begin(ORDER, Order(1, drink="tea"), step="extras")
    other = dataclasses.replace(ORDER, name="order_more", prefix="orm")
    chat.engine = Engine([ORDER, other])
    assert await chat.begin(other, Order(2))
    assert chat.last == T("admin.finish_first") and (await chat.draft()).step == "extras"
    await chat.begin(ORDER, Order(3))
    assert (await chat.draft()).step == "extras"
    await chat.begin(ORDER, Order(3), replacing=True)
    assert (await chat.draft()).step == "drink" and (await chat.draft()).answers["table"] == 3


async def test_a_dialog_started_over_at_a_typed_question_takes_its_reply_keyboard_away_first(chat):
    await chat.begin(ORDER, Order(1, drink="coffee"), step="sugars")
    assert len(chat.sent) == 1 and (await chat.draft()).answers["keyboard"] is True
    await chat.begin(ORDER, Order(3), replacing=True)
    assert len(chat.sent) == 3
    heading, question = chat.recent(2)
    assert removes_keyboard(heading) and question[0] == progress(1, 4) + "\nWhich drink?"
    assert rows(question[1])[-1] == nav_row("or", "drink", back=False)
    draft = await chat.draft()
    assert draft.step == "drink" and draft.answers["table"] == 3
    assert draft.answers["keyboard"] is False and draft.answers["asked"] == 3
    # Started over at an inline question: no reply keyboard shows, the question alone.
    await chat.begin(ORDER, Order(4), replacing=True)
    assert len(chat.sent) == 4 and chat.last == progress(1, 4) + "\nWhich drink?"
    # A draft that does not say whether one shows (an earlier version's): taken away to be sure.
    await chat.drafts.save(Draft("telegram", USER, "sugars",
                                 {"mode": "order", "table": 1, "drink": "coffee"}))
    await chat.begin(ORDER, Order(5), replacing=True)
    assert len(chat.sent) == 6 and removes_keyboard(chat.sent[5])
    assert chat.last == progress(1, 4) + "\nWhich drink?"
    # Not replacing anything: no keyboard to take away.
    fresh = Chat(Engine([ORDER]))
    await fresh.begin(ORDER, Order(1), replacing=True)
    assert len(fresh.sent) == 1 and fresh.last == progress(1, 4) + "\nWhich drink?"


async def test_a_button_of_another_question_or_an_unknown_action_changes_nothing(chat):
    await chat.begin(ORDER, Order(1))
    await chat.press("Coffee")
    for stale in ("or|drink|pick|tea", "xx|sugars|pick|tea", "or|sugars"):  # before; another; short
        await chat.press_data(stale)
        assert chat.answered[-1] == T("signup.stale_button") and chat.last.endswith("How many sugars?")
    await chat.press_data("or|sugars|explode")
    draft = await chat.draft()
    assert draft.step == "sugars" and chat.engine.answers_of(draft) == Order(1, drink="coffee")
    assert chat.last.startswith(T("signup.unexpected.use_buttons"))


async def test_damaged_button_data_is_refused_and_never_acted_on(chat):
    await chat.begin(ORDER, Order(1))
    for damaged in ("or|drink|pick|whisky", "or|drink|pick"):
        await chat.press_data(damaged)
        assert chat.last.startswith(T("signup.unexpected.use_buttons") + "\n\n")
    assert chat.engine.answers_of(await chat.draft()) == Order(1)


async def test_cancel_drops_the_draft_and_takes_the_buttons_off_the_question(chat):
    await chat.begin(ORDER, Order(1))
    await chat.type(T("button.cancel"))
    assert await chat.draft() is None and chat.cleared == [1] and chat.last == T("admin.cancelled")


async def test_who_may_no_longer_use_the_dialog_is_refused_and_it_ends():
    allowed = [True]

    async def while_allowed(update, context):
        return allowed[0]
    guarded = dataclasses.replace(ORDER, allowed=while_allowed)
    chat = Chat(Engine([guarded]))
    await chat.begin(guarded, Order(1))
    allowed[0] = False
    await chat.press("Tea")
    assert await chat.draft() is None and chat.last == T("roles.not_allowed")
