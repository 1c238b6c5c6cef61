"""Shared by the service unit tests: a fixed clock, an in-memory messenger, the services wired from
one database as bot/services/container.py wires them, and registrations made in one call."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import InlineKeyboardMarkup
from telegram.error import Forbidden

from bot.config import Settings
from bot.hub import Hub
from bot.i18n import I18n
from bot.services.alerts import AlertService
from bot.services.erasure import ErasureService
from bot.services.release import ReleaseService
from bot.services.roles import RoleService
from bot.services.signup import SignupService, new_tracking_code
from storage.activities import ActivityRepository
from storage.alerts import AlertRepository
from storage.audit import AuditRepository
from storage.centers import CenterRepository
from storage.coordinators import CoordinatorRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.invites import InviteRepository
from storage.lookups import LookupRepository
from storage.models import NewRegistration, Registration
from storage.registrations import RegistrationRepository
from storage.users import UserRepository

NOW = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)  # 30 Dey 1404, 12:30 in Tehran
ADMIN_ID = 1


class FixedClock:
    """The injected clock: stands still at `now` until a test moves it."""

    def __init__(self, now: datetime = NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class FakeMessenger:
    """Messenger's interface over memory: `shown` is what each message of each chat shows now.
    Chats in `unreachable` refuse everything, as a chat that blocked the bot does."""

    def __init__(self, platform: str = "telegram"):
        self.platform = platform
        self.shown: dict[tuple[int, int], tuple[str, InlineKeyboardMarkup | None]] = {}
        self.unreachable: set[int] = set()
        self._ids = itertools.count(101)

    def _reach(self, chat_id: int) -> None:
        if chat_id in self.unreachable:
            raise Forbidden("Forbidden: bot was blocked by the user")

    async def send(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> int:
        self._reach(chat_id)
        message_id = next(self._ids)
        self.shown[chat_id, message_id] = (text, markup)
        return message_id

    async def edit(self, chat_id: int, message_id: int, text: str,
                   markup: InlineKeyboardMarkup | None = None) -> int:
        if (chat_id, message_id) not in self.shown:  # as Messenger.edit does when refused: anew
            return await self.send(chat_id, text, markup)
        self._reach(chat_id)
        self.shown[chat_id, message_id] = (text, markup)
        return message_id

    async def retract(self, chat_id: int, message_id: int, text: str) -> bool:
        self._reach(chat_id)
        self.shown[chat_id, message_id] = (text, None)
        return True

    def texts(self, chat_id: int) -> list[str]:
        """What the chat shows, oldest message first."""
        return [text for (chat, _), (text, _) in sorted(self.shown.items()) if chat == chat_id]

    def buttons(self, chat_id: int) -> list[str]:
        """The callback data of every button the chat shows."""
        return [button.callback_data for (chat, _), (_, markup) in sorted(self.shown.items())
                if chat == chat_id and markup for row in markup.inline_keyboard for button in row]


@dataclass
class World:
    """The repositories and services of one process serving Telegram, over one database."""

    db: Database
    clock: FixedClock
    telegram: FakeMessenger
    i18n: I18n
    users: UserRepository
    centers: CenterRepository
    registrations: RegistrationRepository
    coordinators: CoordinatorRepository
    drafts: DraftRepository
    lookups: LookupRepository
    audit: AuditRepository
    roles: RoleService
    alerts: AlertService
    signup: SignupService

    def release(self) -> ReleaseService:
        return ReleaseService(self.registrations, self.roles, self.alerts, self.audit)

    def erasure(self, retention: timedelta = timedelta(days=30)) -> ErasureService:
        return ErasureService("telegram", self.signup, self.registrations, self.drafts, self.lookups,
                              self.alerts, self.db, retention, self.clock)

    async def center_id(self, code: str) -> int:
        return (await self.centers.by_code(code)).id

    async def register(self, user_id: int, code: str = "4170", *, national_id: str = "0499370899",
                       mobile: str = "09121234567", name: str = "مریم احمدی",
                       born: str = "1996-09-11", activities: tuple[int, ...] = (1,),
                       platform: str = "telegram", verified: bool = False) -> Registration:
        """A confirmed sign-up of an adult volunteer (the account is created first, as /start does)."""
        await self.users.ensure(platform, user_id)
        return await self.registrations.create(NewRegistration(
            platform=platform, user_id=user_id, national_id=national_id, mobile=mobile,
            full_name=name, birth_date=born, is_minor=False, gender="female",
            center_id=await self.center_id(code), activity_ids=activities,
            availability_days=("sat",), availability_parts=("morning",), mobile_verified=verified,
        ), new_tracking_code)

    async def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        return [tuple(row) for row in await self.db.fetch_all(sql, params)]


async def open_world(db_path: Path) -> World:
    """Wired as Services.create wires them (admin: telegram user ADMIN_ID)."""
    clock = FixedClock()
    settings = Settings.from_env({"BOT_DB": str(db_path), "BOT_ADMINS": str(ADMIN_ID)})
    hub = Hub(settings, clock)
    db = await hub.open()
    telegram = FakeMessenger()
    hub.register(telegram, "salam_bot")  # type: ignore[arg-type]
    i18n = I18n.load(settings.default_language, settings.timezone)
    users, centers, activities = hub.users, CenterRepository(db), ActivityRepository(db)
    drafts, lookups = DraftRepository(db), LookupRepository(db)
    registrations, coordinators = RegistrationRepository(db, drafts, users), CoordinatorRepository(db)
    audit = AuditRepository(db)
    roles = RoleService(settings, users, coordinators, InviteRepository(db), audit, clock)
    alerts = AlertService(hub, registrations, AlertRepository(db), coordinators, users, centers,
                          activities, roles, audit, i18n, clock)
    roles.when_access_lost(alerts.access_lost)
    signup = SignupService(registrations, centers, activities, lookups, settings.timezone, clock)
    return World(db, clock, telegram, i18n, users, centers, registrations, coordinators, drafts,
                 lookups, audit, roles, alerts, signup)
