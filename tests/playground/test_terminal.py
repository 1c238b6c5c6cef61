"""`python main.py playground` driven as a person would drive it, through a pseudo-terminal: a full
sign-up as the citizen, the alert as the coordinator, the approval back at the citizen."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from tests.e2e.signup_steps import FA, Answers

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def playground(tmp_path: Path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("BOT_", "BALE_"))}  # no token: the playground needs none
    env["TERM"] = "dumb"
    child = pexpect.spawn(sys.executable, ["main.py", "playground", "--rtl", "logical",
                                           "--files", str(tmp_path / "files")],
                          cwd=ROOT, env=env, encoding="utf-8", timeout=20, dimensions=(50, 200))
    child.logfile_read = (tmp_path / "transcript.txt").open("w", encoding="utf-8")
    yield child
    child.close(force=True)


def press(child: pexpect.spawn, label: str) -> None:
    """Find the button in the newest list printed and type its number."""
    child.expect(r"\[(\d+)\] " + re.escape(label) + r"\r?\n")
    child.sendline(child.match.group(1))


def expect_each(child: pexpect.spawn, *patterns: str) -> None:
    """Wait until every pattern has been printed, in whatever order they arrive."""
    waiting = list(patterns)
    while waiting:
        waiting.pop(child.expect(waiting))


def test_a_citizen_signs_up_and_the_coordinator_approves(playground) -> None:
    child, answers = playground, Answers()
    child.expect("Type /start to begin")
    child.sendline("/start")
    press(child, FA["language"])
    press(child, FA["agree"])
    child.sendline(answers.name)
    child.sendline(answers.national_id)
    press(child, "📱 ارسال شماره همراه من")  # the request_contact button shares the citizen's own number
    child.expect("تاریخ تولد")
    child.sendline(answers.birth_date)
    press(child, FA["female"])
    press(child, FA["province"])
    press(child, FA["county"])
    press(child, FA["center"])
    for key in ("activities", "days", "parts"):
        for label in FA[key]:
            press(child, label)
        press(child, FA["done"])
    press(child, FA["confirm"])
    child.expect(r"کد پیگیری: (\S+)")
    code = child.match.group(1)
    child.expect(r"🔔 1 new for the coordinator on Telegram \(:as coordinator\)")

    child.sendline(":as coordinator")
    child.expect("نام: مریم احمدی")
    child.expect(f"کد پیگیری: {re.escape(code)}")
    press(child, "✅ تأیید")
    # The bot tells the citizen before it redraws the alert, but the playground prints whatever
    # it finds every tenth of a second: the two may show in either order.
    expect_each(child, "تأیید شد توسط علی", r"🔔 1 new for the citizen on Telegram")

    child.sendline(":as citizen")
    child.expect(re.escape(f"ثبت‌نام شما در «{FA['center']}» تأیید شد (کد پیگیری {code})"))

    child.sendline(":platform bale")
    child.expect("you are now on Bale")
    child.sendline("/start")
    child.expect("سلام! به بازوی «سلام محله» بهزیستی خوش آمدید")  # Bale calls a bot «بازو»
    child.sendline(":quit")
    child.expect(pexpect.EOF)
