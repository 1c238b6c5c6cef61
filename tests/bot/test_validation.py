from __future__ import annotations

from datetime import date

import jdatetime
import pytest

from bot import validation as v


def test_digits_and_letters_are_normalised():
    assert v.normalize_digits("۰۹۱۲٣٤٥") == "0912345"
    assert v.normalize_text("علي كريمي\u200f") == "علی کریمی"
    assert v.normalize_text("محمـــد") == "محمد"
    assert v.normalize_text("می\u200cخواهم") == "می\u200cخواهم"  # ZWNJ kept for display


@pytest.mark.parametrize("raw", ["0499370899", "۰۴۹۹۳۷۰۸۹۹", "0013542419", "1234567891", "499370899"])
def test_valid_national_ids(raw):
    assert len(v.national_id(raw)) == 10


@pytest.mark.parametrize(("raw", "reason"), [
    ("0499370898", "invalid.national_id.checksum"),
    ("1111111111", "invalid.national_id.repeated"),
    ("0000000000", "invalid.national_id.repeated"),
    ("12345", "invalid.national_id.format"),
    ("12345678901", "invalid.national_id.format"),
    ("04993708a9", "invalid.national_id.format"),
    ("٤٩٩٣٧٠٨٩٩x", "invalid.national_id.format"),
])
def test_invalid_national_ids(raw, reason):
    with pytest.raises(v.Invalid) as caught:
        v.national_id(raw)
    assert caught.value.reason == reason


def test_eight_and_nine_digit_ids_are_left_padded():
    assert v.national_id("499370899") == "0499370899"


@pytest.mark.parametrize("raw", ["09121234567", "+989121234567", "00989121234567", "989121234567",
                                 "9121234567", "۰۹۱۲ ۱۲۳ ۴۵۶۷", "0912-123-4567", "(0912) 123 4567"])
def test_mobile_formats_are_stored_alike(raw):
    assert v.mobile(raw) == "09121234567"


@pytest.mark.parametrize("raw", ["0812345678", "091212345678", "02112345678", "phone", "+18005551234"])
def test_bad_mobiles(raw):
    with pytest.raises(v.Invalid):
        v.mobile(raw)


def test_names():
    assert v.full_name("  مريم   احمدي ") == "مریم احمدی"
    assert v.full_name("Sara O'Neil-Smith") == "Sara O'Neil-Smith"
    assert v.full_name("Sara O’Neil") == "Sara O'Neil"  # a phone's curly apostrophe
    assert v.full_name("مُحَمَّد رضایی") == "محمد رضایی"  # stored without short-vowel marks
    assert v.full_name("آمنه عبدالله\u200cزاده") == "آمنه عبدالله\u200cزاده"  # madda and ZWNJ stay
    for bad, reason in [("ab", "invalid.name.length"), ("x" * 61, "invalid.name.length"),
                        ("علی۱۲۳", "invalid.name.letters"), ("😀😀😀", "invalid.name.letters"),
                        ("...", "invalid.name.letters"), ("مریم", "invalid.name.first_and_last"),
                        ("م ا", "invalid.name.first_and_last"), ("مریم ا", "invalid.name.first_and_last"),
                        ("Maryam", "invalid.name.first_and_last")]:
        with pytest.raises(v.Invalid) as caught:
            v.full_name(bad)
        assert caught.value.reason == reason


@pytest.mark.parametrize("raw", ["۱۳۷۵/۰۶/۲۱", "1375-6-21", "1375.06.21", "۱۳۷۵٫۰۶٫۲۱", "١٣٧٥/٠٦/٢١"])
def test_jalali_dates_in_any_separator_and_digit_set(raw):
    assert v.jalali_date(raw) == jdatetime.date(1375, 6, 21)


def test_1404_is_not_a_leap_year_but_1403_is():
    assert v.jalali_date("1403/12/30") == jdatetime.date(1403, 12, 30)
    with pytest.raises(v.Invalid) as caught:
        v.jalali_date("1404/12/30")
    assert caught.value.reason == "invalid.date.nonexistent"


def test_birth_date_age_window_and_minor_flag():
    today = date(2026, 11, 22)
    born, minor = v.birth_date("1375/06/21", today)
    assert born == date(1996, 9, 11) and not minor
    assert v.birth_date("1392/01/01", today)[1] is True  # 13 years old
    for raw in ("1395/01/01", "1300/01/01", "1410/01/01"):
        with pytest.raises(v.Invalid):
            v.birth_date(raw, today)


INVISIBLE = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
             "\u2068", "\u2069", "\ufeff", "\u200b", "\u200d"]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_invisible_format_characters_never_fail_a_valid_answer(mark):
    assert v.national_id(f"{mark}0499370899{mark}") == "0499370899"
    assert v.mobile(f"{mark}0912 123{mark} 4567") == "09121234567"
    assert v.jalali_date(f"{mark}۱۳۷۵/{mark}۰۶/۲۱") == jdatetime.date(1375, 6, 21)
    assert v.full_name(f"{mark}مریم {mark}احمدی{mark}") == "مریم احمدی"


@pytest.mark.parametrize(("raw", "same_day"), [("1990/05/12", jdatetime.date(1369, 2, 22)),
                                               ("2026/12/20", jdatetime.date(1405, 9, 29))])
def test_a_gregorian_date_is_recognised_and_its_shamsi_day_offered(raw, same_day):
    with pytest.raises(v.Invalid) as caught:
        v.jalali_date(raw)
    assert caught.value.reason == "invalid.date.gregorian" and caught.value.details == {"jalali": same_day}
    with pytest.raises(v.Invalid) as caught:
        v.birth_date(raw, date(2026, 11, 22))
    assert caught.value.reason == "invalid.date.gregorian"
