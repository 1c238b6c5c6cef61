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
        """A PNG with a QR code per (platform label, deep link)."""
        image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, WIDTH, 260), fill=TEAL)
        middle = WIDTH // 2
        draw.text((middle, 70), shaped(t("poster.title")), font=_font(110, bold=True), fill=WHITE,
                  anchor="ma")
        draw.text((middle, 320), shaped(center.name), font=_font(64, bold=True), fill=DARK, anchor="ma")
        draw.text((middle, 420), shaped(t("poster.code", code=t.digits(center.code))), font=_font(56),
                  fill=TEAL, anchor="ma")
        draw.text((middle, 520), shaped(t("poster.scan")), font=_font(44), fill=DARK, anchor="ma")

        qr_size = 520 if len(links) > 1 else 760
        gap = (WIDTH - qr_size * len(links)) // (len(links) + 1)
        top = 620
        for index, (label, link) in enumerate(reversed(links)):  # the first reads rightmost
            left = gap + index * (qr_size + gap)
            image.paste(_qr_image(link, qr_size), (left, top))
            centre = left + qr_size // 2
            draw.text((centre, top + qr_size + 20), shaped(label), font=_font(52, bold=True),
                      fill=DARK, anchor="ma")
            draw.text((centre, top + qr_size + 95), link, font=_font(26), fill=DARK, anchor="ma")
        draw.text((middle, HEIGHT - 110), shaped(t("poster.footer")), font=_font(40), fill=TEAL,
                  anchor="ma")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
