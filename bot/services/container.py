"""The services one Application uses, built in post_init and closed in post_shutdown."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.i18n import I18n
from bot.platforms import PlatformProfile
from storage.activities import ActivityRepository
from storage.centers import CenterRepository
from storage.db import Database
from storage.users import UserRepository


@dataclass
class Services:
    """Everything a handler may call; reached through `context.services`, never a global."""

    settings: Settings
    profile: PlatformProfile
    db: Database
    i18n: I18n
    users: UserRepository
    centers: CenterRepository
    activities: ActivityRepository

    @classmethod
    async def create(cls, settings: Settings, profile: PlatformProfile) -> Services:
        """Open the database (migrating it) and wire the repositories."""
        db = await Database.open(settings.db_path)
        return cls(
            settings=settings,
            profile=profile,
            db=db,
            i18n=I18n.load(settings.default_language, settings.timezone),
            users=UserRepository(db),
            centers=CenterRepository(db),
            activities=ActivityRepository(db),
        )

    async def close(self) -> None:
        """Release the database."""
        await self.db.close()
