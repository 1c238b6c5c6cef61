"""A log scan: the real bot process at DEBUG level (every API call logged) serves sign-ups typed
in every spelling the validators accept, a refused duplicate, an alert, /status, an invite and an
export — and no national id, mobile number, name, birth date or invite token reaches the log."""

from __future__ import annotations

import re

import pytest

from bot.validation import normalize_digits
from emulator.client import EmulatedUser
from tests.conftest import ADMIN_ID, TELEGRAM_TOKEN
from tests.e2e.coordinator_steps import invite_token
from tests.e2e.signup_steps import Answers, register, until_step

PEOPLE = [Answers(national_id="۰۴۹۹۳۷۰۸۹۹", mobile="+989121234567"),
          Answers(name="سارا کریمی", national_id="0013542419", mobile="۰۹۳۵ ۱۱۱ ۲۲۳۳"),
          Answers(name="رضا محمدی", national_id="1234-5678-91", mobile="(0912) 765-43-21",
                  birth_date="1370-01-15"),
          Answers(name="نگار صادقی", national_id="84575948", mobile="0912 55 44 321",
                  birth_date="۱۳۶۵.۰۲.۰۳")]
NAMES = ["احمدی", "کریمی", "محمدی", "صادقی"]
BIRTH_DATES = ["1375/06/21", "1370-01-15", "1365.02.03", "1375-06-21", "1370/01/15", "1365/02/03"]
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture
def bot_env(bot_env):
    return {**bot_env, "LOG_LEVEL": "DEBUG"}


def _renderings(number: str) -> set[str]:
    """Every way a number may have been written: the digits of any script, with or without
    the leading 0 or +98, so a partly masked number is caught too."""
    core = normalize_digits(number).replace(" ", "").removeprefix("+98").lstrip("0")
    return {form.translate(table) for form in (core, core[:-1], core[1:])
            for table in (str.maketrans({}), PERSIAN, ARABIC)}


async def test_no_national_id_or_mobile_in_any_log_line(emulator, bot_process, tmp_path):
    bot = emulator.bots[TELEGRAM_TOKEN]
    await bot_process.start(bot)
    admin = EmulatedUser(emulator, bot, ADMIN_ID)
    token = await invite_token(admin, "4175")
    coordinator = EmulatedUser(emulator, bot, 800_001)
    await coordinator.command("start", f"inv-{token}")
    await coordinator.receive_text("شما اکنون تسهیلگر", timeout=10)

    first = EmulatedUser(emulator, bot, 810_001)
    await register(first, PEOPLE[0])
    await coordinator.receive_text("یاریگر تازه")  # the alert carries the mobile number
    second = EmulatedUser(emulator, bot, 810_002)
    await until_step(second, "mobile", PEOPLE[1])
    await second.send(PEOPLE[1].mobile)  # typed, with spaces
    await second.receive_text("تاریخ تولد")
    for n, person in enumerate(PEOPLE[2:]):  # typed mobiles, odd spellings everywhere
        typist = EmulatedUser(emulator, bot, 810_010 + n)
        await until_step(typist, "mobile", person)
        await typist.send(person.mobile)
        await typist.receive_text("تاریخ تولد")
        await typist.send(person.birth_date)
        await typist.question("جنسیت")
    intruder = EmulatedUser(emulator, bot, 810_003)
    await until_step(intruder, "national_id", Answers(mobile="09350000000"))
    await intruder.send("0499370899")  # someone else's national id is refused
    await intruder.receive_text("ثبت‌نام فعال با این کد ملی")
    await first.command("status")
    await first.receive_text("کد پیگیری")
    await admin.command("export")
    await admin.receive(timeout=10)
    await bot_process.stop()

    log = bot_process.log.read_text(encoding="utf-8")
    assert "sendMessage" in log and "getUpdates" in log  # DEBUG really logged the API calls
    assert "[content not logged]" in log  # the calls and updates are logged, their content not
    leaks = [(number, form) for person in PEOPLE for number in (person.national_id, person.mobile)
             for form in _renderings(number.replace("-", "").replace("(", "").replace(")", ""))
             if form in log]
    assert leaks == []
    words = NAMES + BIRTH_DATES + [p.birth_date for p in PEOPLE] + [token, "inv-"]
    assert [word for word in words if word in log or normalize_digits(word) in normalize_digits(log)] == []
    long_digit_runs = re.findall(r"[0-9۰-۹٠-٩]{10,}", log)
    assert all(normalize_digits(run) not in {"0499370899", "0013542419"} for run in long_digit_runs)
