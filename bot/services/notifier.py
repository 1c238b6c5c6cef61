"""Tells a center's coordinators about changes to its registrations, in each one's language."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram.error import TelegramError

from bot.i18n import I18n
from storage.centers import CenterRepository
from storage.coordinators import CoordinatorRepository
from storage.models import Registration
from storage.users import UserRepository

logger = logging.getLogger(__name__)
SendText = Callable[[int, str], Awaitable[object]]


class CoordinatorNotifier:
    """One message per coordinator of the registration's center on this bot's platform; a
    coordinator who cannot be reached never stops the others."""

    def __init__(self, platform: str, send: SendText, coordinators: CoordinatorRepository,
                 users: UserRepository, centers: CenterRepository, i18n: I18n):
        self._platform = platform
        self._send = send
        self._coordinators = coordinators
        self._users = users
        self._centers = centers
        self._i18n = i18n

    async def registration_changed(self, registration: Registration, change: str,
                                   previous_center_id: int | None = None) -> int:
        """`change` is "edited" or "withdrawn"; a volunteer who moved centers is announced at both.
        Returns how many coordinators were told."""
        told = 0
        center_ids = [registration.center_id]
        if previous_center_id not in (None, registration.center_id):
            center_ids.append(previous_center_id)
        for center_id in center_ids:
            told += await self._tell_center(center_id, registration, change)
        return told

    async def _tell_center(self, center_id: int, registration: Registration, change: str) -> int:
        center = await self._centers.by_id(registration.center_id)
        told = 0
        for platform, user_id in await self._coordinators.for_center(center_id):
            if platform != self._platform:
                continue
            account = await self._users.get(platform, user_id)
            t = self._i18n.translator(account.language if account else None)
            text = t(f"coordinator.registration_{change}", name=registration.full_name or "-",
                     code=t.digits(registration.tracking_code),
                     center=t("center.label", name=center.name, code=t.digits(center.code)))
            try:
                await self._send(user_id, text)
                told += 1
            except TelegramError as exc:
                logger.warning("could not tell coordinator %s:%s about registration %s: %s",
                               platform, user_id, registration.id, exc)
        return told
