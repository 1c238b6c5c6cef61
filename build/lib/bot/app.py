"""The application factory: one PTB Application per platform; its routes come from above (the
core never imports handlers/)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.api_bot import build_bot
from bot.config import PlatformSettings, Settings
from bot.context import BotContext, BotData
from bot.hub import Hub
from bot.platforms import PROFILES
from bot.processor import PerUserOrderedProcessor
from bot.services.container import Services
from storage.clock import Clock, utc_now

logger = logging.getLogger(__name__)
# Updates handled at once (different users; one user's stay in order), and HTTP connections
# enough for each of them to make its call without waiting for a free one.
CONCURRENT_UPDATES = 64



@dataclass(frozen=True)
class Routes:
    """What the layer above the core (handlers/routes.py) gives each Application: its handlers in
    order, the command menu, and the answer to a user past the flood limit."""

    install: Callable[[Application], None]
    menu: tuple[tuple[str, str], ...]  # (command, catalog key of its description), in menu order
    on_flood: Callable[[Update, Services | None], Awaitable[None]]


def build_application(settings: Settings, platform: PlatformSettings, routes: Routes,
                      clock: Clock = utc_now, hub: Hub | None = None) -> Application:
    """The Application for one platform; services are created in post_init, closed in post_shutdown.
    Applications of one process share a Hub (the database, each platform's messenger)."""
    profile = PROFILES[platform.name]
    hub = hub or Hub(settings, clock)

    async def post_init(application: Application) -> None:
        services = await Services.create(settings, platform, profile, application.bot, clock, hub)
        application.bot_data.services = services
        await publish_commands(application, services, routes.menu)
        services.start_background()
        logger.info("%s bot @%s is ready", profile.name, application.bot.username)

    async def post_stop(application: Application) -> None:
        services = application.bot_data.services
        if services is not None:
            await services.stop_background()

    async def post_shutdown(application: Application) -> None:
        services = application.bot_data.services
        if services is not None:
            application.bot_data.services = None
            await services.close()

    application = (
        ApplicationBuilder()
        # Flood control only for group chats and retries after 429; bulk sends have their own pace.
        .bot(build_bot(platform, CONCURRENT_UPDATES, AIORateLimiter(overall_max_rate=0, max_retries=2),
                       hub.health(platform.name)))
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .concurrent_updates(PerUserOrderedProcessor(
            CONCURRENT_UPDATES, settings.flood_limit,
            lambda update: routes.on_flood(update, application.bot_data.services)))
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    routes.install(application)
    return application


async def publish_commands(application: Application, services: Services,
                           menu: tuple[tuple[str, str], ...]) -> None:
    """The command menu in every language (best effort where the platform allows failure)."""
    for language in services.i18n.languages:
        t = services.i18n.translator(language)
        commands = [BotCommand(name, t(key)) for name, key in menu]
        code = None if language == services.i18n.default_language else language
        try:
            await application.bot.set_my_commands(commands, language_code=code)
        except TelegramError as exc:
            if services.profile.commands_required:
                raise
            # Bale may have no setMyCommands: say so once, not once per language.
            logger.info("%s did not accept the command menu (%s); commands still work when typed",
                        services.profile.name, exc)
            return
