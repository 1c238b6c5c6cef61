"""Typed button data: what a button packs is what its handler parses back; anything else — another
kind's data, a forged field, a missing or extra part — is refused."""

from __future__ import annotations

import re

import pytest

from bot.callbacks import EventAction, ReleaseButton, RemoveCoordinator, ReviewButton, RosterPage


def test_a_button_parses_back_to_itself_and_fits_the_64_byte_limit():
    for button in (ReviewButton("reason-capacity", 123_456_789), RosterPage(2_500, "withdrawn", 13, 999),
                   RemoveCoordinator("rm", "telegram", 9_999_999_999, 2_500), EventAction("offsets", 7)):
        data = button.pack()
        assert type(button).parse(data) == button
        assert re.match(type(button).pattern(), data) and len(data.encode()) <= 64


@pytest.mark.parametrize("data", [
    None, "", "rv", "rv|approve", "rv|approve|1|2", "rv|approve|x", "rl|approve|1", "rl|yes|-", "evl|zap|1",
    "ro|1|-|0", "co|rm|telegram|x|1",
])
def test_malformed_or_forged_data_is_refused(data):
    kind = {"rv": ReviewButton, "rl": ReleaseButton, "evl": EventAction, "ro": RosterPage,
            "co": RemoveCoordinator}.get((data or "rv").split("|")[0], ReviewButton)
    with pytest.raises(ValueError):
        kind.parse(data)


def test_a_button_sent_before_a_field_with_a_default_was_added_still_parses():
    from bot.callbacks import AccountButton

    old, new = AccountButton.parse("account|edit"), AccountButton.parse("account|edit|")
    assert old == new == AccountButton("edit")
    assert AccountButton.parse("account|lang|en").arg == "en"
    with pytest.raises(ValueError):
        AccountButton.parse("account|explode")


def test_one_kind_never_parses_another():
    with pytest.raises(ValueError):
        ReleaseButton.parse(ReviewButton("approve", 1).pack())
