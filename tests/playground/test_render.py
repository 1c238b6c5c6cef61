"""How the playground prints Persian for a terminal."""

from playground.render import line_for_terminal


def test_logical_mode_prints_text_as_stored() -> None:
    assert line_for_terminal("سلام محله", visual=False) == "سلام محله"


def test_visual_mode_reorders_and_joins_persian_letters() -> None:
    shown = line_for_terminal("سلام محله", visual=True, align=False)
    assert shown != "سلام محله"
    assert shown.split()[0] != "سلام"  # the first word is printed rightmost, i.e. last
    assert all("\uFB50" <= ch <= "\uFEFF" or ch == " " for ch in shown)  # joined (presentation) forms


def test_visual_mode_leaves_latin_lines_alone() -> None:
    assert line_for_terminal("Please choose your language.", visual=True) == "Please choose your language."
