"""The words the debts reader knows, loaded from content/lenders.yml and
content/debt_intake.yml: lender names, cue words, rates (see coach/debts/intake.py)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from coach.content import load_content
from coach.figures.money import (
    CN_DIGIT_VALUES,
    UNIT_VALUES,
)

_ARABIC_NUMBER = r"\d+(?:\.\d+)?"


# --- Content -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LexiconEntry:
    """A lender of the lexicon as one name found it."""

    canonical: str
    lender_type: str
    secured: bool = False
    generic: bool = False  # a kind of debt (信用卡, 网贷, 朋友), not one lender
    alone: bool = True  # names a debt without an amount beside it
    explicit: bool = True  # the type was said (卡, 贷款), not assumed for a bank
    heading: bool = True  # as a count heading (三张信用卡) it gives later debts its type


@dataclass(frozen=True)
class Lexicon:
    pattern: re.Pattern[str]
    names: dict[str, LexiconEntry]
    banks: dict[str, str]
    products: dict[str, tuple[str, bool]]
    everyday: frozenset[str]
    possessive: str
    refers_to: dict[str, tuple[str, ...]]
    type_names: dict[str, str]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _words(data: dict[str, Any], key: str) -> list[str]:
    return [str(word) for word in data[key]]


@cache
def lender_lexicon() -> Lexicon:
    data = load_content("lenders")
    banks = {str(a): str(bank) for bank, names in data["banks"].items() for a in names}
    products = {
        str(word): (str(spec["type"]), bool(spec.get("secured", False)))
        for word, spec in data["products"].items()
    }
    names = {
        str(name): LexiconEntry(
            canonical=str(canonical),
            lender_type=str(spec["type"]),
            secured=bool(spec.get("secured", False)),
            generic=bool(spec.get("generic", False)),
            alone=not spec.get("generic", False),
            heading=bool(spec.get("heading", True)),
        )
        for canonical, spec in data["lenders"].items()
        for name in spec["names"]
    }
    card = [word for word in products if len(word) == 1]
    product_words = _alternation(word for word in products if word not in card)
    bare_card = _alternation(card) + f"(?![{re.escape(str(data['card_not_before']))}])"
    pattern = re.compile(
        f"(?P<name>{_alternation(names)})"
        f"|(?P<bank>{_alternation(banks)})(?P<suffix>{re.escape(str(data['bank_suffix']))})?"
        f"(?:(?P<de>{re.escape(str(data['possessive']))})?(?P<product>{product_words}|{bare_card}))?"
    )
    refers = {str(k): tuple(str(t) for t in v) for k, v in data["generic_refers_to"].items()}
    return Lexicon(
        pattern=pattern,
        names=names,
        banks=banks,
        products=products,
        everyday=frozenset(_words(data, "everyday_words")),
        possessive=str(data["possessive"]),
        refers_to=refers,
        type_names={str(k): str(v) for k, v in data["type_names"].items()},
    )


@dataclass(frozen=True)
class _Cues:
    """The word lists of content/debt_intake.yml, as regular expressions."""

    data: dict[str, Any]
    amount_cue: re.Pattern[str]
    amount_cue_kinds: dict[str, str]
    per_month: re.Pattern[str]
    per_month_after: re.Pattern[str]
    negated_amount: re.Pattern[str]
    identifier: re.Pattern[str]
    approximate_before: re.Pattern[str]
    approximate_after: re.Pattern[str]
    counted: re.Pattern[str]
    card_counted: re.Pattern[str]
    lender_negated: re.Pattern[str]
    dropped: re.Pattern[str]
    dropped_blockers: re.Pattern[str]
    remove: re.Pattern[str]
    add_strong: re.Pattern[str]
    ordinal: re.Pattern[str]
    judgment: re.Pattern[str]
    judgment_sure: re.Pattern[str]
    judgment_threat: re.Pattern[str]
    secured: re.Pattern[str]
    all_words: re.Pattern[str]
    joiners: re.Pattern[str]
    rate: re.Pattern[str]
    rate_kinds: dict[str, str]


# The cue words before an amount, by what they make it (content/debt_intake.yml).
_AMOUNT_ROLES = (
    "owed",
    "not_owed",
    "required",
    "due",
    "affordable",
    "total",
    "correction",
    "refine",
    "each",
)


def _any(data: dict[str, Any], key: str) -> str:
    return _alternation(_words(data, key))


@cache
def cue_words() -> _Cues:
    data = load_content("debt_intake")
    kinds = {word: role for role in _AMOUNT_ROLES for word in _words(data, role)}
    digits = "".join(CN_DIGIT_VALUES) + str(data["count_digits"])
    count = rf"(?P<count>\d+|[{digits}]+)\s?"
    rate, rate_kinds = _rate_pattern(data)
    return _Cues(
        data=data,
        amount_cue=re.compile(_alternation(kinds)),
        amount_cue_kinds=kinds,
        per_month=re.compile(_any(data, "per_month")),
        per_month_after=re.compile(rf"\s?(?:{_any(data, 'per_month_after')})"),
        negated_amount=re.compile(rf"(?:{_any(data, 'negated_amount')})\D{{0,3}}$"),
        identifier=re.compile(
            rf"(?:{_any(data, 'id_words')})(?:{_any(data, 'id_joiners')}|[:：\s])*$"
        ),
        approximate_before=re.compile(rf"(?:{_any(data, 'approximate_before')})\s?$"),
        approximate_after=re.compile(rf"\s?(?:{_any(data, 'approximate_after')})"),
        counted=re.compile(rf"{count}(?:{_any(data, 'counters')})\s?$"),
        card_counted=re.compile(rf"{count}(?:{_any(data, 'card_counters')})"),
        lender_negated=re.compile(
            rf"(?:{_any(data, 'lender_negation')})(?:{_any(data, 'lender_negation_fillers')})*$"
        ),
        dropped=re.compile(_any(data, "lender_dropped")),
        dropped_blockers=re.compile(_any(data, "dropped_negation")),
        remove=re.compile(_any(data, "remove")),
        add_strong=re.compile(_any(data, "add_strong")),
        ordinal=re.compile(
            rf"{re.escape(str(data['ordinal_prefix']))}(?P<n>\d+|[{digits}]+)"
            rf"(?:{_any(data, 'ordinal_counters')})|(?P<last>{_any(data, 'ordinal_last')})"
        ),
        judgment=re.compile(_any(data, "judgment")),
        judgment_sure=re.compile(_any(data, "judgment_sure")),
        judgment_threat=re.compile(_any(data, "judgment_threat")),
        secured=re.compile(_any(data, "secured")),
        all_words=re.compile(_any(data, "all")),
        joiners=re.compile(_any(data, "joiners")),
        rate=rate,
        rate_kinds=rate_kinds,
    )


def _rate_pattern(data: dict[str, Any]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for 月息1.5%, 年化18%, 日息万五, 月息2分, 3分利 …; kinds by cue word."""
    kinds = {str(word): kind for kind, words in data["rates"].items() for word in words}
    words = {key: re.escape(str(word)) for key, word in data["rate_words"].items()}
    digit = f"[{''.join(CN_DIGIT_VALUES)}]"
    numerals = "".join(CN_DIGIT_VALUES) + "".join(u for u in UNIT_VALUES if UNIT_VALUES[u] < 1000)
    number = rf"(?:{_ARABIC_NUMBER}|[{numerals}{words['decimal_point']}]+)"
    value = (
        rf"(?P<pct>{_ARABIC_NUMBER})\s?%"
        rf"|{words['percent']}(?P<pct_cn>{number})"
        rf"|{words['per_ten_thousand']}(?P<ptt>{number})"
        rf"|{words['per_thousand']}(?P<pt>{number})"
        rf"|{words['ten_thousandth']}(?P<wan>{digit}|\d)(?!\d)"
        rf"|{words['thousandth']}(?P<qian>{digit}|\d)(?!\d)"
        rf"|(?P<fen>{number}){words['fen']}(?P<fen_tenth>{digit}|\d)?"
        rf"|(?P<li>{number}){words['li']}"
    )
    fillers = rf"(?:{_any(data, 'rate_fillers')}|[:：\s])*"
    pattern = (
        rf"(?P<cue>{_alternation(kinds)}){fillers}(?:{value})"
        rf"|(?P<fen_alone>{number}){words['fen_interest']}"
    )
    return re.compile(pattern), kinds
