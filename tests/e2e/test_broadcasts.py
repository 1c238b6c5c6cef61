"""Broadcasts end to end: an admin's dialog, exactly the filtered audience reached once, live
progress, and the emulator's flood, block and server-error faults."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.services.outbox import MAX_ATTEMPTS
from tests.conftest import ADMIN_ID, BOTH_PLATFORMS
from tests.storage_fixtures import insert_registrations

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)

FIRST_USER = 5_000_000


@pytest.fixture
def bot_env(bot_env):
    return {**bot_env, "BROADCAST_RATE": "400"}


async def _volunteers(harness, code: str, count: int, start: int = 0) -> list[int]:
    center = await harness.services.centers.by_code(code)
    await insert_registrations(harness.services.db, center.id, count, start=start,
                               platform=harness.platform)
    ids = [FIRST_USER + n for n in range(start, start + count)]
    harness.bot.open_private_chats(ids)
    return ids


async def _until(condition, timeout: float = 30.0, clock=None) -> None:
    """Wait for `condition`; with `clock`, the bot's time runs 10 s ahead at every look, so
    retries that back off for seconds or minutes come due without sleeping that long."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        if clock is not None:
            clock.offset += timedelta(seconds=10)
        await asyncio.sleep(0.1)


async def _broadcast(admin, text: str, place: list[str], status: str = "فعال (در انتظار و تأییدشده)",
                     activity: str = "همه حوزه‌ها"):
    await admin.command("broadcast")
    await admin.receive_text("متن پیام همگانی")
    await admin.send(text)
    await admin.question("کجا فرستاده شود")
    for label in place:
        await admin.press(label)
        if label != place[-1]:
            await admin.receive()  # the picker redrawn: provinces, then counties
    await admin.answered()
    if place == ["یک مرکز"]:
        await admin.receive_text("کد مرکز")
        await admin.send("4175")
    await admin.question("یک حوزه فعالیت")
    await admin.press(activity)
    await admin.answered()
    await admin.question("کدام وضعیت")
    await admin.press(status)
    await admin.answered()
    return await admin.question("پیش‌نمایش پیام")


async def _finished(harness, broadcast_id: int) -> bool:
    b = await harness.services.broadcasts._broadcasts.by_id(broadcast_id)
    return b is not None and b.status == "done"


async def test_broadcast_to_a_filtered_thousand_reaches_each_exactly_once(harness):
    malayer = await _volunteers(harness, "4175", 600)
    hamadan = await _volunteers(harness, "4170", 300, start=600)
    birjand = await _volunteers(harness, "5201", 100, start=900)
    admin = harness.user(ADMIN_ID)
    preview = await _broadcast(admin, "جلسه هماهنگی فردا ساعت ۱۰", ["یک استان", "همدان"])
    assert "۹۰۰ نفر" in preview.text and "همدان" in preview.text
    await admin.press("📣 بفرست")
    await admin.question("ارسال آغاز شد")
    progress = await admin.receive_text("پیام همگانی")
    await _until(lambda: _finished(harness, 1))
    for user_id in malayer + hamadan:
        [message] = harness.bot.messages_to(user_id)
        assert message.text == "جلسه هماهنگی فردا ساعت ۱۰"
    assert all(not harness.bot.messages_to(u) for u in birjand)
    await _until(lambda: _final_report_shown(admin, progress.message_id))
    final = admin.state.messages[progress.message_id]["text"]
    assert "تمام شد" in final and "ارسال‌شده: ۹۰۰" in final


async def _final_report_shown(admin, message_id) -> bool:
    return "تمام شد" in admin.state.messages[message_id]["text"]


async def test_activity_and_status_filters_and_exact_preview_count(harness):
    ids = await _volunteers(harness, "4175", 10)
    db = harness.services.db
    async with db.transaction() as conn:
        await conn.execute("UPDATE registrations SET status = 'approved' WHERE user_id IN (?, ?, ?)",
                           tuple(ids[:3]))
        await conn.execute("INSERT INTO registration_activities(registration_id, activity_id) "
                           "SELECT id, 2 FROM registrations WHERE user_id = ?", (ids[0],))
    admin = harness.user(ADMIN_ID)
    preview = await _broadcast(admin, "فقط تأییدشده‌ها", ["یک مرکز"], status="فقط تأییدشده")
    assert "۳ نفر" in preview.text
    await admin.press("✖️ انصراف")
    await admin.answered()
    await admin.receive_text("لغو شد")
    preview = await _broadcast(admin, "سلامت", ["همه مراکز"], activity="سلامت و بهداشت")
    assert "۱ نفر" in preview.text
    await admin.press("📣 بفرست")
    await _until(lambda: _has_messages(harness, [ids[0]]))
    await asyncio.sleep(0.3)
    assert [len(harness.bot.messages_to(u)) for u in ids] == [1] + [0] * 9


async def test_nobody_to_send_to_cannot_be_confirmed_and_who_withdrew_is_never_reached(harness):
    ids = await _volunteers(harness, "4175", 4)
    async with harness.services.db.transaction() as conn:
        await conn.execute("UPDATE registrations SET status = 'withdrawn' WHERE user_id = ?", (ids[0],))
        await conn.execute("UPDATE registrations SET status = 'rejected' WHERE user_id = ?", (ids[1],))
    admin = harness.user(ADMIN_ID)
    preview = await _broadcast(admin, "برای بیرجند", ["یک استان", "خراسان جنوبی"])
    assert "هیچ یاریگری با این انتخاب‌ها نیست" in preview.text and "۰ نفر" not in preview.text
    assert admin.inline_buttons() == ["↩️ بازگشت", "✖️ انصراف"]
    await admin.press("↩️ بازگشت", message=preview)
    await admin.answered()
    await admin.question("کدام وضعیت")
    await admin.send("✖️ انصراف")
    await admin.answered()
    await admin.receive_text("لغو شد")
    preview = await _broadcast(admin, "همه به‌جز انصرافی‌ها", ["یک مرکز"],
                               status="فعال و ردشده (انصرافی‌ها هرگز)")
    assert "۳ نفر" in preview.text
    await admin.press("📣 بفرست")
    await _until(lambda: _has_messages(harness, ids[1:]))
    await asyncio.sleep(0.3)
    assert not harness.bot.messages_to(ids[0])


async def _has_messages(harness, ids) -> bool:
    return all(harness.bot.messages_to(u) for u in ids)


async def test_flood_block_and_server_errors(harness, clock):
    ids = await _volunteers(harness, "4175", 40)
    faults = harness.emulator.faults
    faults.block(ids[0])
    faults.block(ids[1])
    faults.flood(retry_after=1, times=5, chats=set(ids))  # a 429 storm on the bulk sends
    faults.fail(times=2, chats=set(ids))
    admin = harness.user(ADMIN_ID)
    await _broadcast(admin, "آزمون خطاها", ["همه مراکز"])
    await admin.press("📣 بفرست")
    await _until(lambda: _finished(harness, 1), clock=clock)
    counts = await harness.services.broadcasts._broadcasts.counts(1)
    assert counts == {"pending": 0, "sent": 38, "blocked": 2, "failed": 0}
    assert all(len(harness.bot.messages_to(u)) == 1 for u in ids[2:])
    blocked = await harness.services.users.get(harness.platform, ids[0])
    assert blocked.blocked_at is not None
    answers = [code for method, chat, code in harness.bot.answers
               if method == "sendMessage" and chat == ids[0]]
    assert answers[-1] == 403 and answers.count(403) == 1  # never retried after the block
    codes = {code for method, _, code in harness.bot.answers if method == "sendMessage"}
    assert {429, 500, 403} <= codes  # the storm, the server errors and the blocks all happened


async def test_a_volunteer_who_blocked_then_wrote_again_gets_the_next_broadcast(harness):
    ids = await _volunteers(harness, "4175", 3)
    returning, admin = harness.user(ids[0]), harness.user(ADMIN_ID)
    await returning.command("status")  # the bot has seen them lately
    await returning.receive_text("در انتظار بررسی")
    harness.emulator.faults.block(ids[0])
    for broadcast_id, text in ((1, "پیام اول"), (2, "پیام دوم")):
        preview = await _broadcast(admin, text, ["همه مراکز"])
        assert "۳ نفر" in preview.text  # the second time too: writing again unblocked them
        await admin.press("📣 بفرست")
        await admin.question("ارسال آغاز شد")
        progress = await admin.receive_text("پیام همگانی")
        await _until(lambda shown=progress.message_id: _final_report_shown(admin, shown))
        admin.skip_all()  # the progress edits
        if broadcast_id == 1:
            assert (await harness.services.broadcasts._broadcasts.counts(1))["blocked"] == 1
            harness.emulator.faults.unblock(ids[0])
            await returning.command("status")
            await returning.receive_text("در انتظار بررسی")
    assert [m.text for m in harness.bot.messages_to(ids[0])][-1] == "پیام دوم"


async def test_a_persistent_error_ends_as_failed_after_the_retry_limit(harness, clock):
    gone, erroring = await _volunteers(harness, "4175", 2)
    del harness.bot.chats[gone]  # the bot can no longer reach this chat: 400 chat not found
    # (Bale: "no such group or user"); the person counts as having blocked the bot
    harness.emulator.faults.fail(times=1000, chats={erroring})
    admin = harness.user(ADMIN_ID)
    await _broadcast(admin, "نمی‌رسد", ["همه مراکز"])
    await admin.press("📣 بفرست")
    await _until(lambda: _finished(harness, 1), clock=clock)
    assert await harness.services.broadcasts._broadcasts.counts(1) == {
        "pending": 0, "sent": 0, "blocked": 1, "failed": 1}
    assert (await harness.services.users.get(harness.platform, gone)).blocked_at is not None
    tries = [chat for method, chat, _ in harness.bot.answers if method == "sendMessage"]
    assert tries.count(gone) == 1  # a refusal (400) is final
    assert tries.count(erroring) == MAX_ATTEMPTS  # a server error is retried up to the limit


async def test_a_long_outage_uses_up_no_tries_and_loses_nothing(harness, clock):
    """Every call answers 502 — the messenger is down — while the bot's clock runs on by minutes:
    no recipient's tries are used up, and all are sent once it is back."""
    ids = await _volunteers(harness, "4175", 800)
    admin = harness.user(ADMIN_ID)
    await _broadcast(admin, "در میان قطعی", ["همه مراکز"])
    await admin.press("📣 بفرست")
    await admin.question("ارسال آغاز شد")
    harness.emulator.faults.outage(502)  # mid-broadcast (800 at 400/s take two seconds)
    admin.skip_all()
    for _ in range(40):  # four seconds, while the bot's clock moves forty minutes
        clock.offset += timedelta(minutes=1)
        await asyncio.sleep(0.1)
    counts = await harness.services.broadcasts._broadcasts.counts(1)
    assert counts["failed"] == 0 and counts["pending"] > 0, counts
    harness.emulator.faults.clear()
    await _until(lambda: _finished(harness, 1), clock=clock)
    assert await harness.services.broadcasts._broadcasts.counts(1) == {
        "pending": 0, "sent": 800, "blocked": 0, "failed": 0}
    assert all(len(harness.bot.messages_to(u)) == 1 for u in ids)


async def test_a_broadcast_confirmed_as_the_messenger_fails_still_goes(harness):
    ids = await _volunteers(harness, "4175", 20)
    admin = harness.user(ADMIN_ID)
    await _broadcast(admin, "با وجود خطا", ["همه مراکز"])
    # Taking the preview's buttons off, "started" and the progress message fail as they are
    # sent, as in an outage
    harness.emulator.faults.fail(times=3, chats={ADMIN_ID})
    await admin.press("📣 بفرست")
    await _until(lambda: _finished(harness, 1))
    assert all(len(harness.bot.messages_to(u)) == 1 for u in ids)
    await _until(lambda: _final_report_shown(admin, admin.state.actions[-1].message_id))
    shown = [a for a in admin.state.actions if a.kind == "message" and "پیام همگانی" in a.text
             and "پیش‌نمایش" not in a.text and "متن پیام" not in a.text]
    assert len(shown) == 1 and "تمام شد" in shown[0].text  # the report came once, later


async def test_a_slow_messenger_gets_each_message_once(harness):
    """Sends answered only after the bot stopped waiting (the messenger is up, just slow) are
    counted as sent, unconfirmed: sending them again would show them twice."""
    ids = await _volunteers(harness, "4175", 3)
    harness.emulator.faults.slow(5.5, chats=set(ids))  # past the bot's 5 s read timeout
    admin = harness.user(ADMIN_ID)
    await _broadcast(admin, "پیام کند", ["همه مراکز"])
    await admin.press("📣 بفرست")
    await _until(lambda: _finished(harness, 1))
    await asyncio.sleep(6)  # anything sent twice would arrive by now
    assert [len(harness.bot.messages_to(u)) for u in ids] == [1, 1, 1]
    assert (await harness.services.broadcasts._broadcasts.counts(1))["sent"] == 3


async def test_only_admins_may_broadcast(harness):
    citizen = harness.user()
    await citizen.command("broadcast")
    await citizen.receive_text("مجاز نیست")


async def test_one_center_is_chosen_by_its_name(harness):
    madani = await harness.services.centers.by_code("4171")
    admin = harness.user(ADMIN_ID)
    await admin.command("broadcast")
    await admin.receive_text("متن پیام همگانی")
    await admin.send("جلسه مرکز مدنی")
    await admin.question("کجا فرستاده شود")
    await admin.press("یک مرکز")
    await admin.question("کد مرکز یا بخشی از نامش را بنویسید")
    await admin.send("همدان")  # the county of several centers: a list to pick from
    listed = await admin.question("چند مرکز پیدا شد؛ کدام؟")
    await admin.press("مرکز مثبت زندگی مدنی (نمونه) (کد ۴۱۷۱)", message=listed)
    await admin.question("یک حوزه فعالیت")
    draft = await harness.services.drafts.get(harness.platform, ADMIN_ID)
    assert (draft.answers["scope_kind"], draft.answers["scope_id"]) == ("center", madani.id)
    await admin.send("↩️ بازگشت")
    await admin.question("کد مرکز یا بخشی از نامش")
    await admin.send("مدنی")  # one center by that name: chosen at once
    await admin.question("یک حوزه فعالیت")
