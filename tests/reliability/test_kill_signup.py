"""kill -9 the real bot process 20 times at random sign-up steps (sometimes while an update is
being handled): every draft resumes where the database says it is, with its answers, and no
committed registration is ever lost or doubled."""

from __future__ import annotations

import asyncio
import json
import random

import aiosqlite

from bot.i18n import load_catalogs
from emulator.bot_process import BotProcess, until
from emulator.client import EmulatedUser, NoReply
from tests import people
from tests.conftest import TELEGRAM_TOKEN

CITIZENS = 6
KILLS = 20
NUDGE = "؟"  # refused by every step, so it only makes the bot ask the current question again
FA = load_catalogs()["fa"]


def _prompt(step: str) -> str:
    """The fixed opening of a step's question in Persian."""
    return FA[f"signup.{step}.prompt"].split("{")[0][:30]


class Citizen:
    def __init__(self, user: EmulatedUser, n: int):
        self.user, self.n = user, n
        self.name = ("مریم احمدی", "زهرا کریمی", "علی رضایی", "سارا محمدی", "رضا حسینی", "نرگس موسوی")[n]
        self.national_id = people.national_id(7_000_000 + n)
        self.mobile = people.mobile(7_000_000 + n)

    async def press_or_nudge(self, label: str) -> None:
        """Press the button if the chat shows it; else prompt the bot to show the question."""
        try:
            await self.user.press(label)
        except AssertionError:
            await self.user.send(NUDGE)

    async def answer(self, step: str | None, answers: dict) -> None:
        """What this citizen does when the database says they are at `step`."""
        u = self.user
        if step is None:
            await u.command("start")
        elif step == "language":
            await self.press_or_nudge("فارسی")
        elif step == "privacy":
            await self.press_or_nudge("✅ موافقم")
        elif step == "name":
            await u.send(self.name)
        elif step == "national_id":
            await u.send(self.national_id)
        elif step == "mobile":
            await u.share_contact("+98" + self.mobile[1:])
        elif step == "birth_date":
            await u.send("۱۳۷۵/۰۶/۲۱")
        elif step == "gender":
            await self.press_or_nudge("زن")
        elif step == "center":
            await u.command("start", "c-4175")  # the QR poster at the booth
        elif step in ("activities", "days", "parts"):
            first = {"activities": "سلامت و بهداشت", "days": "شنبه", "parts": "صبح"}[step]
            await self.press_or_nudge("✅ تمام" if answers.get(step) else first)
        elif step == "summary":
            await self.press_or_nudge("✅ تأیید و ثبت نهایی")
        else:
            raise AssertionError(f"unexpected step {step}")


async def _drafts(db_path) -> dict[int, tuple[str, dict]]:
    async with aiosqlite.connect(db_path) as conn:
        rows = await conn.execute_fetchall("SELECT user_id, step, answers FROM drafts")
    # The engine's own keys (which message shows the question, whether a keyboard is up) change
    # with every asking; the answers and the step must not.
    return {user_id: (step, {k: v for k, v in json.loads(answers).items() if k not in ("asked", "keyboard")})
            for user_id, step, answers in rows}


async def _registrations(db_path) -> dict[int, list[tuple]]:
    found: dict[int, list[tuple]] = {}
    async with aiosqlite.connect(db_path) as conn:
        rows = await conn.execute_fetchall(
            "SELECT user_id, tracking_code, full_name, national_id, mobile FROM registrations")
    for user_id, *fields in rows:
        found.setdefault(user_id, []).append(tuple(fields))
    return found


async def _quiet(bot, users: list[EmulatedUser]) -> None:
    """Wait until the bot has taken every update and stopped talking for a moment."""
    await until(lambda: not bot.updates, what="the updates to be taken")
    while True:
        before = sum(len(u.state.actions) for u in users)
        await asyncio.sleep(0.4)
        if sum(len(u.state.actions) for u in users) == before:
            return


async def test_kill_9_at_random_steps_loses_nothing(emulator, bot_process: BotProcess, db_path):
    rng = random.Random(20261123)
    bot = emulator.bots[TELEGRAM_TOKEN]
    citizens = [Citizen(EmulatedUser(emulator, bot, 7_100_000 + n), n) for n in range(CITIZENS)]
    by_id = {c.user.id: c for c in citizens}
    ever_registered: dict[int, tuple] = {}

    async def step_once(citizen: Citizen, wait: bool = True) -> None:
        draft = (await _drafts(db_path)).get(citizen.user.id)
        if draft is None and citizen.user.id in ever_registered:
            return
        citizen.user.skip_all()
        await citizen.answer(*(draft or (None, {})))
        if wait:
            await citizen.user.receive(timeout=10)

    await bot_process.start(bot)
    resumed_steps = set()
    for _ in range(KILLS):
        for _ in range(rng.randint(1, 5)):
            await step_once(rng.choice(citizens))
        await step_once(rng.choice(citizens), wait=False)
        await asyncio.sleep(rng.uniform(0, 0.15))  # sometimes mid-update, sometimes idle
        await bot_process.kill()
        for user_id, rows in (await _registrations(db_path)).items():
            ever_registered.setdefault(user_id, rows[0])

        await bot_process.start(bot)
        await _quiet(bot, [c.user for c in citizens])
        before = await _drafts(db_path)
        for user_id, (step, _answers) in before.items():  # every draft resumes where it was
            user = by_id[user_id].user
            user.skip_all()
            await user.send(NUDGE)
            reply = await user.question(timeout=10)
            expected = _prompt(step) if step != "language" else "زبان"
            assert expected in reply.text, f"{step}: {reply.text!r}"
            resumed_steps.add(step)
        await _quiet(bot, [c.user for c in citizens])
        assert await _drafts(db_path) == before  # the nudge changed nothing: answers kept

    for _ in range(40 * CITIZENS):  # everyone finishes
        waiting = [c for c in citizens if c.user.id not in await _registrations(db_path)]
        if not waiting:
            break
        try:
            await step_once(waiting[0])
        except NoReply:
            await _quiet(bot, [c.user for c in citizens])

    registrations = await _registrations(db_path)
    assert sorted(registrations) == sorted(by_id)
    for user_id, rows in registrations.items():
        citizen = by_id[user_id]
        assert len(rows) == 1  # never doubled
        assert rows[0][1:] == (citizen.name, citizen.national_id, citizen.mobile)
    for user_id, row in ever_registered.items():  # a committed registration survives every kill
        assert registrations[user_id] == [row]
    assert await _drafts(db_path) == {}
    assert len(resumed_steps) >= 5  # the kills landed at many different steps
