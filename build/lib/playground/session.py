"""A throw-away world to try the bot in: the emulator on 127.0.0.1 answering as Telegram and as Bale,
the real bots polling it with a fresh database seeded with the sample centers, and three people."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.logging_setup import configure_logging
from bot.runner import running_bots
from emulator.client import EmulatedUser
from emulator.server import BotApiEmulator
from handlers.routes import ROUTES
from storage.coordinators import CoordinatorRepository
from storage.db import Database

TELEGRAM_TOKEN = "100000:playground-telegram"
BALE_TOKEN = "200000:playground-bale"
PLATFORMS = ("telegram", "bale")


@dataclass(frozen=True)
class Identity:
    """Someone the playground user can act as."""

    role: str  # "citizen" | "coordinator" | "admin"
    user_id: int
    first_name: str
    phone: str


IDENTITIES = {
    "citizen": Identity("citizen", 1001, "مریم", "+989121234567"),
    "coordinator": Identity("coordinator", 2002, "علی", "+989131112233"),
    "admin": Identity("admin", 3003, "مدیر", "+989141112233"),
}


@dataclass
class Playground:
    """The running world: who can talk to which bot, and where its files go."""

    emulator: BotApiEmulator
    settings: Settings
    folder: Path
    coordinated_centers: int
    _users: dict[tuple[str, str], EmulatedUser]

    def user(self, role: str, platform: str) -> EmulatedUser:
        """The person `role` in their private chat with the bot of `platform`."""
        key = (role, platform)
        if key not in self._users:
            identity = IDENTITIES[role]
            bot = self.emulator.bots[TELEGRAM_TOKEN if platform == "telegram" else BALE_TOKEN]
            self._users[key] = EmulatedUser(self.emulator, bot, identity.user_id,
                                            first_name=identity.first_name, language_code="fa")
        return self._users[key]

    def chats(self) -> list[tuple[str, str, EmulatedUser]]:
        """Every (role, platform, user) there is."""
        return [(role, platform, self.user(role, platform))
                for role in IDENTITIES for platform in PLATFORMS]


def playground_settings(emulator: BotApiEmulator, db_path: Path) -> Settings:
    """Both platforms against the emulator; the admin identity is an admin on both."""
    admin = IDENTITIES["admin"].user_id
    return Settings.from_env({
        "BOT_TOKEN": TELEGRAM_TOKEN,
        "BOT_API_BASE_URL": emulator.base_url,
        "BOT_API_FILE_URL": emulator.file_url,
        "BALE_TOKEN": BALE_TOKEN,
        "BALE_API_BASE_URL": emulator.base_url,
        "BALE_API_FILE_URL": emulator.file_url,
        "BOT_DB": str(db_path),
        "BOT_ADMINS": f"{admin},bale:{admin}",
    })


async def _make_coordinator_of_every_center(db_path: Path) -> int:
    """The coordinator identity runs every sample center, on both platforms, so any sign-up alerts it."""
    db = await Database.open(db_path)
    try:
        coordinators = CoordinatorRepository(db)
        identity = IDENTITIES["coordinator"]
        centers = await db.fetch_all("SELECT id FROM centers WHERE active = 1")
        for (center_id,) in centers:
            for platform in PLATFORMS:
                await coordinators.add(platform, identity.user_id, center_id, identity.first_name)
        return len(centers)
    finally:
        await db.close()


@asynccontextmanager
async def open_playground(folder: Path | None = None) -> AsyncIterator[Playground]:
    """Start everything; stop it and delete the database on the way out (files the bot sent, and its
    log, stay in `folder`)."""
    async with AsyncExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="salam-playground-")))
        folder = folder or Path.cwd() / "playground-files"
        folder.mkdir(parents=True, exist_ok=True)
        configure_logging("WARNING", folder / "bot.log")  # the terminal is the chat
        emulator = BotApiEmulator()
        await emulator.start()
        stack.push_async_callback(emulator.stop)
        emulator.add_bot(TELEGRAM_TOKEN, username="salam_mahalleh_bot", dialect="telegram")
        emulator.add_bot(BALE_TOKEN, username="salam_mahalleh_bot", dialect="bale")
        settings = playground_settings(emulator, workdir / "playground.sqlite3")
        # Opening the database migrates and seeds it; the coordinator is added before the bots serve.
        centers = await _make_coordinator_of_every_center(settings.db_path)
        await stack.enter_async_context(running_bots(settings, ROUTES))
        yield Playground(emulator, settings, folder, centers, {})
