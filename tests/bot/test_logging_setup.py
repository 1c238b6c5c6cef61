from __future__ import annotations

import logging

from bot.logging_setup import RedactingFormatter, redact


def test_mobiles_and_national_ids_are_masked_but_other_numbers_kept():
    line = "user 123456 gave 09121234567 and +98 912 is fine, id 0499370899, order 1234567890"
    masked = redact(line)
    assert "09121234567" not in masked and "0499370899" not in masked
    assert "[mobile]" in masked and "[national-id]" in masked
    assert "user 123456" in masked
    assert redact("+989121234567") == "[mobile]"


def test_persian_digits_and_typed_separators_are_masked_too():
    line = "text='۰۴۹۹۳۷۰۸۹۹' mobile='۰۹۱۲ ۱۲۳ ۴۵۶۷' card 049-937089-9 arabic ٠٩١٢١٢٣٤٥٦٧ +98 912 123 4567"
    masked = redact(line)
    assert masked == "text='[national-id]' mobile='[mobile]' card [national-id] arabic [mobile] [mobile]"
    assert redact("date ۱۴۰۴/۱۱/۱۴ at ۰۸:۰۰, 2026-11-23 10:15:30") == (
        "date ۱۴۰۴/۱۱/۱۴ at ۰۸:۰۰, 2026-11-23 10:15:30")


def test_tracebacks_are_masked_too():
    try:
        raise ValueError("bad national id 0499370899")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), exc_info=None)
        import sys

        record.exc_info = sys.exc_info()
    formatted = RedactingFormatter("%(message)s").format(record)
    assert "0499370899" not in formatted and "ValueError" in formatted


def test_tokens_and_proxy_passwords_are_masked_at_every_level():
    from bot.config import Settings

    settings = Settings.from_env({"BOT_TOKEN": "123456:AAE-secret_token", "BALE_TOKEN": "654:bale-tok",
                                  "BALE_PROXY": "socks5://u:pr0xy-pass@127.0.0.1:1080"})
    formatter = RedactingFormatter("%(levelname)s %(message)s", settings.secrets)
    for level in (logging.DEBUG, logging.INFO, logging.ERROR):
        record = logging.LogRecord("telegram.ext.ExtBot", level, __file__, 1,
                                   "Set Bot API URL: https://api.telegram.org/bot%s, %s via %s",
                                   ("123456:AAE-secret_token", "654:bale-tok", "pr0xy-pass"), None)
        line = formatter.format(record)
        assert "secret_token" not in line and "bale-tok" not in line and "pr0xy-pass" not in line
        assert line.count("[secret]") == 3
