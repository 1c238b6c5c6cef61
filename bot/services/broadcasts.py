"""Broadcasts: the audience and its exact count, queueing into the outbox, and the admin's
progress message, edited live until the final report."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from telegram.error import TelegramError

from bot.i18n import I18n, Translator
from bot.messenger import Messenger
from bot.services.roles import Actor
from storage.activities import ActivityRepository
from storage.audit import AuditRepository
from storage.broadcasts import BroadcastRepository
from storage.centers import CenterRepository
from storage.models import Audience, Broadcast

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 2.0


NO_MESSAGE_YET = 0  # the progress message id before it was sent


class BroadcastService:
    """Rules of bulk messages; the sending itself is the outbox workers' job."""

    def __init__(self, broadcasts: BroadcastRepository, centers: CenterRepository,
                 activities: ActivityRepository, audit: AuditRepository, i18n: I18n,
                 messenger: Messenger, rate: float, wake_workers: Callable[[], None]):
        self._broadcasts = broadcasts
        self._centers = centers
        self._activities = activities
        self._audit = audit
        self._i18n = i18n
        self._messenger = messenger
        self._rate = rate
        self._wake_workers = wake_workers
        self._shown: dict[int, str] = {}
        # Queued, progress message not sent yet: the progress loop leaves them to show_progress
        # (else both could send one).
        self._announcing: set[int] = set()

    async def count(self, audience: Audience) -> int:
        """Exactly how many people the audience reaches now."""
        return await self._broadcasts.count_recipients(audience)

    async def describe(self, t: Translator, audience: Audience) -> str:
        """The audience in words, e.g. «Hamadan · Health · pending, approved»."""
        parts = []
        if audience.center_id is not None:
            center = await self._centers.by_id(audience.center_id)
            parts.append(t.center(center))
        elif audience.county_id is not None:
            county = await self._centers.county(audience.county_id)
            parts.append(t.name(county))
        elif audience.province_id is not None:
            province = await self._centers.province(audience.province_id)
            parts.append(t.name(province))
        else:
            parts.append(t("audience.everyone"))
        if audience.activity_id is not None:
            activity = next(a for a in await self._activities.active() if a.id == audience.activity_id)
            parts.append(t.name(activity))
        parts.append(t("list.separator").join(t(f"status.{s}") for s in audience.statuses))
        return " · ".join(parts)

    async def queue(self, actor: Actor, chat_id: int, t: Translator, text: str,
                    audience: Audience) -> tuple[int, int]:
        """Queue the broadcast before anything is sent to the admin: if the messenger fails right
        then, the broadcast still goes. Its progress message (shown by `show_progress`, or by
        the progress loop: an edit of message 0 cannot succeed, so it is sent anew) comes later."""
        broadcast_id, count = await self._broadcasts.create(
            text=text, audience=audience, created_by=actor.key,
            progress=(self._messenger.platform, chat_id, NO_MESSAGE_YET, t.language))
        await self._audit.record(actor.key, "broadcast.start", f"broadcast:{broadcast_id}", str(count))
        self._announcing.add(broadcast_id)
        self._wake_workers()
        return broadcast_id, count

    async def show_progress(self, broadcast_id: int, chat_id: int, t: Translator) -> None:
        """Send the progress message that the progress loop edits from now on; if the messenger
        fails now, the loop sends it later."""
        try:
            message_id = await self._messenger.send(chat_id, t("broadcast.progress.queued"))
        except TelegramError as exc:
            logger.warning("broadcast %s is queued; its progress message waits: %s", broadcast_id, exc)
            return
        finally:
            self._announcing.discard(broadcast_id)
        await self._broadcasts.set_progress_message(broadcast_id, message_id)
        await self.report_once()

    async def run_progress(self) -> None:
        """Edit every progress message on this platform every few seconds, until cancelled."""
        while True:
            try:
                await self.report_once()
            except TelegramError as exc:
                logger.warning("progress report failed: %s", exc)
            await asyncio.sleep(PROGRESS_SECONDS)

    async def report_once(self) -> None:
        """One round of progress edits; a finished broadcast gets its final report."""
        for broadcast in await self._broadcasts.sending_with_progress(self._messenger.platform):
            if broadcast.id in self._announcing:
                continue
            counts = await self._broadcasts.counts(broadcast.id)
            done = counts["pending"] == 0 and await self._broadcasts.finish(broadcast.id)
            await self._show(broadcast, counts, done)
        for broadcast_id in await self._broadcasts.unfinished_without_progress():
            await self._broadcasts.finish(broadcast_id)

    async def _show(self, broadcast: Broadcast, counts: dict[str, int], done: bool) -> None:
        t = self._i18n.translator(broadcast.progress_language)
        total = sum(counts.values())
        finished = total - counts["pending"]
        values = dict(sent=counts["sent"], blocked=counts["blocked"], failed=counts["failed"],
                      left=counts["pending"], total=total)
        if done:
            text = t("broadcast.progress.done", **values)
        else:
            eta = round(counts["pending"] / self._rate)
            text = t("broadcast.progress.running", **values,
                     percent=(100 * finished // total) if total else 100,
                     eta=t("duration.minutes", n=eta // 60) if eta >= 120
                     else t("duration.seconds", n=eta) if eta >= 1 else t("duration.moment"))
        if self._shown.get(broadcast.id) == text:
            return
        shown = await self._messenger.edit(broadcast.progress_chat_id, broadcast.progress_message_id,
                                           text)
        if shown != broadcast.progress_message_id:
            await self._broadcasts.set_progress_message(broadcast.id, shown)
        self._shown[broadcast.id] = text
        if done:
            self._shown.pop(broadcast.id, None)
