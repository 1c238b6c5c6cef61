"""Releasing a registration that blocks the real owner of a national code or mobile: someone else
registered with them (a typed mobile proves nothing). A coordinator of its center or an admin
finds it by what the real person tells them, and releases it; audit-logged, the registrant told."""

from __future__ import annotations

from bot import validation
from bot.services.alerts import AlertService
from bot.services.roles import Actor, NotAllowed, RoleService
from storage.audit import AuditRepository
from storage.models import ACTIVE_STATUSES, Registration
from storage.registrations import RegistrationRepository

TRACKING_CODE_DIGITS = 8


class ReleaseService:
    """Find and release blocking registrations, for those who manage their center only."""

    def __init__(self, registrations: RegistrationRepository, roles: RoleService,
                 alerts: AlertService, audit: AuditRepository):
        self._registrations = registrations
        self._roles = roles
        self._alerts = alerts
        self._audit = audit

    async def find(self, actor: Actor, query: str) -> Registration | None:
        """The active registration with this national code, mobile or tracking code, when the
        actor manages its center; None otherwise (whether it exists elsewhere is not said)."""
        registration = await self._active_by(validation.normalize_digits(query).strip())
        if registration is None or not await self._roles.may_manage(
                actor.platform, actor.user_id, registration.center_id):
            return None
        return registration

    async def _active_by(self, query: str) -> Registration | None:
        # Eight digits may be a tracking code or a national code written without its leading zeros.
        if len(query) == TRACKING_CODE_DIGITS and query.isascii() and query.isdigit():
            found = await self._registrations.active_by_tracking_code(query)
            if found is not None:
                return found
        for parse, look_up in ((validation.national_id, self._registrations.active_by_national_id),
                               (validation.mobile, self._registrations.active_by_mobile)):
            try:
                value = parse(query)
            except validation.Invalid:
                continue
            # A mobile typed without its 0 may also pass as a national code: try both.
            found = await look_up(value)
            if found is not None:
                return found
        return None

    async def release(self, actor: Actor, registration_id: int) -> Registration | None:
        """Release it (re-checked); None when it is no longer active."""
        registration = await self._registrations.by_id(registration_id)
        if registration is None:
            raise NotAllowed
        await self._roles.require_manager(actor, registration.center_id)
        if registration.status not in ACTIVE_STATUSES:
            return None
        released = await self._registrations.release(registration.id, actor.name)
        await self._audit.record(actor.key, "registration.release", f"registration:{registration.id}")
        await self._alerts.tell_volunteer(released, "volunteer.released")
        await self._alerts.refresh(released)
        return released
