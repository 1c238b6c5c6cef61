"""Certificates of service over the emulator, on both messengers: /certificate sends a PDF of the
verified hours (shaped Persian, Jalali dates, Persian digits); its QR opens the verification,
which says whom it vouches for until an admin revokes it; no verified hours, no certificate."""

from __future__ import annotations

import io

import pymupdf
import pytest
import zxingcpp
from PIL import Image

from tests.conftest import ADMIN_ID, BOTH_PLATFORMS
from tests.e2e.test_rsvp import _volunteers

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)


async def _verified_hours(harness, registration_id: int) -> None:
    """Two events attended, hours verified by the coordinator (3.5 and 4)."""
    async with harness.services.db.transaction() as conn:
        for n, (starts, hours) in enumerate((("2026-11-03T04:30:00+00:00", 3.5),
                                            ("2027-02-03T04:30:00+00:00", 4.0)), start=1):
            await conn.execute(
                "INSERT INTO events(id, title, scope_kind, starts_at, created_by, created_at, invited_at) "
                "VALUES (?, ?, 'all', ?, 'admin', ?, ?)", (n, f"رویداد {n}", starts, starts, starts))
            await conn.execute(
                "INSERT INTO attendance(event_id, registration_id, center_id, checked_in_at, checked_in_by, "
                "hours, verified_by, verified_at) VALUES (?, ?, (SELECT center_id FROM registrations "
                "WHERE id = ?), ?, 'self', ?, 'telegram:1', ?)",
                (n, registration_id, registration_id, starts, hours, starts))


async def test_a_certificate_of_verified_hours_that_its_qr_verifies_until_revoked(harness, clock):
    [volunteer] = await _volunteers(harness, 1)
    await volunteer.command("certificate")
    await volunteer.receive_text("هنوز ساعت تأییدشده‌ای ندارید")
    await _verified_hours(harness, 1)

    await volunteer.command("certificate")
    sent = await volunteer.receive()
    document = sent.message["document"]
    assert document["file_name"].startswith("certificate-") and "۷٫۵ ساعت تأییدشده" in sent.text
    pdf = pymupdf.open(stream=harness.bot.files[document["file_id"]].content, filetype="pdf")
    text = pdf[0].get_text()
    # Words and numbers one by one: a PDF's text comes out in the order the glyphs were laid, and
    # where Persian meets digits and Latin that order is the eye's, not the sentence's.
    for expected in ("گواهی خدمت داوطلبانه", "یاریگر", "۷٫۵", "۳٫۵", "۱۲", "آبان", "۱۴", "بهمن", "۱۴۰۵",
                     "جمع ساعت‌های تأییدشده", "رویداد"):
        assert expected in text, expected
    page = pdf[0].get_pixmap(dpi=150)
    picture = Image.open(io.BytesIO(page.tobytes("png")))
    links = sorted(found.text for found in zxingcpp.read_barcodes(picture))
    served = len(harness.services.deep_links("x"))  # a code per messenger served
    assert len(links) == served and all("start=v-" in link for link in links)
    code = links[0].split("start=v-")[1]
    assert f"کد گواهی: {code}" in sent.text  # the QR is this certificate's

    await volunteer.command("certificate")  # asked again, the hours the same: the same certificate
    again = await volunteer.receive()
    assert again.message["document"]["file_name"] == document["file_name"]

    checker = harness.user()
    await checker.command("start", f"v-{code}")
    valid = await checker.receive_text(f"✅ گواهی {code} معتبر است")
    assert "یاریگر 0، یاریگر مرکز مثبت زندگی مرکزی ملایر" in valid.text and "۷٫۵ ساعت" in valid.text
    await checker.command("start", "v-NOSUCHCODE")
    await checker.receive_text("گواهی‌ای با این کد پیدا نشد")
    await checker.command("revokecert", code)
    await checker.receive_text("مجاز نیست")

    admin = harness.user(ADMIN_ID)
    await admin.command("revokecert", code.lower())
    await admin.receive_text(f"گواهی {code} باطل شد")
    await checker.command("start", f"v-{code}")
    await checker.receive_text(f"❌ گواهی {code}")
