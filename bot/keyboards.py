"""Keyboard builders: labels come from the user's translator; button data is `step|action|arg`."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.i18n import Translator

PAGE_SIZE = 8
SEP = "|"


def data(*parts: object) -> str:
    """Callback data `step|action|arg…` (well under the 64-byte limit)."""
    return SEP.join(str(p) for p in parts)


def button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data(*parts))


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


def paged(t: Translator, items: Sequence[tuple[str, str]], page: int, step: str, action: str,
          *page_args: object, per_row: int = 2, back: str | None = None) -> InlineKeyboardMarkup:
    """One page of (label, data) buttons with « / » to move between pages and an optional Back."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    chunk = items[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    rows = in_rows([InlineKeyboardButton(label, callback_data=value) for label, value in chunk], per_row)
    nav = []
    if page > 0:
        nav.append(button(t("button.previous_page"), step, action, *page_args, page - 1))
    if page < pages - 1:
        nav.append(button(t("button.next_page"), step, action, *page_args, page + 1))
    rows.append(nav)
    if back:
        rows.append([InlineKeyboardButton(t("button.back"), callback_data=back)])
    return inline(rows)


def toggles(t: Translator, step: str, options: Sequence[tuple[object, str]], chosen: Sequence[object],
            per_row: int = 1) -> InlineKeyboardMarkup:
    """Multiple choice: ✓ marks what is selected; Done and Back at the bottom."""
    buttons = [
        button(f"✓ {label}" if value in chosen else label, step, "toggle", value)
        for value, label in options
    ]
    rows = in_rows(buttons, per_row)
    rows.append([button(t("button.done"), step, "done"), button(t("button.back"), step, "back")])
    return inline(rows)
