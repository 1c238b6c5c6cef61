"""Timestamps as stored: UTC ISO-8601 text."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_iso(moment: datetime | None = None) -> str:
    """`moment` (now when omitted) as UTC ISO-8601 text to the second."""
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
