"""Where each person is in a conversation with the bot: one at a time, kept in their draft
(written at every step, so a restart resumes where they were)."""

from __future__ import annotations

from storage.drafts import DraftRepository
from storage.models import Draft


class ConversationService:
    """A person's dialog in progress; one per person."""

    def __init__(self, drafts: DraftRepository):
        self._drafts = drafts

    async def current(self, platform: str, user_id: int) -> Draft | None:
        return await self._drafts.get(platform, user_id)

    async def may_start(self, platform: str, user_id: int, dialog: str, replacing: bool = False) -> bool:
        """Whether a new `dialog` may begin: the person is in no other conversation (`replacing`:
        one of the same dialog may be started over)."""
        current = await self._drafts.get(platform, user_id)
        return current is None or (replacing and current.answers.get("mode") == dialog)

    async def keep(self, draft: Draft) -> None:
        await self._drafts.save(draft)

    async def end(self, platform: str, user_id: int) -> None:
        await self._drafts.delete(platform, user_id)
