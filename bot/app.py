"""The application factory: one PTB Application per platform, wired in one place."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import PlatformSettings, Settings
from bot.context import BotContext, BotData
from bot.platforms import PROFILES
from bot.processor import PerUserOrderedProcessor
from bot.services.container import Services
from handlers import common

logger = logging.getLogger(__name__)

# (command, catalog key of its description) in the order the menu shows them.
MENU_COMMANDS = (("start", "menu.start"), ("help", "menu.help"))


def build_application(settings: Settings, platform: PlatformSettings) -> Application:
    """The Application for one platform; services are created in post_init, closed in post_shutdown."""
    profile = PROFILES[platform.name]

    async def post_init(application: Application) -> None:
        services = await Services.create(settings, profile)
        application.bot_data.services = services
        await publish_commands(application, services)
        logger.info("%s bot @%s is ready", profile.name, application.bot.username)

    async def post_shutdown(application: Application) -> None:
        services = application.bot_data.services
        if services is not None:
            application.bot_data.services = None
            await services.close()

    application = (
        ApplicationBuilder()
        .token(platform.token)
        .base_url(platform.base_url)
        .base_file_url(platform.base_file_url)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .concurrent_updates(PerUserOrderedProcessor())
        # Flood control only for group chats and retries after 429; bulk sends have their own pace.
        .rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=2))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    """Every handler of the bot, in one place."""
    application.add_handler(TypeHandler(Update, common.identify_user), group=-1)
    application.add_handler(CommandHandler("start", common.greet))
    application.add_handler(CommandHandler("help", common.show_help))
    application.add_handler(MessageHandler(filters.COMMAND, common.unknown_command), group=1)
    application.add_error_handler(common.on_error)


async def publish_commands(application: Application, services: Services) -> None:
    """The command menu in every language (best effort where the platform allows failure)."""
    for language in services.i18n.languages:
        t = services.i18n.translator(language)
        commands = [BotCommand(name, t(key)) for name, key in MENU_COMMANDS]
        code = None if language == services.i18n.default_language else language
        try:
            await application.bot.set_my_commands(commands, language_code=code)
        except TelegramError as exc:
            if services.profile.commands_required:
                raise
            logger.warning("%s did not accept the command menu: %s", services.profile.name, exc)
