"""Roles and who may do what: admins, coordinators of centers, invites, linked group chats.

Every coordinator or admin action asks this service again on the server; a button or command
never carries authority of its own.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.config import Settings
from storage.audit import AuditRepository
from storage.clock import Clock
from storage.coordinators import CoordinatorEntry, CoordinatorRepository
from storage.invites import InviteRepository
from storage.models import Center, Invite
from storage.users import UserRepository

INVITE_VALID_FOR = timedelta(days=7)


# Told when a chat stops being entitled to a center's volunteers: (platform, chat id, center id).
AccessLost = Callable[[str, int, int], Awaitable[None]]


class NotAllowed(Exception):
    """The user's role does not permit this action."""


class InviteRefused(Exception):
    """An invite that is unknown, used already or expired; `reason` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Actor:
    """Who is acting: their platform account and how they are called."""

    platform: str
    user_id: int
    name: str

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.user_id}"


class RoleService:
    """Admin, coordinator and citizen roles, re-checked for every action."""

    def __init__(self, settings: Settings, users: UserRepository, coordinators: CoordinatorRepository,
                 invites: InviteRepository, audit: AuditRepository, clock: Clock):
        self._settings = settings
        self._users = users
        self._coordinators = coordinators
        self._invites = invites
        self._audit = audit
        self._clock = clock
        self._access_lost: list[AccessLost] = []

    def when_access_lost(self, listener: AccessLost) -> None:
        """Call `listener` whenever a coordinator is removed or a group unlinked from a center."""
        self._access_lost.append(listener)

    async def _lost(self, platform: str, chat_id: int, center_id: int) -> None:
        for listener in self._access_lost:
            await listener(platform, chat_id, center_id)

    async def is_admin(self, platform: str, user_id: int) -> bool:
        """BOT_ADMINS, or made admin by an admin."""
        if self._settings.is_admin(platform, user_id):
            return True
        account = await self._users.get(platform, user_id)
        return bool(account and account.is_admin)

    async def centers_of(self, platform: str, user_id: int) -> list[int]:
        """The centers this user coordinates."""
        return await self._coordinators.centers_of(platform, user_id)

    async def may_manage(self, platform: str, user_id: int, center_id: int) -> bool:
        """Admins manage every center; a coordinator manages their own centers."""
        return await self.is_admin(platform, user_id) or center_id in await self.centers_of(
            platform, user_id)

    async def visible_centers(self, actor: Actor, center: Center | None = None) -> list[int] | None:
        """The one rule of who sees which centers' volunteers (roster, export, stats): `center`
        alone when one is named and the actor manages it; otherwise every center (None) for an
        admin, a coordinator's own centers. NotAllowed for anyone else."""
        if center is not None:
            await self.require_manager(actor, center.id)
            return [center.id]
        if await self.is_admin(actor.platform, actor.user_id):
            return None
        mine = await self.centers_of(actor.platform, actor.user_id)
        if not mine:
            raise NotAllowed
        return mine

    async def coordinators(self, actor: Actor, center_id: int | None = None) -> list[CoordinatorEntry]:
        """Who coordinates which center (one center's, or all); admins only."""
        await self.require_admin(actor)
        return await self._coordinators.listing(center_id)

    async def require_admin(self, actor: Actor) -> None:
        if not await self.is_admin(actor.platform, actor.user_id):
            raise NotAllowed

    async def require_manager(self, actor: Actor, center_id: int) -> None:
        if not await self.may_manage(actor.platform, actor.user_id, center_id):
            raise NotAllowed

    async def create_invite(self, actor: Actor, center: Center) -> str:
        """A one-time token, valid 7 days, that makes its opener a coordinator of the center."""
        await self.require_admin(actor)
        # Hex: no `_` or `*` for Bale's Markdown to eat, no `-` to break a link on a line end.
        token = secrets.token_hex(12)
        now = self._clock()
        await self._invites.create(token, center.id, actor.key, now, now + INVITE_VALID_FOR)
        await self._audit.record(actor.key, "invite.create", f"center:{center.code}")
        return token

    async def open_invites(self, actor: Actor) -> list[Invite]:
        """Invites not used, revoked or expired (admins only)."""
        await self.require_admin(actor)
        return await self._invites.open_invites(self._clock())

    async def revoke_invite(self, actor: Actor, token: str) -> bool:
        """Revoke an open invite (admins only, audit-logged); False when it was no longer open."""
        await self.require_admin(actor)
        revoked = await self._invites.revoke(token, actor.key, self._clock())
        if revoked:
            await self._audit.record(actor.key, "invite.revoke", f"invite:{token[:6]}")
        return revoked

    async def accept_invite(self, token: str, who: Actor) -> int:
        """Use an invite; returns the center id or raises InviteRefused."""
        center_id, outcome = await self._invites.consume(token, who.key, self._clock())
        if center_id is None:
            raise InviteRefused(outcome)
        await self._coordinators.add(who.platform, who.user_id, center_id, who.name)
        await self._audit.record(who.key, "invite.accept", f"center_id:{center_id}")
        return center_id

    async def remove_coordinator(self, actor: Actor, platform: str, user_id: int,
                                 center: Center) -> bool:
        await self.require_admin(actor)
        removed = await self._coordinators.remove(platform, user_id, center.id)
        if removed:
            await self._audit.record(actor.key, "coordinator.remove", f"center:{center.code}",
                                     f"{platform}:{user_id}")
            await self._lost(platform, user_id, center.id)
        return removed

    async def set_admin(self, actor: Actor, platform: str, user_id: int, is_admin: bool) -> None:
        await self.require_admin(actor)
        await self._users.set_admin(platform, user_id, is_admin)
        await self._audit.record(actor.key, "admin.add" if is_admin else "admin.remove",
                                 f"{platform}:{user_id}")

    async def link_group(self, actor: Actor, chat_id: int, center: Center) -> None:
        """Alerts of the center go to the group too; a group serves one center, so a group linked
        before to another center loses that center's alerts."""
        await self.require_admin(actor)
        previous = await self._coordinators.group_center(actor.platform, chat_id)
        await self._coordinators.link_group(actor.platform, chat_id, center.id, actor.key)
        await self._audit.record(actor.key, "group.link", f"center:{center.code}", str(chat_id))
        if previous not in (None, center.id):
            await self._lost(actor.platform, chat_id, previous)

    async def unlink_group(self, actor: Actor, chat_id: int) -> int | None:
        """Stop the group's alerts; the id of the center it was linked to (None: it was not)."""
        await self.require_admin(actor)
        center_id = await self._coordinators.group_center(actor.platform, chat_id)
        if center_id is None or not await self._coordinators.unlink_group(actor.platform, chat_id):
            return None
        await self._audit.record(actor.key, "group.unlink", f"center_id:{center_id}", str(chat_id))
        await self._lost(actor.platform, chat_id, center_id)
        return center_id
