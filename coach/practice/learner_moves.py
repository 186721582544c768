"""What the learner's turn asks of the simulated collector: the learner's moves.

The turn reader (``coach.practice.turn_reader``) says what a turn contains; this module
names the moves the collector answers (``LEARNER_MOVES``), from the reader's fields and a few
cues of ``content/collector_lines.yml`` (``learner_cues``) for what the reader does not
report: questions about outsourcing, Art. 70 and 停息, a recording, distress, a refusal, a
one-off sum or a down payment with its amount, and a clear yes to a confirmation question.
Cues are matched on the normalised text, clause by clause (a clause ends at punctuation or
a space).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from coach.content import load_content
from coach.figures.money import find_amounts, find_durations
from coach.language.normalise import normalise
from coach.practice.turn_reader import TurnReading

LEARNER_MOVES = (
    "distress",
    "insult",
    "threatens",
    "complains",
    "records",
    "asks_outsourcing",
    "asks_identity",
    "asks_art70",
    "asks_freeze",
    "asks_waiver",
    "asks_details",
    "asks_written",
    "gives_reason",
    "offers_lump_sum",
    "offers_down_payment",
    "offers_monthly",
    "refuses",
    "accepts",
    "silence",
    "acknowledges",
)
CLAUSE_BREAK = re.compile(r"[\s,.;:!?，。；：！？、…~～()（）]+")
MIN_SUM = 100  # yuan: smaller figures are no one-off sum or down payment


@dataclass(frozen=True)
class LearnerTurn:
    """One learner turn as the collector hears it."""

    reading: TurnReading
    moves: frozenset[str]
    lump_sum: int | None = None  # a one-off sum offered (capped at the balance)
    down_payment: int | None = None  # a sum offered up front before instalments
    says_yes: bool = False  # a clear yes to "您是说今天一次性还清X元吗？"


def _cues() -> Mapping[str, list[str]]:
    cues: Mapping[str, list[str]] = load_content("collector_lines")["learner_cues"]
    return cues


def clauses(text: str) -> list[str]:
    """The normalised text cut at punctuation and spaces."""
    return [part for part in CLAUSE_BREAK.split(normalise(text or "")) if part]


def _has(name: str, text: str) -> bool:
    return any(str(cue) in text for cue in _cues()[name])


def _negated(text: str) -> bool:
    """A negation, once affirmations that contain one (没问题, 没错) are taken out."""
    for phrase in _cues()["not_negation"]:
        text = text.replace(str(phrase), "")
    return _has("negation", text)


def _sums(clause: str) -> list[int]:
    return [round(match.value) for match in find_amounts(clause) if match.value >= MIN_SUM]


def _plain_clause(part: str, cue: str) -> bool:
    """A clause with ``cue``, neither negated nor about a monthly amount or a term."""
    if not _has(cue, part) or _negated(part) or _has("monthly", part):
        return False
    return not find_durations(part)


def _sum_in(parts: Iterable[str], cue: str) -> int | None:
    """The largest sum of a plain clause with ``cue`` (see ``_plain_clause``)."""
    found = [amount for part in parts if _plain_clause(part, cue) for amount in _sums(part)]
    return max(found) if found else None


def _negated_full(parts: Iterable[str]) -> bool:
    """A clause that mentions paying it all and says it cannot: 今天全部还清做不到."""
    return any(_has("lump_sum", part) and _negated(part) for part in parts)


def _reader_lump_sum(reading: TurnReading) -> int | None:
    amount = reading.offered_lump_sum
    return round(amount) if amount is not None and amount >= MIN_SUM else None


def _down_payment(parts: list[str], reading: TurnReading, balance: int) -> int | None:
    """A sum paid up front: a figure with 首付/先付…, or a one-off sum said together with
    a monthly offer (先一次性还2万，剩下每月1000)."""
    amount = _sum_in(parts, "down_payment")
    if amount is None and reading.concrete_offer:
        amount = _reader_lump_sum(reading)
    return amount if amount is not None and amount < balance else None


def _mentions_all_now(parts: Iterable[str]) -> bool:
    """A clause that may promise to pay it all now (今天全部还清): neither negated nor a
    question, with no figure. Ambiguous on purpose: the collector asks before it closes."""
    return any(
        _plain_clause(part, "lump_sum")
        and _has("all_now", part)
        and not _has("question", part)
        and not find_amounts(part)
        for part in parts
    )


def _lump_sum(parts: list[str], reading: TurnReading, balance: int) -> int | None:
    """A one-off sum: the reader's, a figure with 一次性/结清…, or the balance when the
    reader heard a promise to pay it all, or a clause may mean one (see
    ``_mentions_all_now``)."""
    amount = _reader_lump_sum(reading) or _sum_in(parts, "lump_sum")
    if amount is not None:
        return min(amount, balance)
    maybe_all = reading.pay_in_full or (not reading.concrete_offer and _mentions_all_now(parts))
    return balance if maybe_all else None


def _says_yes(parts: list[str], reading: TurnReading, text: str) -> bool:
    if not parts or _negated(text) or _has("refusal", text) or reading.concrete_offer:
        return False
    first = parts[0]
    affirmed = reading.accepted_offer or reading.agreed_to_demand or reading.pay_in_full
    return affirmed or first in {str(word) for word in _cues()["affirmations"]}


def _rights_moves(reading: TurnReading, text: str) -> set[str]:
    records = _has("recording", text)
    complains = reading.asserted_rights and (_has("complaint", text) or not records)
    return {name for name, found in (("records", records), ("complains", complains)) if found}


def _question_moves(reading: TurnReading, text: str) -> set[str]:
    freeze = _has("freeze", text)
    waiver = reading.asked_waiver and (_has("penalty", text) or not freeze)
    found = {
        "asks_outsourcing": _has("outsourcing", text),
        "asks_identity": reading.asked_identity,
        "asks_art70": _has("art70", text),
        "asks_freeze": freeze,
        "asks_waiver": waiver,
        "asks_details": reading.verified_amount,
        "asks_written": reading.asked_written,
    }
    return {name for name, present in found.items() if present}


def _deal_moves(turn: LearnerTurn, parts: list[str], text: str) -> set[str]:
    reading = turn.reading
    offered = reading.concrete_offer or turn.lump_sum is not None
    said_no = reading.refused_demand or _has("refusal", text) or _negated_full(parts)
    refuses = not offered and said_no
    found = {
        "offers_lump_sum": turn.lump_sum is not None,
        "offers_down_payment": turn.down_payment is not None,
        "offers_monthly": reading.concrete_offer,
        "refuses": refuses,
        "accepts": (reading.accepted_offer or reading.agreed_to_demand) and not refuses,
        "silence": reading.silent or reading.vague_promise,
        "acknowledges": reading.acknowledged_debt or reading.introduced_self,
        "gives_reason": reading.gave_reason,
    }
    return {name for name, present in found.items() if present}


def hear(text: str, reading: TurnReading, balance: int) -> LearnerTurn:
    """The learner's moves in ``text`` (read by the turn reader as ``reading``)."""
    parts = clauses(text)
    joined = "".join(parts)
    down = _down_payment(parts, reading, balance)
    turn = LearnerTurn(
        reading=reading,
        moves=frozenset(),
        lump_sum=None if down is not None else _lump_sum(parts, reading, balance),
        down_payment=down,
        says_yes=_says_yes(parts, reading, joined),
    )
    moves = _deal_moves(turn, parts, joined) | _question_moves(reading, joined)
    moves |= _rights_moves(reading, joined)
    if _has("distress", joined):
        moves.add("distress")
    if reading.insulted_or_shouted:
        moves.add("insult")
    if reading.threatened:
        moves.add("threatens")
    return replace(turn, moves=frozenset(moves))
