"""One user's flood: past the limit a single polite request to slow down, the rest dropped,
nothing saved lost, everyone else answered; the same user is served again once they slow down."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import BOTH_PLATFORMS
from tests.e2e.signup_steps import until_step

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)
LIMIT, WINDOW = 12, 2


@pytest.fixture
def bot_env(bot_env):
    return bot_env | {"FLOOD_LIMIT": f"{LIMIT}/{WINDOW}"}


async def test_a_flood_gets_one_slow_down_and_costs_nobody_anything(harness):
    flooder, other = harness.user(), harness.user()
    await until_step(flooder, "mobile")  # a sign-up in progress, national code saved
    flooder.skip_all()
    for n in range(60):
        await flooder.send(f"پیام {n}")
    await other.command("help")
    await other.receive_text("/start")  # answered while the flood is being dropped
    await asyncio.sleep(1.0)  # what was to come has come
    texts = [a.text for a in flooder.pending()]
    slow_downs = [t for t in texts if "آهسته‌تر" in t]
    assert len(slow_downs) == 1
    assert len(texts) <= LIMIT + 1  # at most one answer an admitted message, and the notice
    draft = await harness.services.conversations.current(harness.platform, flooder.id)
    assert draft.answers["national_id"] == "0499370899"  # nothing saved was lost

    await asyncio.sleep(WINDOW + 0.2)  # slowed down: served again, where they were
    flooder.skip_all()
    await flooder.send("09120000000")
    await flooder.receive_text("تاریخ تولد")


async def test_a_flood_of_button_presses_is_answered_once_with_the_request(harness):
    flooder = harness.user()
    await flooder.command("start")
    start = await flooder.receive()
    queries = [await flooder.press_data("gone|away", start.message) for _ in range(40)]
    await asyncio.sleep(1.0)  # what was to come has come
    answers = [a for q in queries if (a := flooder.callback_answer(q)) is not None]
    assert len([a for a in answers if "آهسته‌تر" in a.text]) == 1
    assert len(answers) <= LIMIT
