"""Shared fixtures: the Bot API emulator on 127.0.0.1 and the real Application running against it."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from telegram.ext import Application

from bot.config import Settings
from bot.runner import running_bots
from emulator.bot_process import BotProcess
from emulator.client import EmulatedUser
from emulator.server import BotApiEmulator
from emulator.state import EmulatedBot
from handlers.routes import ROUTES

# Opt in to PTB's future timedelta `retry_after` (main.py does the same for the real bot).
os.environ.setdefault("PTB_TIMEDELTA", "1")

TELEGRAM_TOKEN = "123456:TEST-telegram-token"
BALE_TOKEN = "654321:TEST-bale-token"
ADMIN_ID = 900_001
BOTH_PLATFORMS = ("telegram", "bale")
# Suites that must hold on both messengers say: pytestmark = pytest.mark.parametrize(
#     "platform", BOTH_PLATFORMS)


class SettableClock:
    """The bot's clock in tests: real time, moved on by `offset`, unless a test fixes `now`."""

    def __init__(self) -> None:
        self.now: datetime | None = None
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return self.now or datetime.now(UTC) + self.offset


@dataclass
class BotHarness:
    """The running bot(s) and the emulator they talk to; makes users that talk to the bot."""

    emulator: BotApiEmulator
    bot: EmulatedBot
    applications: list[Application]
    settings: Settings
    platform: str
    _ids: itertools.count = field(default_factory=lambda: itertools.count(100_001))

    def user(self, user_id: int | None = None, language_code: str = "fa",
             first_name: str = "مریم") -> EmulatedUser:
        """A new person in a private chat with the bot."""
        return EmulatedUser(self.emulator, self.bot, user_id or next(self._ids),
                            first_name=first_name, language_code=language_code)

    @property
    def services(self):
        return self.applications[0].bot_data.services


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    emu = BotApiEmulator()
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "salam.sqlite3"


@pytest.fixture
def platform() -> str:
    """The messenger the harness runs on (a suite parametrises it to run on both)."""
    return "telegram"


@pytest.fixture
def bot_env(emulator: BotApiEmulator, db_path: Path, platform: str) -> dict[str, str]:
    """The environment `make run` would read, pointed at the emulator."""
    if platform == "bale":
        return {
            "BALE_TOKEN": BALE_TOKEN,
            "BALE_API_BASE_URL": emulator.base_url,
            "BALE_API_FILE_URL": emulator.file_url,
            "BOT_DB": str(db_path),
            "BOT_ADMINS": f"bale:{ADMIN_ID}",
        }
    return {
        "BOT_TOKEN": TELEGRAM_TOKEN,
        "BOT_API_BASE_URL": emulator.base_url,
        "BOT_API_FILE_URL": emulator.file_url,
        "BOT_DB": str(db_path),
        "BOT_ADMINS": str(ADMIN_ID),
    }


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest_asyncio.fixture
async def harness(emulator: BotApiEmulator, bot_env: dict[str, str], clock: SettableClock,
                  platform: str) -> AsyncIterator[BotHarness]:
    """The real Application (same factory as `make run`) polling the emulator, which answers
    like Telegram or like Bale."""
    token = BALE_TOKEN if platform == "bale" else TELEGRAM_TOKEN
    emulated = emulator.bots.get(token) or emulator.add_bot(token, dialect=platform)
    settings = Settings.from_env(bot_env)
    async with running_bots(settings, ROUTES, clock) as applications:
        yield BotHarness(emulator, emulated, applications, settings, platform)


@pytest_asyncio.fixture
async def bot_process(emulator: BotApiEmulator, bot_env: dict[str, str],
                      tmp_path: Path) -> AsyncIterator[BotProcess]:
    """`python main.py run` as its own process (for kill -9 tests); stopped at the end."""
    emulator.add_bot(TELEGRAM_TOKEN)
    process = BotProcess(bot_env, tmp_path / "bot.log")
    yield process
    await process.stop()
