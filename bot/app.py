"""The application factory: one PTB Application per platform, wired in one place."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.api_bot import build_bot
from bot.config import PlatformSettings, Settings
from bot.context import BotContext, BotData
from bot.hub import Hub
from bot.platforms import PROFILES
from bot.processor import PerUserOrderedProcessor
from bot.services.container import Services
from handlers import account, admin, broadcast, common, coordinator, dialogs, events, signup, stats
from storage.clock import Clock, utc_now

logger = logging.getLogger(__name__)
# Updates handled at once (different users; one user's stay in order), and HTTP connections
# enough for each of them to make its call without waiting for a free one.
CONCURRENT_UPDATES = 64

# (command, catalog key of its description) in the order the menu shows them.
MENU_COMMANDS = (
    ("start", "menu.start"), ("status", "menu.status"), ("edit", "menu.edit"),
    ("withdraw", "menu.withdraw"), ("language", "menu.language"), ("cancel", "menu.cancel"),
    ("forget", "menu.forget"), ("privacy", "menu.privacy"), ("help", "menu.help"),
)


def build_application(settings: Settings, platform: PlatformSettings, clock: Clock = utc_now,
                      hub: Hub | None = None) -> Application:
    """The Application for one platform; services are created in post_init, closed in post_shutdown.
    Applications of one process share a Hub (the database, each platform's messenger)."""
    profile = PROFILES[platform.name]
    hub = hub or Hub(settings, clock)

    async def post_init(application: Application) -> None:
        services = await Services.create(settings, platform, profile, application.bot, clock, hub)
        application.bot_data.services = services
        await publish_commands(application, services)
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
            lambda update: common.ask_to_slow_down(update, application.bot_data.services)))
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    """Every handler of the bot, in one place."""
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, common.identify_user), group=-1)
    for command, callback in (
        ("start", signup.start), ("cancel", signup.cancel), ("status", account.show_status),
        ("edit", account.start_edit), ("withdraw", account.ask_withdraw),
        ("forget", account.ask_forget), ("language", account.choose_language),
    ):
        application.add_handler(CommandHandler(command, callback, filters=private))
    for command, callback in (
        ("roster", coordinator.roster), ("export", coordinator.export),
        ("poster", coordinator.poster), ("release", coordinator.ask_release),
        ("invite", admin.invite),
        ("coordinators", admin.list_coordinators), ("linkgroup", admin.link_group),
        ("unlinkgroup", admin.unlink_group),
        ("addadmin", admin.add_admin), ("removeadmin", admin.remove_admin),
        ("stats", stats.show_stats), ("event", events.start_event), ("events", events.list_events),
        ("health", admin.show_health), ("invites", admin.list_invites),
        ("broadcast", broadcast.start_broadcast),
    ):
        application.add_handler(CommandHandler(command, callback))
    application.add_handler(CommandHandler("start", common.greet_group))
    application.add_handler(CommandHandler("help", common.show_help))
    application.add_handler(CommandHandler("privacy", common.show_privacy))
    application.add_handler(MessageHandler(filters.COMMAND, common.unknown_command))
    for callback, pattern in (
        (signup.on_button, signup.BUTTON_PATTERN), (account.on_button, account.BUTTON_PATTERN),
        (coordinator.review_button, coordinator.REVIEW_PATTERN),
        (coordinator.roster_button, coordinator.ROSTER_PATTERN),
        (coordinator.release_button, coordinator.RELEASE_PATTERN),
        (admin.coordinator_button, admin.COORDINATOR_PATTERN),
        (admin.invite_button, admin.INVITE_PATTERN),
        (events.on_button, events.PATTERN), (events.on_list_button, events.LIST_PATTERN),
        (broadcast.on_button, broadcast.PATTERN),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    application.add_handler(CallbackQueryHandler(common.stale_button))
    application.add_handler(MessageHandler(private & ~filters.COMMAND, dialogs.on_message))
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
            # Bale may have no setMyCommands: say so once, not once per language.
            logger.info("%s did not accept the command menu (%s); commands still work when typed",
                        services.profile.name, exc)
            return
