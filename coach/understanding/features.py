"""Placeholders for the intent classifier: a lender's name, an amount, a duration, a date
or a phone number becomes one ASCII word, so that a clear question about 借呗 and 3万
looks like the training line about 微粒贷 and 5000.

The readers are the project's own: lender and bank names from ``content/lenders.yml``
(``coach/debts/lexicon.py``), amounts and durations from ``coach/figures/money.py``.
Kinds of debt (信用卡, 网贷) and everyday words that are also bank names (建设) stay as
they are: they say what the question is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coach.debts.lexicon import lender_lexicon
from coach.figures.money import AMOUNT, find_numbers

LENDER = "zzlender"
AMOUNT_WORD = "zzamount"
DURATION_WORD = "zzduration"
DATE = "zzdate"
PHONE = "zzphone"

_PHONE = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-\d{7,8}|95\d{3,4}|400-?\d{3}-?\d{4})(?!\d)"
)
_DATE = re.compile(
    r"(?<!\d)(?:(?:19|20)\d{2}[年./-])?\d{1,2}[月./-]\d{1,2}(?:[日号])?(?!\d)"
    r"|(?<!\d)(?:19|20)\d{2}年(?:\d{1,2}月)?"
)

Span = tuple[int, int, str]


def with_placeholders(text: str) -> str:
    """``text`` with each lender name, amount, duration, date and phone number replaced by
    its placeholder word, spaced so that any tokenizer keeps it whole."""
    pieces, position = [], 0
    for start, end, word in _spans(text):
        pieces += [text[position:start], f" {word} "]
        position = end
    pieces.append(text[position:])
    return re.sub(r" {2,}", " ", "".join(pieces)).strip()


def _spans(text: str) -> list[Span]:
    """Non-overlapping spans in order; earlier readers win (a phone number is no amount)."""
    chosen: list[Span] = []
    for span in _candidates(text):
        if all(span[1] <= start or end <= span[0] for start, end, _ in chosen):
            chosen.append(span)
    return sorted(chosen)


def _candidates(text: str) -> Iterator[Span]:
    yield from ((m.start(), m.end(), PHONE) for m in _PHONE.finditer(text))
    yield from ((m.start(), m.end(), DATE) for m in _DATE.finditer(text))
    yield from _lenders(text)
    for number in find_numbers(text):
        word = AMOUNT_WORD if number.kind == AMOUNT else DURATION_WORD
        yield number.start, number.end, word


def _lenders(text: str) -> Iterator[Span]:
    lexicon = lender_lexicon()
    for match in lexicon.pattern.finditer(text):
        name = match.group("name")
        if name:
            if not lexicon.names[name].generic:
                yield match.start("name"), match.end("name"), LENDER
            continue
        bank, said_suffix = match.group("bank"), match.group("suffix")
        if bank in lexicon.everyday and not (said_suffix or match.group("product")):
            continue
        yield match.start("bank"), match.end("suffix" if said_suffix else "bank"), LENDER
