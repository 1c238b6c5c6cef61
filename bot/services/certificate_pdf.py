"""A certificate of service as a printable A4 PDF: Persian set right to left and shaped by HarfBuzz
(fpdf2's text shaping), Jalali dates, Persian digits, and QR codes that open the bot on the
certificate's verification."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
TEAL, DARK, PALE = (0, 128, 128), (33, 33, 33), (224, 242, 242)
MARGIN, WIDTH = 15, 210  # mm, A4 portrait
COLUMNS = (105, 45, 30)  # event, date, hours (mm), read from the right


@dataclass(frozen=True)
class CertificateText:
    """Everything the page says, already in the reader's language and digits."""

    title: str
    issuer: str
    statement: str
    headings: tuple[str, str, str]  # event, date, hours
    rows: list[tuple[str, str, str]]
    total: tuple[str, str]  # label, hours
    issued: str
    verify: str
    rtl: bool = True  # Persian reads from the right; English from the left


def render(text: CertificateText, links: list[tuple[str, str]]) -> bytes:
    """The PDF: a heading band, the statement, the events with their hours, the total, and a QR
    code per (messenger label, verification link)."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font("Vazirmatn", "", str(FONTS / "Vazirmatn-Regular.ttf"))
    pdf.add_font("Vazirmatn", "B", str(FONTS / "Vazirmatn-Bold.ttf"))
    if text.rtl:
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="fas")
    else:  # an English certificate: Persian names and places in it are still shaped
        pdf.set_text_shaping(use_shaping_engine=True)
    side = "R" if text.rtl else "L"
    pdf.set_title(text.title)
    pdf.add_page()
    pdf.set_fill_color(*TEAL)
    pdf.rect(0, 0, WIDTH, 42, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Vazirmatn", "B", 26)
    pdf.set_y(9)
    pdf.cell(0, 14, text.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Vazirmatn", "", 13)
    pdf.cell(0, 8, text.issuer, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_text_color(*DARK)
    pdf.set_y(55)
    pdf.set_font("Vazirmatn", "", 14)
    pdf.multi_cell(0, 9, text.statement, align=side, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    _table(pdf, text)
    pdf.ln(4)
    pdf.set_font("Vazirmatn", "", 11)
    pdf.cell(0, 7, text.issued, align=side, new_x="LMARGIN", new_y="NEXT")
    _codes(pdf, text, links)
    return bytes(pdf.output())


def _table(pdf: FPDF, text: CertificateText) -> None:
    """The events, one row each, the columns laid in reading order (from the right in Persian)."""
    side = "R" if text.rtl else "L"

    def left_of(column: int) -> float:
        before = sum(COLUMNS[:column])
        return WIDTH - MARGIN - before - COLUMNS[column] if text.rtl else MARGIN + before

    def row(cells: tuple[str, ...], bold: bool = False, fill: bool = False) -> None:
        pdf.set_font("Vazirmatn", "B" if bold else "", 12)
        y = pdf.get_y()
        for column, (width, value) in enumerate(zip(COLUMNS, cells, strict=True)):
            pdf.set_xy(left_of(column), y)
            pdf.cell(width, 9, value, border=1, align=side if column == 0 else "C", fill=fill)
        pdf.set_xy(MARGIN, y + 9)

    pdf.set_fill_color(*PALE)
    row(text.headings, bold=True, fill=True)
    for cells in text.rows:
        if pdf.will_page_break(9):
            pdf.add_page()
            row(text.headings, bold=True, fill=True)
        row(cells)
    label, hours = text.total
    pdf.set_font("Vazirmatn", "B", 12)
    y = pdf.get_y()
    pdf.set_xy(min(left_of(0), left_of(1)), y)
    pdf.cell(COLUMNS[0] + COLUMNS[1], 9, label, border=1, align=side, fill=True)
    pdf.set_xy(left_of(2), y)
    pdf.cell(COLUMNS[2], 9, hours, border=1, align="C", fill=True)
    pdf.set_xy(MARGIN, y + 9)


def _codes(pdf: FPDF, text: CertificateText, links: list[tuple[str, str]]) -> None:
    """The verification QR codes side by side, each with its messenger."""
    size = 38
    if pdf.will_page_break(size + 30):
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font("Vazirmatn", "", 11)
    pdf.multi_cell(0, 7, text.verify, align="R" if text.rtl else "L", new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 2
    for index, (label, link) in enumerate(links):  # the first where reading starts
        x = WIDTH - MARGIN - size - index * (size + 12) if text.rtl else MARGIN + index * (size + 12)
        buffer = io.BytesIO()
        segno.make(link, error="m").save(buffer, kind="png", scale=8, border=2)
        pdf.image(buffer, x=x, y=top, w=size, h=size)
        pdf.set_xy(x, top + size)
        pdf.cell(size, 6, label, align="C")
