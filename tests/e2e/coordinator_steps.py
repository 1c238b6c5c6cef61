"""Helpers for coordinator tests: admins, invites, group chats, registered volunteers."""

from __future__ import annotations

import re

from emulator.client import EmulatedUser
from tests.conftest import ADMIN_ID
from tests.e2e.signup_steps import Answers, register

INVITE_LINK = re.compile(r"start=inv-([A-Za-z0-9_\-]+)")


async def invite_token(admin: EmulatedUser, center_code: str) -> str:
    """An admin asks for an invite; the token from the link on the reply's button (the same link
    stands in the text where the messenger shows links as they are)."""
    admin.skip_all()
    await admin.command("invite", center_code)
    reply = await admin.receive_text("پیوند دعوت")
    [link] = reply.url_buttons().values()
    token = INVITE_LINK.search(link).group(1)
    assert link in reply.text or f"/start inv-{token}" in reply.text
    return token


async def make_coordinator(harness, center_code: str, name: str = "زهرا تسهیلگر") -> EmulatedUser:
    """A new user who opens a fresh invite link for the center."""
    admin = harness.user(ADMIN_ID, first_name="مدیر")
    token = await invite_token(admin, center_code)
    coordinator = harness.user(first_name=name)
    await coordinator.command("start", f"inv-{token}")
    await coordinator.receive_text("شما اکنون تسهیلگر")
    return coordinator


async def coordinator_of(harness, center_code: str, user_id: int) -> None:
    """Make an existing user a coordinator of a center directly (as an accepted invite would)."""
    center = await harness.services.centers.by_code(center_code)
    async with harness.services.db.transaction() as conn:
        await conn.execute("INSERT INTO coordinators(platform, user_id, center_id, created_at) "
                           "VALUES (?, ?, ?, '2026-01-01T00:00:00+00:00')",
                           (harness.platform, user_id, center.id))


def group_member(harness, user: EmulatedUser, chat_id: int = -100_500) -> EmulatedUser:
    """The same person writing in a group chat with the bot."""
    return EmulatedUser(harness.emulator, harness.bot, user.id, first_name=user.user["first_name"],
                        chat={"id": chat_id, "type": "supergroup", "title": "تسهیلگران ملایر"})


async def registered_volunteer(harness, n: int = 0) -> EmulatedUser:
    """A citizen registered at center 4175 (Malayer) with distinct national id and mobile."""
    ids = ["0499370899", "0013542419", "1234567891", "0084575948", "2741234566"]
    volunteer = harness.user()
    await register(volunteer, Answers(national_id=ids[n], mobile=f"0912000{n:04d}"))
    return volunteer
