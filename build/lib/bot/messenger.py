"""Sending on one platform's bot outside a handler: messages, edits (with a fallback), files."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, TelegramError

logger = logging.getLogger(__name__)


class Messenger:
    """One platform's bot, as services use it."""

    def __init__(self, bot: Bot, platform: str):
        self._bot = bot
        self.platform = platform

    async def send(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> int:
        """Send a text; returns its message id."""
        message = await self._bot.send_message(chat_id, text, reply_markup=markup)
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, text: str,
                   markup: InlineKeyboardMarkup | None = None) -> int:
        """Replace a message's text; where the platform refuses the edit, send it anew.
        Returns the id of the message that now shows the text."""
        try:
            await self._bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                              reply_markup=markup)
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return message_id
            logger.info("%s refused an edit in chat %s (%s); sending anew", self.platform, chat_id, exc)
            return await self.send(chat_id, text, markup)
        except TelegramError as exc:
            if getattr(exc, "retry_after", None) is not None:
                raise
            logger.info("%s edit failed in chat %s (%s); sending anew", self.platform, chat_id, exc)
            return await self.send(chat_id, text, markup)
        return message_id

    async def retract(self, chat_id: int, message_id: int, text: str) -> bool:
        """Replace a message by a text without buttons, or delete it where the edit is refused;
        never sends anything new. Whether the old content is gone."""
        try:
            await self._bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
            return True
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return True
            logger.info("%s refused an edit in chat %s (%s); deleting instead", self.platform,
                        chat_id, exc)
        try:
            return bool(await self._bot.delete_message(chat_id, message_id))
        except BadRequest as exc:
            if "not found" in str(exc).lower():  # deleted already, by the person or the bot
                return True
            logger.warning("%s kept message %s in chat %s: %s", self.platform, message_id,
                           chat_id, exc)
            return False

    async def send_document(self, chat_id: int, content: bytes, filename: str,
                            caption: str | None = None) -> int:
        message = await self._bot.send_document(
            chat_id, InputFile(content, filename=filename), caption=caption)
        return message.message_id

    async def send_photo(self, chat_id: int, content: bytes, caption: str | None = None,
                         filename: str = "image.png") -> int:
        message = await self._bot.send_photo(chat_id, InputFile(content, filename=filename),
                                             caption=caption)
        return message.message_id
