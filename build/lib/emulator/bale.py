"""How the real Bale Bot API differs from Telegram's, as the emulator's Bale dialect plays it.

Sources (read through the public Bale client libraries and docs.bale.ai; see README "Running in
Iran"): edits answer a stub (`message_id` 0, no text; `date` sometimes missing) or `true`; clients
render every text as Markdown (`*bold*`, `_italic_`; a backslash is shown, not an escape); a 429 may
come without `retry_after`; unknown chats are "no such group or user"; contacts may lack `user_id`;
forwards carry `forward_from`/`forward_date`; callback queries carry no `chat_instance`;
`getUpdates` may answer at once whatever its `timeout`. Every switch defaults to the unkind
answer, so a test that does not choose runs against the harshest Bale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

EDIT_ANSWERS = ("stub-without-date", "stub", "true", "message", "refused")
BLOCKED = "Forbidden: user has blocked the bot"
NO_SUCH_CHAT = "Bad Request: no such group or user"
TOKEN_NOT_FOUND = "Bad Request: Token not found"


@dataclass
class BaleQuirks:
    """One combination of Bale's behaviours; the defaults are the harshest seen or reported."""

    # What an edit of a message answers: a stub {message_id: 0, chat, edit_date} with or without
    # `date`, `true`, the edited message (as Telegram), or a refusal of messages with buttons.
    edit_answer: str = "stub-without-date"
    honours_long_poll: bool = False
    retry_after: bool = False
    contact_user_id: bool = False
    chat_instance: bool = False
    forward_origin: bool = False

    def __post_init__(self) -> None:
        if self.edit_answer not in EDIT_ANSWERS:
            raise ValueError(f"edit_answer must be one of {EDIT_ANSWERS}")


# Bale's clients turn `*x*` into bold and `_x_` into italics and drop the marks, wherever they are.
_BOLD = re.compile(r"\*([^*\n]+)\*")
_ITALIC = re.compile(r"_([^_\n]+)_")


def rendered(text: str) -> str:
    """What a Bale user reads after the client's Markdown rendering of a plain text."""
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))


def edit_answer(quirks: BaleQuirks, edited: dict[str, Any], moment: int) -> dict[str, Any] | bool:
    """The answer to a successful edit."""
    if quirks.edit_answer == "true":
        return True
    if quirks.edit_answer in ("message", "refused"):
        return edited
    chat = {"id": edited["chat"]["id"], "type": edited["chat"].get("type", "private"), "photo": None}
    stub: dict[str, Any] = {"message_id": 0, "chat": chat, "edit_date": moment}
    if quirks.edit_answer == "stub":
        stub["date"] = moment
    return stub


def shape_update(quirks: BaleQuirks, update: dict[str, Any]) -> dict[str, Any]:
    """An update as Bale sends it: fields Bale lacks removed, forwards in the old shape."""
    query = update.get("callback_query")
    if query is not None and not quirks.chat_instance:
        query.pop("chat_instance", None)
    message = update.get("message")
    if message is None:
        return update
    contact = message.get("contact")
    if contact is not None and not quirks.contact_user_id:
        contact.pop("user_id", None)
    origin = message.get("forward_origin")
    if origin is not None and not quirks.forward_origin:
        del message["forward_origin"]
        message["forward_date"] = origin.get("date", 0)
        sender = origin.get("sender_user") or {"id": 0, "is_bot": False,
                                               "first_name": origin.get("sender_user_name", "")}
        message["forward_from"] = sender
    return update
