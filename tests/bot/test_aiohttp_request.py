"""The aiohttp transport behaves like PTB's own: calls (as JSON), uploads (multipart) and errors."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.aiohttp_request import AiohttpRequest
from emulator.client import EmulatedUser

TOKEN = "77:aiohttp-test"


@pytest.fixture
async def bot(emulator):
    emulator.add_bot(TOKEN)
    async with Bot(TOKEN, base_url=emulator.base_url,
                   request=AiohttpRequest(connection_pool_size=4, read_timeout=0.5)) as bot:
        yield bot


async def test_messages_and_uploads_arrive(emulator, bot):
    user = EmulatedUser(emulator, emulator.bots[TOKEN], 21)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("بله", callback_data="yes")]])
    await bot.send_message(21, "سلام «محله»", reply_markup=keyboard)
    sent = await user.receive_text()
    assert sent.text == "سلام «محله»"
    assert sent.message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    await bot.send_document(21, b"a,b\n1,2\n", filename="roster.csv", caption="فهرست")
    sent = await user.receive()
    assert sent.message["document"]["file_name"] == "roster.csv"
    assert sent.message["caption"] == "فهرست"


async def test_api_errors_timeouts_and_network_failures_map_to_ptb_errors(emulator, bot):
    EmulatedUser(emulator, emulator.bots[TOKEN], 22)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(99, "x")
    emulator.faults.flood(retry_after=3)
    with pytest.raises(RetryAfter):
        await bot.send_message(22, "x")
    emulator.faults.slow(1.0)
    with pytest.raises(TimedOut):
        await bot.send_message(22, "x")
    emulator.faults.clear()
    nowhere = Bot(TOKEN, base_url="http://127.0.0.1:9/bot", request=AiohttpRequest())
    with pytest.raises(NetworkError):
        await nowhere.initialize()  # nothing listens on port 9
    await nowhere.shutdown()
