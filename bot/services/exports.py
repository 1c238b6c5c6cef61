"""Registrations as spreadsheets: XLSX (openpyxl) and CSV (UTF-8 with BOM, so Excel shows Persian)."""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

import jdatetime

from bot.i18n import Translator
from storage.activities import ActivityRepository
from storage.audit import AuditRepository
from storage.models import ExportRow
from storage.registrations import RegistrationRepository

COLUMNS = ("tracking_code", "full_name", "national_id", "mobile", "mobile_verified", "birth_date",
           "minor", "gender",
           "province", "county", "center", "center_code", "activities", "days", "parts", "status",
           "created", "updated", "contacted", "platform")


# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (or as DDE).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """Whether a text cell would be run by a spreadsheet: names, addresses and imported place
    names are people's input, and an export holds national codes beside them."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def jalali_date(value: str) -> str:
    """A stored Gregorian date as a sortable Jalali date, e.g. 1375/06/21."""
    return jdatetime.date.fromgregorian(date=date.fromisoformat(value)).strftime("%Y/%m/%d")


@dataclass(frozen=True)
class ExportDocuments:
    rows: int
    xlsx: bytes
    csv: bytes


class ExportService:
    """Builds the files; who may export which centers is decided by the caller (RoleService)."""

    def __init__(self, registrations: RegistrationRepository, activities: ActivityRepository,
                 audit: AuditRepository):
        self._registrations = registrations
        self._activities = activities
        self._audit = audit

    async def record(self, who: str, label: str, rows: int) -> None:
        """An export leaves personal data with a person or a file: the audit log says who, what, when."""
        await self._audit.record(who, "export", label, str(rows))

    async def documents(self, t: Translator, center_ids: list[int] | None) -> ExportDocuments:
        """The XLSX and the CSV of these centers (or all). Formatting tens of thousands of rows
        takes seconds, so it runs in a worker thread: the bot keeps answering everyone else."""
        rows = await self.table(t, center_ids)

        def build() -> ExportDocuments:
            return ExportDocuments(len(rows) - 1, self.to_xlsx(rows, t("export.sheet")), self.to_csv(rows))

        return await asyncio.to_thread(build)

    async def table(self, t: Translator, center_ids: list[int] | None) -> list[list[str]]:
        """Header row (in `t`'s language) and one row per registration of these centers (or all)."""
        names, records = await self._names(t), await self._registrations.export_rows(center_ids)
        return await asyncio.to_thread(self._table, t, records, names)

    async def _names(self, t: Translator) -> dict[int, str]:
        return {a.id: t.name(a)
                for a in await self._activities.active()}

    def _table(self, t: Translator, records: list[ExportRow], names: dict[int, str]) -> list[list[str]]:
        separator = t("list.separator")
        return [[t(f"export.column.{c}") for c in COLUMNS],
                *(self._row(t, r, names, separator) for r in records)]

    def _row(self, t: Translator, r: ExportRow, names: dict[int, str], separator: str) -> list[str]:
        return [
            r.tracking_code, r.full_name, r.national_id, r.mobile,
            t("export.yes") if r.mobile_verified else t("export.no"), jalali_date(r.birth_date),
            t("export.yes") if r.is_minor else "", t(f"gender.{r.gender}"), r.province, r.county,
            r.center_name, r.center_code, separator.join(names.get(a, str(a)) for a in r.activity_ids),
            separator.join(t(f"day.{d}") for d in r.availability_days),
            separator.join(t(f"part.{p}") for p in r.availability_parts),
            t(f"status.{r.status}"), self._moment(t, r.created_at), self._moment(t, r.updated_at),
            self._moment(t, r.contacted_at) if r.contacted_at else "", r.platform,
        ]

    @staticmethod
    def _moment(t: Translator, value: str) -> str:
        local = datetime.fromisoformat(value).astimezone(t.timezone)
        return jdatetime.datetime.fromgregorian(datetime=local).strftime("%Y/%m/%d %H:%M")

    @staticmethod
    def to_xlsx(rows: list[list[str]], sheet_title: str) -> bytes:
        """An .xlsx workbook, right-to-left, header row frozen; no text is ever a live formula."""
        from openpyxl import Workbook  # a third of a second to import: loaded at the first export
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(sheet_title[:31])
        sheet.sheet_view.rightToLeft = True
        sheet.freeze_panes = "A2"

        def text(value: object) -> object:
            if not looks_like_formula(value):
                return value
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # openpyxl would store "=…" as a formula; it stays text
            return cell

        for row in rows:
            sheet.append([text(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def to_csv(rows: list[list[str]]) -> bytes:
        """CSV in UTF-8 with a BOM, which Excel needs to show Persian letters."""
        text = io.StringIO()
        # A cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's
        # advice for CSV injection): shown as typed, never evaluated.
        csv.writer(text).writerows([[f"'{v}" if looks_like_formula(v) else v for v in row]
                                    for row in rows])
        return text.getvalue().encode("utf-8-sig")
