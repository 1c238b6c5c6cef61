"""Plain dataclasses returned by the repositories (no telegram, no handlers)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Province:
    id: int
    name_fa: str
    name_en: str


@dataclass(frozen=True)
class County:
    id: int
    province_id: int
    name_fa: str
    name_en: str


@dataclass(frozen=True)
class Center:
    id: int
    code: str
    name: str
    county_id: int
    county_fa: str
    province_fa: str
    address: str
    lat: float | None
    lon: float | None
    active: bool
    is_sample: bool


@dataclass(frozen=True)
class Activity:
    id: int
    position: int
    name_fa: str
    name_en: str
    group_fa: str
    group_en: str


@dataclass(frozen=True)
class UserAccount:
    platform: str
    user_id: int
    language: str | None
    is_admin: bool
    blocked_at: str | None


@dataclass(frozen=True)
class CenterRow:
    """One row of a centers CSV, already validated."""

    code: str
    name: str
    province: str
    county: str
    address: str
    lat: float | None
    lon: float | None


@dataclass
class ImportOutcome:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
