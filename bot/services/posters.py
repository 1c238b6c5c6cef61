"""Printable PNG posters for booths: the center's name and code and QR codes of its deep links."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from bot.i18n import Translator
from bot.rtl import shaped
from storage.models import Center

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
WIDTH, HEIGHT = 1240, 1754  # A5 portrait at 150 dpi
TEAL, DARK, WHITE = (0, 128, 128), (33, 33, 33), (255, 255, 255)


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    # BASIC layout: the text arrives shaped and in visual order, whether or not libraqm is present.
    name = "Vazirmatn-Bold.ttf" if bold else "Vazirmatn-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.BASIC)


def _qr_image(link: str, size: int) -> Image.Image:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=2)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB").resize((size, size), Image.NEAREST)


class PosterService:
    """Draws posters; the links come from the platform profiles of the running bots."""

    @staticmethod
    def render(t: Translator, center: Center, links: list[tuple[str, str]]) -> bytes:
        """The center's sign-up poster: a PNG with a QR code per (platform label, deep link)."""
        return _poster(t("poster.title"), [(center.name, 64, True, DARK),
                                            (t("poster.code", code=t.digits(center.code)), 56, False, TEAL),
                                            (t("poster.scan"), 44, False, DARK)], links, t("poster.footer"))

    @staticmethod
    def render_checkin(t: Translator, title: str, when: str, center: Center,
                       links: list[tuple[str, str]]) -> bytes:
        """An event's check-in poster at one center: scanning it records the volunteer present."""
        return _poster(t("poster.checkin.title"), [(title, 60, True, DARK), (when, 44, False, TEAL),
                                                    (t.center(center), 40, False, DARK),
                                                    (t("poster.checkin.scan"), 40, False, DARK)],
                       links, t("poster.footer"))


def _poster(heading: str, lines: list[tuple[str, int, bool, tuple[int, int, int]]],
            links: list[tuple[str, str]], footer: str) -> bytes:
    """A5 portrait: a teal heading band, lines of (text, size, bold, colour), the QR codes side by
    side (the first reads rightmost) with their labels and links, and a footer."""
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 260), fill=TEAL)
    middle = WIDTH // 2
    draw.text((middle, 70), shaped(heading), font=_font(110, bold=True), fill=WHITE, anchor="ma")
    top = 320
    for text, size, bold, colour in lines:
        draw.text((middle, top), shaped(text), font=_font(size, bold=bold), fill=colour, anchor="ma")
        top += size + 40
    qr_size = 520 if len(links) > 1 else 760
    qr_size = min(qr_size, HEIGHT - 260 - top)  # more lines: smaller codes, never over the footer
    gap = (WIDTH - qr_size * len(links)) // (len(links) + 1)
    top += 40
    for index, (label, link) in enumerate(reversed(links)):
        left = gap + index * (qr_size + gap)
        image.paste(_qr_image(link, qr_size), (left, top))
        centre = left + qr_size // 2
        draw.text((centre, top + qr_size + 20), shaped(label), font=_font(52, bold=True), fill=DARK,
                  anchor="ma")
        size = 26  # the link as text, for whoever cannot scan: shrunk to fit under its code
        while size > 12 and draw.textlength(link, font=_font(size)) > qr_size + gap - 20:
            size -= 1
        draw.text((centre, top + qr_size + 95), link, font=_font(size), fill=DARK, anchor="ma")
    draw.text((middle, HEIGHT - 110), shaped(footer), font=_font(40), fill=TEAL, anchor="ma")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
