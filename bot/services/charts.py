"""Registration charts as PNGs (matplotlib, a Persian font shipped under its licence)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import jdatetime
from matplotlib import font_manager
from matplotlib.figure import Figure

from bot.i18n import Translator

FONT = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "Vazirmatn-Regular.ttf"


def draw_charts(t: Translator, by_day: list[tuple[date, int]], by_center: list[tuple[str, str, int]],
                by_activity: list[tuple[str, int]]) -> list[bytes]:
    """Three PNGs: registrations per day, per center (code, name, count) and per activity."""
    # matplotlib 3.11 joins Persian letters and lays out right-to-left itself (its bundled
    # text shaper); shaping beforehand with arabic-reshaper + python-bidi would reverse it twice.
    font = font_manager.FontProperties(fname=str(FONT))
    day_labels = [t.digits(jdatetime.date.fromgregorian(date=d).strftime("%m/%d"))
                  for d, _ in by_day]
    return [
        _bar(font, t("stats.chart.per_day"), day_labels, [n for _, n in by_day],
             vertical=True),
        _bar(font, t("stats.chart.per_center"),
             [f"{name} ({t.digits(code)})" for code, name, _ in by_center],
             [n for *_, n in by_center]),
        _bar(font, t("stats.chart.per_activity"), [name for name, _ in by_activity],
             [n for _, n in by_activity]),
    ]


def _bar(font, title: str, labels: list[str], values: list[int], vertical: bool = False) -> bytes:
    # A bare Figure (no pyplot): no global backend state, safe in a worker thread.
    figure = Figure(figsize=(10, 6), dpi=100)
    axes = figure.subplots()
    if vertical:
        axes.bar(range(len(values)), values, color="#008080")
        axes.set_xticks(range(len(labels)), labels, rotation=60, fontproperties=font, fontsize=8)
    else:
        positions = list(range(len(values)))[::-1]
        axes.barh(positions, values, color="#008080")
        axes.set_yticks(positions, labels, fontproperties=font, fontsize=9)
    axes.set_title(title, fontproperties=font, fontsize=16)
    if not values or max(values) == 0:
        axes.text(0.5, 0.5, "0", transform=axes.transAxes, ha="center", fontsize=30)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
