"""The framework floor: python-telegram-bot's echo bot as its own examples write it (default
settings, one update at a time), pointed at the emulator by BOT_TOKEN and BOT_API_BASE_URL."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the message back."""
    await update.message.reply_text(update.message.text)


def main() -> None:
    application = (Application.builder().token(os.environ["BOT_TOKEN"])
                   .base_url(os.environ["BOT_API_BASE_URL"]).build())
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0)


if __name__ == "__main__":
    main()
