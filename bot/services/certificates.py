"""Certificates of service: issued for a volunteer's verified hours (a PDF), found by their code
(`/start v-<code>`: whom, where, how many hours, still valid or revoked), revoked by an admin."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.i18n import Translator
from bot.services.attendance import hours_text
from bot.services.roles import Actor, RoleService
from storage.attendance import AttendanceRepository
from storage.audit import AuditRepository
from storage.centers import CenterRepository
from storage.certificates import CertificateRepository
from storage.models import Center, Certificate
from storage.registrations import RegistrationRepository

PREFIX = "v-"
CODE_ALPHABET, CODE_LENGTH = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 10  # no 0/O, 1/I: read aloud too


@dataclass(frozen=True)
class Issued:
    certificate: Certificate
    pdf: bytes


class CertificateService:
    """Rules of certificates; the PDF is drawn by certificate_pdf."""

    def __init__(self, certificates: CertificateRepository, attendance: AttendanceRepository,
                 registrations: RegistrationRepository, centers: CenterRepository, roles: RoleService,
                 audit: AuditRepository):
        self._certificates = certificates
        self._attendance = attendance
        self._registrations = registrations
        self._centers = centers
        self._roles = roles
        self._audit = audit

    async def issue(self, t: Translator, platform: str, user_id: int,
                    links_of: Callable[[str], list[tuple[str, str]]]) -> Issued | str:
        """The volunteer's certificate of their verified hours (the same code while the hours
        stay the same), or a catalog key saying why there is none."""
        registration = await self._registrations.latest_for_user(platform, user_id)
        if registration is None or registration.full_name is None:
            return "rsvp.not_registered"
        ledger = await self._attendance.ledger(platform, user_id)  # over all their registrations
        verified = [line for line in ledger if line.hours is not None]
        if not verified:
            return "certificate.nothing"
        total = sum(line.hours for line in verified)
        certificate = await self._certificates.latest_valid(registration.id)
        said = (registration.full_name, registration.center_id, total, len(verified))
        if certificate is None or (certificate.full_name, certificate.center_id, certificate.hours,
                                   certificate.events) != said:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            certificate = await self._certificates.issue(code, registration.id, *said)
            await self._audit.record(f"{platform}:{user_id}", "certificate.issue", code, str(total))
        center = await self._centers.by_id(registration.center_id)
        # fpdf2 and HarfBuzz are loaded at the first certificate, not at every start (memory).
        from bot.services import certificate_pdf

        text = certificate_pdf.CertificateText(
            title=t("certificate.title"), issuer=t("certificate.issuer"),
            statement=t("certificate.statement", name=registration.full_name, center=t.center(center),
                        hours=hours_text(t, total), events=len(verified)),
            headings=tuple(t(f"certificate.column.{c}") for c in ("event", "date", "hours")),  # type: ignore[arg-type]
            rows=[(line.title, t.date(datetime.fromisoformat(line.starts_at)), hours_text(t, line.hours))
                  for line in verified],
            total=(t("certificate.total"), hours_text(t, total)),
            issued=t("certificate.issued", date=t.date(datetime.fromisoformat(certificate.issued_at)),
                     code=certificate.code),
            verify=t("certificate.verify"), rtl=t.language == "fa")
        links = links_of(PREFIX + certificate.code)
        return Issued(certificate, await asyncio.to_thread(certificate_pdf.render, text, links))

    async def find(self, code: str) -> tuple[Certificate, Center | None] | None:
        """A certificate by its code (as scanned or typed), with the volunteer's center."""
        certificate = await self._certificates.by_code(code.strip().upper())
        if certificate is None:
            return None
        return certificate, await self._centers.by_id(certificate.center_id)

    async def revoke(self, actor: Actor, code: str) -> bool:
        await self._roles.require_admin(actor)
        revoked = await self._certificates.revoke(code.strip().upper())
        if revoked:
            await self._audit.record(actor.key, "certificate.revoke", code.strip().upper())
        return revoked
