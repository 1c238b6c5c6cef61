"""The playground chat in-process: its commands reach the real bot the way a messenger app would."""

from __future__ import annotations

import asyncio
from pathlib import Path

from playground.chat import PlaygroundChat
from playground.session import open_playground
from tests.e2e.signup_steps import FA


async def transcript_until(chat: PlaygroundChat, lines: list[str], text: str, since: int = 0,
                           timeout: float = 10) -> str:
    """Show the bot's replies until `text` appears in the transcript (after its first `since` lines)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not any(text in line for line in lines[since:]):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{text!r} never appeared; transcript:\n" + "\n".join(lines))
        chat.show_new()
        await asyncio.sleep(0.05)
    return "\n".join(lines)


async def test_a_poster_link_opens_the_sign_up_at_its_center(tmp_path: Path) -> None:
    lines: list[str] = []
    async with open_playground(tmp_path) as playground:
        chat = PlaygroundChat(playground, lines.append, visual=False)
        await chat.handle(":open https://t.me/salam_mahalleh_bot?start=c-4175")
        await transcript_until(chat, lines, f"در حال ثبت‌نام در «{FA['center']}»")
        await transcript_until(chat, lines, "[1] ✅ بله، ادامه می‌دهم")


async def test_typed_numbers_that_are_no_button_are_sent_as_text(tmp_path: Path) -> None:
    lines: list[str] = []
    async with open_playground(tmp_path) as playground:
        chat = PlaygroundChat(playground, lines.append, visual=False)
        await chat.handle("/start")
        await transcript_until(chat, lines, "[2] English")
        mark = len(lines)
        await chat.handle("۷")  # no seventh button: the bot gets "۷" and asks again
        await transcript_until(chat, lines, "[2] English", since=mark)
        sent = [m.get("text") for m in playground.user("citizen", "telegram").state.user_messages.values()]
        assert sent == ["/start", "۷"]


async def test_playground_commands_answer_and_bad_ones_explain(tmp_path: Path) -> None:
    lines: list[str] = []
    async with open_playground(tmp_path) as playground:
        chat = PlaygroundChat(playground, lines.append, visual=False)
        await chat.handle(":location north")
        assert "Usage: :location LAT LON" in lines[-1]
        await chat.handle(":as nobody")
        assert "Unknown playground command" in lines[-1]
        assert await chat.handle(":as admin") and chat.prompt() == "admin@telegram> "
        await chat.handle("/help")
        await transcript_until(chat, lines, "/broadcast")  # an admin's help lists admin commands
        assert not await chat.handle(":quit")


async def test_a_buttons_pop_up_answer_is_shown(tmp_path: Path) -> None:
    lines: list[str] = []
    async with open_playground(tmp_path) as playground:
        chat = PlaygroundChat(playground, lines.append, visual=False)
        await chat.handle(":as admin")
        await chat.handle("/invite 4170")
        await transcript_until(chat, lines, "پیوند دعوت")
        await chat.handle("/invites")
        # The invite's link and the list came together: both messages' buttons are current.
        await transcript_until(chat, lines, "[2] 🗑 لغو دعوت ۱")
        await chat.handle("2")
        await transcript_until(chat, lines, "⚠️ pop-up (tap OK): دعوت لغو شد")


async def test_stickers_photos_and_forwarded_contacts_can_be_sent(tmp_path: Path) -> None:
    lines: list[str] = []
    async with open_playground(tmp_path) as playground:
        chat = PlaygroundChat(playground, lines.append, visual=False)
        await chat.handle("/start")
        await transcript_until(chat, lines, "[1] فارسی")
        await chat.handle("1")
        await transcript_until(chat, lines, "✅ موافقم")
        assert "English" not in "\n".join(lines[-3:])  # the answered question's buttons are gone
        assert any("☑️  (the answered question's buttons are gone)" in line for line in lines)
        await chat.handle("1")
        await transcript_until(chat, lines, "نام و نام خانوادگی خود را")
        for command in (":sticker", ":photo", ":voice"):
            mark = len(lines)
            await chat.handle(command)
            await transcript_until(chat, lines, "به‌صورت متن بنویسید", since=mark)
        await chat.handle("مریم احمدی")
        await chat.handle("0499370899")
        await transcript_until(chat, lines, "شماره همراه خود را")
        mark = len(lines)
        await chat.handle(":forward 09351112233")
        await transcript_until(chat, lines, "فقط شماره همراه خودتان", since=mark)


async def test_scan_reads_the_check_in_poster_a_coordinator_printed(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from storage.db import Database
    from storage.events import EventRepository
    from storage.models import ScopeKind

    lines: list[str] = []
    async with open_playground(tmp_path) as playground:
        db = await Database.open(playground.settings.db_path)
        try:  # an event starting in half an hour: its check-in is open
            starts = datetime.now(UTC) + timedelta(minutes=30)
            await EventRepository(db).create("جشن محله", ScopeKind.ALL, None, starts.isoformat(), (), "admin",
                                             ends_at=(starts + timedelta(hours=2)).isoformat())
        finally:
            await db.close()
        chat = PlaygroundChat(playground, lines.append, visual=False)
        await chat.handle(":scan")
        assert "no poster here yet" in lines[-1]
        await chat.handle(":as coordinator")
        await chat.handle("/poster 4175")
        await transcript_until(chat, lines, "پوستر ورود «جشن محله»")
        await chat.handle(":as citizen")
        mark = len(lines)
        await chat.handle(":scan")
        assert any("(scanned: https://t.me/" in line and "start=k-1-4175-" in line for line in lines[mark:])
        await transcript_until(chat, lines, "برای ثبت ورود به «جشن محله»", since=mark)
