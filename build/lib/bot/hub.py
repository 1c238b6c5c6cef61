"""What the platforms served by one process share: the database, the users' accounts, and a
messenger per platform so an alert or a decision reaches each person on the messenger they use."""

from __future__ import annotations

import asyncio

from bot.config import Settings
from bot.health import MessengerHealth
from bot.messenger import Messenger
from bot.platforms import PROFILES
from storage.clock import Clock, utc_now
from storage.db import Database
from storage.users import UserRepository


class Hub:
    """Opened by the first Application's post_init, closed by the last one's post_shutdown."""

    def __init__(self, settings: Settings, clock: Clock = utc_now):
        self._settings = settings
        self._clock = clock
        self._health = {p.name: MessengerHealth(p.name, clock) for p in settings.platforms}
        self._db: Database | None = None
        self._accounts: UserRepository | None = None
        self._users = 0
        self._lock = asyncio.Lock()
        self._messengers: dict[str, Messenger] = {}
        self._usernames: dict[str, str] = {}

    async def open(self) -> Database:
        """The shared database (opened and migrated on first use)."""
        async with self._lock:
            if self._db is None:
                self._db = await Database.open(self._settings.db_path, self._clock)
                self._accounts = UserRepository(self._db)
            self._users += 1
            return self._db

    async def close(self) -> None:
        """Release one user of the database; the last one closes it."""
        async with self._lock:
            self._users -= 1
            if self._users == 0 and self._db is not None:
                await self._db.close()
                self._db, self._accounts = None, None

    @property
    def users(self) -> UserRepository:
        """The one users repository of the process (its copy in memory must not be split)."""
        if self._accounts is None:
            raise RuntimeError("The hub is not open")
        return self._accounts

    def register(self, messenger: Messenger, username: str) -> None:
        """A platform's bot is up."""
        self._messengers[messenger.platform] = messenger
        self._usernames[messenger.platform] = username

    def unregister(self, platform: str) -> None:
        self._messengers.pop(platform, None)
        self._usernames.pop(platform, None)

    def health(self, platform: str) -> MessengerHealth:
        """How the connection to a configured messenger is doing."""
        return self._health[platform]

    @property
    def healths(self) -> list[MessengerHealth]:
        """Every configured messenger's, in the order of the settings."""
        return list(self._health.values())

    def messenger(self, platform: str) -> Messenger | None:
        """The messenger of a platform this process serves (None for one it does not)."""
        return self._messengers.get(platform)

    def deep_links(self, payload: str) -> list[tuple[str, str]]:
        """(platform, link opening the bot with `/start <payload>`) for every platform served."""
        return [(platform, PROFILES[platform].deep_link(username, payload))
                for platform, username in self._usernames.items()]
