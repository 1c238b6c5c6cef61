"""/health for admins: each messenger's connection, the outbox backlog, the database, the version."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from bot.health import MessengerHealth
from bot.hub import Hub
from bot.i18n import Translator
from storage.broadcasts import BroadcastRepository
from storage.db import Database

DISTRIBUTION = "salam-mahalleh-bot"


def running_version() -> str:
    """The installed version of the bot (pyproject's), or "unknown" when run from a bare tree."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"


class HealthService:
    """Reads what the runner, the polling bots and the outbox know; changes nothing."""

    def __init__(self, hub: Hub, broadcasts: BroadcastRepository, db: Database):
        self._hub = hub
        self._broadcasts = broadcasts
        self._db = db

    async def report(self, t: Translator) -> str:
        """The report in the reader's language."""
        parts = [t("health.title")]
        for health in self._hub.healths:
            parts.append(await self._messenger(t, health))
        parts.append(t("health.database", size=round(self._database_bytes() / 1_048_576, 1)))
        parts.append(t("health.version", version=running_version()))
        return "\n\n".join(parts)

    async def _messenger(self, t: Translator, health: MessengerHealth) -> str:
        return t("health.messenger",
                 name=t(f"messenger.{health.platform}"),
                 state=t(f"health.state.{health.state.value}"),
                 since=t.datetime(health.since) if health.since else t("health.never"),
                 last_update=t.datetime(health.last_update_at) if health.last_update_at
                 else t("health.never"),
                 last_error=(f"{t.datetime(health.last_error_at)} — {health.last_error}"
                             if health.last_error and health.last_error_at else t("health.none")),
                 backlog=await self._broadcasts.pending_count(health.platform))

    def _database_bytes(self) -> int:
        """The database file with its write-ahead log."""
        total = 0
        for suffix in ("", "-wal"):
            path = self._db.path.with_name(self._db.path.name + suffix)
            if path.exists():
                total += path.stat().st_size
        return total
