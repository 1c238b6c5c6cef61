from bot.validation import mobile, national_id
from tests import people


def test_synthetic_numbers_pass_the_real_validators_and_are_distinct():
    ids = [people.national_id(n) for n in (0, 1, 111_111_111, 123_456_789, 999_999_999)]
    assert [national_id(x) for x in ids] == ids
    assert len(set(ids)) == len(ids)
    assert mobile(people.mobile(42)) == "09120000042"
