"""What the dialog engine does for every dialog, seen through the admin's broadcast on both
messengers: the progress line, Back, Cancel, answered questions losing their buttons, old and
forged buttons, a role taken away mid-dialog, and the draft kept at every step."""

from __future__ import annotations

import pytest

from tests.conftest import ADMIN_ID, BOTH_PLATFORMS
from tests.e2e.coordinator_steps import group_member

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)


async def _to_activity(admin):
    """/broadcast, a text, "all centers": at the activity question."""
    await admin.command("broadcast")
    first = await admin.receive_text("متن پیام همگانی")
    await admin.send("جلسه فردا")
    lead = await admin.receive_text("ادامه 👇")  # the text question's Back/Cancel keyboard goes first
    assert lead.reply_markup == {"remove_keyboard": True}
    scope = await admin.receive_text("کجا فرستاده شود")
    assert admin.inline_buttons()[-2:] == ["↩️ بازگشت", "✖️ انصراف"]  # one Back, on the question
    await admin.press("همه مراکز", message=scope)
    await admin.answered()
    activity = await admin.receive_text("یک حوزه فعالیت")
    return first, scope, activity


async def test_each_question_says_where_the_person_is_and_back_returns_to_the_last(harness):
    admin = harness.user(ADMIN_ID)
    first, scope, activity = await _to_activity(admin)
    assert first.text.startswith("مرحله ۱ از ۵")
    assert scope.text.startswith("مرحله ۲ از ۵") and activity.text.startswith("مرحله ۳ از ۵")
    await admin.send("↩️ بازگشت")
    await admin.answered()  # the activity question, left unanswered, loses its buttons too
    again = await admin.receive_text("کجا فرستاده شود")
    assert again.text.startswith("مرحله ۲ از ۵")
    # Choosing "one center" puts the center-code question in the count.
    await admin.press("یک مرکز", message=again)
    await admin.answered()
    code = await admin.receive_text("کد مرکز")
    assert code.text.startswith("مرحله ۳ از ۶")
    await admin.send("99999")
    refused = await admin.receive_text("کد مرکز")
    assert "مرحله ۳ از ۶" in refused.text
    draft = await harness.services.drafts.get(harness.platform, ADMIN_ID)
    assert draft.step == "center_code" and draft.answers["text"] == "جلسه فردا"


async def test_back_at_the_first_question_asks_it_again_and_cancel_drops_the_answers(harness):
    admin = harness.user(ADMIN_ID)
    await admin.command("broadcast")
    await admin.receive_text("متن پیام همگانی")
    await admin.send("↩️ بازگشت")
    await admin.receive_text("متن پیام همگانی")
    await admin.send("پیامی که فرستاده نمی‌شود")
    scope = await admin.question("کجا فرستاده شود")
    await admin.send("✖️ انصراف")
    await admin.answered()
    await admin.receive_text("لغو شد")
    assert await harness.services.drafts.get(harness.platform, ADMIN_ID) is None
    await admin.press_data(scope.message["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
                           scope.message)
    await admin.silence()  # a button of an ended dialog changes nothing
    await admin.command("broadcast")
    await admin.receive_text("مرحله ۱ از ۵")
    await admin.command("cancel")
    await admin.receive_text("لغو شد")


async def test_an_old_or_forged_button_changes_nothing(harness):
    admin = harness.user(ADMIN_ID)
    _, scope, _ = await _to_activity(admin)
    old = scope.message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    for stale in (old, "bc|activity"):
        pressed = await admin.press_data(stale, scope.message)
        assert (await admin.answer_to(pressed)).text == "این دکمه مربوط به پرسش قبلی است."
        await admin.answered()
        again = await admin.receive_text("یک حوزه فعالیت")  # where the person is, asked again
    for forged in ("bc|activity|pick|99999", "bc|activity|explode|1", "bc|activity|pick|x"):
        await admin.press_data(forged, again.message)
        await admin.answered()
        again = await admin.receive_text("یک حوزه فعالیت")
        assert "دکمه‌های زیر" in again.text
    draft = await harness.services.drafts.get(harness.platform, ADMIN_ID)
    assert draft.step == "activity" and draft.answers["activity_id"] is None


async def test_an_admin_whose_role_is_taken_mid_dialog_is_refused(harness):
    owner, deputy = harness.user(ADMIN_ID), harness.user(777_001)
    await owner.command("addadmin", "777001")
    await owner.receive_text("مدیر شد")
    await deputy.command("broadcast")
    await deputy.receive_text("متن پیام همگانی")
    await owner.command("removeadmin", "777001")
    await owner.receive()
    await deputy.send("پیام پس از برکناری")
    await deputy.receive_text("مجاز نیست")
    assert await harness.services.drafts.get(harness.platform, 777_001) is None


async def test_a_stale_press_in_a_group_leaves_the_dialog_in_the_private_chat(harness):
    admin = harness.user(ADMIN_ID)
    _, scope, activity = await _to_activity(admin)
    in_group = group_member(harness, admin)
    group_message = {"message_id": activity.message["message_id"], "date": scope.message["date"],
                     "chat": in_group.chat, "text": "هشدار", "from": scope.message["from"]}
    pressed = await in_group.press_data(scope.message["reply_markup"]["inline_keyboard"][0][0]
                                        ["callback_data"], group_message)
    assert (await in_group.answer_to(pressed)).text == "این دکمه مربوط به پرسش قبلی است."
    await in_group.silence()  # nothing of the private dialog is posted in the group
    await admin.silence()  # nor are the private question's buttons touched
    assert admin.inline_buttons()
    await admin.press(admin.inline_buttons()[0], message=activity)
    await admin.answered()
