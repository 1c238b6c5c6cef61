"""The services one Application uses, built in post_init and closed in post_shutdown."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import timedelta

from telegram import Bot

from bot.api_bot import ApiBot, build_bot
from bot.config import PlatformSettings, Settings
from bot.hub import Hub
from bot.i18n import I18n
from bot.messenger import Messenger
from bot.platforms import PlatformProfile
from bot.services.accounts import AccountService
from bot.services.alerts import AlertService
from bot.services.attendance import AttendanceService
from bot.services.broadcasts import BroadcastService
from bot.services.certificates import CertificateService
from bot.services.checkin import CheckinService
from bot.services.conversations import ConversationService
from bot.services.erasure import ErasureService
from bot.services.events import EventService
from bot.services.exports import ExportService
from bot.services.health import HealthService
from bot.services.outbox import CONCURRENCY, OutboxWorker
from bot.services.places import PlaceService
from bot.services.posters import PosterService
from bot.services.release import ReleaseService
from bot.services.roles import RoleService
from bot.services.roster import RosterService
from bot.services.rsvps import RsvpService
from bot.services.signup import SignupService
from bot.services.stats import StatsService
from storage.activities import ActivityRepository
from storage.alerts import AlertRepository
from storage.attendance import AttendanceRepository
from storage.audit import AuditRepository
from storage.broadcasts import BroadcastRepository
from storage.centers import CenterRepository
from storage.certificates import CertificateRepository
from storage.clock import Clock
from storage.coordinators import CoordinatorRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.events import EventRepository
from storage.invites import InviteRepository
from storage.lookups import LookupRepository
from storage.registrations import RegistrationRepository
from storage.rsvps import RsvpRepository
from storage.stats import StatsRepository
from storage.users import UserRepository


@dataclass
class Services:
    """Everything a handler may call; reached through `context.services`, never a global."""

    settings: Settings
    profile: PlatformProfile
    hub: Hub
    db: Database
    i18n: I18n
    messenger: Messenger
    users: UserRepository
    centers: CenterRepository
    activities: ActivityRepository
    registrations: RegistrationRepository
    coordinators: CoordinatorRepository
    audit: AuditRepository
    drafts: DraftRepository
    signup: SignupService
    roles: RoleService
    alerts: AlertService
    exports: ExportService
    posters: PosterService
    broadcasts: BroadcastService
    events: EventService
    rsvps: RsvpService
    checkin: CheckinService
    attendance: AttendanceService
    certificates: CertificateService
    stats: StatsService
    places: PlaceService
    accounts: AccountService
    conversations: ConversationService
    roster: RosterService
    erasure: ErasureService
    release: ReleaseService
    outbox: OutboxWorker
    health: HealthService
    bulk_bot: ApiBot
    _tasks: list[asyncio.Task] = field(default_factory=list)

    @classmethod
    async def create(cls, settings: Settings, platform: PlatformSettings, profile: PlatformProfile,
                     bot: Bot, clock: Clock, hub: Hub) -> Services:
        """Open the shared database (migrating it) and wire repositories into services."""
        # Bulk sends get a bot of their own: no automatic retries (the outbox decides), own pool.
        # Opened first: if the messenger is unreachable, nothing else has been opened yet.
        bulk_bot = build_bot(platform, CONCURRENCY + 4)
        try:
            await bulk_bot.initialize()
        except BaseException:
            await bulk_bot.shutdown()
            raise
        db = await hub.open()
        i18n = I18n.load(settings.default_language, settings.timezone, dialect=profile.name)
        messenger = Messenger(bot, profile.name)
        hub.register(messenger, bot.username)
        users, centers, activities = hub.users, CenterRepository(db), ActivityRepository(db)
        drafts, lookups = DraftRepository(db), LookupRepository(db)
        registrations, coordinators = RegistrationRepository(db, drafts, users), CoordinatorRepository(db)
        audit, broadcasts = AuditRepository(db), BroadcastRepository(db, users)
        roles = RoleService(settings, users, coordinators, InviteRepository(db), audit, clock)
        alerts = AlertService(hub, registrations, AlertRepository(db), coordinators, users, centers,
                              activities, roles, audit, i18n, clock)
        roles.when_access_lost(alerts.access_lost)
        signup = SignupService(registrations, centers, activities, lookups, settings.timezone, clock)
        outbox = OutboxWorker(profile, bulk_bot, broadcasts, platform.broadcast_rate, clock)
        events, attendance = EventRepository(db), AttendanceRepository(db)
        rsvps = RsvpService(RsvpRepository(db), events, registrations, users, coordinators, i18n, clock,
                            timedelta(hours=settings.offer_hours), outbox.wake)
        return cls(
            settings=settings, profile=profile, hub=hub, db=db, i18n=i18n,
            messenger=messenger, users=users, centers=centers, activities=activities,
            registrations=registrations, coordinators=coordinators, audit=audit, drafts=drafts,
            signup=signup,
            roles=roles,
            alerts=alerts,
            exports=ExportService(registrations, activities, audit, attendance),
            posters=PosterService(),
            broadcasts=BroadcastService(broadcasts, centers, activities, audit, i18n, messenger,
                                        platform.broadcast_rate, outbox.wake),
            events=EventService(events, broadcasts, centers, roles, audit, i18n, clock, outbox.wake,
                                rsvps.capacity_changed),
            rsvps=rsvps,
            checkin=CheckinService(events, centers, attendance, registrations, clock),
            attendance=AttendanceService(attendance, events, registrations, roles, audit, clock),
            certificates=CertificateService(CertificateRepository(db), attendance, registrations, centers,
                                            roles, audit),
            stats=StatsService(StatsRepository(db), activities, clock),
            places=PlaceService(centers, activities),
            accounts=AccountService(users),
            conversations=ConversationService(drafts),
            roster=RosterService(registrations, roles),
            release=ReleaseService(registrations, roles, alerts, audit),
            erasure=ErasureService(profile.name, signup, registrations, drafts, lookups, alerts, db,
                                   timedelta(days=settings.draft_retention_days), clock),
            outbox=outbox,
            health=HealthService(hub, broadcasts, db),
            bulk_bot=bulk_bot,
        )

    def start_background(self) -> None:
        """The outbox worker, broadcast progress reports, reminders, the waitlist's offers and
        the stale-draft sweep."""
        self._tasks = [asyncio.create_task(coroutine, name=name) for name, coroutine in (
            (f"outbox-{self.profile.name}", self.outbox.run()),
            (f"progress-{self.profile.name}", self.broadcasts.run_progress()),
            (f"reminders-{self.profile.name}", self.events.run_scheduler()),
            (f"answers-{self.profile.name}", self.rsvps.run()),
            (f"stale-drafts-{self.profile.name}", self.erasure.run_daily()),
        )]

    async def stop_background(self) -> None:
        """Cancel the background loops (their state is in the database)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    def deep_links(self, payload: str) -> list[tuple[str, str]]:
        """(platform, link opening the bot with `/start <payload>`) for every platform served."""
        return self.hub.deep_links(payload)

    async def close(self) -> None:
        """Release the bulk-sending bot and the database."""
        await self.stop_background()
        await self.bulk_bot.shutdown()
        self.hub.unregister(self.profile.name)
        await self.hub.close()
