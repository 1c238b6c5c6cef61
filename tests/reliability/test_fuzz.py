"""Property-based fuzzing: random updates of every kind, in every state, by citizens, a
coordinator and an admin. Nothing may raise; every update is answered (or ignored by design)."""

from __future__ import annotations

import asyncio
import itertools
import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.runner import running_bots
from emulator.client import EmulatedUser, NoReply
from emulator.server import BotApiEmulator
from handlers.routes import ROUTES
from tests.conftest import ADMIN_ID, TELEGRAM_TOKEN, SettableClock

UPDATES_PER_EXAMPLE = 100
EXAMPLES = 20  # 2,000 updates in all
COMMANDS = ["start", "start c-4170", "start c-99", "start inv-nope", "cancel", "status", "edit",
            "withdraw", "forget", "language", "help", "roster", "roster 4175", "export",
            "poster 4175", "stats", "invite 4175", "coordinators", "event", "events", "broadcast",
            "linkgroup 4175", "addadmin x", "no_such_command"]
TEXTS = st.one_of(
    st.sampled_from(["مریم احمدی", "0499370899", "۰۹۱۲۱۲۳۴۵۶۷", "۱۳۷۵/۰۶/۲۱", "1404/12/30", "زن",
                     "↩️ بازگشت", "✖️ انصراف", "اکباتان", "همدان", "4170", "😀", "", " ",
                     "x" * 4096, "۱۴۰۵/۱۱/۱۴ ۰۸:۰۰", "سلام به همه"]),
    st.text(max_size=80),
)
ACTION = st.one_of(
    st.tuples(st.just("text"), TEXTS),
    st.tuples(st.just("command"), st.sampled_from(COMMANDS)),
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=40)),
    st.tuples(st.just("forged"), st.text(max_size=64)),
    st.tuples(st.just("contact"), st.booleans()),
    st.tuples(st.just("location"), st.floats(-90, 90), st.floats(-180, 180)),
    st.tuples(st.just("sticker")), st.tuples(st.just("photo")), st.tuples(st.just("voice")),
    st.tuples(st.just("forwarded_contact")),
)


class ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One bot for every example (fresh users each time), on its own event loop."""
    loop = asyncio.new_event_loop()
    emulator = BotApiEmulator()
    loop.run_until_complete(emulator.start())
    bot = emulator.add_bot(TELEGRAM_TOKEN)
    db = Path(tmp_path_factory.mktemp("fuzz")) / "fuzz.sqlite3"
    bot_settings = Settings.from_env({
        "BOT_TOKEN": TELEGRAM_TOKEN, "BOT_API_BASE_URL": emulator.base_url,
        "BOT_API_FILE_URL": emulator.file_url, "BOT_DB": str(db), "BOT_ADMINS": str(ADMIN_ID),
        # Hundreds of updates a user, each as soon as the last was answered: far past any person's
        # pace, and every one must be answered here (tests/e2e/test_flood.py covers the limit).
        "FLOOD_LIMIT": "off"})
    context = running_bots(bot_settings, ROUTES, SettableClock())
    loop.run_until_complete(context.__aenter__())
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    yield loop, emulator, bot, errors, itertools.count(1_000_001)
    logging.getLogger().removeHandler(errors)
    loop.run_until_complete(context.__aexit__(None, None, None))
    loop.run_until_complete(emulator.stop())
    loop.close()


async def _act(user: EmulatedUser, action: tuple) -> str | None:
    """Perform one action; returns a callback query id when a button was pressed."""
    kind = action[0]
    if kind == "text":
        await user.send(action[1] or ".")
    elif kind == "command":
        name, _, args = action[1].partition(" ")
        await user.command(name, args)
    elif kind == "press":
        buttons = [(m, b["callback_data"]) for m in user.state.messages.values()
                   for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row
                   if "callback_data" in b]  # a link button (an invite) opens a page, not the bot
        if not buttons:
            await user.send("سلام")
            return None
        message, data = buttons[action[1] % len(buttons)]
        return await user.press_data(data, message)
    elif kind == "forged":
        message = next(iter(user.state.messages.values()), None)
        if message is None:
            await user.command("start")
            return None
        return await user.press_data(action[1] or "x", message)
    elif kind == "contact":
        await user.share_contact("+989121234567", own=action[1])
    elif kind == "location":
        await user.share_location(action[1], action[2])
    elif kind == "forwarded_contact":
        await user.forward_contact("+989351112233")
    else:
        await getattr(user, f"send_{kind}")()
    return None


async def _scenario(emulator, bot, ids, actions) -> list[str]:
    """Play the actions, spread over a citizen, a second citizen and the admin."""
    users = [EmulatedUser(emulator, bot, next(ids)), EmulatedUser(emulator, bot, next(ids)),
             EmulatedUser(emulator, bot, ADMIN_ID)]
    for user in users:
        user.skip_all()
    unanswered = []
    for index, action in enumerate(actions):
        user = users[index % len(users)]
        before = len(user.state.actions)
        query_id = await _act(user, action)
        try:
            if query_id is not None:
                await user.answer_to(query_id, timeout=5)
            else:
                await user.receive(timeout=5)
        except NoReply:
            unanswered.append(f"{action!r} after {before} actions")
        await asyncio.sleep(0.15 if action[:2] == ("command", "stats") else 0)
        user.skip_all()
    return unanswered


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(actions=st.lists(ACTION, min_size=UPDATES_PER_EXAMPLE, max_size=UPDATES_PER_EXAMPLE))
def test_random_updates_never_crash_and_are_answered(world, actions):
    loop, emulator, bot, errors, ids = world
    unanswered = loop.run_until_complete(_scenario(emulator, bot, ids, actions))
    handler_errors = [r.getMessage() for r in errors.records if r.name == "handlers.common"]
    assert handler_errors == []
    assert unanswered == []
