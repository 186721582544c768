"""A user's message as a reviewer may see it: no figure, number, contact or name in it.

Every run of digits (phone, ID and bank-card numbers with their spaces or dashes, amounts,
dates), every amount or duration in Chinese numerals (coach/figures/money.py finds them),
e-mail addresses and letter-digit handles, capitalised Latin words and name-like tokens
(after 我叫 / 我姓 …, a surname before 经理 / 律师 …, 小王, 老李; content/review.yml) become
``#``. It masks more than it must: a reviewer needs the wording, not the person.
"""

from __future__ import annotations

import re
from functools import cache

from coach.content import load_content
from coach.figures.money import find_numbers
from coach.figures.money import normalise as ascii_digits

MASK = "#"
_DIGITS = re.compile(r"\d(?:[\d\s\-.,/:]*\d)?[Xx]?")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_HANDLE = re.compile(r"[A-Za-z_][\w-]*\d[\w-]*|\b[A-Z][a-z]+\b", re.ASCII)
_HAN = "\u4e00-\u9fff"
_MASKS = re.compile(r"#+")


@cache
def _name_patterns() -> tuple[re.Pattern[str], ...]:
    review = load_content("review")
    surnames = "[" + str(review["surnames"]) + "]"

    def words(key: str) -> str:
        return "|".join(sorted(map(re.escape, review[key]), key=len, reverse=True))

    return (
        re.compile(f"(?:{words('name_introducers')})(?P<name>[{_HAN}]{{1,3}})"),
        re.compile(f"(?:{words('surname_introducers')})(?P<name>{surnames})"),
        re.compile(f"(?:{words('maybe_name_introducers')})(?P<name>{surnames}[{_HAN}]{{0,2}})"),
        re.compile(f"(?P<name>{surnames})(?:{words('name_titles')})"),
        re.compile(f"[小老](?P<name>{surnames})"),
    )


def _masked_spans(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = [MASK] * (end - start)
    return "".join(chars)


def mask(text: str) -> str:
    """``text`` with every number, figure, contact and name-like token replaced by ``#``."""
    plain = ascii_digits(text)  # one character for one: spans stay valid
    spans = [(match.start, match.end) for match in find_numbers(plain)]
    for pattern in (_EMAIL, _HANDLE, _DIGITS):
        spans += [match.span() for match in pattern.finditer(plain)]
    for pattern in _name_patterns():
        spans += [match.span("name") for match in pattern.finditer(plain)]
    return _MASKS.sub(MASK, _masked_spans(plain, spans))
