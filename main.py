"""Command line: run | doctor | playground | import-centers | export | backup."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from dotenv import load_dotenv

from bot.config import PLATFORMS, ConfigError, Settings
from bot.logging_setup import configure_logging

NO_TOKEN_MESSAGE = """\
No bot token is set, so there is nothing to connect to.

  • Set BOT_TOKEN (Telegram, from @BotFather) and/or BALE_TOKEN (Bale, from @BotFather in Bale)
    in the environment or in a .env file next to main.py (see .env.example), then `make run` again.
  • Or try every flow without a token: `make playground` (python main.py playground).
"""


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """Start the bot(s) for every platform whose token is set."""
    if not settings.platforms:
        print(NO_TOKEN_MESSAGE, file=sys.stderr)
        return 2
    from bot import event_loop
    from bot.runner import serve_forever
    from handlers.routes import ROUTES

    return event_loop.run(serve_forever(settings, ROUTES))


def cmd_doctor(settings: Settings, args: argparse.Namespace) -> int:
    """Check each messenger with the real tokens: reachable (through its proxy), token, webhook,
    username; with --chat, what sending and editing a message with a button answers."""
    if not settings.platforms:
        print(NO_TOKEN_MESSAGE, file=sys.stderr)
        return 2
    from bot.doctor import diagnose, format_report

    async def delete_webhook(url: str) -> bool:
        if args.delete_webhook:
            return True
        if not sys.stdin.isatty():
            return False
        question = f"A webhook ({url.split('?')[0]}) blocks polling. Delete it? [y/N] "
        answer = await asyncio.to_thread(input, question)
        return answer.strip().lower() in ("y", "yes")

    chats: dict[str, int] = {}
    for raw in args.chat or ():
        name, _, number = raw.rpartition(":")
        names = [name.lower()] if name else [p.name for p in settings.platforms]
        if not number.lstrip("-").isdigit() or any(n not in PLATFORMS for n in names):
            print(f"--chat takes a chat id, or telegram:ID / bale:ID (got {raw!r})", file=sys.stderr)
            return 2
        if not name and len(names) > 1:
            print("Chat ids differ between the messengers: give --chat telegram:ID --chat bale:ID",
                  file=sys.stderr)
            return 2
        chats.update(dict.fromkeys(names, int(number)))

    async def run() -> list:
        return [await diagnose(platform, chats.get(platform.name), delete_webhook)
                for platform in settings.platforms]

    diagnoses = asyncio.run(run())
    print(format_report(diagnoses))
    return 1 if any(d.blocked for d in diagnoses) else 0


def cmd_import_centers(settings: Settings, args: argparse.Namespace) -> int:
    """Upsert centers from a CSV file; print what was added, updated and rejected."""
    from bot.services.center_import import CenterImporter, MalformedFile
    from storage.centers import CenterRepository
    from storage.db import Database

    async def run() -> int:
        db = await Database.open(settings.db_path)
        try:
            report = await CenterImporter(CenterRepository(db)).import_file(Path(args.file))
        except MalformedFile as exc:
            print(f"Nothing was imported: {exc}", file=sys.stderr)
            return 2
        finally:
            await db.close()
        print(f"added: {len(report.added)}, updated: {len(report.updated)}, "
              f"rejected: {len(report.rejected)}")
        for row in report.rejected:
            print(f"  rejected line {row.line} (code {row.code or '-'}): {row.reason}")
        return 1 if report.rejected else 0

    return asyncio.run(run())


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    """Write the registrations (of one center, or all) to an .xlsx or .csv file (0600)."""
    from bot.i18n import I18n
    from bot.services.exports import ExportService
    from storage.activities import ActivityRepository
    from storage.attendance import AttendanceRepository
    from storage.audit import AuditRepository
    from storage.centers import CenterRepository
    from storage.db import Database
    from storage.drafts import DraftRepository
    from storage.files import write_private
    from storage.registrations import RegistrationRepository
    from storage.users import UserRepository

    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        print("--out must end in .xlsx or .csv", file=sys.stderr)
        return 2

    async def build() -> list[list[str]] | None:
        db = await Database.open(settings.db_path)
        try:
            center_ids = None
            if args.center:
                center = await CenterRepository(db).by_code(args.center)
                if center is None:
                    return None
                center_ids = [center.id]
            service = ExportService(RegistrationRepository(db, DraftRepository(db), UserRepository(db)),
                                    ActivityRepository(db), AuditRepository(db), AttendanceRepository(db))
            return await service.table(persian, center_ids)
        finally:
            await db.close()

    persian = I18n.load("fa", settings.timezone).translator("fa")
    rows = asyncio.run(build())
    if rows is None:
        print(f"No center has the code {args.center}", file=sys.stderr)
        return 2
    content = (ExportService.to_xlsx(rows, persian("export.sheet")) if out.suffix.lower() == ".xlsx"
               else ExportService.to_csv(rows))
    write_private(out, content)
    print(f"wrote {len(rows) - 1} registrations to {out}")
    return 0


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    """Copy the database while the bot may be writing, then check the copy's integrity."""
    from storage.backup import backup_database

    target = Path(args.path)
    try:
        result = backup_database(settings.db_path, target)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if result != "ok":
        print(f"The copy at {target} failed its integrity check:\n{result}", file=sys.stderr)
        return 1
    print(f"backup written to {target}; integrity check: ok")
    return 0


def cmd_playground(settings: Settings, args: argparse.Namespace) -> int:
    """Chat with the real bot in the terminal, against the emulator, with a throw-away database."""
    from playground.terminal import run_playground

    return asyncio.run(run_playground(args.rtl == "visual", Path(args.files) if args.files else None))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py", description="Salam Mahalleh (سلام محله) volunteer sign-up bot"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="run the bot on Telegram and/or Bale (BOT_TOKEN / BALE_TOKEN)") \
        .set_defaults(handler=cmd_run)
    doctor = sub.add_parser("doctor", help="check each messenger with the real tokens before running")
    doctor.add_argument("--chat", action="append", metavar="[MESSENGER:]ID",
                        help="your own chat id (telegram:ID / bale:ID when both are set): send a "
                             "test message with a button there and edit it")
    doctor.add_argument("--delete-webhook", action="store_true",
                        help="delete a webhook that would block polling, without asking")
    doctor.set_defaults(handler=cmd_doctor)
    play = sub.add_parser("playground", help="try the bot without a token in a terminal chat")
    play.add_argument("--rtl", choices=("visual", "logical"), default="visual",
                      help="visual: Persian shaped and laid out right-to-left by the playground (most "
                           "terminals); logical: as stored, for terminals that do bidi themselves")
    play.add_argument("--files", help="where files the bot sends are saved (default ./playground-files)")
    play.set_defaults(handler=cmd_playground)
    imp = sub.add_parser("import-centers",
                         help="add or update centers from a CSV "
                              "(code,name,province,county,address,lat,lon)")
    imp.add_argument("file", help="CSV file, UTF-8, with a header row")
    imp.set_defaults(handler=cmd_import_centers)
    exp = sub.add_parser("export", help="export registrations to XLSX or CSV")
    exp.add_argument("--out", required=True, help="output file (.xlsx or .csv)")
    exp.add_argument("--center", help="only this center code")
    exp.set_defaults(handler=cmd_export)
    backup = sub.add_parser("backup", help="online backup of the database, integrity-checked")
    backup.add_argument("path", help="where to write the copy")
    backup.set_defaults(handler=cmd_backup)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    load_dotenv()
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # retry_after as a timedelta, as PTB 23 will have it
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, secrets=settings.secrets)
    return args.handler(settings, args)


if __name__ == "__main__":
    sys.exit(main())
