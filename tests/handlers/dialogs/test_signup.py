"""The sign-up and /edit dialogs as declared: their order, what they skip, where Back and an
answer changed from the summary lead (the engine's moves, without a messenger)."""

from __future__ import annotations

from bot import keyboards as kb
from bot.services.signup import GENDERS, EditAnswers, SignupAnswers
from handlers.dialogs import ENGINE
from handlers.dialogs.signup import EDIT, SIGNUP
from tests.handlers.dialogs.test_engine import Chat, T, nav_row, progress, removes_keyboard, rows


def _walk(dialog, answers, first: str) -> list[str]:
    seen, step = [first], first
    while (step := dialog.following(step, answers)) is not None:
        seen.append(step)
    return seen


def test_sign_up_asks_every_question_in_order():
    assert _walk(SIGNUP, SignupAnswers(), "language") == [
        "language", "privacy", "name", "national_id", "mobile", "birth_date", "gender", "center",
        "activities", "days", "parts", "summary"]


def test_a_posters_center_is_confirmed_first_and_not_asked_again():
    answers = SignupAnswers(center_id=7, center_from_link=True)
    walk = _walk(SIGNUP, answers, "center_link")
    assert walk[:2] == ["center_link", "language"] and "center" not in walk
    assert SIGNUP.position("activities", answers) == (9, 12)


def test_an_answer_changed_from_the_summary_leads_back_to_it_once():
    answers = SignupAnswers(return_to_summary=True)
    assert SIGNUP.then(answers, "mobile") == "summary"
    assert not answers.return_to_summary and SIGNUP.then(answers, "mobile") is None


def test_an_edit_asks_only_the_steps_of_its_part_and_ends_there():
    availability = EditAnswers(registration_id=1, part="availability", previous_center_id=3)
    assert [s.name for s in EDIT.steps if not s.skip(availability)] == ["days", "parts"]
    assert EDIT.following("days", availability) == "parts" and EDIT.following("parts", availability) is None
    assert EDIT.back_at_start_cancels and EDIT.finish is not None


async def test_its_inline_questions_get_the_engines_back_and_cancel_and_a_typed_ones_keyboard_goes_first():
    chat = Chat(ENGINE)
    answers = SignupAnswers(language="en", language_known=True)  # the language is not asked again
    assert SIGNUP.progress and SIGNUP.clear_answered
    await ENGINE.begin(chat.update(), chat.context, SIGNUP, answers)
    # The first question: its own button, then Cancel alone (Back would do nothing there).
    assert chat.last == progress(1, 11) + "\n" + T("signup.privacy.prompt")
    assert rows(chat.recent(1)[0][1]) == [[(T("button.agree"), "su|privacy|agree")],
                                          nav_row("su", "privacy", back=False)]
    await chat.press(T("button.agree"))
    assert chat.cleared == [1] and chat.last == progress(2, 11) + "\n" + T("signup.name.prompt")
    assert chat.recent(1)[0][1] == kb.navigation(T)
    # From the birth date (typed) to the gender (buttons): the reply keyboard is taken away first.
    answers.agreed, answers.full_name, answers.national_id = True, "Maryam Ahmadi", "0012345679"
    answers.mobile, answers.birth_date = "09121234567", "2000-01-01"
    await ENGINE.go_to(chat.update(), chat.context, await chat.draft(), answers, "birth_date")
    assert chat.recent(1)[0][1] == kb.navigation(T)
    await ENGINE.go_to(chat.update(), chat.context, await chat.draft(), answers, "gender")
    heading, question = chat.recent(2)
    assert removes_keyboard(heading) and question[0] == progress(6, 11) + "\n" + T("signup.gender.prompt")
    assert rows(question[1]) == [[(T(f"gender.{g}"), f"su|gender|set|{g}") for g in GENDERS],
                                 nav_row("su", "gender")]
    assert (await chat.draft()).answers["keyboard"] is False
