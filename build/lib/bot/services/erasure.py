"""What the bot forgets: a person who asks (/forget), everywhere; sign-ups abandoned long ago;
yesterday's look-up counts."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.services.alerts import AlertService
from bot.services.signup import SignupService
from storage.clock import Clock
from storage.db import Database
from storage.drafts import DraftRepository
from storage.lookups import LookupRepository
from storage.registrations import RegistrationRepository

logger = logging.getLogger(__name__)
STALE_DRAFTS_EVERY = timedelta(days=1)


class ErasureService:
    """Erasure on request and by age, for one platform's users."""

    def __init__(self, platform: str, signup: SignupService, registrations: RegistrationRepository,
                 drafts: DraftRepository, lookups: LookupRepository, alerts: AlertService,
                 db: Database,
                 draft_retention: timedelta, clock: Clock):
        self._platform = platform
        self._signup = signup
        self._registrations = registrations
        self._drafts = drafts
        self._lookups = lookups
        self._alerts = alerts
        self._db = db
        self._draft_retention = draft_retention
        self._clock = clock

    async def forget_person(self, user_id: int) -> int:
        """Erase the person's registrations' personal fields, draft, account and broadcast
        deliveries; redraw the alerts coordinators hold without them; empty the write-ahead log
        (which still holds the old pages). Returns how many registrations were anonymised."""
        before = await self._registrations.for_user(self._platform, user_id)
        count = await self._signup.forget(self._platform, user_id)
        for registration in before:
            await self._alerts.forgotten(registration)
        if not await self._db.checkpoint():
            logger.warning("the write-ahead log could not be emptied after an erasure (a reader was "
                           "busy); SQLite empties it at its next checkpoint")
        return count

    async def forget_stale_drafts(self) -> int:
        """Delete sign-ups (and other dialogs) nobody touched for the retention period: an
        abandoned sign-up may hold a national code. Returns how many."""
        deleted = await self._drafts.delete_untouched_since(
            self._platform, self._clock() - self._draft_retention)
        if deleted:
            logger.info("%s: %d drafts untouched for %d days deleted", self._platform, deleted,
                        self._draft_retention.days)
            await self._db.checkpoint()
        return deleted

    async def forget_old_lookups(self) -> int:
        """Look-up counts matter for their day only; yesterday's go (they name who asked)."""
        return await self._lookups.delete_before(self._signup.today().isoformat())

    async def run_daily(self) -> None:
        """Forget stale drafts and old look-up counts now and once a day (a background task)."""
        while True:
            try:
                await self.forget_stale_drafts()
                await self.forget_old_lookups()
            except Exception:
                logger.exception("the daily erasure failed; trying again tomorrow")
            await asyncio.sleep(STALE_DRAFTS_EVERY.total_seconds())
