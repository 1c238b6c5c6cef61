"""The emulator answers like the Bot API: JSON shapes, errors, long polling, files and faults."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from emulator.bale import BaleQuirks
from emulator.client import EmulatedUser

TOKEN = "42:emulator-test"


@pytest.fixture
def tg(emulator):
    return emulator.add_bot(TOKEN, username="test_bot")


async def call(emulator, method, **params):
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emulator.base_url}{TOKEN}/{method}", json=params)
    return response.status_code, response.json()


async def test_get_me_and_errors_have_bot_api_shapes(emulator, tg):
    status, body = await call(emulator, "getMe")
    assert status == 200 and body["ok"] is True
    assert body["result"]["is_bot"] is True and body["result"]["username"] == "test_bot"
    status, body = await call(emulator, "sendMessage", chat_id=5, text="hi")
    assert (status, body) == (400, {"ok": False, "error_code": 400,
                                    "description": "Bad Request: chat not found"})
    status, body = await call(emulator, "noSuchMethod")
    assert status == 404 and body["ok"] is False


async def test_updates_are_long_polled_and_confirmed_by_offset(emulator, tg):
    user = EmulatedUser(emulator, tg, 11)
    started = time.monotonic()
    asyncio.get_running_loop().call_later(0.2, lambda: asyncio.ensure_future(user.send("سلام")))
    _, body = await call(emulator, "getUpdates", timeout=5)
    assert 0.15 < time.monotonic() - started < 2
    [update] = body["result"]
    assert update["message"]["text"] == "سلام" and isinstance(update["message"]["date"], int)
    _, again = await call(emulator, "getUpdates", timeout=0)
    assert again["result"] == [update]  # not confirmed yet
    _, after = await call(emulator, "getUpdates", offset=update["update_id"] + 1, timeout=0)
    assert after["result"] == []


async def test_ptb_bot_sends_edits_and_the_user_sees_it(emulator, tg):
    user = EmulatedUser(emulator, tg, 12)
    async with Bot(TOKEN, base_url=emulator.base_url, base_file_url=emulator.file_url) as bot:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("بله", callback_data="yes")]])
        sent = await bot.send_message(user.id, "پرسش؟", reply_markup=keyboard)
        assert sent.from_user.id == tg.id and sent.chat.id == user.id
        action = await user.receive()
        assert (action.kind, action.text) == ("message", "پرسش؟")
        query_id = await user.press("بله")
        [update] = await bot.get_updates(timeout=1)
        assert update.callback_query.data == "yes" and update.callback_query.id == query_id
        await update.callback_query.answer("ثبت شد")
        assert user.callback_answer(query_id).text == "ثبت شد"
        await bot.edit_message_text("پاسخ داده شد", chat_id=user.id, message_id=sent.message_id)
        edit = await user.receive()
        assert (edit.kind, edit.text, edit.message_id) == ("edit", "پاسخ داده شد", sent.message_id)
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("پاسخ داده شد", chat_id=user.id, message_id=sent.message_id)
        await bot.delete_message(user.id, sent.message_id)
        assert (await user.receive()).kind == "delete"


async def test_documents_and_photos_are_uploaded_as_multipart(emulator, tg):
    user = EmulatedUser(emulator, tg, 13)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big")
    async with Bot(TOKEN, base_url=emulator.base_url, base_file_url=emulator.file_url) as bot:
        doc = await bot.send_document(user.id, b"a,b\n1,2\n", filename="export.csv", caption="خروجی")
        assert doc.document.file_name == "export.csv" and doc.caption == "خروجی"
        photo = await bot.send_photo(user.id, png)
        assert photo.photo[-1].width == 640
        downloaded = await (await bot.get_file(doc.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"a,b\n1,2\n"
    assert tg.files[doc.document.file_id].content == b"a,b\n1,2\n"


async def test_faults_surface_as_ptb_errors(emulator, tg):
    EmulatedUser(emulator, tg, 14)
    async with Bot(TOKEN, base_url=emulator.base_url) as bot:
        emulator.faults.flood(retry_after=7)
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(14, "x")
        assert flood.value.retry_after.total_seconds() == 7
        await bot.send_message(14, "after the flood")  # one-shot fault
        emulator.faults.block(14)
        with pytest.raises(Forbidden):
            await bot.send_message(14, "x")
        emulator.faults.clear()
        emulator.faults.fail(times=1)
        with pytest.raises(NetworkError):
            await bot.send_message(14, "x")
        emulator.faults.slow(0.3)
        started = time.monotonic()
        await bot.send_message(14, "slow")
        assert time.monotonic() - started >= 0.3


async def test_rate_limit_refuses_sends_above_the_rate_but_not_polling(emulator, tg):
    EmulatedUser(emulator, tg, 15)
    emulator.faults.limit_rate(5)
    async with Bot(TOKEN, base_url=emulator.base_url) as bot:
        for n in range(5):  # one second's worth goes through at once
            await bot.send_message(15, f"burst {n}")
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(15, "one too many")
        assert flood.value.retry_after.total_seconds() == 1
        await bot.get_updates(timeout=0)  # reading is never limited
        await asyncio.sleep(0.25)  # a fifth of a second refills one message
        await bot.send_message(15, "after the refill")
        emulator.faults.clear()
        for n in range(20):
            await bot.send_message(15, f"unlimited {n}")


async def test_bale_dialect_refuses_what_bale_refuses(emulator):
    emulator.add_bot("77:bale", dialect="bale")
    user = EmulatedUser(emulator, emulator.bots["77:bale"], 15)
    async with Bot("77:bale", base_url=emulator.base_url) as bot:
        with pytest.raises(BadRequest, match=r"(?i)parse_mode"):
            await bot.send_message(user.id, "<b>x</b>", parse_mode="HTML")
        first = await bot.send_message(user.id, "plain")
        with pytest.raises(BadRequest, match=r"(?i)reply_parameters"):
            await bot.send_message(user.id, "reply", reply_to_message_id=first.message_id)
        raw = await bot.send_message(user.id, "reply",
                                     api_kwargs={"reply_to_message_id": first.message_id})
        assert raw.reply_to_message.message_id == first.message_id
        with pytest.raises(BadRequest):
            await bot.set_my_commands([("start", "start")])
        with pytest.raises(BadRequest, match=r"(?i)no such group or user"):
            await bot.send_message(999, "nobody")


async def _raw(emulator, token: str, method: str, **params) -> tuple[int, dict]:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emulator.base_url}{token}/{method}", json=params)
    return response.status_code, response.json()


@pytest.mark.parametrize(("variant", "expected"), [
    ("stub-without-date", {"message_id": 0, "chat": {"id": 15, "type": "private", "photo": None}}),
    ("stub", {"message_id": 0, "chat": {"id": 15, "type": "private", "photo": None}, "date": 1}),
    ("true", True),
])
async def test_bale_edits_answer_a_stub_or_true(emulator, variant, expected):
    bot = emulator.add_bot("77:bale", dialect="bale", quirks=BaleQuirks(edit_answer=variant))
    user = EmulatedUser(emulator, bot, 15)
    keyboard = {"inline_keyboard": [[{"text": "x", "callback_data": "x"}]]}
    _, sent = await _raw(emulator, "77:bale", "sendMessage", chat_id=15, text="a", reply_markup=keyboard)
    status, answer = await _raw(emulator, "77:bale", "editMessageText", chat_id=15, text="b",
                                message_id=sent["result"]["message_id"], reply_markup=keyboard)
    assert status == 200
    result = answer["result"]
    if isinstance(expected, dict):
        assert result.pop("edit_date") and (result.pop("date", None) is not None) == ("date" in expected)
        expected = {k: v for k, v in expected.items() if k != "date"}
    assert result == expected
    assert (await user.receive()).kind == "message" and (await user.receive()).text == "b"


async def test_bale_dialect_answers_as_bale_does(emulator):
    bot = emulator.add_bot("77:bale", dialect="bale")
    emulator.unknown_token_dialect = "bale"
    user = EmulatedUser(emulator, bot, 15)
    assert (await _raw(emulator, "78:nobody", "getMe"))[0] == 403  # "Token not found"
    emulator.faults.flood(retry_after=3)
    status, answer = await _raw(emulator, "77:bale", "sendMessage", chat_id=15, text="x")
    assert status == 429 and "parameters" not in answer  # no retry_after
    emulator.faults.block(15)
    status, answer = await _raw(emulator, "77:bale", "sendMessage", chat_id=15, text="x")
    assert status == 403 and "blocked" not in answer["description"].split(":")[0]
    emulator.faults.clear()
    await _raw(emulator, "77:bale", "sendMessage", chat_id=15, text="*bold* and snake_case_name")
    assert (await user.receive()).text == "bold and snakecasename"  # what a Bale client shows
    started = time.monotonic()
    status, answer = await _raw(emulator, "77:bale", "getUpdates", timeout=5)
    assert answer["result"] == [] and time.monotonic() - started < 1  # long-poll ignored
    await user.share_contact("+989121234567")
    await user.forward_contact("+989121234567")
    await user.press_data("x", {"message_id": 1, "chat": user.chat, "date": 0})
    updates = [u for u in bot.updates]
    assert "user_id" not in updates[0]["message"]["contact"]
    assert "forward_origin" not in updates[1]["message"] and "forward_from" in updates[1]["message"]
    assert "chat_instance" not in updates[2]["callback_query"]
