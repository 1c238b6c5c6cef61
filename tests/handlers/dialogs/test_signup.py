"""The sign-up and /edit dialogs as declared: their order, what they skip, where Back and an
answer changed from the summary lead (the engine's moves, without a messenger)."""

from __future__ import annotations

from bot.services.signup import EditAnswers, SignupAnswers
from handlers.dialogs.signup import EDIT, SIGNUP


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
