"""Admin commands: invites, coordinators, linked group chats, other admins."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot.callbacks import CoordinatorsPage, RemoveCoordinator, RevokeInvite
from bot.config import ConfigError, parse_admins
from bot.context import BotContext
from bot.services.roles import Actor, InviteRefused, NotAllowed
from bot.validation import normalize_digits
from handlers.ui import (
    actor_of,
    admin_or_refuse,
    center_from_args,
    group_admin,
    private_admin,
    redraw,
    send,
)


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
                       by=t.account(invite.created_by),
                       until=t.datetime(datetime.fromisoformat(invite.expires_at))))
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


COORDINATORS_PAGE = 10


async def list_coordinators(update: Update, context: BotContext) -> None:
    """/coordinators [center code or name]: who coordinates which center, a page at a time,
    each with a button that removes them (after a confirmation)."""
    actor = await admin_or_refuse(update, context)
    if actor is None:
        return
    center_id = 0
    if context.args:
        center = await center_from_args(update, context)
        if center is None:
            return
        center_id = center.id
    text, markup = await _coordinators_page(context, actor, center_id, 0)
    await send(update, context, text, markup)


async def _coordinators_page(context: BotContext, actor: Actor, center_id: int,
                             page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    t = context.t
    entries = await context.services.roles.coordinators(actor, center_id or None)
    if not entries:
        return t("coordinators.none"), None
    pages = -(-len(entries) // COORDINATORS_PAGE)
    page = min(max(page, 0), pages - 1)
    first = page * COORDINATORS_PAGE
    shown = entries[first:first + COORDINATORS_PAGE]
    lines = [t("coordinators.title", total=len(entries), page=page + 1, pages=pages)]
    buttons = []
    for number, e in enumerate(shown, start=first + 1):
        lines.append(t("coordinators.line", number=number, name=e.display_name or t("coordinators.no_name"),
                       center=e.center_name, code=t.digits(e.center_code)))
        buttons.append(RemoveCoordinator("ask", e.platform, e.user_id, e.center_id).button(
            t("coordinators.remove", number=number)))
    nav = []
    if page > 0:
        nav.append(CoordinatorsPage(center_id, page - 1).button(t("button.previous_page")))
    if page < pages - 1:
        nav.append(CoordinatorsPage(center_id, page + 1).button(t("button.next_page")))
    return "\n".join(lines), kb.inline([*kb.in_rows(buttons, 5), nav])


async def coordinators_page(update: Update, context: BotContext) -> None:
    """Another page of /coordinators (admins only, re-checked)."""
    query = update.callback_query
    try:
        wanted = CoordinatorsPage.parse(query.data)
        text, markup = await _coordinators_page(context, actor_of(update, context), wanted.center_id,
                                                wanted.page)
    except (NotAllowed, ValueError):
        await query.answer(context.t("roles.not_allowed"), show_alert=True)
        return
    await query.answer()
    await redraw(update, context, text, markup)


async def coordinator_button(update: Update, context: BotContext) -> None:
    """Remove a coordinator: asked first, then done (admins only, re-checked at each press)."""
    query, services, t = update.callback_query, context.services, context.t
    actor = actor_of(update, context)
    try:
        pressed = RemoveCoordinator.parse(query.data)
        center = await services.places.center(pressed.center_id)
        if center is None:
            raise ValueError(pressed.center_id)
        entry = next((e for e in await services.roles.coordinators(actor, center.id)
                      if (e.platform, e.user_id) == (pressed.platform, pressed.user_id)), None)
        name = entry.display_name if entry and entry.display_name else t("coordinators.no_name")
        if pressed.action == "ask":
            await query.answer()
            if entry is None:
                await redraw(update, context, t("coordinators.already_removed"), None)
                return
            await redraw(update, context, t("coordinators.confirm", name=name, center=t.center(center)),
                         kb.inline([[RemoveCoordinator("rm", pressed.platform, pressed.user_id,
                                                       center.id).button(t("coordinators.yes_remove")),
                                     CoordinatorsPage(0, 0).button(t("button.no"))]]))
            return
        removed = await services.roles.remove_coordinator(actor, pressed.platform, pressed.user_id, center)
    except (NotAllowed, ValueError):
        await query.answer(t("roles.not_allowed"), show_alert=True)
        return
    await query.answer(t("coordinators.removed" if removed else "coordinators.already_removed"))
    text, markup = await _coordinators_page(context, actor, 0, 0)
    if removed:
        text = t("coordinators.removed_line", name=name, center=t.center(center)) + "\n\n" + text
    await redraw(update, context, text, markup)


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
    raw = normalize_digits(context.args[0]) if context.args else ""
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
                                  account=t.account(f"{platform}:{user_id}")))
