"""A center's volunteers as its coordinators page through them, by status and activity."""

from __future__ import annotations

from bot.services.roles import Actor, RoleService
from storage.models import Registration, Status
from storage.registrations import RegistrationRepository


class RosterService:
    """Pages of a center's registrations, newest first, for whoever manages the center."""

    def __init__(self, registrations: RegistrationRepository, roles: RoleService):
        self._registrations = registrations
        self._roles = roles

    async def page(self, actor: Actor, center_id: int, status: Status | None, activity_id: int | None,
                   page: int, size: int) -> tuple[list[Registration], int]:
        """One page and how many match in all; NotAllowed unless the actor manages the center."""
        await self._roles.require_manager(actor, center_id)
        return await self._registrations.roster(center_id, status, activity_id, page * size, size)
