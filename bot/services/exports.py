"""Registrations as spreadsheets: XLSX (rust_xlsxwriter) and CSV (UTF-8 with BOM, so Excel shows Persian)."""

from __future__ import annotations

import asyncio
import csv
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import jdatetime

from bot.i18n import Translator
from storage.activities import ActivityRepository
from storage.attendance import AttendanceRepository
from storage.audit import AuditRepository
from storage.models import ExportRow
from storage.registrations import RegistrationRepository

COLUMNS = ("tracking_code", "full_name", "national_id", "mobile", "mobile_verified", "birth_date",
           "minor", "guardian", "guardian_mobile", "gender",
           "province", "county", "center", "center_code", "activities", "days", "parts", "status",
           "created", "updated", "contacted", "platform")


# The columns whose text people typed or imported (names, places, activity areas): the only
# ones a CSV must defuse. Codes, mobiles and dates passed validation; the rest are our words.
PEOPLES_TEXT = tuple(COLUMNS.index(c) for c in ("full_name", "guardian", "province", "county", "center",
                                                "center_code", "activities"))

ATTENDANCE_COLUMNS = ("event", "starts", "center_code", "center", "tracking_code", "full_name", "answer",
                      "checked_in", "checked_out", "hours")
HOURS_COLUMNS = ("tracking_code", "full_name", "center_code", "center", "events", "verified", "hours")

WIDTH_SAMPLE, WIDTH_MAX = 500, 45  # rows measured for a column's width; the widest a column gets

# The first characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
# (or as DDE). Names and imported place names are people's input, and an export holds national
# codes beside them.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")


def jalali_date(value: str) -> str:
    """A stored Gregorian date as a sortable Jalali date, e.g. 1375/06/21 (jdatetime's plain
    conversion: an export makes tens of thousands, and date objects with strftime cost 9× more)."""
    day = date.fromisoformat(value)
    year, month, day_of_month = jdatetime.GregorianToJalali(day.year, day.month, day.day).getJalaliList()
    return f"{year:04d}/{month:02d}/{day_of_month:02d}"


@dataclass(frozen=True)
class ExportDocuments:
    rows: int
    xlsx: bytes
    csv: bytes


class ExportService:
    """Builds the files; who may export which centers is decided by the caller (RoleService)."""

    def __init__(self, registrations: RegistrationRepository, activities: ActivityRepository,
                 audit: AuditRepository, attendance: AttendanceRepository):
        self._registrations = registrations
        self._activities = activities
        self._audit = audit
        self._attendance = attendance

    async def record(self, who: str, label: str, rows: int) -> None:
        """An export leaves personal data with a person or a file: the audit log says who, what, when."""
        await self._audit.record(who, "export", label, str(rows))

    async def documents(self, t: Translator, center_ids: list[int] | None) -> ExportDocuments:
        """The XLSX and the CSV of these centers (or all). Formatting tens of thousands of rows
        takes seconds, so it runs in a worker thread: the bot keeps answering everyone else."""
        rows = await self.table(t, center_ids)
        # The workbook also holds who answered and came to each event, and each volunteer's hours
        # (filterable by event or center); the CSV is the volunteers alone.
        more = [(t("export.sheet_attendance"), await self.attendance_table(t, center_ids)),
                (t("export.sheet_hours"), await self.hours_table(t, center_ids))]
        # One after the other in one thread: both hold the GIL (the Rust writer reads the rows
        # as Python objects), and two threads taking turns at it were slower than one.
        return await asyncio.to_thread(
            lambda: ExportDocuments(len(rows) - 1, self.to_xlsx(rows, t("export.sheet"), more),
                                    self.to_csv(rows, PEOPLES_TEXT)))

    async def attendance_table(self, t: Translator, center_ids: list[int] | None) -> list[list[str]]:
        """Header and one row per volunteer's answer or check-in at an event, event by event."""
        moment = self._moments(t)
        rows = [[t(f"export.attendance.{c}") for c in ATTENDANCE_COLUMNS]]
        for title, starts, code, center, tracking, name, answer, came, left, hours in \
                await self._attendance.export_attendance(center_ids):
            rows.append([title, moment(starts), code, center, tracking, name or "",
                         t(f"myevents.answer.{answer}") if answer else "", moment(came) if came else "",
                         moment(left) if left else "", f"{hours:g}" if hours is not None else ""])
        return rows

    async def hours_table(self, t: Translator, center_ids: list[int] | None) -> list[list[str]]:
        """Header and one row per volunteer who came to an event: events and verified hours."""
        rows = [[t(f"export.hours.{c}") for c in HOURS_COLUMNS]]
        for tracking, name, code, center, came, verified, hours in \
                await self._attendance.export_hours(center_ids):
            # (Latin digits, like every number in the workbook: a spreadsheet reads them as numbers.)
            rows.append([tracking, name or "", code, center, str(came), str(verified), f"{hours:g}"])
        return rows

    async def table(self, t: Translator, center_ids: list[int] | None) -> list[list[str]]:
        """Header row (in `t`'s language) and one row per registration of these centers (or all)."""
        names, records = await self._names(t), await self._registrations.export_rows(center_ids)
        return await asyncio.to_thread(self._table, t, records, names)

    async def _names(self, t: Translator) -> dict[int, str]:
        return {a.id: t.name(a)
                for a in await self._activities.active()}

    def _table(self, t: Translator, records: list[ExportRow], names: dict[int, str]) -> list[list[str]]:
        separator = t("list.separator")
        # Tens of thousands of rows repeat a few hundred words and days: each is worked out once.
        word = functools.cache(t)
        jalali = functools.cache(jalali_date)
        moment = self._moments(t, jalali)
        activities = functools.cache(lambda ids: separator.join(names.get(a, str(a)) for a in ids))
        days = functools.cache(lambda keys: separator.join(word(f"day.{d}") for d in keys))
        parts = functools.cache(lambda keys: separator.join(word(f"part.{p}") for p in keys))
        yes, no = word("export.yes"), word("export.no")
        rows = [[word(f"export.column.{c}") for c in COLUMNS]]
        for r in records:
            rows.append([
                # A released registration has no national code or mobile any more: empty cells.
                r.tracking_code, r.full_name or "", r.national_id or "", r.mobile or "",
                yes if r.mobile_verified else no, jalali(r.birth_date) if r.birth_date else "",
                yes if r.is_minor else "", r.guardian_name or "",
                r.guardian_mobile or "", word(f"gender.{r.gender}"), r.province, r.county,
                r.center_name, r.center_code, activities(r.activity_ids), days(r.availability_days),
                parts(r.availability_parts), word(f"status.{r.status}"), created := moment(r.created_at),
                # (most registrations were never changed: the same moment is not worked out twice)
                created if r.updated_at == r.created_at else moment(r.updated_at),
                moment(r.contacted_at) if r.contacted_at else "",
                word(f"messenger.{r.platform}"),
            ])
        return rows

    @classmethod
    def _moments(cls, t: Translator, jalali=None):
        """A function showing stored moments in `t`'s zone, with its days worked out once each."""
        offset = functools.cache(lambda day: t.timezone.utcoffset(datetime.fromisoformat(f"{day}T12:00"))
                                 // timedelta(minutes=1))
        return functools.partial(cls._moment, jalali=jalali or functools.cache(jalali_date), offset=offset)

    @staticmethod
    def _moment(value: str, jalali, offset) -> str:
        """A stored UTC moment as a sortable Jalali date and time in BOT_TZ: 1405/09/01 08:30.
        The zone's offset (in minutes) is looked up once a day: tens of thousands of rows share a
        few hundred days; Iran keeps no daylight saving time, and a change would fall at night.
        Stored moments are UTC text, so the clock is read from the text, not parsed."""
        if not value.endswith("+00:00"):  # written by hand or by another tool: normalised first
            moment = datetime.fromisoformat(value)
            value = (moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
        day = value[:10]
        days, minutes = divmod(int(value[11:13]) * 60 + int(value[14:16]) + offset(day), 24 * 60)
        if days:
            day = (date.fromisoformat(day) + timedelta(days=days)).isoformat()
        return f"{jalali(day)} {minutes // 60:02d}:{minutes % 60:02d}"

    @staticmethod
    def to_xlsx(rows: list[list[str]], sheet_title: str,
                more: list[tuple[str, list[list[str]]]] = ()) -> bytes:
        """An .xlsx workbook, right-to-left, with a bold, frozen header that filters, and columns
        as wide as their contents. Every cell is written as text (codes keep their leading zeros,
        and no text is ever a live formula). Written in Rust (rust_xlsxwriter): the biggest
        center's twenty thousand rows take a fraction of a second. `more`: further sheets
        (title, rows), laid out the same way."""
        from rustpy_xlsxwriter import FastExcel  # loaded at the first export

        workbook = FastExcel(buffer := io.BytesIO()).format(bold_headers=True).freeze(row=1)
        for title, table in [(sheet_title, rows), *more]:
            header, body = table[0], table[1:]
            sample = body[:WIDTH_SAMPLE]
            widths = [min(max([len(name) + 2, *(len(row[column]) for row in sample)]) + 2, WIDTH_MAX)
                      for column, name in enumerate(header)]  # +2: the filter arrow
            records = _records(header, body)
            workbook = workbook.sheet(title[:31], records, column_widths=widths, autofilter=True,
                                      sheet_view={"right_to_left": True})
        workbook.save()
        return buffer.getvalue()

    @staticmethod
    def to_csv(rows: list[list[str]], peoples_text: Sequence[int] | None = None) -> bytes:
        """CSV in UTF-8 with a BOM, which Excel needs to show Persian letters. `peoples_text`: the
        columns that may hold a formula (all, unless said)."""
        # A cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's
        # advice for CSV injection): shown as typed, never evaluated.
        columns = range(len(rows[0])) if peoples_text is None else peoples_text

        def defused(row: list[str]) -> list[str]:
            risky = [c for c in columns if row[c][:1] in FORMULA_TRIGGERS]
            if not risky:
                return row  # the rows are shared with the workbook's thread: copied, never changed
            row = list(row)
            for column in risky:
                row[column] = "'" + row[column]
            return row

        text = io.StringIO()
        csv.writer(text).writerows(map(defused, rows))
        return text.getvalue().encode("utf-8-sig")


def _records(header: list[str], body: list[list[str]]):
    """A sheet's rows as the writer takes them (read only when the workbook is saved: the header
    is bound here, not looked up then). An empty sheet gives one empty row: its header."""
    if not body:  # the writer learns the columns from the rows
        return iter([dict.fromkeys(header)])
    return ({name: value or None for name, value in zip(header, row, strict=True)} for row in body)
