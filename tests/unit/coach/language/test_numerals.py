"""The one numeral reader: every form a user or a law text writes a whole number in."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.language.numerals import read_integer


@pytest.mark.parametrize(
    ("written", "value"),
    [
        # times and dates (coach/casefile/when.py)
        ("7", 7),
        ("07", 7),
        ("七", 7),
        ("十", 10),
        ("十七", 17),
        ("二十", 20),
        ("二十三", 23),
        ("廿三", 23),
        ("卅", 30),
        ("两", 2),
        ("零五", 5),
        ("零5", 5),
        ("二〇二六", 2026),
        # call counts (coach/casefile/contact.py) and turns (coach/practice/controls.py)
        ("一百", 100),
        ("十五", 15),
        ("十二", 12),
        ("两百", 200),
        # law articles (tests/support/fact_claims.py)
        ("一百九十六", 196),
        ("一千零三十二", 1032),
        ("一千一百六十一", 1161),
        # full-width, financial and traditional forms
        ("１２", 12),
        ("贰拾", 20),
        ("叁佰", 300),
        ("兩萬", 20000),
        ("十万", 100000),
    ],
)
def test_reads_a_whole_number(written, value):
    assert read_integer(written) == value


@pytest.mark.parametrize(
    "written", ["", " ", "一二", "三四", "十十", "十百", "二廿", "几", "七八个", "abc", "1.5"]
)
def test_anything_but_one_whole_number_is_none(written):
    assert read_integer(written) is None


@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_digits_read_as_themselves(number):
    assert read_integer(str(number)) == number


_DIGITS = "零一二三四五六七八九"


def _spelled(number: int) -> str:
    """A plain reference spelling of 1-9999 (一千零三十二), written independently."""
    parts, zero = [], False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit_value % 10
        if digit:
            if zero:
                parts.append("零")
            parts.append(_DIGITS[digit] + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


@given(st.integers(min_value=1, max_value=9999))
def test_reads_back_what_is_spelled_in_chinese(number):
    assert read_integer(_spelled(number)) == number
