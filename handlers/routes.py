"""The route table: every command and button pattern and the handler it goes to, in one ordered
table (PTB tries handlers in the order added; comments mark where the order matters)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.app import Routes
from bot.callbacks import (
    AccountButton,
    AttendanceButton,
    CoordinatorsPage,
    EventAction,
    PosterFor,
    ReleaseButton,
    RemoveCoordinator,
    ReviewButton,
    RevokeInvite,
    RosterActivities,
    RosterOpen,
    RosterPage,
    RsvpButton,
)
from handlers import (
    account,
    admin,
    attendance,
    broadcast,
    certificate,
    common,
    coordinator,
    dialogs,
    events,
    hours,
    rsvp,
    signup,
    stats,
)

# (command, catalog key of its description) in the order the menu shows them.
MENU_COMMANDS = (
    ("start", "menu.start"), ("status", "menu.status"), ("edit", "menu.edit"),
    ("withdraw", "menu.withdraw"), ("language", "menu.language"), ("cancel", "menu.cancel"),
    ("myevents", "menu.myevents"), ("hours", "menu.hours"), ("certificate", "menu.certificate"),
    ("forget", "menu.forget"),
    ("privacy", "menu.privacy"),
    ("help", "menu.help"),
)


def install(application: Application) -> None:
    """Every handler of the bot, in the order PTB tries them."""
    private = filters.ChatType.PRIVATE
    # Group -1 runs before every other handler: the sender's account and language first.
    application.add_handler(TypeHandler(Update, common.identify_user), group=-1)
    for command, callback in (
        ("start", signup.start), ("cancel", dialogs.cancel), ("status", account.show_status),
        ("edit", account.start_edit), ("withdraw", account.ask_withdraw),
        ("forget", account.ask_forget), ("language", account.choose_language),
        ("myevents", rsvp.my_events), ("hours", hours.my_hours),
        ("certificate", certificate.my_certificate),
    ):
        application.add_handler(CommandHandler(command, callback, filters=private))
    for command, callback in (
        ("roster", coordinator.roster), ("export", coordinator.export),
        ("attendance", attendance.attendance),
        ("poster", coordinator.poster), ("release", coordinator.ask_release),
        ("invite", admin.invite),
        ("coordinators", admin.list_coordinators), ("linkgroup", admin.link_group),
        ("unlinkgroup", admin.unlink_group),
        ("addadmin", admin.add_admin), ("removeadmin", admin.remove_admin),
        ("stats", stats.show_stats), ("event", events.start_event), ("events", events.list_events),
        ("health", admin.show_health), ("invites", admin.list_invites),
        ("broadcast", broadcast.start_broadcast), ("revokecert", certificate.revoke),
    ):
        application.add_handler(CommandHandler(command, callback))
    # The private /start above wins in private chats; in a group /start only points to a private chat.
    application.add_handler(CommandHandler("start", common.greet_group))
    application.add_handler(CommandHandler("help", common.show_help))
    application.add_handler(CommandHandler("privacy", common.show_privacy))
    application.add_handler(CommandHandler("myid", common.show_id))
    # After every known command: anything else starting with "/" is unknown.
    application.add_handler(MessageHandler(filters.COMMAND, common.unknown_command))
    for callback, pattern in (
        (account.on_button, AccountButton.pattern()),
        (coordinator.review_button, ReviewButton.pattern()),
        (coordinator.roster_button, RosterPage.pattern()),
        (coordinator.roster_button, RosterActivities.pattern()),
        (coordinator.open_from_roster, RosterOpen.pattern()),
        (coordinator.poster_for, PosterFor.pattern()),
        (coordinator.release_button, ReleaseButton.pattern()),
        (admin.coordinator_button, RemoveCoordinator.pattern()),
        (admin.coordinators_page, CoordinatorsPage.pattern()),
        (admin.invite_button, RevokeInvite.pattern()),
        (events.on_list_button, EventAction.pattern()),
        (rsvp.on_button, RsvpButton.pattern()),
        (attendance.on_button, AttendanceButton.pattern()),
        *((dialogs.on_button, pattern) for pattern in dialogs.ENGINE.patterns()),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    # After every known button pattern: an old or forged button is refused, never acted on.
    application.add_handler(CallbackQueryHandler(dialogs.stale_button))
    # Typed answers, contacts and locations go to the dialog the user is in.
    application.add_handler(MessageHandler(private & ~filters.COMMAND, dialogs.on_message))
    application.add_error_handler(common.on_error)


ROUTES = Routes(install=install, menu=MENU_COMMANDS, on_flood=common.ask_to_slow_down)
