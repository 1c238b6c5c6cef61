"""Platform profiles: what differs between Telegram and Bale, so handlers never test the platform."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from bot.config import BALE, TELEGRAM


@dataclass(frozen=True)
class PlatformProfile:
    """How to talk to one messenger (every text goes out plain, so no parse_mode is needed)."""

    name: str
    deep_link_host: str
    # Bale's setMyCommands may fail; failing there must not stop the bot.
    commands_required: bool

    def deep_link(self, bot_username: str, payload: str) -> str:
        """The link that opens the bot with `/start <payload>`."""
        return f"https://{self.deep_link_host}/{bot_username}?start={quote(payload)}"


PROFILES: dict[str, PlatformProfile] = {
    TELEGRAM: PlatformProfile(TELEGRAM, "t.me", commands_required=True),
    BALE: PlatformProfile(BALE, "ble.ir", commands_required=False),
}
