"""Fixtures of the end-to-end tests that run the bot as a separate process."""

from __future__ import annotations

import pytest

from tests.conftest import TELEGRAM_TOKEN
from tests.e2e.bot_process import BotProcess


@pytest.fixture
async def bot_process(emulator, bot_env, tmp_path):
    emulator.add_bot(TELEGRAM_TOKEN)
    process = BotProcess(bot_env, tmp_path / "bot.log")
    yield process
    await process.stop()
