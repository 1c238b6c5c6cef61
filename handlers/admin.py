"""Admin commands: invites, coordinators, linked group chats, other admins."""

from __future__ import annotations

from datetime import datetime

from telegram import Update

from bot import keyboards as kb
from bot.callbacks import RemoveCoordinator, RevokeInvite
from bot.config import ConfigError, parse_admins
from bot.context import BotContext
from bot.services.roles import InviteRefused, NotAllowed
from handlers.ui import actor_of, admin_or_refuse, center_from_args, group_admin, private_admin, send


async def accept_invite(update: Update, context: BotContext, token: str) -> None:
    """`/start inv-<token>`: the opener becomes the center's coordinator (once, within 7 days)."""
    t, services = context.t, context.services
    try:
        center_id = await services.roles.accept_invite(token, actor_of(update, context))
    except InviteRefused as refused:
        await send(update, context, t(f"invite.refused.{refused.reason}"))
        return
    center = await services.places.center(center_id)
    await send(update, context, t("invite.accepted", center=t.center(center)))


async def invite(update: Update, context: BotContext) -> None:
    """/invite <center code>: a one-time link that makes its opener the center's coordinator.
    Private chats only: in a group, any member could open it."""
    services, t = context.services, context.t
    actor = await private_admin(update, context)
    if actor is None:
        return
    if not context.args:
        await send(update, context, t("invite.usage"))
        return
    center = await center_from_args(update, context)
    if center is None:
        return
    token = await services.roles.create_invite(actor, center)
    payload = f"inv-{token}"
    link = services.profile.deep_link(context.bot.username, payload)
    # Where links cannot stand in a text (Bale), the button carries it and the text says what
    # to type instead; the token is hex, so the command survives Markdown.
    key = "invite.created" if services.profile.links_in_text else "invite.created_button"
    await send(update, context, t(key, center=t.center(center), link=link, payload=payload),
               kb.link(t("invite.open"), link))


async def list_invites(update: Update, context: BotContext) -> None:
    """/invites: the open coordinator invites, each with a button that revokes it."""
    services, t = context.services, context.t
    actor = await private_admin(update, context)
    if actor is None:
        return
    invites = await services.roles.open_invites(actor)
    if not invites:
        await send(update, context, t("invites.none"))
        return
    lines, rows = [t("invites.title")], []
    for number, invite in enumerate(invites, 1):
        center = await services.places.center(invite.center_id)
        lines.append(t("invites.line", number=number, center=t.center(center),
                       by=invite.created_by, until=t.datetime(datetime.fromisoformat(invite.expires_at))))
        rows.append([RevokeInvite("revoke", invite.token).button(t("invites.revoke", number=number))])
    await send(update, context, "\n".join(lines), kb.inline(rows))


async def invite_button(update: Update, context: BotContext) -> None:
    """Revoke an open invite (admins only, re-checked)."""
    query, services, t = update.callback_query, context.services, context.t
    try:
        pressed = RevokeInvite.parse(query.data)
        revoked = await services.roles.revoke_invite(actor_of(update, context), pressed.token)
    except (NotAllowed, ValueError):
        await query.answer(t("roles.not_allowed"), show_alert=True)
        return
    await query.answer(t("invites.revoked" if revoked else "invites.not_open"), show_alert=True)


async def show_health(update: Update, context: BotContext) -> None:
    """/health: each messenger's connection, the outbox backlog, the database size, the version."""
    services, t = context.services, context.t
    actor = await admin_or_refuse(update, context)
    if actor is None:
        return
    await send(update, context, await services.health.report(t))


async def list_coordinators(update: Update, context: BotContext) -> None:
    """/coordinators [center code]: who coordinates which center, each with a Remove button."""
    services, t = context.services, context.t
    actor = await admin_or_refuse(update, context)
    if actor is None:
        return
    center_id = None
    if context.args:
        center = await center_from_args(update, context)
        if center is None:
            return
        center_id = center.id
    entries = await services.roles.coordinators(actor, center_id)
    if not entries:
        await send(update, context, t("coordinators.none"))
        return
    lines = [t("coordinators.title")]
    rows = []
    for number, e in enumerate(entries, start=1):
        lines.append(t("coordinators.line", number=number, name=e.display_name or "-",
                       account=f"{e.platform}:{e.user_id}", center=e.center_name,
                       code=t.digits(e.center_code)))
        rows.append([RemoveCoordinator("rm", e.platform, e.user_id, e.center_id).button(
            t("coordinators.remove", number=number))])
    await send(update, context, "\n".join(lines), kb.inline(rows))


async def coordinator_button(update: Update, context: BotContext) -> None:
    """Remove a coordinator (admins only, re-checked)."""
    query, services, t = update.callback_query, context.services, context.t
    try:
        pressed = RemoveCoordinator.parse(query.data)
        platform, user_id = pressed.platform, pressed.user_id
        center = await services.places.center(pressed.center_id)
        if center is None:
            raise ValueError(pressed.center_id)
        removed = await services.roles.remove_coordinator(actor_of(update, context), platform,
                                                          user_id, center)
    except (NotAllowed, ValueError):
        await query.answer(t("roles.not_allowed"), show_alert=True)
        return
    await query.answer(t("coordinators.removed" if removed else "coordinators.already_removed"))
    if removed:
        await send(update, context, t("coordinators.removed_line", account=f"{platform}:{user_id}",
                                      center=t.center(center)))


async def link_group(update: Update, context: BotContext) -> None:
    """/linkgroup <center code>, run inside a group: the group receives the center's alerts."""
    services, t = context.services, context.t
    actor = await group_admin(update, context)
    if actor is None:
        return
    center = await center_from_args(update, context)
    if center is None:
        return
    await services.roles.link_group(actor, update.effective_chat.id, center)
    await send(update, context, t("group.linked", center=t.center(center)))


async def unlink_group(update: Update, context: BotContext) -> None:
    """/unlinkgroup, run inside a linked group: the group stops receiving the center's alerts,
    and the alerts it holds lose the volunteers' data and buttons."""
    services, t = context.services, context.t
    actor = await group_admin(update, context)
    if actor is None:
        return
    center_id = await services.roles.unlink_group(actor, update.effective_chat.id)
    if center_id is None:
        await send(update, context, t("group.not_linked"))
        return
    center = await services.places.center(center_id)
    await send(update, context, t("group.unlinked", center=t.center(center)))


async def add_admin(update: Update, context: BotContext) -> None:
    """/addadmin <user id>: another admin (on this platform unless prefixed, e.g. bale:123)."""
    await _set_admin(update, context, True)


async def remove_admin(update: Update, context: BotContext) -> None:
    """/removeadmin <user id>."""
    await _set_admin(update, context, False)


async def _set_admin(update: Update, context: BotContext, is_admin: bool) -> None:
    services, t = context.services, context.t
    actor = await admin_or_refuse(update, context)
    if actor is None:
        return
    raw = context.args[0] if context.args else ""
    if raw and ":" not in raw:
        raw = f"{actor.platform}:{raw}"
    try:
        [(platform, user_id)] = parse_admins(raw) or [("", 0)]
    except (ConfigError, ValueError):
        platform, user_id = "", 0
    if not user_id:
        await send(update, context, t("admins.usage"))
        return
    if not is_admin and services.settings.is_admin(platform, user_id):
        await send(update, context, t("admins.from_settings"))
        return
    await services.roles.set_admin(actor, platform, user_id, is_admin)
    await send(update, context, t("admins.added" if is_admin else "admins.removed",
                                  account=f"{platform}:{user_id}"))
