"""The typed callback context: services, the current user's account and their translator."""

from __future__ import annotations

from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import Translator
from bot.services.container import Services
from storage.models import UserAccount


class BotData:
    """`application.bot_data`: holds the services once post_init has built them."""

    def __init__(self) -> None:
        self.services: Services | None = None


class BotContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """Set up per update by `handlers.common.identify_user` (handler group -1)."""

    def __init__(self, application: Application, chat_id: int | None = None,
                 user_id: int | None = None):
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.account: UserAccount | None = None
        self._translator: Translator | None = None

    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are not ready: post_init has not run")
        return services

    @property
    def t(self) -> Translator:
        """The translator of the user this update is from (the default language otherwise)."""
        if self._translator is None:
            self._translator = self.services.i18n.translator(None)
        return self._translator

    def use_language(self, language: str | None) -> None:
        """Answer this update in `language` (after a user picks it, or once their account is read)."""
        self._translator = self.services.i18n.translator(language)
