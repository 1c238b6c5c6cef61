"""Rules for importing centers from a CSV file (code, name, province, county, address, lat, lon,
and optionally phone)."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.validation import normalize_digits, normalize_text
from storage.centers import CenterRepository
from storage.models import CenterRow

COLUMNS = ("code", "name", "province", "county", "address", "lat", "lon")
OPTIONAL_COLUMNS = ("phone",)  # files of the version before it still import
_PHONE_NOISE = re.compile(r"[\s\-()/.]")
# Generous box around Iran: a coordinate outside it is a typo (often lat/lon swapped).
LAT_RANGE, LON_RANGE = (24.0, 40.5), (43.5, 64.0)


class MalformedFile(ValueError):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass(frozen=True)
class RejectedRow:
    line: int
    code: str
    reason: str


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)


def _coordinate(raw: str, bounds: tuple[float, float], name: str) -> float | None:
    raw = normalize_digits(raw).replace("٫", ".").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} is not a number: {raw!r}") from exc
    if not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{name} {value} is outside Iran ({bounds[0]}–{bounds[1]})")
    return value


class CenterImporter:
    """Validates a centers CSV row by row and upserts the good rows by code in one transaction."""

    def __init__(self, centers: CenterRepository):
        self._centers = centers

    async def import_file(self, path: Path) -> ImportReport:
        """Import `path`; raises MalformedFile (changing nothing) when the file cannot be read."""
        try:
            text = (await asyncio.to_thread(path.read_bytes)).decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise MalformedFile(f"cannot read {path} as UTF-8 text: {exc}") from exc
        return await self.import_text(text)

    async def import_text(self, text: str) -> ImportReport:
        """Import CSV text (header row required)."""
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as exc:
            raise MalformedFile(f"not a valid CSV file: {exc}") from exc
        if not records:
            raise MalformedFile("the file is empty")
        header = [h.strip().lower() for h in records[0]]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise MalformedFile(
                f"missing column(s): {', '.join(missing)}; expected {', '.join(COLUMNS)}"
            )
        index = {name: header.index(name) for name in (*COLUMNS, *OPTIONAL_COLUMNS) if name in header}
        provinces = await self._centers.province_names()

        report, valid, seen = ImportReport(), [], set()
        for line, record in enumerate(records[1:], start=2):
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                raise MalformedFile(
                    f"line {line} has {len(record)} fields, the header has {len(header)}"
                )
            cells = {name: normalize_text(record[i]) for name, i in index.items()}
            try:
                row = self._row(cells, provinces)
                if row.code in seen:
                    raise ValueError(f"code {row.code} appears twice in the file")
            except ValueError as exc:
                report.rejected.append(RejectedRow(line, cells["code"], str(exc)))
                continue
            seen.add(row.code)
            valid.append(row)

        outcome = await self._centers.upsert_many(valid, provinces)
        report.added, report.updated = outcome.added, outcome.updated
        return report

    @staticmethod
    def _row(cells: dict[str, str], provinces: dict[str, int]) -> CenterRow:
        code = cells["code"]
        if not re.fullmatch(r"[0-9]{1,10}", code):
            raise ValueError(f"code must be 1–10 digits (got {code!r})")
        if not cells["name"]:
            raise ValueError("name is empty")
        province = cells["province"] if cells["province"] in provinces else cells["province"].lower()
        if province not in provinces:
            raise ValueError(f"unknown province {cells['province']!r}")
        if not cells["county"]:
            raise ValueError("county is empty")
        lat = _coordinate(cells["lat"], LAT_RANGE, "lat")
        lon = _coordinate(cells["lon"], LON_RANGE, "lon")
        if (lat is None) != (lon is None):
            raise ValueError("give both lat and lon, or neither")
        phone = _phone(cells["phone"]) if "phone" in cells else None
        return CenterRow(code, cells["name"], province, cells["county"], cells["address"], lat, lon, phone)


def _phone(raw: str) -> str:
    """A center's phone as people dial it: 8–11 digits (a landline with its area code, or a
    mobile); empty when the file gives none."""
    value = _PHONE_NOISE.sub("", raw).removeprefix("+98").removeprefix("0098")
    if not value:
        return ""
    if not value.isdigit():
        raise ValueError(f"phone must be digits (got {raw!r})")
    if not value.startswith("0") and len(value) == 10:
        value = "0" + value  # written with +98: the trunk 0 goes back in front
    if not 8 <= len(value) <= 11:
        raise ValueError(f"phone must have 8–11 digits (got {raw!r})")
    return value
