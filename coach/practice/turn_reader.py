"""Reads one user turn of the practice round: which negotiation moves it makes.

The text is normalised as the NLU normalises it (``coach.language.normalise``: traditional
characters, full-width, slang and typos), then segmented by the project's jieba pipeline
(``coach.language.segmenter``); word lists from ``content/roleplay.yml`` are matched with
spaCy's PhraseMatcher, single-token regular expressions and number shapes with its Matcher.
Amounts and terms are read with ``coach.figures.money``. Clauses (split at punctuation) scope
negation: 我不同意 is no acceptance, 每月3000我还不起 is no offer.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from coach.content import load_content
from coach.figures.money import parse_amount, parse_months
from coach.language.normalise import normalise
from coach.language.segmenter import blank_zh

CueIndex = dict[str, set[int]]


@dataclass(frozen=True)
class TurnReading:
    """What one user turn did. Amounts are yuan per month, terms are months."""

    introduced_self: bool = False
    acknowledged_debt: bool = False
    offered_monthly: float | None = None
    offered_term: float | None = None
    gave_reason: bool = False
    asked_waiver: bool = False
    insulted_or_shouted: bool = False
    asked_identity: bool = False
    verified_amount: bool = False
    asserted_rights: bool = False
    asked_written: bool = False
    agreed_to_demand: bool = False
    pay_in_full: bool = False
    vague_promise: bool = False
    accepted_offer: bool = False
    silent: bool = False

    @property
    def concrete_offer(self) -> bool:
        return self.offered_monthly is not None or self.offered_term is not None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "TurnReading":
        known = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


FLAG_NAMES: frozenset[str] = frozenset(
    field.name for field in fields(TurnReading) if field.type is bool
)


def read_turn(text: str) -> TurnReading:
    """Read one user line of the practice round."""
    written = _prepare(text or "")
    if _is_silent(written):
        return TurnReading(silent=True)
    shouting = _shouting(written)  # capitals and !!! are gone once the text is normalised
    text = normalise(written)
    nlp = blank_zh()
    doc = nlp.make_doc(text)
    clauses = _clauses(doc)
    cues = _cue_index(doc, nlp)
    flags = _flags(doc, nlp, clauses, cues) | shouting | _short_affirmation(text)
    numbers = _number_spans(doc, nlp)
    monthly = _offered_monthly(numbers, clauses, cues)
    term = _offered_term(numbers, clauses, cues)
    in_full = _pay_in_full(clauses, cues, flags, bool(numbers))
    if in_full:
        flags |= {"pay_in_full", "agreed_to_demand"}
    return TurnReading(offered_monthly=monthly, offered_term=term, **_as_bools(flags))


# --- text -------------------------------------------------------------------------


def _reader() -> dict[str, Any]:
    reader: dict[str, Any] = load_content("roleplay")["reader"]
    return reader


def _prepare(text: str) -> str:
    """NFKC (full-width to ASCII), no surrogates, no thousands commas, capped."""
    text = "".join(char for char in text if not 0xD800 <= ord(char) <= 0xDFFF)
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    return text.strip()[: _reader()["max_chars"]]


def _strip_punctuation(text: str) -> str:
    return "".join(
        char for char in text if not char.isspace() and unicodedata.category(char)[0] not in "PS"
    )


def _is_silent(text: str) -> bool:
    bare = _strip_punctuation(text)
    return not bare or bare in _reader()["silent_fillers"]


def _short_affirmation(text: str) -> set[str]:
    bare = _strip_punctuation(text).lower()
    return {"accepted_offer"} if bare in _reader()["short_affirmations"] else set()


def _shouting(text: str) -> set[str]:
    limits = _reader()["shouting"]
    letters = [char for char in text if char.isascii() and char.isalpha()]
    caps = len(letters) >= limits["caps_letters"] and all(c.isupper() for c in letters)
    bangs = text.count("!") >= limits["exclamations"]
    return {"insulted_or_shouted"} if caps or bangs else set()


def _clauses(doc: Doc) -> list[Span]:
    """The doc cut at punctuation; break tokens belong to no clause."""
    breaks = set(_reader()["numbers"]["clause_breaks"])
    clauses, start = [], 0
    for token in doc:
        if token.text in breaks or _strip_punctuation(token.text) == "":
            if token.i > start:
                clauses.append(doc[start : token.i])
            start = token.i + 1
    if start < len(doc):
        clauses.append(doc[start:])
    return clauses


def _clause_of(clauses: list[Span], index: int) -> Span | None:
    return next((c for c in clauses if c.start <= index < c.end), None)


def _has_cue(cues: CueIndex, name: str, start: int, end: int) -> bool:
    return any(start <= index < end for index in cues.get(name, ()))


# --- matchers ---------------------------------------------------------------------


# Matchers are built once per pipeline object (tests may swap the pipeline).


def _phrase_matcher(nlp: Language, section: str) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for name, phrases in _reader()[section].items():
        matcher.add(name, [nlp.make_doc(str(phrase).lower()) for phrase in phrases])
    return matcher


def _token_matcher(nlp: Language, section: str) -> Matcher:
    matcher = Matcher(nlp.vocab)
    for name, regexes in _reader()[section].items():
        matcher.add(name, [[{"LOWER": {"REGEX": regex}}] for regex in regexes])
    return matcher


@lru_cache(maxsize=4)
def _flag_matchers(nlp: Language) -> tuple[PhraseMatcher, Matcher]:
    token_matcher = _token_matcher(nlp, "flag_tokens")
    not_a_name = list(_reader()["not_a_name"])
    name_like = {"REGEX": r"^[\u4e00-\u9fff]{2,3}$", "NOT_IN": not_a_name}
    token_matcher.add("introduced_self", [[{"TEXT": "我"}, {"TEXT": "是"}, {"TEXT": name_like}]])
    return _phrase_matcher(nlp, "flags"), token_matcher


@lru_cache(maxsize=4)
def _cue_matchers(nlp: Language) -> tuple[PhraseMatcher, Matcher]:
    return _phrase_matcher(nlp, "cues"), _token_matcher(nlp, "cue_tokens")


@lru_cache(maxsize=4)
def _number_matcher(nlp: Language) -> Matcher:
    spec = _reader()["numbers"]
    numeral = {"TEXT": {"REGEX": spec["numeral"]}, "OP": "+"}
    with_unit = {"LOWER": {"REGEX": spec["numeral_with_unit"]}}
    magnitude = {"LOWER": {"IN": spec["magnitude_units"]}, "OP": "?"}
    currency = {"TEXT": {"IN": spec["currency_units"]}, "OP": "?"}
    term_unit = {"TEXT": {"IN": spec["term_units"]}}
    matcher = Matcher(nlp.vocab)
    matcher.add(
        "AMOUNT",
        [[numeral, magnitude, currency], [with_unit, currency]],
        greedy="LONGEST",
    )
    matcher.add(
        "TERM",
        [
            [numeral, term_unit],
            [numeral, {"TEXT": "个"}, {"TEXT": "月"}],
            [{"TEXT": {"REGEX": spec["term_word"]}}],
        ],
        greedy="LONGEST",
    )
    return matcher


def _matches(doc: Doc, matchers: tuple[Any, ...]) -> list[tuple[str, int, int]]:
    strings = doc.vocab.strings
    return [
        (strings[match_id], start, end)
        for matcher in matchers
        for match_id, start, end in matcher(doc)
    ]


def _cue_index(doc: Doc, nlp: Language) -> CueIndex:
    """Cue name -> indices of the tokens it covers. Tokens of a yes-no question
    (能不能, 可不可以) are no negation."""
    index: CueIndex = {}
    for name, start, end in _matches(doc, _cue_matchers(nlp)):
        index.setdefault(name, set()).update(range(start, end))
    index["negation"] = index.get("negation", set()) - index.get("question_form", set())
    return index


# --- flags ------------------------------------------------------------------------


def _negated(cues: CueIndex, clauses: list[Span], start: int) -> bool:
    """A negation in the few tokens before ``start``, within its clause."""
    clause = _clause_of(clauses, start)
    window_start = max(clause.start if clause else 0, start - _reader()["negation_window"])
    return _has_cue(cues, "negation", window_start, start)


def _flags(doc: Doc, nlp: Language, clauses: list[Span], cues: CueIndex) -> set[str]:
    negatable = set(_reader()["negatable"])
    found = set()
    for name, start, _end in _matches(doc, _flag_matchers(nlp)):
        if name in negatable and _negated(cues, clauses, start):
            continue
        found.add(name)
    return found


def _as_bools(flags: set[str]) -> dict[str, bool]:
    return {name: True for name in flags if name in FLAG_NAMES}


def _clause_negated(cues: CueIndex, clause: Span) -> bool:
    return _has_cue(cues, "negation", clause.start, clause.end)


def _pay_in_full(clauses: list[Span], cues: CueIndex, flags: set[str], has_numbers: bool) -> bool:
    """Commits to paying everything at once: 好我今天全还, 我答应你全部还."""
    if has_numbers or "vague_promise" in flags:
        return False
    full = any(
        _has_cue(cues, "full_payment", c.start, c.end) and not _clause_negated(cues, c)
        for c in clauses
    )
    return full and bool(cues.get("commitment"))


# --- offers -----------------------------------------------------------------------


def _number_spans(doc: Doc, nlp: Language) -> list[Span]:
    spans = [
        Span(doc, start, end, label=label)
        for label, start, end in _matches(doc, (_number_matcher(nlp),))
    ]
    return sorted(filter_spans(spans), key=lambda span: span.start)


def _months(span: Span) -> float | None:
    text = span.text
    if text.endswith("期"):
        return parse_months(text[:-1] + "个月") or parse_amount(text[:-1])
    return parse_months(text)


def _is_term(span: Span, clauses: list[Span], cues: CueIndex) -> bool:
    """A repayment term, not an overdue time (逾期3个月) nor a delay (3个月后)."""
    clause = _clause_of(clauses, span.start)
    if clause is None or _clause_negated(cues, clause):
        return False
    overdue = _has_cue(cues, "overdue", clause.start, span.start)
    delay = span.end in cues.get("delay", set())
    return not (overdue or delay or _has_cue(cues, "monthly_marker", span.start, span.end))


def _offered_term(spans: list[Span], clauses: list[Span], cues: CueIndex) -> float | None:
    spec = _reader()["numbers"]
    terms = [
        _months(span) for span in spans if span.label_ == "TERM" and _is_term(span, clauses, cues)
    ]
    valid = [m for m in terms if m and spec["min_term_months"] <= m <= spec["max_term_months"]]
    return valid[-1] if valid else None


def _is_offer_clause(clause: Span, cues: CueIndex) -> bool:
    blockers = ("negation", "reject", "not_an_offer")
    return not any(_has_cue(cues, name, clause.start, clause.end) for name in blockers)


def _amount_candidates(
    spans: list[Span], clauses: list[Span], cues: CueIndex
) -> list[tuple[float, bool]]:
    """(yuan, tied to a monthly marker in its clause) for every usable amount."""
    minimum = _reader()["numbers"]["min_monthly"]
    found = []
    for span in spans:
        clause = _clause_of(clauses, span.start)
        value = parse_amount(span.text) if span.label_ == "AMOUNT" else None
        if clause is None or value is None or value < minimum:
            continue
        if not _is_offer_clause(clause, cues):
            continue
        marked = _has_cue(cues, "monthly_marker", clause.start, clause.end)
        found.append((value, marked))
    return found


def _offered_monthly(spans: list[Span], clauses: list[Span], cues: CueIndex) -> float | None:
    """The amount tied to 每月/每个月/一个月/月供: in a marked clause, or the only
    remaining amount of a turn that names a monthly payment elsewhere."""
    candidates = _amount_candidates(spans, clauses, cues)
    marked = [value for value, is_marked in candidates if is_marked]
    if marked:
        return marked[-1]
    if candidates and cues.get("monthly_marker"):
        return candidates[-1][0]
    return None
