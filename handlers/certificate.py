"""Certificates of service: /certificate sends the volunteer's PDF; its QR opens `/start v-<code>`,
which says whom it vouches for and whether it still holds; an admin's /revokecert withdraws one."""

from __future__ import annotations

from datetime import datetime

from telegram import Update

from bot.context import BotContext
from bot.services.attendance import hours_text
from handlers.ui import admin_or_refuse, in_private, send, who


async def my_certificate(update: Update, context: BotContext) -> None:
    """/certificate: a printable PDF of the volunteer's verified hours."""
    if not await in_private(update, context):
        return
    t, services = context.t, context.services

    def links_of(payload: str) -> list[tuple[str, str]]:
        return [(t(f"messenger.{platform}"), link) for platform, link in services.deep_links(payload)]

    issued = await services.certificates.issue(t, *who(update, context), links_of)
    if isinstance(issued, str):
        await send(update, context, t(issued))
        return
    await services.messenger.send_document(
        update.effective_chat.id, issued.pdf, f"certificate-{issued.certificate.code}.pdf",
        t("certificate.caption", hours=hours_text(t, issued.certificate.hours), code=issued.certificate.code))


async def verify(update: Update, context: BotContext, code: str) -> None:
    """`/start v-<code>`: whom the certificate vouches for, and whether it still holds."""
    t = context.t
    found = await context.services.certificates.find(code)
    if found is None:
        await send(update, context, t("certificate.unknown"))
        return
    certificate, center = found
    issued = t.date(datetime.fromisoformat(certificate.issued_at))
    if certificate.revoked_at:
        await send(update, context, t("certificate.revoked", code=certificate.code, issued=issued,
                                      revoked=t.date(datetime.fromisoformat(certificate.revoked_at))))
        return
    await send(update, context, t("certificate.valid", code=certificate.code, name=certificate.full_name,
                                  center=t.center(center) if center else "-",
                                  hours=hours_text(t, certificate.hours), events=certificate.events,
                                  issued=issued))


async def revoke(update: Update, context: BotContext) -> None:
    """/revokecert <code>: an admin withdraws a certificate (its verification says so from now)."""
    actor = await admin_or_refuse(update, context)
    if actor is None:
        return
    t = context.t
    if not context.args:
        await send(update, context, t("certificate.revoke_usage"))
        return
    code = context.args[0]
    revoked = await context.services.certificates.revoke(actor, code)
    await send(update, context, t("certificate.revoke_done" if revoked else "certificate.revoke_unknown",
                                  code=code.upper()))
