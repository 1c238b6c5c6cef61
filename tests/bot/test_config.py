from __future__ import annotations

import pytest

from bot.config import BALE, TELEGRAM, ConfigError, Settings


def test_defaults_follow_the_design_table():
    settings = Settings.from_env({})
    assert settings.platforms == ()
    assert str(settings.db_path) == "data/salam.sqlite3"
    assert settings.default_language == "fa"
    assert settings.timezone.key == "Asia/Tehran"
    assert settings.broadcast_rates == {TELEGRAM: 25.0, BALE: 15.0}
    assert settings.admins == frozenset()
    assert settings.draft_retention_days == 30
    assert (settings.flood_limit.limit, settings.flood_limit.window) == (30, 10.0)
    assert settings.offer_hours == 12


@pytest.mark.parametrize("raw", ["0", "169", "12h", "-1", "۱۲"])
def test_offer_hours_outside_a_week_or_not_a_number_are_refused(raw):
    with pytest.raises(ConfigError, match="OFFER_HOURS"):
        Settings.from_env({"OFFER_HOURS": raw})


def test_both_tokens_give_both_platforms_with_their_urls():
    settings = Settings.from_env({
        "BOT_TOKEN": "1:a", "BALE_TOKEN": "2:b",
        "BOT_API_BASE_URL": "http://127.0.0.1:8081/bot",
    })
    telegram, bale = settings.platforms
    assert (telegram.name, telegram.base_url) == (TELEGRAM, "http://127.0.0.1:8081/bot")
    assert telegram.base_file_url == "https://api.telegram.org/file/bot"
    assert (bale.name, bale.base_url, bale.base_file_url) == (
        BALE, "https://tapi.bale.ai/bot", "https://tapi.bale.ai/file/bot")
    assert bale.broadcast_rate == 15.0


def test_admins_accept_platform_prefixes():
    settings = Settings.from_env({"BOT_ADMINS": "123, bale:456 ,telegram:789"})
    assert settings.is_admin(TELEGRAM, 123)
    assert settings.is_admin(BALE, 456)
    assert settings.is_admin(TELEGRAM, 789)
    assert not settings.is_admin(BALE, 123)


@pytest.mark.parametrize(("env", "message"), [
    ({"BOT_ADMINS": "abc"}, "BOT_ADMINS must be comma-separated numeric user ids"),
    ({"BOT_ADMINS": "viber:12"}, "BOT_ADMINS must be comma-separated numeric user ids"),
    ({"BOT_LANG": "de"}, "BOT_LANG must be one of fa, en"),
    ({"BOT_TZ": "Mars/Olympus"}, "BOT_TZ must be an IANA time zone"),
    ({"BROADCAST_RATE": "fast"}, "BROADCAST_RATE must be messages per second above 0"),
    ({"BROADCAST_RATE": "0"}, "BROADCAST_RATE must be messages per second above 0"),
    ({"BROADCAST_RATE": "bale:20000"}, "at most 10000"),
    ({"BOT_TOKEN": "not a token"}, "BOT_TOKEN does not look like a bot token"),
    ({"BOT_TOKEN": "1:a", "BOT_API_BASE_URL": "127.0.0.1/bot"}, "BOT_API_BASE_URL must be an http(s) URL"),
    ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL must be"),
    ({"FLOOD_LIMIT": "fast"}, "FLOOD_LIMIT must be updates/seconds per user"),
    ({"FLOOD_LIMIT": "0/10"}, "FLOOD_LIMIT must be updates/seconds per user"),
    ({"DRAFT_RETENTION_DAYS": "0"}, "DRAFT_RETENTION_DAYS must be a whole number of days"),
    ({"DRAFT_RETENTION_DAYS": "a month"}, "DRAFT_RETENTION_DAYS must be a whole number of days"),
])
def test_bad_values_are_refused_with_the_variable_named(env, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings.from_env(env)


def test_broadcast_rate_per_platform():
    rates = Settings.from_env({"BROADCAST_RATE": "telegram:30,bale:10"}).broadcast_rates
    assert rates == {TELEGRAM: 30.0, BALE: 10.0}
    assert Settings.from_env({"BROADCAST_RATE": "20"}).broadcast_rates == {TELEGRAM: 20.0, BALE: 20.0}


def test_each_messenger_gets_its_own_proxy_with_credentials():
    settings = Settings.from_env({
        "BOT_TOKEN": "1:a", "BALE_TOKEN": "2:b",
        "TELEGRAM_PROXY": "socks5://user:p%40ss@10.0.0.5:1080", "BALE_PROXY": "http://proxy.local:3128",
    })
    telegram, bale = settings.platforms
    assert (telegram.proxy.scheme, telegram.proxy.host, telegram.proxy.port) == ("socks5", "10.0.0.5", 1080)
    assert (telegram.proxy.username, telegram.proxy.password) == ("user", "p@ss")
    assert str(bale.proxy) == "http://proxy.local:3128" and bale.proxy.username is None
    assert "p@ss" not in repr(telegram.proxy) and "p@ss" not in str(telegram.proxy)


@pytest.mark.parametrize("raw", [
    "socks4://host:1080", "proxy.local:3128", "socks5://:1080", "http://host", "http://host:port",
    "socks5://user:secret@host:1080/path", "ftp://user:secret@host:21",
    "socks5://user:%D8%B1%D9%85secret@host:1080", "socks5://user:رمزsecret@host:1080",
    "socks5://secret@host:1080", "http://secret:@host:3128",
])
def test_a_bad_proxy_is_refused_naming_the_variable_and_never_its_password(raw):
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"BALE_TOKEN": "2:b", "BALE_PROXY": raw})
    assert str(refused.value).startswith("BALE_PROXY must look like")
    assert "secret" not in str(refused.value)


def test_a_bad_proxy_is_refused_even_before_its_token_is_set():
    with pytest.raises(ConfigError, match="TELEGRAM_PROXY"):
        Settings.from_env({"TELEGRAM_PROXY": "nonsense"})


@pytest.mark.parametrize(("env", "variable"), [
    ({"BOT_TOKEN": "123:abc def"}, "BOT_TOKEN"),
    ({"BALE_TOKEN": "123:abc", "BALE_API_BASE_URL": "tapi.bale.ai/bot"}, "BALE_API_BASE_URL"),
    ({"BALE_TOKEN": "123:abc", "BALE_API_BASE_URL": "tapi.bale.ai/bot1234:abcdefgh"}, "BALE_API_BASE_URL"),
    ({"BOT_TOKEN": "123:abc", "BOT_API_BASE_URL": "https://api.telegram.org/bot1234:abcdefgh/"},
     "BOT_API_BASE_URL"),
    ({"BOT_TOKEN": "123:abc", "BOT_API_FILE_URL": "127.0.0.1:8081/file/bot"}, "BOT_API_FILE_URL"),
])
def test_bad_start_values_are_refused_naming_the_variable(env, variable):
    with pytest.raises(ConfigError) as refused:
        Settings.from_env(env)
    assert str(refused.value).startswith(variable)
    assert "abc" not in str(refused.value) and "abcdefgh" not in str(refused.value)


def test_flood_limit_can_be_set_or_turned_off():
    limit = Settings.from_env({"FLOOD_LIMIT": "12 / 2.5"}).flood_limit
    assert (limit.limit, limit.window, limit.enabled) == (12, 2.5, True)
    assert not Settings.from_env({"FLOOD_LIMIT": "off"}).flood_limit.enabled
