"""End to end over HTTP: a user talks to the real Application through the emulator."""

from __future__ import annotations

import pytest

from tests.conftest import BOTH_PLATFORMS
from tests.e2e.coordinator_steps import group_member
from tests.e2e.signup_steps import speak_english


async def test_start_greets_in_persian(harness):
    user = harness.user()
    await user.command("start")
    reply = await user.receive_text()
    assert "سلام" in reply.text and "سلام محله" in reply.text
    assert reply.message["from"]["id"] == harness.bot.id
    assert reply.message["chat"]["id"] == user.id
    language = await user.receive_text("زبان")
    assert user.inline_buttons() == ["فارسی", "English", "✖️ انصراف"]  # no Back at the first question
    assert language.message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "su|language|set|fa"


async def test_help_lists_commands(harness):
    user = harness.user()
    await user.command("help")
    reply = await user.receive_text()
    assert "/start" in reply.text and "/help" in reply.text


async def test_unknown_command_is_answered_politely(harness):
    user = harness.user()
    await user.command("fly_to_the_moon")
    reply = await user.receive_text()
    assert "نمی‌شناسم" in reply.text and "/help" in reply.text
    await user.silence()


async def test_command_menu_is_published_in_both_languages(harness):
    menu = [c["command"] for c in harness.bot.commands[""]]
    assert menu[0] == "start" and {"status", "edit", "withdraw", "forget", "help"} <= set(menu)
    assert harness.bot.commands["en"][-1]["description"] == "Help"
    assert harness.bot.commands[""][-1]["description"] == "راهنما"


async def test_a_failing_handler_is_logged_and_the_user_told(harness, caplog):
    from telegram.ext import CommandHandler

    async def explode(update, context):
        raise RuntimeError("database is on fire for 0499370899")

    harness.applications[0].add_handler(CommandHandler("explode", explode), group=-2)
    user = harness.user()
    await user.command("explode")
    reply = await user.receive_text()
    assert "مشکلی پیش آمد" in reply.text
    [record] = [r for r in caplog.records if r.name == "handlers.common"]
    assert f"from user {user.id}" in record.getMessage()


@pytest.mark.parametrize("platform", BOTH_PLATFORMS)
async def test_privacy_says_what_is_kept_who_sees_it_and_how_to_erase_it(harness):
    from tests.e2e.coordinator_steps import group_member

    user = harness.user()
    await user.command("privacy")
    notice = await user.receive_text("حریم خصوصی")
    assert "کد ملی" in notice.text and "/forget" in notice.text and "/withdraw" in notice.text
    assert "۳۰ روز" in notice.text and "30" not in notice.text
    if harness.platform == "telegram":  # Bale has no command menu
        assert "privacy" in [c["command"] for c in harness.bot.commands[""]]
    await user.command("help")
    assert "/privacy" in (await user.receive_text()).text
    # It holds nothing personal, so a group may read it too.
    in_group = group_member(harness, user)
    await in_group.command("privacy")
    assert "/forget" in (await in_group.receive_text("حریم خصوصی")).text
    await speak_english(user)
    await user.command("privacy")
    english = await user.receive_text("Privacy")
    assert "30 days" in english.text and "/forget" in english.text


@pytest.mark.parametrize("platform", BOTH_PLATFORMS)
async def test_myid_gives_the_id_as_bot_admins_and_addadmin_take_it(harness):
    user = harness.user(4_321_987)
    await user.command("myid")
    reply = await user.receive_text("شناسهٔ عددی")
    messenger = "بله" if harness.platform == "bale" else "تلگرام"
    assert f"شناسهٔ عددی شما در {messenger}: ۴۳۲۱۹۸۷" in reply.text
    assert f"/addadmin {harness.platform}:4321987" in reply.text
    assert f"BOT_ADMINS={harness.platform}:4321987" in reply.text
    in_group = group_member(harness, user)
    await in_group.command("myid")
    assert "گفتگوی خصوصی" in (await in_group.receive_text()).text
