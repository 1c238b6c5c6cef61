"""Registration charts as PNGs (matplotlib, a Persian font shipped under its licence): bars with
their counts written on them, whole-number axes in the reader's digits, Jalali day labels."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.i18n import Translator

FONT = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "Vazirmatn-Regular.ttf"
COLOR = "#008080"
ATTENDANCE_COLOURS = ("#9e9e9e", "#4db6ac", "#008080", "#e57373")  # invited, coming, came, no-show
DAY_LABEL_EVERY = 3  # of the 30 days, every third is labelled (the last one always)


def draw_charts(t: Translator, by_day: list[tuple[date, int]], by_center: list[tuple[str, str, int]],
                by_activity: list[tuple[str, int]]) -> list[bytes]:
    """PNGs of registrations per day, per center (code, name, count) and per activity; a chart
    with nothing to show is left out (an empty database gives none: the caller says so)."""
    # matplotlib 3.11 joins Persian letters and lays out right-to-left itself (its bundled
    # text shaper); shaping beforehand with arabic-reshaper + python-bidi would reverse it twice.
    font = font_manager.FontProperties(fname=str(FONT))
    count = FuncFormatter(lambda value, _: t.digits(str(int(value))))
    charts = []
    if any(n for _, n in by_day):
        last = len(by_day) - 1
        labels = [t.day_month(d) if (last - i) % DAY_LABEL_EVERY == 0 else ""
                  for i, (d, _) in enumerate(by_day)]
        charts.append(_columns(font, count, t, t("stats.chart.per_day"), labels, [n for _, n in by_day]))
    if any(n for *_, n in by_center):
        charts.append(_rows(font, count, t, t("stats.chart.per_center"),
                            [f"{name} ({t.digits(code)})" for code, name, _ in by_center],
                            [n for *_, n in by_center]))
    if any(n for _, n in by_activity):
        charts.append(_rows(font, count, t, t("stats.chart.per_activity"),
                            [name for name, _ in by_activity], [n for _, n in by_activity]))
    return charts


def _figure():
    # A bare Figure (no pyplot): no global backend state, safe in a worker thread.
    figure = Figure(figsize=(10, 6), dpi=100)
    return figure, figure.subplots()


def _columns(font, count: FuncFormatter, t: Translator, title: str, labels: list[str],
             values: list[int]) -> bytes:
    """Vertical bars, one per day."""
    figure, axes = _figure()
    bars = axes.bar(range(len(values)), values, color=COLOR)
    axes.set_xticks(range(len(labels)), labels, fontproperties=font, fontsize=11)
    _counts(axes.yaxis, count, font, axes.get_yticklabels)
    axes.bar_label(bars, labels=[t.digits(str(v)) if v else "" for v in values], fontproperties=font,
                   fontsize=10, padding=2)
    return _finish(figure, axes, font, title)


def _rows(font, count: FuncFormatter, t: Translator, title: str, labels: list[str],
          values: list[int]) -> bytes:
    """Horizontal bars, the first item on top."""
    figure, axes = _figure()
    positions = list(range(len(values)))[::-1]
    bars = axes.barh(positions, values, color=COLOR)
    axes.set_yticks(positions, labels, fontproperties=font, fontsize=11)
    _counts(axes.xaxis, count, font, axes.get_xticklabels)
    axes.bar_label(bars, labels=[t.digits(str(v)) for v in values], fontproperties=font, fontsize=11,
                   padding=3)
    return _finish(figure, axes, font, title)


def _counts(axis, count: FuncFormatter, font, labels: Callable) -> None:
    """A count axis: whole people only, in the reader's digits."""
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(count)
    for label in labels():
        label.set_fontproperties(font)


def _finish(figure, axes, font, title: str) -> bytes:
    axes.set_title(title, fontproperties=font, fontsize=16)
    axes.margins(x=0.08, y=0.08)  # room for the counts written past the bars' ends
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def draw_attendance(t: Translator, events: list[tuple[str, int, int, int, int]]) -> bytes:
    """Grouped bars per event (oldest first): invited, coming, came, no-show."""
    font = font_manager.FontProperties(fname=str(FONT))
    count = FuncFormatter(lambda value, _: t.digits(str(int(value))))
    figure, axes = _figure()
    series = [t(f"stats.attendance.{k}") for k in ("invited", "coming", "came", "no_show")]
    width = 0.2
    for index, (name, colour) in enumerate(zip(series, ATTENDANCE_COLOURS, strict=True)):
        values = [row[1 + index] for row in events]
        bars = axes.bar([n + (index - 1.5) * width for n in range(len(events))], values, width,
                        color=colour, label=name)
        axes.bar_label(bars, labels=[t.digits(str(v)) if v else "" for v in values], fontproperties=font,
                       fontsize=9, padding=2)
    axes.set_xticks(range(len(events)), [row[0] for row in events], fontproperties=font, fontsize=11)
    _counts(axes.yaxis, count, font, axes.get_yticklabels)
    axes.legend(prop=font, frameon=False)
    return _finish(figure, axes, font, t("stats.chart.attendance"))
