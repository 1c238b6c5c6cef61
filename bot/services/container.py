"""The services one Application uses, built in post_init and closed in post_shutdown."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.i18n import I18n
from bot.platforms import PlatformProfile
from bot.services.notifier import CoordinatorNotifier, SendText
from bot.services.signup import Clock, SignupService
from storage.activities import ActivityRepository
from storage.centers import CenterRepository
from storage.coordinators import CoordinatorRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.registrations import RegistrationRepository
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
    signup: SignupService
    notifier: CoordinatorNotifier

    @classmethod
    async def create(cls, settings: Settings, profile: PlatformProfile, send_text: SendText,
                     clock: Clock) -> Services:
        """Open the database (migrating it) and wire repositories into services."""
        db = await Database.open(settings.db_path)
        i18n = I18n.load(settings.default_language, settings.timezone)
        users, centers, activities = UserRepository(db), CenterRepository(db), ActivityRepository(db)
        return cls(
            settings=settings,
            profile=profile,
            db=db,
            i18n=i18n,
            users=users,
            centers=centers,
            activities=activities,
            signup=SignupService(DraftRepository(db), RegistrationRepository(db), centers, activities,
                                 settings.timezone, clock),
            notifier=CoordinatorNotifier(profile.name, send_text, CoordinatorRepository(db), users,
                                         centers, i18n),
        )

    async def close(self) -> None:
        """Release the database."""
        await self.db.close()
