"""Logging configured once, from main; log lines never carry a national id or a mobile number."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

from bot.validation import Invalid, national_id, normalize_digits

# Matched on a copy with every digit made ASCII (one character each, so positions line up):
# typed text and the bot's own Persian-digit messages show up in DEBUG logs of the API calls.
_SEP = r"[ \-]?"
_MOBILE = re.compile(
    rf"(?<![0-9])(?:\+98|0098|98|0)?{_SEP}9[0-9]{{2}}{_SEP}[0-9]{{3}}{_SEP}[0-9]{{4}}(?![0-9])")
_NATIONAL_ID = re.compile(r"(?<![0-9])(?:[0-9]{10}|[0-9]{3}-[0-9]{6}-[0-9])(?![0-9])")


def _is_national_id(candidate: str) -> bool:
    try:
        national_id(candidate)
    except Invalid:
        return False
    return True


def redact(text: str) -> str:
    """Replace mobile numbers and valid national ids (in any digits, as typed) in a log line."""
    ascii_digits = normalize_digits(text)
    spans = [(m.start(), m.end(), "[mobile]") for m in _MOBILE.finditer(ascii_digits)]
    spans += [(m.start(), m.end(), "[national-id]") for m in _NATIONAL_ID.finditer(ascii_digits)
              if _is_national_id(m.group(0).replace("-", ""))
              and not any(start < m.end() and m.start() < end for start, end, _ in spans)]
    for start, end, mask in sorted(spans, reverse=True):
        text = text[:start] + mask + text[end:]
    return text


# PTB's DEBUG lines that carry what people wrote or were sent (names, birth dates, codes,
# invite links): the message stays, the content is replaced; the numbers say which arguments
# are kept (an endpoint's name). Matched by their exact format (PTB is pinned).
CONTENT_LINES: dict[str, tuple[int, ...]] = {
    "Calling Bot API endpoint `%s` with parameters `%s`": (0,),
    "Call to Bot API endpoint `%s` finished with return value `%s`": (0,),
    "Processing update %s": (),
    "Dropping pending update: %s": (),
    "Webhook received data: %s": (),
    "Error while parsing updates! Received data was %r": (),
}
HIDDEN = "[content not logged]"


class ContentFilter(logging.Filter):
    """Keeps the content of messages and updates out of the log, at every level: a masking
    pattern can only catch the spellings it knows, and names or dates have none."""

    def filter(self, record: logging.LogRecord) -> bool:
        kept = CONTENT_LINES.get(record.msg) if isinstance(record.msg, str) else None
        if kept is not None and isinstance(record.args, tuple):
            record.args = tuple(arg if i in kept else HIDDEN for i, arg in enumerate(record.args))
        return True


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks personal numbers anywhere in the line (tracebacks included)
    and the configured secrets (bot tokens, proxy passwords): PTB logs its API URL, token and
    all, at DEBUG."""

    def __init__(self, fmt: str | None = None, secrets: Iterable[str] = ()):
        super().__init__(fmt)
        # Longest first, so a secret holding another is masked whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        for secret in self._secrets:
            line = line.replace(secret, "[secret]")
        return redact(line)


def configure_logging(level: str = "INFO", file: Path | None = None,
                      secrets: Iterable[str] = ()) -> None:
    """Install one handler (stderr, or `file`) on the root logger, masking `secrets` in every
    line; quiet the HTTP client (its URLs hold tokens)."""
    handler = logging.FileHandler(file, encoding="utf-8") if file else logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s",
                                            secrets))
    handler.addFilter(ContentFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiosqlite logs every statement with its parameters (a national code, a name) at DEBUG.
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
