"""Platform profiles: what differs between Telegram and Bale, so handlers never test the platform."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from telegram import ReplyParameters

from bot.config import BALE, TELEGRAM


@dataclass(frozen=True)
class PlatformProfile:
    """How to talk to one messenger (every text goes out plain, so no parse_mode is needed)."""

    name: str
    deep_link_host: str
    # Bale's setMyCommands may fail; failing there must not stop the bot.
    commands_required: bool
    # Bale has no reply_parameters: a reply names the message with reply_to_message_id.
    reply_parameters: bool

    def reply_to(self, message_id: int) -> dict[str, Any]:
        """Keyword arguments of send_message that make it a reply to `message_id`."""
        if self.reply_parameters:
            return {"reply_parameters": ReplyParameters(message_id)}
        # PTB turns a reply_to_message_id argument into reply_parameters; send the raw field.
        return {"api_kwargs": {"reply_to_message_id": message_id}}

    def deep_link(self, bot_username: str, payload: str) -> str:
        """The link that opens the bot with `/start <payload>`."""
        return f"https://{self.deep_link_host}/{bot_username}?start={quote(payload)}"


PROFILES: dict[str, PlatformProfile] = {
    TELEGRAM: PlatformProfile(TELEGRAM, "t.me", commands_required=True, reply_parameters=True),
    BALE: PlatformProfile(BALE, "ble.ir", commands_required=False, reply_parameters=False),
}
