"""Reads one user turn of the practice round: which negotiation moves it makes.

The text is normalised as the NLU normalises it (``coach.language.normalise``: traditional
characters, full-width, slang and typos), then segmented by the project's jieba pipeline
(``coach.language.segmenter``) and cut into clauses at punctuation and at spaces between
words. Word lists from ``content/roleplay.yml`` are matched with spaCy's PhraseMatcher,
single-token regular expressions and number shapes with its Matcher, and clause-level
patterns (insults jieba cuts in two, refusals, conditions) as regular expressions on each
clause's text. Amounts and terms are read with ``coach.figures.money``.

Clauses scope what is read:

- negation: 我不同意 is no acceptance, 每月3000我还不起 is no offer, and a refusal after the
  object (今天全部还清做不到) negates its clause like one before it; a clause that only
  refuses (今天全还，做不到) negates the clause before it;
- commitment: paying in full needs the commitment and its object in one clause that is
  neither negated, a question nor a condition (好我今天全还; not 我会还的，但今天全还做不到);
- credit: the moves a learner earns credit for count only inside a real sentence, never
  from a bare keyword in a list of keywords (see ``credited`` in roleplay.yml).
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import cache, lru_cache
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from coach.content import load_content
from coach.figures.money import parse_amount, parse_months
from coach.language.normalise import clean, normalise
from coach.language.segmenter import blank_zh

CueIndex = dict[str, set[int]]


@dataclass(frozen=True)
class TurnReading:
    """What one user turn did. Amounts are yuan (per month where monthly), terms months.

    Fields after ``silent`` were added later; readings stored without them load with their
    defaults. ``quote`` is the learner's own words (for the debrief) and takes no part in
    comparing readings: two lines that mean the same read the same.
    """

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
    refused_demand: bool = False  # says no to the demand, a figure or the collector's plan
    conditional_offer: bool = False  # a trade: 停息的话我可以每月…
    threatened: bool = False  # a needless threat: 我就不还了, 你等着
    offered_lump_sum: float | None = None  # one payment now, with its amount
    quote: str = field(default="", compare=False)

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
TEXT_NAMES: frozenset[str] = frozenset(
    field.name for field in fields(TurnReading) if field.type is str
)


def read_turn(text: str) -> TurnReading:
    """Read one user line of the practice round."""
    quote = _quote(text or "")
    written = _prepare(text or "")
    if _is_silent(written):
        return TurnReading(silent=True, quote=quote)
    shouting = _shouting(written)  # capitals and !!! are gone once the text is normalised
    text = normalise(_drop_quote_marks(written))
    nlp = blank_zh()
    parse = _parse(nlp.make_doc(text), nlp)
    flags = _flags(parse, nlp) | shouting | _short_affirmation(text)
    numbers = _number_spans(parse.doc, nlp)
    offers = _Offers(
        monthly=_offered_monthly(numbers, parse),
        term=_offered_term(numbers, parse),
        lump_sum=_offered_lump_sum(numbers, parse),
    )
    flags |= _clause_moves(parse, offers, bool(numbers))
    return TurnReading(
        offered_monthly=offers.monthly,
        offered_term=offers.term,
        offered_lump_sum=offers.lump_sum,
        quote=quote,
        **_as_bools(flags),
    )


def found(reading: TurnReading) -> list[str]:
    """The names of what a reading found: its flags, then its figures, in field order."""
    return [
        item.name
        for item in fields(TurnReading)
        if item.name not in TEXT_NAMES and getattr(reading, item.name) not in (None, False)
    ]


def substantive(reading: TurnReading) -> bool:
    """Whether a turn says something: not 喂, 嗯, ? or a greeting alone."""
    if reading.silent:
        return False
    if [name for name in found(reading) if name != "silent"]:
        return True
    return len(_strip_punctuation(reading.quote)) >= int(_reader()["substantive_chars"])


# --- text -------------------------------------------------------------------------


def _reader() -> dict[str, Any]:
    reader: dict[str, Any] = load_content("roleplay")["reader"]
    return reader


def _quote(text: str) -> str:
    """The learner's words as written, cleaned and cut to a quotable length."""
    limit = int(_reader()["max_quote_chars"])
    words = " ".join(clean(text).split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _prepare(text: str) -> str:
    """NFKC (full-width to ASCII), no surrogates, no thousands commas, capped."""
    text = "".join(char for char in text if not 0xD800 <= ord(char) <= 0xDFFF)
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    return text.strip()[: _reader()["max_chars"]]


def _drop_quote_marks(text: str) -> str:
    marks = set(_reader()["quote_marks"])
    return "".join(char for char in text if char not in marks)


def _strip_punctuation(text: str) -> str:
    return "".join(
        char for char in text if not char.isspace() and unicodedata.category(char)[0] not in "PS"
    )


def _is_silent(text: str) -> bool:
    bare = _strip_punctuation(text)
    fillers = set(_reader()["filler_chars"])
    return not bare or bare in _reader()["silent_fillers"] or set(bare) <= fillers


def _short_affirmation(text: str) -> set[str]:
    bare = _strip_punctuation(text).lower()
    return {"accepted_offer"} if bare in _reader()["short_affirmations"] else set()


def _shouting(text: str) -> set[str]:
    limits = _reader()["shouting"]
    letters = [char for char in text if char.isascii() and char.isalpha()]
    caps = len(letters) >= limits["caps_letters"] and all(c.isupper() for c in letters)
    bangs = text.count("!") >= limits["exclamations"]
    return {"insulted_or_shouted"} if caps or bangs else set()


@cache
def _pattern(name: str) -> re.Pattern[str]:
    """One of the reader's clause patterns; a list of alternatives becomes one."""
    spec = _reader()["patterns"][name]
    alternatives = [spec] if isinstance(spec, str) else list(spec)
    return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives))


def _says(name: str, text: str) -> bool:
    return _pattern(name).search(text) is not None


# --- clauses ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Clause:
    """One clause and what holds for all of it."""

    span: Span
    text: str  # without spaces
    negated: bool
    question: bool
    condition: bool
    marked: bool  # has a sentence marker (a pronoun, a modal, a particle…)

    @property
    def start(self) -> int:
        return int(self.span.start)

    @property
    def end(self) -> int:
        return int(self.span.end)


@dataclass(frozen=True)
class _Parse:
    doc: Doc
    clauses: tuple[_Clause, ...]
    cues: CueIndex


def _breaks_after(doc: Doc, index: int) -> bool:
    """A space between two words ends a clause; a space next to a number does not."""
    token = doc[index]
    if not token.whitespace_ or index + 1 >= len(doc):
        return False
    return not (token.like_num or doc[index + 1].like_num or token.is_ascii)


def _clause_spans(doc: Doc) -> list[Span]:
    """The doc cut at punctuation and at spaces; break tokens belong to no clause."""
    breaks = set(_reader()["numbers"]["clause_breaks"])
    spans, start = [], 0
    for token in doc:
        if token.text in breaks or _strip_punctuation(token.text) == "":
            if token.i > start:
                spans.append(doc[start : token.i])
            start = token.i + 1
        elif _breaks_after(doc, token.i):
            spans.append(doc[start : token.i + 1])
            start = token.i + 1
    if start < len(doc):
        spans.append(doc[start:])
    return [part for span in spans for part in _run_on_parts(span)]


def _run_on_parts(span: Span) -> list[Span]:
    """A long clause typed without punctuation, cut before each new subject or connective
    (我…, 因为…, 能不能…) that follows a few words: 我是张伟我知道欠了钱 -> 我是张伟 | 我知道欠了钱."""
    spec = _reader()["run_on"]
    if len(span) <= spec["max_tokens"]:
        return [span]
    starter = re.compile(spec["starts"])
    parts, start = [], span.start
    for token in span[1:]:
        if token.i - start >= spec["min_tokens"] and starter.search(token.text):
            parts.append(span.doc[start : token.i])
            start = token.i
    parts.append(span.doc[start : span.end])
    return parts


def _ends_with_question_mark(doc: Doc, span: Span) -> bool:
    return span.end < len(doc) and doc[span.end].text == "?"  # NFKC made ？ a ?


def _clause(doc: Doc, span: Span, cues: CueIndex) -> _Clause:
    text = "".join(token.text for token in span)
    negated = bool(_negations(span, text, cues)) or _says("post_negation", text)
    return _Clause(
        span=span,
        text=text,
        negated=negated,
        question=_ends_with_question_mark(doc, span) or _says("question", text),
        condition=_says("condition", text),
        marked=_says("sentence_marker", text),
    )


def _negations(span: Span, text: str, cues: CueIndex) -> set[int]:
    """The clause's negation tokens, less those of a yes-no question (能不能, 可不可以),
    found on the text since jieba may cut them apart (能|不能)."""
    asking: set[int] = set()
    for match in _pattern("question_form").finditer(text):
        asking |= _tokens_of_chars(span, match.start(), match.end())
    return {i for i in cues.get("negation", set()) if span.start <= i < span.end} - asking


def _refuses_the_one_before(clauses: list[_Clause]) -> list[_Clause]:
    """A clause that only refuses (做不到) negates the clause before it."""
    bare = [_pattern("bare_refusal").search(clause.text) is not None for clause in clauses]
    return [
        _with_negation(clause) if index + 1 < len(clauses) and bare[index + 1] else clause
        for index, clause in enumerate(clauses)
    ]


def _with_negation(clause: _Clause) -> _Clause:
    return _Clause(clause.span, clause.text, True, clause.question, clause.condition, clause.marked)


def _parse(doc: Doc, nlp: Language) -> _Parse:
    cues = _cue_index(doc, nlp)
    clauses = [_clause(doc, span, cues) for span in _clause_spans(doc)]
    return _Parse(doc=doc, clauses=tuple(_refuses_the_one_before(clauses)), cues=cues)


def _clause_at(parse: _Parse, index: int) -> _Clause | None:
    return next((c for c in parse.clauses if c.start <= index < c.end), None)


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


def _matches(doc: Doc, matchers: Iterable[Any]) -> list[tuple[str, int, int]]:
    strings = doc.vocab.strings
    return [
        (strings[match_id], start, end)
        for matcher in matchers
        for match_id, start, end in matcher(doc)
    ]


def _cue_index(doc: Doc, nlp: Language) -> CueIndex:
    """Cue name -> indices of the tokens it covers."""
    index: CueIndex = {}
    for name, start, end in _matches(doc, _cue_matchers(nlp)):
        index.setdefault(name, set()).update(range(start, end))
    return index


# --- flags ------------------------------------------------------------------------


def _negated_before(parse: _Parse, start: int) -> bool:
    """A negation in the few tokens before ``start``, within its clause."""
    clause = _clause_at(parse, start)
    if clause is None:
        return False
    window_start = max(clause.start, start - _reader()["negation_window"])
    negations = _negations(clause.span, clause.text, parse.cues)
    return any(window_start <= index < start for index in negations)


def _insult_tokens(parse: _Parse) -> set[int]:
    """Tokens inside an insult: no other move is read from them (你有病 is no reason)."""
    covered: set[int] = set()
    for clause in parse.clauses:
        for match in _pattern("insult").finditer(clause.text):
            covered |= _tokens_of_chars(clause.span, match.start(), match.end())
    return covered


def _tokens_of_chars(span: Span, start: int, end: int) -> set[int]:
    """Indices of the span's tokens that overlap characters [start, end) of its text
    (the tokens' texts joined without spaces)."""
    covered: set[int] = set()
    offset = 0
    for token in span:
        if offset < end and offset + len(token.text) > start:
            covered.add(token.i)
        offset += len(token.text)
    return covered


def _flag_matches(parse: _Parse, nlp: Language) -> list[tuple[str, int, int]]:
    """Word-list matches that stand: not negated, not inside an insult."""
    negatable = set(_reader()["negatable"])
    insults = _insult_tokens(parse)
    kept = []
    for name, start, end in _matches(parse.doc, _flag_matchers(nlp)):
        if name in negatable and _negated_before(parse, start):
            continue
        if name != "insulted_or_shouted" and insults & set(range(start, end)):
            continue
        kept.append((name, start, end))
    return kept


def _flags(parse: _Parse, nlp: Language) -> set[str]:
    """Flags from the word lists; credited ones only from real sentences."""
    matches = _flag_matches(parse, nlp) + _pair_matches(parse)
    credited = set(_reader()["credited"])
    real = _real_sentences(parse, matches, credited)
    found = set()
    for name, start, _end in matches:
        clause = _clause_at(parse, start)
        if name in credited and (clause is None or clause.start not in real):
            continue
        found.add(name)
    if _insult_tokens(parse):
        found.add("insulted_or_shouted")
    return found


PAIRS = {
    "waiver_pair": "asked_waiver",
    "verify_pair": "verified_amount",
    "written_pair": "asked_written",
}


def _pair_matches(parse: _Parse) -> list[tuple[str, int, int]]:
    """Moves read from a verb with its object in one clause: 免罚息, 本金多少."""
    return [
        (flag, clause.start, clause.end)
        for clause in parse.clauses
        for pattern, flag in PAIRS.items()
        if _says(pattern, clause.text) and not (flag == "asked_written" and clause.negated)
    ]


def _real_sentences(
    parse: _Parse, matches: Sequence[tuple[str, int, int]], credited: set[str]
) -> set[int]:
    """Starts of the clauses whose credited cues count.

    A clause counts unless it is a keyword salad (cues of many moves, little else) or a
    bare keyword without a sentence marker in a turn that lists several such keywords.
    """
    by_clause: dict[int, list[tuple[str, int, int]]] = {}
    for name, start, end in matches:
        clause = _clause_at(parse, start)
        if name in credited and clause is not None:
            by_clause.setdefault(clause.start, []).append((name, start, end))
    clauses = {clause.start: clause for clause in parse.clauses}
    bare = [start for start in by_clause if not clauses[start].marked]
    listing = len(bare) >= _reader()["keyword_list_clauses"]
    return {
        start
        for start, found in by_clause.items()
        if not _salad(clauses[start], found) and not (listing and start in bare)
    }


def _salad(clause: _Clause, matches: Sequence[tuple[str, int, int]]) -> bool:
    names = {name for name, _start, _end in matches}
    covered = {index for _name, start, end in matches for index in range(start, end)}
    share = len(covered & set(range(clause.start, clause.end))) / max(1, len(clause.span))
    spec = _reader()
    return len(names) >= int(spec["salad_flags"]) and share >= float(spec["salad_share"])


def _as_bools(flags: set[str]) -> dict[str, bool]:
    return {name: True for name in flags if name in FLAG_NAMES}


# --- moves read clause by clause ----------------------------------------------------


@dataclass(frozen=True)
class _Offers:
    monthly: float | None
    term: float | None
    lump_sum: float | None

    @property
    def any(self) -> bool:
        return self.monthly is not None or self.term is not None or self.lump_sum is not None


def _clause_moves(parse: _Parse, offers: _Offers, has_numbers: bool) -> set[str]:
    moves = set()
    if _pay_in_full(parse, has_numbers):
        moves |= {"pay_in_full", "agreed_to_demand"}
    if any(_says("refusal", clause.text) for clause in parse.clauses) or _refuses_in_full(parse):
        moves.add("refused_demand")
    if any(_says("threat", clause.text) for clause in parse.clauses):
        moves.add("threatened")
    if _conditional_offer(parse, offers):
        moves.add("conditional_offer")
    return moves


def _states(clause: _Clause) -> bool:
    """A plain statement: not negated, not a question, not a condition."""
    return not (clause.negated or clause.question or clause.condition)


def _affirms(clause: _Clause) -> bool:
    return clause.text.lower() in _reader()["short_affirmations"]


def _pay_in_full(parse: _Parse, has_numbers: bool) -> bool:
    """Commits to paying everything at once: 好我今天全还, 好吧，全部还清.

    The commitment and its object stand in one clause (or the clause just before only says
    yes), which is neither negated, a question nor a condition; a turn that names an amount
    or instalments is about a plan, not one payment of everything.
    """
    full_text = "".join(clause.text for clause in parse.clauses)
    if has_numbers or _says("instalment", full_text):
        return False
    clauses = parse.clauses
    for index, clause in enumerate(clauses):
        if not (_says("full_payment", clause.text) and _states(clause)):
            continue
        committed = _says("commitment", clause.text)
        after_yes = index > 0 and _affirms(clauses[index - 1])
        if committed or after_yes:
            return True
    return False


def _refuses_in_full(parse: _Parse) -> bool:
    """我没法全部还清: a negated clause about paying everything."""
    return any(c.negated and _says("full_payment", c.text) for c in parse.clauses)


def _conditional_offer(parse: _Parse, offers: _Offers) -> bool:
    """A trade: a condition that asks the collector for something (停息, 分36期, 不再联系)
    and a payment the learner promises in return."""
    asks = any(clause.condition and _says("condition_ask", clause.text) for clause in parse.clauses)
    promise = offers.any or any(
        _says("pay_promise", clause.text) and not clause.negated for clause in parse.clauses
    )
    return asks and promise


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


def _is_term(span: Span, parse: _Parse) -> bool:
    """A repayment term, not an overdue time (逾期3个月) nor a delay (3个月后)."""
    clause = _clause_at(parse, span.start)
    if clause is None or clause.negated:
        return False
    cues = parse.cues
    overdue = _has_cue(cues, "overdue", clause.start, span.start)
    delay = span.end in cues.get("delay", set())
    return not (overdue or delay or _has_cue(cues, "monthly_marker", span.start, span.end))


def _offered_term(spans: list[Span], parse: _Parse) -> float | None:
    spec = _reader()["numbers"]
    terms = [_months(span) for span in spans if span.label_ == "TERM" and _is_term(span, parse)]
    valid = [m for m in terms if m and spec["min_term_months"] <= m <= spec["max_term_months"]]
    return valid[-1] if valid else None


def _is_offer_clause(clause: _Clause, cues: CueIndex) -> bool:
    if clause.negated:
        return False
    blockers = ("reject", "not_an_offer")
    return not any(_has_cue(cues, name, clause.start, clause.end) for name in blockers)


@dataclass(frozen=True)
class _Amount:
    value: float
    monthly: bool  # tied to a monthly marker in its clause
    lump: bool  # tied to a one-payment cue (先付, 一次性) in its clause


def _amounts(spans: list[Span], parse: _Parse) -> list[_Amount]:
    """Every usable amount of an offer clause, with what its clause ties it to."""
    minimum = _reader()["numbers"]["min_monthly"]
    found = []
    for span in spans:
        clause = _clause_at(parse, span.start)
        value = parse_amount(span.text) if span.label_ == "AMOUNT" else None
        if clause is None or value is None or value < minimum:
            continue
        if not _is_offer_clause(clause, parse.cues):
            continue
        monthly = _has_cue(parse.cues, "monthly_marker", clause.start, clause.end)
        lump = not monthly and _has_cue(parse.cues, "lump_sum", clause.start, clause.end)
        found.append(_Amount(value, monthly, lump))
    return found


def _offered_monthly(spans: list[Span], parse: _Parse) -> float | None:
    """The amount tied to 每月/每个月/一个月/月供: in a marked clause, or the only
    remaining amount of a turn that names a monthly payment elsewhere."""
    amounts = _amounts(spans, parse)
    marked = [amount.value for amount in amounts if amount.monthly]
    if marked:
        return marked[-1]
    others = [amount.value for amount in amounts if not amount.lump]
    if others and parse.cues.get("monthly_marker"):
        return others[-1]
    return None


def _offered_lump_sum(spans: list[Span], parse: _Parse) -> float | None:
    """An amount to pay at once: 我可以先一次性还20000元."""
    lumps = [amount.value for amount in _amounts(spans, parse) if amount.lump]
    return lumps[-1] if lumps else None
