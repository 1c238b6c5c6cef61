"""Everyone who talks to the bot: their account (created on first contact) and chosen language."""

from __future__ import annotations

from storage.models import UserAccount
from storage.users import UserRepository


class AccountService:
    """Accounts as handlers need them; roles live in RoleService."""

    def __init__(self, users: UserRepository):
        self._users = users

    async def arrived(self, platform: str, user_id: int) -> UserAccount:
        """The sender's account, created on first contact (writing again also lifts a block)."""
        return await self._users.ensure(platform, user_id)

    async def language_of(self, platform: str, user_id: int) -> str | None:
        """The language the person chose, if they have an account and chose one."""
        account = await self._users.get(platform, user_id)
        return account.language if account else None

    async def set_language(self, platform: str, user_id: int, language: str) -> None:
        await self._users.set_language(platform, user_id, language)
