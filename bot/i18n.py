"""Per-user translators over the fa/en catalogs in locales/ (no global state)."""

from __future__ import annotations

import functools
import string
import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

import icu
import jdatetime

from bot.validation import to_persian_digits
from storage.models import Center

T = TypeVar("T")


class LocalisedName(Protocol):
    """A province, county or activity: named in Persian, and in English where one was given."""

    @property
    def name_fa(self) -> str: ...

    @property
    def name_en(self) -> str: ...

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
JALALI_LOCALES = {"fa": "fa_IR", "en": "en_US"}


def flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    """Nested TOML tables → {"section.key": text}."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, str):
            flat[name] = value
        else:
            raise TypeError(f"catalog entry {name} must be text, not {type(value).__name__}")
    return flat


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders a catalog text uses."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def load_catalogs(directory: Path = LOCALES_DIR, dialect: str | None = None) -> dict[str, dict[str, str]]:
    """Every `<lang>.toml` in the folder, flattened; with a `dialect` (a messenger), the phrases
    `<dialect>/<lang>.toml` lists are replaced in that language's texts (Bale calls a bot «بازو»)."""
    catalogs = {
        path.stem: flatten(tomllib.loads(path.read_text(encoding="utf-8")))
        for path in sorted(directory.glob("*.toml"))
    }
    for path in sorted((directory / dialect).glob("*.toml")) if dialect else ():
        words = tomllib.loads(path.read_text(encoding="utf-8"))["replace"]
        catalogs[path.stem] = {key: _replaced(text, words) for key, text in catalogs[path.stem].items()}
    return catalogs


def _replaced(text: str, words: Mapping[str, str]) -> str:
    for phrase in sorted(words, key=len, reverse=True):
        text = text.replace(phrase, words[phrase])
    return text


class Translator:
    """Texts, numbers and dates in one language; create through `I18n.translator`."""

    def __init__(self, language: str, messages: Mapping[str, str], timezone: ZoneInfo):
        self.language = language
        self.timezone = timezone
        self._messages = messages

    def __call__(self, key: str, **values: object) -> str:
        """The text for `key` with placeholders filled (ints get this language's digits)."""
        return self._messages[key].format_map({k: self._value(v) for k, v in values.items()})

    def _value(self, value: object) -> object:
        if isinstance(value, bool):
            return value
        if isinstance(value, jdatetime.date):  # as it would be typed: ۱۳۶۹/۰۲/۲۲
            return self.digits(value.strftime("%Y/%m/%d"))
        if isinstance(value, int | float):
            return self.digits(f"{value:,}" if isinstance(value, int) else f"{value:.1f}")
        return value

    def center(self, center: Center) -> str:
        """A center as people read it: «name (code N)», digits in the language's script."""
        return self("center.label", name=center.name, code=self.digits(center.code))

    def center_contact(self, center: Center) -> str:
        """The lines that say how to reach a center (its address, its phone), each only when
        known; empty when neither is."""
        lines = []
        if center.address:
            lines.append(self("center.address", address=center.address))
        if center.phone:
            lines.append(self("center.phone", phone=self.digits(center.phone)))
        return "".join(f"\n{line}" for line in lines)

    def account(self, key: str) -> str:
        """An account key («bale:1001») as people read it: «کاربر ۱۰۰۱ در بله». Anything else (the
        scheduler) as it is."""
        platform, _, user_id = key.partition(":")
        if not user_id.isdigit() or f"messenger.{platform}" not in self._messages:
            return key
        return self("messenger.account", id=self.digits(user_id), messenger=self(f"messenger.{platform}"))

    def name(self, place: LocalisedName) -> str:
        """A province, county or activity in this language (Persian where no English name was given)."""
        if self.language == "fa" or not place.name_en:
            return place.name_fa
        return place.name_en

    def sorted(self, items: Iterable[T], key: Callable[[T], str]) -> list[T]:
        """`items` in this language's alphabetical order of `key` (ICU's collation for it)."""
        collator = _collator(self.language)
        return sorted(items, key=lambda item: collator.getSortKey(key(item)))

    def digits(self, text: str) -> str:
        """ASCII digits shown in this language's digits (Persian in fa)."""
        if self.language != "fa":
            return text
        return to_persian_digits(text).replace(",", "٬").replace(".", "٫")

    def date(self, value: date | datetime) -> str:
        """A Jalali date (a datetime is first moved to BOT_TZ), e.g. ۱۴ بهمن ۱۴۰۴."""
        if isinstance(value, datetime):
            value = self._local(value).date()
        jalali = jdatetime.date.fromgregorian(date=value, locale=JALALI_LOCALES[self.language])
        return self.digits(jalali.strftime("%d %B %Y").lstrip("0"))

    def day_month(self, value: date) -> str:
        """A Jalali day and month, e.g. ۱۴ بهمن (a chart's day label)."""
        jalali = jdatetime.date.fromgregorian(date=value, locale=JALALI_LOCALES[self.language])
        return self.digits(jalali.strftime("%d %B").lstrip("0"))

    def datetime(self, value: datetime) -> str:
        """A Jalali date and 24-hour time in BOT_TZ, e.g. ۱۴ بهمن ۱۴۰۴، ۰۸:۰۰."""
        local = self._local(value)
        clock = self.digits(local.strftime("%H:%M"))
        return self("format.datetime", date=self.date(local), time=clock)

    def span(self, start: datetime, end: datetime) -> str:
        """From when to when: «۱۴ بهمن ۱۴۰۵، ساعت ۰۸:۰۰ تا ۱۲:۰۰» (the end's date only when it
        falls on another day)."""
        until = (self.digits(self._local(end).strftime("%H:%M"))
                 if self._local(start).date() == self._local(end).date() else self.datetime(end))
        return self("format.span", start=self.datetime(start), end=until)

    def _local(self, value: datetime) -> datetime:
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(self.timezone)


@functools.cache
def _collator(language: str) -> icu.Collator:
    """ICU's collator for a language (built once; ICU knows Persian order, with its letters
    beyond Arabic's)."""
    return icu.Collator.createInstance(icu.Locale(language))


class I18n:
    """All catalogs, loaded once at start; hands out a translator per user language."""

    def __init__(self, catalogs: dict[str, dict[str, str]], default_language: str, timezone: ZoneInfo):
        if default_language not in catalogs:
            raise ValueError(f"no catalog for the default language {default_language!r}")
        self._catalogs = catalogs
        self.default_language = default_language
        self._timezone = timezone

    @classmethod
    def load(cls, default_language: str, timezone: ZoneInfo, directory: Path = LOCALES_DIR,
             dialect: str | None = None) -> I18n:
        """Read the catalogs from locales/ (with a messenger's own words, see load_catalogs)."""
        return cls(load_catalogs(directory, dialect), default_language, timezone)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._catalogs)

    def all_texts(self, key: str) -> set[str]:
        """The text of `key` in every language (a button label typed back in any of them)."""
        return {catalog[key] for catalog in self._catalogs.values()}

    def translator(self, language: str | None) -> Translator:
        """A translator for `language`, or for the default language when unknown or unset."""
        if language not in self._catalogs:
            language = self.default_language
        return Translator(language, self._catalogs[language], self._timezone)
