"""The practice round's state: a frozen value, and its form in the ``roleplay_state`` slot.

The collector engine takes a ``RoundState`` and returns a new one; the Rasa shell keeps it
between turns as ``to_slot()`` and reads it back with ``RoundState.from_slot``. The slot form
is the plain dict the engine kept before this type existed, key for key and without a version
field, so rounds stored by earlier versions still load. Keys added since (the listening
collector's: ``hardship`` to ``last_spoken``) come after those and take their defaults when a
slot lacks them, and so do the learner controls' (``difficulty``, ``goal``,
``lump_sum_available``), which come last.

``from_slot`` never raises. What a round is set up with (persona, scenario, collector,
demand, opening instalment, floor) must be present and well-formed, or there is no round
(``None``). The bookkeeping that follows (counters, flags, readings, agreement, moves, seed)
falls back field by field when missing or of the wrong type: to zero, empty, False or None,
except that ``turns`` counts the readings kept, ``finished`` says whether there is an
agreement, ``max_demand_monthly`` is the balance and ``cross_turn`` is a fresh round's.
"""

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal, get_args

from coach.practice.turn_reader import FLAG_NAMES, TEXT_NAMES, TurnReading

Slot = dict[str, Any]
Persona = Literal["polite", "pushy", "abusive", "outsourced"]
DemandKind = Literal["full", "instalment"]
Difficulty = Literal["easy", "standard", "hard"]
Goal = Literal["personalised", "freeze", "waiver", "settlement"]

KNOWN_PERSONAS: tuple[Persona, ...] = get_args(Persona)
DEMAND_KINDS: tuple[DemandKind, ...] = get_args(DemandKind)
DIFFICULTIES: tuple[Difficulty, ...] = get_args(Difficulty)
GOALS: tuple[Goal, ...] = get_args(Goal)
STANDARD: Difficulty = "standard"
# Whole numbers beyond this are no figures of a round but a garbled slot (and would
# overflow the engine's float arithmetic); JSON numbers are exact up to here.
MAX_WHOLE = 2**53


def as_persona(value: object) -> Persona | None:
    """``value`` as a persona name, if it is one."""
    return next((persona for persona in KNOWN_PERSONAS if persona == value), None)


def as_difficulty(value: object) -> Difficulty | None:
    """``value`` as a difficulty name, if it is one."""
    return next((name for name in DIFFICULTIES if name == value), None)


def as_goal(value: object) -> Goal | None:
    """``value`` as a goal drill's name, if it is one."""
    return next((name for name in GOALS if name == value), None)


# --- lenient reading of JSON values -----------------------------------------------


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _number(value: object) -> float | None:
    """A finite number; bools and numeric strings are no numbers here."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _whole(value: object, minimum: int | None = 0) -> int | None:
    """A whole number from ``minimum`` (None: no minimum) to ``MAX_WHOLE``; floats are rounded."""
    if isinstance(value, int) and not isinstance(value, bool):
        whole = value
    else:
        number = _number(value)
        if number is None:
            return None
        whole = round(number)
    if abs(whole) > MAX_WHOLE or (minimum is not None and whole < minimum):
        return None
    return whole


def _positive(value: object) -> float | None:
    number = _number(value)
    return number if number is not None and number > 0 else None


def _flag(value: object) -> bool:
    return value if isinstance(value, bool) else False


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _moves(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else []
    return tuple(item for item in items if isinstance(item, str))


def _sums(value: object) -> tuple[int, ...]:
    items = value if isinstance(value, list) else []
    wholes = (_whole(item, minimum=1) for item in items)
    return tuple(whole for whole in wholes if whole is not None)


def _fits_reading(name: str, value: object) -> bool:
    if name in FLAG_NAMES:
        return isinstance(value, bool)
    if name in TEXT_NAMES:
        return isinstance(value, str)
    return value is None or _number(value) is not None


def _reading_value(item: object) -> object:
    """A flag, text or None as it is; a figure as a float."""
    if isinstance(item, (bool, str)) or item is None:
        return item
    return _number(item)


def _reading(value: object) -> TurnReading | None:
    """A reading from its ``to_dict`` form; fields of the wrong type keep their default."""
    if not isinstance(value, Mapping):
        return None
    return TurnReading.from_dict(
        {
            name: _reading_value(item)
            for name, item in value.items()
            if isinstance(name, str) and _fits_reading(name, item)
        }
    )


def _readings(value: object) -> tuple[TurnReading, ...]:
    items = value if isinstance(value, list) else []
    return tuple(reading for reading in map(_reading, items) if reading is not None)


# --- the parts of a round ---------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """The debt being practised. Amounts are yuan (per month where monthly), times months."""

    lender_label: str
    balance: int
    months_overdue: int  # 0: unknown
    affordable_monthly: int
    opening_monthly: float | None  # the user's own opening offer, from a computed offer
    max_term_months: int

    def to_slot(self) -> Slot:
        return asdict(self)

    @classmethod
    def from_slot(cls, value: object) -> "Scenario | None":
        data = _mapping(value)
        label = _text(data.get("lender_label"))
        balance = _whole(data.get("balance"), minimum=1)
        affordable = _whole(data.get("affordable_monthly"), minimum=1)
        max_term = _whole(data.get("max_term_months"), minimum=1)
        if label is None or balance is None or affordable is None or max_term is None:
            return None
        return cls(
            lender_label=label,
            balance=balance,
            months_overdue=_whole(data.get("months_overdue")) or 0,
            affordable_monthly=affordable,
            opening_monthly=_positive(data.get("opening_monthly")),
            max_term_months=max_term,
        )


@dataclass(frozen=True)
class CollectorIdentity:
    """Who the simulated collector says they are."""

    name: str
    employee_no: str
    deadline: str  # the deadline it sets for payment, as its lines say it

    def to_slot(self) -> Slot:
        return asdict(self)

    @classmethod
    def from_slot(cls, value: object) -> "CollectorIdentity | None":
        data = _mapping(value)
        name = _text(data.get("name"))
        employee_no = _text(data.get("employee_no"))
        deadline = _text(data.get("deadline"))
        if name is None or employee_no is None or deadline is None:
            return None
        return cls(name=name, employee_no=employee_no, deadline=deadline)


@dataclass(frozen=True)
class Plan:
    """A repayment plan: ``monthly`` yuan a month for ``term`` months."""

    monthly: int
    term: int

    def to_slot(self) -> Slot:
        return asdict(self)

    @classmethod
    def from_slot(cls, value: object) -> "Plan | None":
        data = _mapping(value)
        monthly = _whole(data.get("monthly"), minimum=1)
        term = _whole(data.get("term"), minimum=1)
        if monthly is None or term is None:
            return None
        return cls(monthly=monthly, term=term)


@dataclass(frozen=True)
class Demand:
    """What the collector asks for now: the full balance at once, or instalments."""

    monthly: int
    term: int
    kind: DemandKind

    @property
    def plan(self) -> Plan:
        return Plan(monthly=self.monthly, term=self.term)

    def to_slot(self) -> Slot:
        return asdict(self)

    @classmethod
    def from_slot(cls, value: object) -> "Demand | None":
        plan = Plan.from_slot(value)
        kind = _mapping(value).get("kind")
        known = next((name for name in DEMAND_KINDS if name == kind), None)
        if plan is None or known is None:
            return None
        return cls(monthly=plan.monthly, term=plan.term, kind=known)


# --- the round --------------------------------------------------------------------


@dataclass(frozen=True)
class RoundState:
    """One practice round, between two user turns. Bookkeeping starts at zero or empty."""

    persona: Persona
    scenario: Scenario
    collector: CollectorIdentity
    demand: Demand
    opening_instalment: int  # the first instalment demand, once it gives up the full balance
    floor: Plan  # the lowest monthly amount it may accept, over the longest term
    max_demand_monthly: int  # the highest monthly demand of the round
    concessions: int = 0
    turns: int = 0  # user turns so far
    offers_seen: int = 0
    readings: tuple[TurnReading, ...] = ()  # one per user turn
    reason_pending: bool = False  # a reason was given: the next concession is bigger
    waiver_granted: bool = False
    crossed_line: bool = False
    crossed_at_turn: int | None = None
    cross_turn: int = 1  # the turn on which the abusive persona crosses a line unprovoked
    reformed: bool = False  # the user named their rights: the collector keeps to the rules
    agreement: Plan | None = None
    finished: bool = False
    last_moves: tuple[str, ...] = ()
    seed: int = 0
    line_counter: int = 0  # moves spoken so far; picks the next line's variation
    # Added with the listening collector (issue 17); older slots lack them.
    hardship: bool = False  # reason given and 个性化分期/停息 asked: the lower floor applies
    relapsed: bool = False  # the abusive collector crossed a line again after backing off
    pending_lump_sum: int | None = None  # a one-off sum it asked the learner to confirm
    settlement_demand: int | None = None  # its current one-off settlement demand
    lump_sum_offers: tuple[int, ...] = ()  # one-off sums the learner offered
    down_payment: int = 0  # what the learner offered to pay up front
    spoken: tuple[str, ...] = ()  # lines said this round (persona/move/variation)
    last_spoken: tuple[str, ...] = ()  # the lines of its last reply
    # Added with the learner controls (issue 17); older slots lack them.
    difficulty: Difficulty = STANDARD  # content/roleplay.yml difficulties
    goal: Goal | None = None  # the goal of a drill (个性化分期, 停息挂账, 减免, 一次性结清)
    lump_sum_available: int | None = None  # what the learner could pay at once (a drill's)

    def to_slot(self) -> Slot:
        """The JSON-ready dict kept in the ``roleplay_state`` slot."""
        return {
            "persona": self.persona,
            "scenario": self.scenario.to_slot(),
            "collector": self.collector.to_slot(),
            "demand": self.demand.to_slot(),
            "opening_instalment": self.opening_instalment,
            "floor": self.floor.to_slot(),
            "max_demand_monthly": self.max_demand_monthly,
            "concessions": self.concessions,
            "turns": self.turns,
            "offers_seen": self.offers_seen,
            "readings": [reading.to_dict() for reading in self.readings],
            "reason_pending": self.reason_pending,
            "waiver_granted": self.waiver_granted,
            "crossed_line": self.crossed_line,
            "crossed_at_turn": self.crossed_at_turn,
            "cross_turn": self.cross_turn,
            "reformed": self.reformed,
            "agreement": None if self.agreement is None else self.agreement.to_slot(),
            "finished": self.finished,
            "last_moves": list(self.last_moves),
            "rng": {"seed": self.seed, "counter": self.line_counter},
            "hardship": self.hardship,
            "relapsed": self.relapsed,
            "pending_lump_sum": self.pending_lump_sum,
            "settlement_demand": self.settlement_demand,
            "lump_sum_offers": list(self.lump_sum_offers),
            "down_payment": self.down_payment,
            "spoken": list(self.spoken),
            "last_spoken": list(self.last_spoken),
            "difficulty": self.difficulty,
            "goal": self.goal,
            "lump_sum_available": self.lump_sum_available,
        }

    @classmethod
    def from_slot(cls, value: object) -> "RoundState | None":
        """The round kept in the slot, or None if ``value`` holds no usable round."""
        data = _mapping(value)
        fresh = _fresh_round(data)
        return None if fresh is None else _with_progress(fresh, data)


def _fresh_round(data: Mapping[str, Any]) -> RoundState | None:
    """The round as it was set up, before any turn; None without a usable set-up."""
    persona = as_persona(data.get("persona"))
    scenario = Scenario.from_slot(data.get("scenario"))
    collector = CollectorIdentity.from_slot(data.get("collector"))
    demand = Demand.from_slot(data.get("demand"))
    opening = _whole(data.get("opening_instalment"), minimum=1)
    floor = Plan.from_slot(data.get("floor"))
    if persona is None or scenario is None or collector is None:
        return None
    if demand is None or opening is None or floor is None:
        return None
    return RoundState(
        persona=persona,
        scenario=scenario,
        collector=collector,
        demand=demand,
        opening_instalment=opening,
        floor=floor,
        max_demand_monthly=max(scenario.balance, demand.monthly),
    )


def _count(value: object, default: int, minimum: int | None = 0) -> int:
    whole = _whole(value, minimum)
    return default if whole is None else whole


def _with_progress(fresh: RoundState, data: Mapping[str, Any]) -> RoundState:
    """The fresh round with the bookkeeping kept in ``data``."""
    readings = _readings(data.get("readings"))
    agreement = Plan.from_slot(data.get("agreement"))
    finished = data.get("finished")
    rng = _mapping(data.get("rng"))
    seed = _count(rng.get("seed"), 0, minimum=None)
    return replace(
        fresh,
        max_demand_monthly=_count(data.get("max_demand_monthly"), fresh.max_demand_monthly, 1),
        concessions=_count(data.get("concessions"), 0),
        turns=_count(data.get("turns"), len(readings)),
        offers_seen=_count(data.get("offers_seen"), 0),
        readings=readings,
        reason_pending=_flag(data.get("reason_pending")),
        waiver_granted=_flag(data.get("waiver_granted")),
        crossed_line=_flag(data.get("crossed_line")),
        crossed_at_turn=_whole(data.get("crossed_at_turn")),
        cross_turn=_count(data.get("cross_turn"), 1 + seed % 2, minimum=1),
        reformed=_flag(data.get("reformed")),
        agreement=agreement,
        finished=finished if isinstance(finished, bool) else agreement is not None,
        last_moves=_moves(data.get("last_moves")),
        seed=seed,
        line_counter=_count(rng.get("counter"), 0),
        **_listening(data),
        **_controls(data),
    )


def _listening(data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields added with the listening collector, each falling back on its own."""
    return {
        "hardship": _flag(data.get("hardship")),
        "relapsed": _flag(data.get("relapsed")),
        "pending_lump_sum": _whole(data.get("pending_lump_sum"), minimum=1),
        "settlement_demand": _whole(data.get("settlement_demand"), minimum=1),
        "lump_sum_offers": _sums(data.get("lump_sum_offers")),
        "down_payment": _count(data.get("down_payment"), 0),
        "spoken": _moves(data.get("spoken")),
        "last_spoken": _moves(data.get("last_spoken")),
    }


def _controls(data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields added with the learner controls, each falling back on its own."""
    return {
        "difficulty": as_difficulty(data.get("difficulty")) or STANDARD,
        "goal": as_goal(data.get("goal")),
        "lump_sum_available": _whole(data.get("lump_sum_available"), minimum=1),
    }
