"""`python main.py doctor` as a deployer runs it, against the emulator in each dialect."""

from __future__ import annotations

import asyncio
import sys

import pytest

from emulator.bale import BaleQuirks
from emulator.bot_process import ROOT
from tests.conftest import BALE_TOKEN, TELEGRAM_TOKEN

OWN_CHAT = 4242


async def doctor(emulator, *args: str, telegram: bool = True, bale: bool = True) -> tuple[int, str]:
    env = {"PYTHONUNBUFFERED": "1"}
    if telegram:
        env |= {"BOT_TOKEN": TELEGRAM_TOKEN, "BOT_API_BASE_URL": emulator.base_url,
                "BOT_API_FILE_URL": emulator.file_url}
    if bale:
        env |= {"BALE_TOKEN": BALE_TOKEN, "BALE_API_BASE_URL": emulator.base_url,
                "BALE_API_FILE_URL": emulator.file_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "main.py", "doctor", *args, cwd=ROOT, env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, output.decode()


async def test_both_messengers_ready_with_their_edit_answers(emulator):
    telegram = emulator.add_bot(TELEGRAM_TOKEN, username="salam_tg_bot")
    bale = emulator.add_bot(BALE_TOKEN, username="salam_mahalleh_bot", dialect="bale")
    for bot in (telegram, bale):
        bot.open_private_chats([OWN_CHAT])
    code, report = await doctor(emulator, "--chat", str(OWN_CHAT))
    assert code == 2 and "--chat telegram:ID --chat bale:ID" in report  # ids differ per messenger
    code, report = await doctor(emulator, "--chat", f"telegram:{OWN_CHAT}", "--chat", f"bale:{OWN_CHAT}")
    assert code == 0, report
    telegram_part, bale_part = report.split("Bale:")
    assert "token" in telegram_part and "@salam_tg_bot" in telegram_part
    assert "https://t.me/salam_tg_bot?start=" in telegram_part
    assert "answered with the edited message (as Telegram)" in telegram_part
    assert "https://ble.ir/salam_mahalleh_bot?start=" in bale_part
    assert "answered with a stub: message_id 0, no text, without date" in bale_part
    assert report.rstrip().endswith("Ready to run.")
    assert len(bale.messages_to(OWN_CHAT)) == 1  # the test message, edited in place
    assert TELEGRAM_TOKEN not in report and BALE_TOKEN not in report


@pytest.mark.parametrize(("variant", "said"), [
    ("true", "answered with true (no message)"),
    ("stub", "answered with a stub: message_id 0, no text, with date"),
    ("refused", "refused:"),
])
async def test_each_bale_edit_answer_is_named(emulator, variant, said):
    bale = emulator.add_bot(BALE_TOKEN, dialect="bale", quirks=BaleQuirks(edit_answer=variant))
    bale.open_private_chats([OWN_CHAT])
    code, report = await doctor(emulator, "--chat", str(OWN_CHAT), telegram=False)
    assert code == 0 and said in report, report


async def test_a_webhook_that_blocks_polling_is_a_blocking_problem_until_deleted(emulator):
    telegram = emulator.add_bot(TELEGRAM_TOKEN)
    telegram.webhook_url = "https://example.org/hook?secret=x"
    code, report = await doctor(emulator, bale=False)
    assert code == 1 and "✗ webhook" in report and "--delete-webhook" in report, report
    assert telegram.webhook_url  # not deleted without being asked
    code, report = await doctor(emulator, "--delete-webhook", bale=False)
    assert code == 0 and "deleted" in report and not telegram.webhook_url, report


async def test_a_rejected_token_and_an_unreachable_messenger_are_blocking(emulator):
    emulator.unknown_token_dialect = "bale"  # no bot has these tokens: Bale's 403 "Token not found"
    code, report = await doctor(emulator, telegram=False)
    assert code == 1 and "rejected" in report and "BALE_TOKEN" in report, report
    await emulator.stop()
    code, report = await doctor(emulator, bale=False)
    assert code == 1 and "✗ reachable" in report and f"127.0.0.1:{emulator.port}" in report, report


async def test_a_chat_that_never_started_the_bot_is_reported(emulator):
    emulator.add_bot(BALE_TOKEN, dialect="bale")
    code, report = await doctor(emulator, "--chat", "777", telegram=False)
    assert code == 1 and "✗ send to chat" in report and "started the bot" in report, report
