"""A booth poster is a printable A5 PNG whose QR codes carry each messenger's deep link to the center."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import segno
from PIL import Image

from bot.i18n import I18n
from bot.platforms import PROFILES
from bot.services.posters import PosterService
from storage.models import Center

CENTER = Center(id=1, code="4170", name="مرکز مثبت زندگی اکباتان", county_id=1, county_fa="همدان",
                province_fa="همدان", address="", lat=None, lon=None, active=True, is_sample=False)
TELEGRAM = ("تلگرام", PROFILES["telegram"].deep_link("SalamMahallehBot", "c-4170"))
BALE = ("بله", PROFILES["bale"].deep_link("salam_mahalleh_bot", "c-4170"))


@pytest.fixture(scope="module")
def persian():
    return I18n.load("fa", ZoneInfo("Asia/Tehran")).translator("fa")


@pytest.fixture(scope="module")
def two_links(persian):
    return _pixels(PosterService.render(persian, CENTER, [TELEGRAM, BALE]))


def _pixels(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return np.asarray(image.convert("RGB"))


def _qr_codes(pixels: np.ndarray) -> list[np.ndarray]:
    """Each QR symbol on the poster (pure black is used by nothing else), left to right, as the
    pixels of its bounding box."""
    black = (pixels == 0).all(axis=2)
    columns = black.any(axis=0)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], columns.astype(int), [0]))))
    symbols = []
    for left, right in zip(edges[::2], edges[1::2], strict=True):
        rows = np.flatnonzero(black[:, left:right].any(axis=1))
        symbols.append(black[rows[0]:rows[-1] + 1, left:right])
    return symbols


def _reads_as(symbol: np.ndarray, link: str) -> bool:
    """Whether the drawn symbol has, module for module, the QR code of `link`."""
    expected = np.array(segno.make(link, error="m").matrix, dtype=bool)
    size = expected.shape[0]
    height, width = symbol.shape
    if abs(height - width) > 2:
        return False
    step = width / size
    centres = ((np.arange(size) + 0.5) * step).astype(int)
    return bool((symbol[np.ix_(centres, centres)] == expected).all())


def test_deep_links_open_the_bot_on_the_center():
    assert TELEGRAM[1] == "https://t.me/SalamMahallehBot?start=c-4170"
    assert BALE[1] == "https://ble.ir/salam_mahalleh_bot?start=c-4170"


def test_poster_is_an_a5_page_at_150_dpi(two_links):
    assert two_links.shape == (1754, 1240, 3)


def test_each_qr_code_carries_its_messengers_link_the_first_on_the_right(two_links):
    left, right = _qr_codes(two_links)
    assert _reads_as(right, TELEGRAM[1]) and _reads_as(left, BALE[1])
    assert not _reads_as(right, BALE[1])  # the check tells one link from another


def test_a_single_link_gets_one_larger_qr_code(persian, two_links):
    alone = _qr_codes(_pixels(PosterService.render(persian, CENTER, [TELEGRAM])))
    assert len(alone) == 1 and _reads_as(alone[0], TELEGRAM[1])
    assert alone[0].shape[1] > 1.3 * _qr_codes(two_links)[0].shape[1]
