"""Keyboard builders: labels come from the user's translator (button data: bot/callbacks.py and
the dialog engine)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.i18n import Translator

PAGE_SIZE = 8


def link(text: str, url: str) -> InlineKeyboardMarkup:
    """One button that opens a link (the link never passes through the text's rendering)."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, url=url)]])


def inline(rows: Sequence[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows if row])


def in_rows(buttons: Sequence[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i:i + per_row]) for i in range(0, len(buttons), per_row)]


def navigation(t: Translator) -> ReplyKeyboardMarkup:
    """The Back / Cancel keyboard shown under every typed answer."""
    return ReplyKeyboardMarkup([[t("button.back"), t("button.cancel")]], resize_keyboard=True)


def share_contact(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(t("button.share_contact"), request_contact=True)],
         [t("button.back"), t("button.cancel")]],
        resize_keyboard=True,
    )


def share_location(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(t("button.share_location"), request_location=True)],
         [t("button.back"), t("button.cancel")]],
        resize_keyboard=True,
    )
