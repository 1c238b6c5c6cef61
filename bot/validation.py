"""Iranian input rules: digit/letter normalisation, کد ملی, mobile numbers, names, Jalali dates.

Every checker returns the normalised value or raises `Invalid` whose `reason` is an i18n key, so the
caller can tell the user why in their own language.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import jdatetime

# Invisible format characters a phone or a copy-paste slips in (direction marks and embeddings,
# isolates, zero-width space and joiner, BOM): gone before any check. ZWNJ (U+200C) is spelling.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789") | _INVISIBLE
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ـ": None})
# Short vowels, tanwin, shadda and sukun written over letters (مُحَمَّد is stored as محمد); the
# madda and hamza marks stay (they compose into آ and ۀ).
_DIACRITICS = dict.fromkeys([*range(0x064B, 0x0653), *range(0x0656, 0x0660), 0x0670])
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_TO_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

_MOBILE = re.compile(r"^(?:\+98|0098|98|0)?(9[0-9]{9})$")
_MOBILE_NOISE = re.compile(r"[\s\-()\[\]]")
_DATE = re.compile(r"^([0-9]{4})\s*[/\-.٫]\s*([0-9]{1,2})\s*[/\-.٫]\s*([0-9]{1,2})$")
_NAME_ALLOWED_MARKS = {" ", "\u200c", "-", "'", "."}

NAME_MIN, NAME_MAX = 3, 60
NAME_WORD_MIN = 2  # letters in each of the first and the last name
AGE_MIN, AGE_MAX, ADULT_AGE = 12, 100, 18
# A year from here on is a Gregorian one (the Jalali calendar reaches 1700 in about 2321).
GREGORIAN_FROM = 1700


DISPLAY_NAME_MAX = 40
_KEPT_FORMAT = {"\u200c"}  # ZWNJ: part of how Persian names are spelled


def display_name(raw: str | None, limit: int = DISPLAY_NAME_MAX) -> str:
    """A messenger profile name as shown to others: no control, bidi or invisible format
    characters, no line breaks (one person, one line: a name cannot spoof a line of an alert),
    at most `limit` characters."""
    kept = "".join(
        " " if unicodedata.category(ch) in ("Zl", "Zp") or ch in "\r\n\t"
        else ch for ch in (raw or "")
        if ch in _KEPT_FORMAT or ch in "\r\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs"))
    name = " ".join(kept.split())
    if len(name) > limit:
        name = name[:limit - 1].rstrip() + "…"
    return name or "—"


class Invalid(ValueError):
    """An answer that breaks a rule; `reason` is the i18n key that explains it."""

    def __init__(self, reason: str, **details: object):
        super().__init__(reason)
        self.reason = reason
        self.details = details


REJECTION_NOTE_MIN, REJECTION_NOTE_MAX = 5, 200


def rejection_note(raw: str | None) -> str:
    """A reason a coordinator typed for a rejection, as the volunteer and other coordinators will
    read it: one clean line (see display_name), long enough to explain something."""
    note = display_name(raw, REJECTION_NOTE_MAX)
    if len(note.replace(" ", "")) < REJECTION_NOTE_MIN:
        raise Invalid("invalid.reason_too_short")
    return note


def normalize_digits(text: str) -> str:
    """Persian (۰–۹) and Arabic-Indic (٠–٩) digits become ASCII; invisible format characters go."""
    return text.translate(_DIGITS)


def normalize_text(text: str) -> str:
    """Digits to ASCII, Arabic ي/ى/ك to Persian, tatweel and invisible marks removed (ZWNJ kept)."""
    return unicodedata.normalize("NFC", normalize_digits(text).translate(_LETTERS)).strip()


def to_persian_digits(text: str) -> str:
    """ASCII digits become Persian digits, for display in Persian."""
    return text.translate(_TO_PERSIAN_DIGITS)


def national_id(raw: str) -> str:
    """A valid 10-digit کد ملی (8–9 digits are left-padded), or Invalid."""
    value = re.sub(r"[\s\-]", "", normalize_digits(raw))
    if not re.fullmatch(r"[0-9]{8,10}", value):
        raise Invalid("invalid.national_id.format")
    value = value.zfill(10)
    if len(set(value)) == 1:
        raise Invalid("invalid.national_id.repeated")
    digits = [int(ch) for ch in value]
    remainder = sum(d * (10 - i) for i, d in enumerate(digits[:9])) % 11
    expected = remainder if remainder < 2 else 11 - remainder
    if digits[9] != expected:
        raise Invalid("invalid.national_id.checksum")
    return value


def mobile(raw: str) -> str:
    """An Iranian mobile number in any accepted format, stored as 09XXXXXXXXX, or Invalid."""
    value = _MOBILE_NOISE.sub("", normalize_digits(raw))
    match = _MOBILE.fullmatch(value)
    if not match:
        raise Invalid("invalid.mobile")
    return "0" + match.group(1)


def full_name(raw: str) -> str:
    """A first and a last name (each of real length) in Persian or Latin letters, with spaces,
    ZWNJ, hyphens or apostrophes (a phone's curly one too); stored without short-vowel marks."""
    text = normalize_text(raw).translate(_DIACRITICS).translate(_APOSTROPHES)
    value = re.sub(r"\s+", " ", text.replace("\u200c ", " ").replace(" \u200c", " ")).strip("\u200c ")
    if not NAME_MIN <= len(value) <= NAME_MAX:
        raise Invalid("invalid.name.length", min=NAME_MIN, max=NAME_MAX)
    if not all(ch.isalpha() or ch in _NAME_ALLOWED_MARKS for ch in value):
        raise Invalid("invalid.name.letters")
    if sum(ch.isalpha() for ch in value) < NAME_WORD_MIN:
        raise Invalid("invalid.name.letters")
    words = [sum(ch.isalpha() for ch in word) for word in value.split(" ")]
    if len(words) < 2 or sum(n >= NAME_WORD_MIN for n in words) < 2:
        raise Invalid("invalid.name.first_and_last")
    return value


def jalali_date(raw: str) -> jdatetime.date:
    """A Jalali date like ۱۳۷۵/۰۶/۲۱ (separators / - . ٫, either digit set), or Invalid."""
    match = _DATE.fullmatch(normalize_digits(raw).strip())
    if not match:
        raise Invalid("invalid.date.format")
    year, month, day = (int(part) for part in match.groups())
    if year >= GREGORIAN_FROM:
        try:
            same_day = jdatetime.date.fromgregorian(date=date(year, month, day))
        except ValueError:
            raise Invalid("invalid.date.gregorian_unknown") from None
        raise Invalid("invalid.date.gregorian", jalali=same_day)
    try:
        return jdatetime.date(year, month, day)
    except ValueError as exc:
        raise Invalid("invalid.date.nonexistent") from exc


def age_on(birth: date, today: date) -> int:
    """Whole years between a (Gregorian) birth date and today."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def birth_date(raw: str, today: date) -> tuple[date, bool]:
    """A Jalali birth date giving an age of 12–100 → (Gregorian date, is_minor), or Invalid."""
    born = jalali_date(raw).togregorian()
    if born > today:
        raise Invalid("invalid.birth_date.future")
    age = age_on(born, today)
    if not AGE_MIN <= age <= AGE_MAX:
        raise Invalid("invalid.birth_date.age", min=AGE_MIN, max=AGE_MAX)
    return born, age < ADULT_AGE
