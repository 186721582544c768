"""The one reader of written whole numbers: Arabic digits (full-width too), Chinese
numerals with their units (十五, 一百二十, 两万), the financial and traditional forms (壹, 貳,
兩, 萬), 廿 and 卅, a leading 零 (零五), and a year written digit by digit (二〇二六).

Money and durations, with their colloquial abbreviations (4万8, 1.2w), ranges and context,
are read by ``coach.figures.money``; this module reads one bare numeral.
"""

from __future__ import annotations

import unicodedata

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
    "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
UNITS: dict[str, int] = {
    "十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000,
    "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8,
}  # fmt: skip
TENS: dict[str, int] = {"廿": 20, "卅": 30}
ZEROS = "零〇"
NUMERAL_CHARS = "".join([*DIGITS, *UNITS, *TENS])
YEAR_LENGTH = 4


def read_integer(text: str) -> int | None:
    """The whole number ``text`` writes, or None when it is not exactly one numeral.

    Two digits side by side (三四, "three or four") are no single number; a run of digits
    without units counts only as a year (二〇二六) or a single digit.
    """
    written = unicodedata.normalize("NFKC", text or "").strip()
    if not written:
        return None
    if written.isascii() and written.isdigit():
        return int(written)
    if len(written) > 1 and written[0] in ZEROS:
        return read_integer(written[1:])
    if all(char in DIGITS for char in written):
        return _digit_by_digit(written)
    return _with_units(written)


def _digit_by_digit(written: str) -> int | None:
    if len(written) not in (1, YEAR_LENGTH):
        return None
    return int("".join(str(DIGITS[char]) for char in written))


def _with_units(written: str) -> int | None:
    total = section = 0
    pending: int | None = None
    smallest_unit = 10**4  # units within a section fall: 一百二十, never 十十 or 十百
    for char in written:
        if char in DIGITS:
            if pending is not None:
                return None
            pending = None if char in ZEROS else DIGITS[char]
        elif char in TENS:
            if pending is not None or section or total:
                return None
            section, smallest_unit = TENS[char], 10
        elif char in UNITS and UNITS[char] >= 10**4:
            total = (total + section + (pending or 0)) * UNITS[char]
            section, pending, smallest_unit = 0, None, 10**4
        elif char in UNITS:
            if UNITS[char] >= smallest_unit:
                return None
            section += (1 if pending is None else pending) * UNITS[char]
            pending, smallest_unit = None, UNITS[char]
        else:
            return None
    return total + section + (pending or 0)
