"""The facts of a finished practice round that the scorer marks (``coach.practice.scorer``):
the learner's money positions turn by turn, their concessions, the turn a deal was made or
a legal line crossed, and whether the round counts as finished; ``round_facts`` reads them
from a ``RoundState``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from coach.practice.lender_policy import settlement_floor
from coach.practice.state import RoundState
from coach.practice.turn_reader import TurnReading, substantive

MoneyKind = Literal["offer", "accept", "refuse"]

MIN_SUBSTANTIVE_TURNS = 3


@dataclass(frozen=True)
class Position:
    """A monthly figure the learner stood on: offered, or taken from the collector."""

    turn: int  # index into the readings
    monthly: int
    accepted: bool


@dataclass(frozen=True)
class Concession:
    turn: int
    before: int
    after: int
    reason: bool  # a reason or a condition in that turn or the one before

    @property
    def size(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class RoundFacts:
    """What the scorer and the debrief read from a round."""

    ceiling: int
    floor: int
    balance: int
    max_term: int
    readings: tuple[TurnReading, ...]
    positions: tuple[Position, ...]
    concessions: tuple[Concession, ...]
    first_money: tuple[int, MoneyKind] | None  # the first turn about money, and its kind
    deal_turn: int | None
    agreed_monthly: int | None
    breach_turn: int | None  # index of the first reading after the collector broke a rule
    last_demand: int
    lump: bool = False  # a settlement drill: figures are one-off sums, not monthly amounts

    @property
    def first_offer(self) -> Position | None:
        return next((p for p in self.positions if not p.accepted), None)


def _monthly_of(reading: TurnReading, balance: int) -> int | None:
    """The monthly amount an offer stands for (a term alone means balance / term)."""
    if reading.offered_monthly is not None:
        return round(reading.offered_monthly)
    if reading.offered_term:
        return math.ceil(balance / reading.offered_term)
    return None


def accepts_deal(reading: TurnReading) -> bool:
    takes = reading.accepted_offer or reading.agreed_to_demand or reading.pay_in_full
    return takes and not reading.concrete_offer


def _money_kind(reading: TurnReading) -> MoneyKind | None:
    if reading.concrete_offer:
        return "offer"
    if accepts_deal(reading):
        return "accept"
    return "refuse" if reading.refused_demand else None


def _first_money(readings: Sequence[TurnReading]) -> tuple[int, MoneyKind] | None:
    for index, reading in enumerate(readings):
        kind = _money_kind(reading)
        if kind is not None:
            return index, kind
    return None


def _deal_turn(state: RoundState) -> int | None:
    if state.agreement is None or not state.readings:
        return None
    return len(state.readings) - 1


def lump_round(state: RoundState) -> bool:
    """A settlement drill counted in one-off sums: no monthly plan was agreed."""
    agreement = state.agreement
    return bool(state.lump_sum_available) and (agreement is None or agreement.term == 1)


def money_figure_of(reading: TurnReading, balance: int, lump: bool) -> int | None:
    """The figure a turn stands on: its one-off sum in a settlement drill, else monthly."""
    if not lump:
        return _monthly_of(reading, balance)
    amount = reading.offered_lump_sum
    return None if amount is None else round(amount)


def settlement_floor_of(state: RoundState) -> int:
    """The lowest one-off sum the lender settles for, after the learner's down payment
    (the collector's own floor: coach.practice.lender_policy)."""
    return settlement_floor(state.scenario.balance, state.down_payment)


def _positions(state: RoundState) -> tuple[Position, ...]:
    """The learner's monthly positions (one-off sums in a settlement drill) in turn order,
    repeats dropped; a deal taken from the collector ends them with the agreed figure."""
    balance = state.scenario.balance
    lump = lump_round(state)
    positions: list[Position] = []
    for index, reading in enumerate(state.readings):
        monthly = money_figure_of(reading, balance, lump)
        if monthly is not None and (not positions or positions[-1].monthly != monthly):
            positions.append(Position(index, monthly, accepted=False))
    deal = _deal_turn(state)
    if deal is not None and state.agreement is not None and accepts_deal(state.readings[deal]):
        agreed = state.agreement.monthly
        if not positions or positions[-1].monthly != agreed:
            positions.append(Position(deal, agreed, accepted=True))
    return tuple(positions)


def _gives_reason(readings: Sequence[TurnReading], turn: int) -> bool:
    window = readings[max(0, turn - 1) : turn + 1]
    return any(r.gave_reason or r.conditional_offer for r in window)


def _concessions(
    positions: Sequence[Position], readings: Sequence[TurnReading]
) -> tuple[Concession, ...]:
    return tuple(
        Concession(now.turn, before.monthly, now.monthly, _gives_reason(readings, now.turn))
        for before, now in zip(positions, positions[1:], strict=False)
        if now.monthly > before.monthly
    )


def _breach_turn(state: RoundState) -> int | None:
    """The first reading the learner could answer a broken rule in."""
    if not state.crossed_line:
        return None
    return state.crossed_at_turn or 0


def round_facts(state: RoundState) -> RoundFacts:
    positions = _positions(state)
    lump = lump_round(state)
    return RoundFacts(
        ceiling=round(affordable_ceiling(state)),
        floor=settlement_floor_of(state) if lump else state.floor.monthly,
        balance=state.scenario.balance,
        max_term=state.scenario.max_term_months,
        readings=state.readings,
        positions=positions,
        concessions=_concessions(positions, state.readings),
        first_money=_first_money(state.readings),
        deal_turn=_deal_turn(state),
        agreed_monthly=None if state.agreement is None else state.agreement.monthly,
        breach_turn=_breach_turn(state),
        last_demand=(state.settlement_demand or state.scenario.balance)
        if lump
        else state.demand.monthly,
        lump=lump,
    )


def finished(facts: RoundFacts) -> bool:
    """A deal, or at least three substantive turns: enough of a round to score."""
    said = sum(1 for reading in facts.readings if substantive(reading))
    return facts.agreed_monthly is not None or said >= MIN_SUBSTANTIVE_TURNS


def affordable_ceiling(state: RoundState) -> float:
    """The learner's ceiling: monthly, or what they can pay at once in a settlement drill."""
    if lump_round(state) and state.lump_sum_available:
        return float(state.lump_sum_available)
    return float(state.scenario.affordable_monthly)
