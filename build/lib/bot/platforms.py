"""Platform profiles: what differs between Telegram and Bale, so handlers never test the platform."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from telegram import ReplyParameters

from bot.config import BALE, TELEGRAM

# Words kept letter for letter by PlatformProfile.literal: links, e-mail addresses, @usernames.
_WORDS = re.compile(r"(\s+)")
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[^\s@]+@[^\s@]+\.\S+|@\w+")


@dataclass(frozen=True)
class PlatformProfile:
    """How to talk to one messenger (every text goes out plain, so no parse_mode is needed)."""

    name: str
    deep_link_host: str
    # Bale's setMyCommands may fail; failing there must not stop the bot.
    commands_required: bool
    # Bale has no reply_parameters: a reply names the message with reply_to_message_id.
    reply_parameters: bool
    # Whether a link can stand in a text as it is: Bale's clients render every text as Markdown,
    # so the `_` of a bot's username in a link would turn into italics and the link would break.
    links_in_text: bool = True
    # Characters this messenger's clients read as Markdown marks in any text, each with the
    # look-alike that shows instead when a text holds a pair of them (so nothing turns bold or
    # italic and nothing disappears): Bale renders `*x*` and `_x_`, and shows `\*` literally.
    markdown_look_alikes: dict[str, str] = field(default_factory=dict)

    def literal(self, text: str) -> str:
        """The text as this messenger's clients will show it letter for letter: on each line that
        holds a pair of a mark, that mark becomes its look-alike, except inside a link, an e-mail
        address or an @username (changing a letter there would break it for sure)."""
        if not self.markdown_look_alikes or not any(m in text for m in self.markdown_look_alikes):
            return text
        return "\n".join(self._literal_line(line) for line in text.split("\n"))

    def _literal_line(self, line: str) -> str:
        for mark, look_alike in self.markdown_look_alikes.items():
            if line.count(mark) >= 2:
                line = "".join(part if _ADDRESS.fullmatch(part) else part.replace(mark, look_alike)
                               for part in _WORDS.split(line))
        return line
    # How a refused send says the person cannot be reached at all (deleted account, unknown
    # chat), in this messenger's own words: such a person is treated like one who blocked the bot.
    chat_gone_phrases: tuple[str, ...] = ()

    def chat_is_gone(self, description: str) -> bool:
        """Whether a 400 answer means the chat no longer exists for the bot."""
        lowered = description.lower()
        return any(phrase in lowered for phrase in self.chat_gone_phrases)

    def reply_to(self, message_id: int) -> dict[str, Any]:
        """Keyword arguments of send_message that make it a reply to `message_id`."""
        if self.reply_parameters:
            return {"reply_parameters": ReplyParameters(message_id)}
        # PTB turns a reply_to_message_id argument into reply_parameters; send the raw field.
        return {"api_kwargs": {"reply_to_message_id": message_id}}

    def chat_link(self, bot_username: str) -> str:
        """The link that opens a private chat with the bot."""
        return f"https://{self.deep_link_host}/{bot_username}"

    def deep_link(self, bot_username: str, payload: str) -> str:
        """The link that opens the bot with `/start <payload>`."""
        return f"https://{self.deep_link_host}/{bot_username}?start={quote(payload)}"


PROFILES: dict[str, PlatformProfile] = {
    TELEGRAM: PlatformProfile(TELEGRAM, "t.me", commands_required=True, reply_parameters=True,
                              chat_gone_phrases=("chat not found", "user is deactivated")),
    # "no such group or user": python-bale-bot's USER_OR_CHAT_NOT_FOUND, seen on tapi.bale.ai.
    BALE: PlatformProfile(BALE, "ble.ir", commands_required=False, reply_parameters=False,
                          links_in_text=False, markdown_look_alikes={"*": "∗", "_": "＿"},
                          chat_gone_phrases=("no such group or user", "chat not found")),
}
