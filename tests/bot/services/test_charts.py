"""Registration charts are real, readable PNGs whose bars follow the counts; no data draws no bars."""

from __future__ import annotations

import io
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from bot.i18n import I18n
from bot.services.charts import FONT, draw_charts

TEAL = (0, 128, 128)
DAYS = [(date(2026, 1, 5) + timedelta(days=i), i % 4) for i in range(30)]
CENTERS = [("4170", "مرکز اکباتان", 12), ("4175", "مرکز ملایر", 6), ("2301", "مرکز سمنان", 2)]
ACTIVITIES = [("آموزش و سوادآموزی", 7), ("سلامت و بهداشت", 3)]


@pytest.fixture(scope="module")
def persian():
    return I18n.load("fa", ZoneInfo("Asia/Tehran")).translator("fa")


@pytest.fixture(scope="module")
def drawn(persian):
    return draw_charts(persian, DAYS, CENTERS, ACTIVITIES)


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _bar_runs(png: bytes) -> list[int]:
    """Width in pixels of each horizontal bar, top to bottom."""
    teal = (_pixels(png) == TEAL).all(axis=2)
    widths, current = [], 0
    for row in teal.sum(axis=1):
        if row:
            current = max(current, int(row))
        elif current:
            widths.append(current)
            current = 0
    return widths + ([current] if current else [])


def test_the_persian_font_ships_with_the_bot():
    assert FONT.is_file() and FONT.stat().st_size > 50_000


def test_three_charts_are_png_files_of_a_readable_size(drawn):
    assert len(drawn) == 3
    for png in drawn:
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        image = Image.open(io.BytesIO(png))
        image.verify()
        assert image.format == "PNG" and image.size == (1000, 600)
        assert 5_000 < len(png) < 1_000_000  # something drawn, yet small enough to send


def test_per_center_bars_are_ordered_by_count_and_longer_for_more(drawn):
    widths = _bar_runs(drawn[1])
    assert len(widths) == len(CENTERS)
    assert widths[0] > widths[1] > widths[2] > 0  # the first (largest) center reads at the top
    assert widths[0] / widths[1] == pytest.approx(12 / 6, rel=0.05)


def test_per_day_chart_has_a_bar_only_on_days_with_registrations(drawn):
    teal = (_pixels(drawn[0]) == TEAL).all(axis=2)
    columns = teal.any(axis=0)
    bars = int(np.count_nonzero(columns[1:] & ~columns[:-1]))
    assert bars == sum(1 for _, n in DAYS if n)


def test_no_registrations_draw_no_chart_of_nothing(persian):
    empty_days = [(date(2026, 2, 1) + timedelta(days=i), 0) for i in range(30)]
    assert draw_charts(persian, empty_days, [], []) == []
    assert len(draw_charts(persian, empty_days, CENTERS, [])) == 1  # only what has something


def test_count_axes_show_whole_people_in_persian_digits(persian, monkeypatch):
    """A few registrations still get ticks 0, 1, 2, … (never 0.25 of a person), in Persian."""
    shown = []
    original = Figure.savefig

    def keep_ticks(figure, *args, **kwargs):
        figure.canvas.draw()
        for axes in figure.axes:
            for axis in (axes.xaxis, axes.yaxis):
                shown.extend(label.get_text() for label in axis.get_ticklabels())
            shown.extend(text.get_text() for text in axes.texts)  # the counts on the bars
        return original(figure, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep_ticks)
    draw_charts(persian, [(date(2026, 2, 1), 1), (date(2026, 2, 2), 2)], [("4170", "مرکز", 1)], [])
    numbers = [label for label in shown if label and not any(ch.isalpha() for ch in label)]
    assert numbers and all(set(label) <= set("۰۱۲۳۴۵۶۷۸۹") for label in numbers), numbers
    assert "۱۲ بهمن" in shown or "۱۳ بهمن" in shown  # days as people say them
