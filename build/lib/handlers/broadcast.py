"""/broadcast: an admin's message to many volunteers (the dialog is handlers/dialogs/broadcast.py)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from handlers.dialogs import ENGINE
from handlers.dialogs.broadcast import BROADCAST, BroadcastAnswers
from handlers.ui import admin_or_refuse


async def start_broadcast(update: Update, context: BotContext) -> None:
    """/broadcast: text, audience, preview with the exact count, then Send."""
    if await admin_or_refuse(update, context) is None:
        return
    await ENGINE.begin(update, context, BROADCAST, BroadcastAnswers())
