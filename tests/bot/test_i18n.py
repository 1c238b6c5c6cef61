from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import I18n, load_catalogs, placeholders


def test_every_key_exists_in_every_language_with_the_same_placeholders():
    catalogs = load_catalogs()
    assert set(catalogs) == {"fa", "en"}
    fa, en = catalogs["fa"], catalogs["en"]
    assert sorted(set(fa) ^ set(en)) == []
    mismatched = [key for key in fa if placeholders(fa[key]) != placeholders(en[key])]
    assert mismatched == []


def test_the_parity_check_catches_a_missing_key_and_a_renamed_placeholder(tmp_path):
    (tmp_path / "fa.toml").write_text('a = "سلام {name}"\nb = "x"\n', encoding="utf-8")
    (tmp_path / "en.toml").write_text('a = "Hello {nom}"\n', encoding="utf-8")
    catalogs = load_catalogs(tmp_path)
    assert set(catalogs["fa"]) - set(catalogs["en"]) == {"b"}
    assert placeholders(catalogs["fa"]["a"]) != placeholders(catalogs["en"]["a"])


def test_persian_translator_shows_jalali_dates_with_persian_digits():
    i18n = I18n.load("fa", ZoneInfo("Asia/Tehran"))
    fa, en = i18n.translator("fa"), i18n.translator("en")
    assert fa.date(date(2026, 2, 3)) == "۱۴ بهمن ۱۴۰۴"
    assert en.date(date(2026, 2, 3)) == "14 Bahman 1404"
    # 04:30 UTC is 08:00 in Tehran.
    assert fa.datetime(datetime(2026, 2, 3, 4, 30, tzinfo=UTC)) == "۱۴ بهمن ۱۴۰۴، ساعت ۰۸:۰۰"
    assert fa.digits("12") == "۱۲"


def test_unknown_language_falls_back_to_default_and_users_get_separate_translators():
    i18n = I18n.load("fa", ZoneInfo("Asia/Tehran"))
    assert i18n.translator(None).language == "fa"
    assert i18n.translator("de").language == "fa"
    assert i18n.translator("en")("help.text") != i18n.translator("fa")("help.text")


def test_on_bale_a_bot_is_a_bazoo():
    bale, telegram = load_catalogs(dialect="bale")["fa"], load_catalogs(dialect="telegram")["fa"]
    assert [key for key, text in bale.items() if "ربات" in text] == []
    assert "به بازوی «سلام محله» بهزیستی خوش آمدید" in bale["start.greeting"]
    assert "به ربات «سلام محله» بهزیستی خوش آمدید" in telegram["start.greeting"]
    assert bale["health.title"] == "🩺 وضعیت بازو" and bale.keys() == telegram.keys()


def test_texts_read_as_each_language_writes():
    catalogs = load_catalogs()
    assert [k for k, text in catalogs["en"].items() if "«" in text or "»" in text] == []  # “English”
    assert catalogs["fa"]["day.thu"] == "پنج‌شنبه"  # with a half-space, as «سه‌شنبه»
    buttons = {k: v for k, v in catalogs["en"].items() if k.startswith(("button.", "status."))}
    assert [k for k, v in buttons.items() if v[:1].islower()] == []  # labels start with a capital


def test_accounts_and_echoed_numbers_read_in_persian():
    fa = I18n.load("fa", ZoneInfo("Asia/Tehran")).translator("fa")
    assert fa.account("bale:1001") == "کاربر ۱۰۰۱ در بله" and fa.account("scheduler") == "scheduler"
    import jdatetime

    assert fa("invalid.date.gregorian", jalali=jdatetime.date(1369, 2, 22)).endswith("۱۳۶۹/۰۲/۲۲")
