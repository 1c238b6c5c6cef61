"""Settings read from the environment (and `.env`), exactly as the design's configuration table says."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.flood import FloodLimit

TELEGRAM = "telegram"
BALE = "bale"
PLATFORMS = (TELEGRAM, BALE)
LANGUAGES = ("fa", "en")

DEFAULT_BASE_URLS = {
    TELEGRAM: ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
    BALE: ("https://tapi.bale.ai/bot", "https://tapi.bale.ai/file/bot"),
}
DEFAULT_BROADCAST_RATES = {TELEGRAM: 25.0, BALE: 15.0}
# A person taps and types far slower than this; a script or a stuck client does not.
DEFAULT_FLOOD_LIMIT = FloodLimit(30, 10.0)
DEFAULT_DRAFT_RETENTION_DAYS = 30  # an unfinished sign-up (it may hold a national code) is deleted after
# A place freed for the waitlist is held this long for the first waiting volunteer (never past
# the event's start): half a day reaches someone who reads messages once a day.
DEFAULT_OFFER_HOURS = 12
MAX_BROADCAST_RATE = 10_000  # far above any messenger's limit: the benchmark's "limits off"


class ConfigError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class ProxyAddress:
    """A proxy in front of one messenger's API (the password never appears in its repr)."""

    scheme: str  # http | https | socks5
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        """For messages: scheme, host and port, never the credentials."""
        return f"{self.scheme}://{self.host}:{self.port}"


@dataclass(frozen=True)
class PlatformSettings:
    """Where and how to reach one messenger's Bot API."""

    name: str
    token: str
    base_url: str
    base_file_url: str
    broadcast_rate: float
    proxy: ProxyAddress | None = None
    token_variable: str = ""  # the variable the token came from, for messages that name it


@dataclass(frozen=True)
class Settings:
    """The whole configuration contract; build it with `Settings.from_env`."""

    platforms: tuple[PlatformSettings, ...]
    db_path: Path
    admins: frozenset[tuple[str, int]]
    default_language: str
    timezone: ZoneInfo
    broadcast_rates: Mapping[str, float] = field(default_factory=dict)
    log_level: str = "INFO"
    draft_retention_days: int = DEFAULT_DRAFT_RETENTION_DAYS
    flood_limit: FloodLimit = DEFAULT_FLOOD_LIMIT
    offer_hours: int = DEFAULT_OFFER_HOURS  # how long a place freed for the waitlist is held

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and validate every variable; raises ConfigError naming the bad one."""
        env = os.environ if env is None else env

        def get(name: str) -> str:
            return (env.get(name) or "").strip()

        rates = parse_broadcast_rate(get("BROADCAST_RATE"))
        platforms = []
        for platform, token_var, url_var, file_var, proxy_var in (
            (TELEGRAM, "BOT_TOKEN", "BOT_API_BASE_URL", "BOT_API_FILE_URL", "TELEGRAM_PROXY"),
            (BALE, "BALE_TOKEN", "BALE_API_BASE_URL", "BALE_API_FILE_URL", "BALE_PROXY"),
        ):
            proxy = parse_proxy(proxy_var, get(proxy_var))  # refused even when the token is unset
            token = get(token_var)
            if not token:
                continue
            if any(ch.isspace() for ch in token) or ":" not in token:
                raise ConfigError(f"{token_var} does not look like a bot token (expected 123456:ABC…)")
            base, file_base = DEFAULT_BASE_URLS[platform]
            platforms.append(
                PlatformSettings(
                    name=platform,
                    token=token,
                    base_url=_url(url_var, get(url_var) or base),
                    base_file_url=_url(file_var, get(file_var) or file_base),
                    broadcast_rate=rates[platform],
                    proxy=proxy,
                    token_variable=token_var,
                )
            )

        language = get("BOT_LANG") or "fa"
        if language not in LANGUAGES:
            raise ConfigError(f"BOT_LANG must be one of {', '.join(LANGUAGES)} (got {language!r})")

        tz_name = get("BOT_TZ") or "Asia/Tehran"
        try:
            timezone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"BOT_TZ must be an IANA time zone such as Asia/Tehran (got {tz_name!r})"
            ) from exc

        log_level = (get("LOG_LEVEL") or "INFO").upper()
        if not isinstance(logging.getLevelName(log_level), int):
            raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR (got {log_level!r})")

        retention = get("DRAFT_RETENTION_DAYS") or str(DEFAULT_DRAFT_RETENTION_DAYS)
        if not retention.isascii() or not retention.isdigit() or not 1 <= int(retention) <= 3650:
            raise ConfigError(f"DRAFT_RETENTION_DAYS must be a whole number of days from 1 to 3650 "
                              f"(got {retention!r})")

        flood_limit = parse_flood_limit(get("FLOOD_LIMIT"))

        offer_hours = get("OFFER_HOURS") or str(DEFAULT_OFFER_HOURS)
        if not offer_hours.isascii() or not offer_hours.isdigit() or not 1 <= int(offer_hours) <= 168:
            raise ConfigError(f"OFFER_HOURS must be a whole number of hours from 1 to 168 "
                              f"(got {offer_hours!r})")

        return cls(
            platforms=tuple(platforms),
            db_path=Path(get("BOT_DB") or "data/salam.sqlite3"),
            admins=parse_admins(get("BOT_ADMINS")),
            default_language=language,
            timezone=timezone,
            broadcast_rates=rates,
            log_level=log_level,
            draft_retention_days=int(retention),
            flood_limit=flood_limit,
            offer_hours=int(offer_hours),
        )

    @property
    def secrets(self) -> tuple[str, ...]:
        """What must never be printed: each bot token and each proxy password."""
        values = [p.token for p in self.platforms]
        values += [p.proxy.password for p in self.platforms if p.proxy and p.proxy.password]
        return tuple(values)

    def is_admin(self, platform: str, user_id: int) -> bool:
        """Whether BOT_ADMINS names this user on this platform."""
        return (platform, user_id) in self.admins

    def platform(self, name: str) -> PlatformSettings | None:
        """The settings of one platform, or None when its token is not set."""
        return next((p for p in self.platforms if p.name == name), None)


def parse_admins(raw: str) -> frozenset[tuple[str, int]]:
    """`123,bale:456` → {(telegram, 123), (bale, 456)}; an id without a prefix is a Telegram id."""
    admins: set[tuple[str, int]] = set()
    for item in filter(None, (part.strip() for part in raw.split(","))):
        platform, _, user_id = item.rpartition(":")
        platform = platform.lower() or TELEGRAM
        if platform not in PLATFORMS or not user_id.isascii() or not user_id.isdigit():
            raise ConfigError(
                "BOT_ADMINS must be comma-separated numeric user ids, "
                f"optionally prefixed with telegram: or bale: (got {item!r})"
            )
        admins.add((platform, int(user_id)))
    return frozenset(admins)


def parse_broadcast_rate(raw: str) -> dict[str, float]:
    """`20` sets both platforms; `telegram:25,bale:10` sets each; empty keeps the defaults."""
    rates = dict(DEFAULT_BROADCAST_RATES)
    for item in filter(None, (part.strip() for part in raw.split(","))):
        platform, _, value = item.rpartition(":")
        targets = [platform.lower()] if platform else list(PLATFORMS)
        try:
            rate = float(value)
        except ValueError:
            rate = -1.0
        if any(t not in PLATFORMS for t in targets) or not 0 < rate <= MAX_BROADCAST_RATE:
            raise ConfigError(
                f"BROADCAST_RATE must be messages per second above 0 and at most {MAX_BROADCAST_RATE}, "
                f"e.g. 20 or telegram:25,bale:15 (got {item!r})"
            )
        for target in targets:
            rates[target] = rate
    return rates


def parse_flood_limit(raw: str) -> FloodLimit:
    """`30/10`: at most 30 updates of one user in 10 seconds; `off` (or `0`) turns it off."""
    if not raw:
        return DEFAULT_FLOOD_LIMIT
    if raw.lower() in ("off", "0"):
        return FloodLimit(0, 1.0)
    match = re.fullmatch(r"([0-9]{1,5})\s*/\s*([0-9]{1,4}(?:\.[0-9]+)?)", raw)
    if match is None or int(match[1]) < 1 or float(match[2]) <= 0:
        raise ConfigError(f"FLOOD_LIMIT must be updates/seconds per user, e.g. 30/10, or off "
                          f"(got {raw!r})")
    return FloodLimit(int(match[1]), float(match[2]))


PROXY_SCHEMES = ("http", "https", "socks5")


def parse_proxy(name: str, raw: str) -> ProxyAddress | None:
    """`socks5://user:pass@host:1080`, `http://host:3128` or `https://…`; empty: no proxy."""
    if not raw:
        return None
    example = f"{name} must look like socks5://user:password@host:1080 or http://host:3128"
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ConfigError(f"{example} (its port is not a number)") from None
    if parts.scheme.lower() not in PROXY_SCHEMES:
        shown = parts.scheme or "none"
        raise ConfigError(f"{example}: the scheme must be http, https or socks5 (got {shown!r})")
    if not parts.hostname or port is None:
        raise ConfigError(f"{example}: it needs a host and a port")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError(f"{example}: nothing may follow the port")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    if bool(username) != bool(password):
        raise ConfigError(f"{example}: give both a user name and a password, or neither")
    if not (username or "").isascii() or not (password or "").isascii():
        # Proxies authenticate in ASCII (SOCKS5 and HTTP Basic alike); the value is not shown.
        raise ConfigError(f"{example}: the user name and password must be ASCII "
                          "(letters, digits and symbols; percent-encode @ : /)")
    return ProxyAddress(parts.scheme.lower(), parts.hostname, port, username, password)


# What a bot token looks like, so a value pasted with one in it is never printed whole.
_TOKEN_SHAPED = re.compile(r"[0-9]{3,}:[A-Za-z0-9_-]{6,}")


def _url(name: str, value: str) -> str:
    if not value.startswith(("http://", "https://")):
        shown = _TOKEN_SHAPED.sub("<token>", value)
        raise ConfigError(f"{name} must be an http(s) URL such as http://127.0.0.1:8081/bot (got {shown!r})")
    if _TOKEN_SHAPED.search(value):
        raise ConfigError(f"{name} must not hold the token: give the base alone, e.g. "
                          "https://tapi.bale.ai/bot (the token is appended to it)")
    return value
