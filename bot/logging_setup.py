"""Logging configured once, from main; log lines never carry a national id or a mobile number."""

from __future__ import annotations

import logging
import re

from bot.validation import Invalid, national_id

_MOBILE = re.compile(r"(?<![0-9])(?:\+98|0098|98|0)?9[0-9]{9}(?![0-9])")
_TEN_DIGITS = re.compile(r"(?<![0-9])[0-9]{10}(?![0-9])")


def _mask_national_id(match: re.Match[str]) -> str:
    try:
        national_id(match.group(0))
    except Invalid:
        return match.group(0)
    return "[national-id]"


def redact(text: str) -> str:
    """Replace mobile numbers and valid national ids in a log line."""
    return _TEN_DIGITS.sub(_mask_national_id, _MOBILE.sub("[mobile]", text))


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks personal numbers anywhere in the line (tracebacks included)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(level: str = "INFO") -> None:
    """Install one stderr handler on the root logger; quiet the HTTP client (its URLs hold tokens)."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
