"""/stats: text and three non-empty PNG charts; coordinators see only their centers."""

from __future__ import annotations

import io

from PIL import Image

from tests.conftest import ADMIN_ID
from tests.e2e.coordinator_steps import make_coordinator
from tests.storage_fixtures import insert_registrations


async def _seed(harness):
    for code, count, start in (("4175", 12, 0), ("4170", 5, 100)):
        center = await harness.services.centers.by_code(code)
        await insert_registrations(harness.services.db, center.id, count, start=start)
    async with harness.services.db.transaction() as conn:  # spread over days, some approved
        await conn.execute("UPDATE registrations SET created_at = datetime('now', '-' || (id % 5) || "
                           "' days') || '+00:00', status = CASE WHEN id % 3 = 0 THEN 'approved' "
                           "ELSE 'pending' END")


async def _charts(harness, user, count=3):
    charts = []
    for _ in range(count):
        photo = await user.receive()
        content = harness.bot.files[photo.message["photo"][-1]["file_id"]].content
        image = Image.open(io.BytesIO(content))
        assert image.format == "PNG" and image.size[0] >= 800
        assert len(image.convert("L").getcolors(maxcolors=256 * 256)) > 10  # bars and labels
        charts.append(image)
    return charts


async def test_admin_stats_text_and_charts(harness):
    await _seed(harness)
    admin = harness.user(ADMIN_ID)
    await admin.command("stats")
    text = await admin.receive_text("آمار ثبت‌نام")
    assert "کل: ۱۷" in text.text and "تأیید شده: ۵" in text.text
    assert "مرکز مثبت زندگی مرکزی ملایر (نمونه) (کد ۴۱۷۵): ۱۲" in text.text
    assert "آموزش و سوادآموزی: ۱۷" in text.text
    await _charts(harness, admin)


async def test_coordinator_sees_only_their_center(harness):
    await _seed(harness)
    coordinator = await make_coordinator(harness, "4170")
    await coordinator.command("stats")
    text = await coordinator.receive_text("آمار ثبت‌نام")
    assert "کل: ۵" in text.text and "۴۱۷۵" not in text.text
    await _charts(harness, coordinator)
    await coordinator.command("stats", "4175")
    await coordinator.receive_text("مجاز نیست")


async def test_an_empty_database_gets_a_sentence_not_empty_charts(harness):
    admin = harness.user(ADMIN_ID)
    await admin.command("stats")
    await admin.receive_text("کل: ۰")
    await admin.receive_text("هنوز ثبت‌نامی نیست؛ نمودارها با نخستین ثبت‌نام ساخته می‌شوند.")
    await admin.silence()


async def test_citizens_get_no_stats(harness):
    citizen = harness.user()
    await citizen.command("stats")
    await citizen.receive_text("مجاز نیست")
