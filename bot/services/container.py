"""The services one Application uses, built in post_init and closed in post_shutdown."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot

from bot.config import Settings
from bot.i18n import I18n
from bot.messenger import Messenger
from bot.platforms import PlatformProfile
from bot.services.alerts import AlertService
from bot.services.exports import ExportService
from bot.services.posters import PosterService
from bot.services.roles import RoleService
from bot.services.signup import Clock, SignupService
from storage.activities import ActivityRepository
from storage.alerts import AlertRepository
from storage.audit import AuditRepository
from storage.centers import CenterRepository
from storage.coordinators import CoordinatorRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.invites import InviteRepository
from storage.registrations import RegistrationRepository
from storage.users import UserRepository


@dataclass
class Services:
    """Everything a handler may call; reached through `context.services`, never a global."""

    settings: Settings
    profile: PlatformProfile
    bot_username: str
    db: Database
    i18n: I18n
    messenger: Messenger
    users: UserRepository
    centers: CenterRepository
    activities: ActivityRepository
    registrations: RegistrationRepository
    coordinators: CoordinatorRepository
    audit: AuditRepository
    signup: SignupService
    roles: RoleService
    alerts: AlertService
    exports: ExportService
    posters: PosterService

    @classmethod
    async def create(cls, settings: Settings, profile: PlatformProfile, bot: Bot,
                     clock: Clock) -> Services:
        """Open the database (migrating it) and wire repositories into services."""
        db = await Database.open(settings.db_path)
        i18n = I18n.load(settings.default_language, settings.timezone)
        messenger = Messenger(bot, profile.name)
        users, centers, activities = UserRepository(db), CenterRepository(db), ActivityRepository(db)
        registrations, coordinators = RegistrationRepository(db), CoordinatorRepository(db)
        audit = AuditRepository(db)
        roles = RoleService(settings, users, coordinators, InviteRepository(db), audit, clock)
        return cls(
            settings=settings, profile=profile, bot_username=bot.username, db=db, i18n=i18n,
            messenger=messenger, users=users, centers=centers, activities=activities,
            registrations=registrations, coordinators=coordinators, audit=audit,
            signup=SignupService(DraftRepository(db), registrations, centers, activities,
                                 settings.timezone, clock),
            roles=roles,
            alerts=AlertService(messenger, registrations, AlertRepository(db), coordinators, users,
                                centers, activities, roles, audit, i18n, clock),
            exports=ExportService(registrations, activities),
            posters=PosterService(),
        )

    def deep_links(self, payload: str) -> list[tuple[str, str]]:
        """(platform, link opening the bot with `/start <payload>`) for this bot."""
        return [(self.profile.name, self.profile.deep_link(self.bot_username, payload))]

    async def close(self) -> None:
        """Release the database."""
        await self.db.close()
