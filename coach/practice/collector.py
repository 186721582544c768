"""The simulated debt collector (催收员) of the practice round.

A round is a frozen ``RoundState`` (``coach.practice.state``): every function here takes one
and returns a new one; the Rasa shell keeps it in a slot between turns. The collector opens by
demanding the full balance, then negotiates an instalment plan: it has a hidden floor (the
lowest monthly amount it may accept, a bit below what the user can afford, and never less than
the balance spread over the longest term) and concedes towards the user's offer a share of the
gap at a time. Personas differ in how fast they concede and how they behave:

- ``polite``: bank staff who follow the rules; concede in bigger steps, and agree to
  waive part of the penalty interest once a plan is on the table.
- ``pushy``: pressure and deadlines; refuse the first offer whatever it is; small steps.
- ``abusive``: cross legal lines (insults, threats to tell employer and family, posing as
  a court) from turn 1 or 2; concede only once the user asserts their rights or repeats
  a plan, and back off when the user names the rules.

Every line comes from ``content/collector_lines.yml``; variations are picked
deterministically from the round's seed and line counter.
"""

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from coach.content import load_content
from coach.practice.state import (
    CollectorIdentity,
    Demand,
    Persona,
    Plan,
    RoundState,
    Scenario,
    as_persona,
)
from coach.practice.turn_reader import TurnReading, read_turn

Moves = list[str]
Reaction = Callable[[RoundState, TurnReading], tuple[RoundState, Moves]]

DEFAULT_PERSONA: Persona = "pushy"
MAX_USER_TURNS = 12
ROUND_TO = 50
SNAP_SHARE = 0.1
SNAP_MIN = 100
REASON_BONUS = 0.15
OPENING_OVER_FLOOR = 1.7
CLOSING_MOVES = ("accept_offer", "close_agreement", "close_full_payment")
OPENING_MOVES = ("opening", "demand_full")


@dataclass(frozen=True)
class Style:
    """How a persona negotiates."""

    floor_share: float  # floor = this share of what the user can afford
    step: float  # share of the gap to the user's offer conceded per concession
    refuses_first_offer: bool
    crosses_line: bool


STYLES: dict[Persona, Style] = {
    "polite": Style(floor_share=0.85, step=0.55, refuses_first_offer=False, crosses_line=False),
    "pushy": Style(floor_share=0.9, step=0.4, refuses_first_offer=True, crosses_line=False),
    "abusive": Style(floor_share=0.9, step=0.4, refuses_first_offer=True, crosses_line=True),
}
PERSONAS: tuple[Persona, ...] = tuple(STYLES)


def _style(state: RoundState) -> Style:
    return STYLES[state.persona]


@dataclass(frozen=True)
class TurnResult:
    state: RoundState
    collector_line: str
    finished: bool
    moves: tuple[str, ...] = ()


# --- starting a round -------------------------------------------------------------


def normalise_persona(persona: str | None) -> Persona:
    """A known persona name; aliases from roleplay.yml; anything else -> pushy."""
    key = (persona or "").strip()
    aliases = load_content("roleplay")["persona_aliases"]
    return as_persona(aliases.get(key, aliases.get(key.lower(), key.lower()))) or DEFAULT_PERSONA


def _positive(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def build_scenario(scenario: Mapping[str, Any] | None) -> Scenario:
    """The given scenario over the built-in one; unusable figures fall back.

    ``opening_monthly`` is taken as the collector's first instalment demand only when
    it is well above the floor (see ``first_instalment_demand``); ``months_overdue`` of
    0 means unknown.
    """
    default = load_content("roleplay")["default_scenario"]
    given = dict(scenario or {})
    numbers = {
        key: _positive(given.get(key)) or float(default[key])
        for key in ("balance", "affordable_monthly", "max_term_months")
    }
    overdue = _positive(given.get("months_overdue")) or 0
    return Scenario(
        lender_label=str(given.get("lender_label") or default["lender_label"]),
        balance=round(numbers["balance"]),
        months_overdue=round(overdue) if scenario else int(default["months_overdue"]),
        affordable_monthly=round(numbers["affordable_monthly"]),
        opening_monthly=_positive(given.get("opening_monthly"))
        or (None if scenario else float(default["opening_monthly"])),
        max_term_months=round(numbers["max_term_months"]),
    )


def _round_down(value: float) -> int:
    return int(value // ROUND_TO * ROUND_TO)


def _round_up(value: float) -> int:
    return int(math.ceil(value / ROUND_TO) * ROUND_TO)


def floor_monthly(scenario: Scenario, style: Style) -> int:
    """Lowest monthly amount the collector may accept."""
    share = _round_down(scenario.affordable_monthly * style.floor_share)
    longest = math.ceil(scenario.balance / scenario.max_term_months)
    return min(max(share, longest), scenario.balance)


def first_instalment_demand(scenario: Scenario, floor: int) -> int:
    """The collector's first instalment demand: the scenario's, if well above floor."""
    given = scenario.opening_monthly or 0
    demand = given if given >= floor * 1.3 else _round_up(floor * OPENING_OVER_FLOOR)
    return int(min(max(round(demand), floor), scenario.balance))


def term_for(balance: float, monthly: float, max_term: int) -> int:
    """Months needed to clear ``balance`` at ``monthly``, at most ``max_term``."""
    return max(1, min(math.ceil(balance / monthly), max_term))


def new_round(
    persona: str | None, scenario: Mapping[str, Any] | None = None, seed: int = 0
) -> RoundState:
    """A fresh round; unknown personas become ``pushy``."""
    known = normalise_persona(persona)
    facts = build_scenario(scenario)
    floor = floor_monthly(facts, STYLES[known])
    return RoundState(
        persona=known,
        scenario=facts,
        collector=_collector_identity(random.Random(seed)),
        demand=Demand(monthly=facts.balance, term=1, kind="full"),
        opening_instalment=first_instalment_demand(facts, floor),
        floor=Plan(monthly=floor, term=facts.max_term_months),
        max_demand_monthly=facts.balance,
        cross_turn=1 + seed % 2,
        last_moves=OPENING_MOVES,
        seed=seed,
        line_counter=len(OPENING_MOVES),
    )


def _collector_identity(rng: random.Random) -> CollectorIdentity:
    lines = load_content("collector_lines")
    return CollectorIdentity(
        name=str(rng.choice(lines["names"])),
        employee_no=str(rng.randint(10000, 99999)),
        deadline=str(rng.choice(lines["deadlines"])),
    )


# --- lines ------------------------------------------------------------------------


def _variations(persona: Persona, move: str) -> list[str]:
    variations: list[str] = load_content("collector_lines")["personas"][persona][move]
    return variations


def _pick(options: list[str], seed: int, counter: int) -> str:
    return options[random.Random(seed * 7919 + counter).randrange(len(options))]


def overdue_phrase(months: float) -> str:
    """How long the debt is overdue, as the lines say it: 3个月, or 一段时间."""
    content = load_content("roleplay")
    if months and months > 0:
        return str(content["overdue_months"].format(months=round(months)))
    return str(content["overdue_unknown"])


def persona_label(state: RoundState) -> str:
    """The persona's Chinese description, e.g. 强硬型催收员（施压、定期限）."""
    return str(load_content("roleplay")["personas"][state.persona])


def _fields(state: RoundState, move: str) -> dict[str, Any]:
    scenario = state.scenario
    plan = (state.agreement if move in CLOSING_MOVES else None) or state.demand.plan
    return {
        "lender": scenario.lender_label,
        "balance": scenario.balance,
        "overdue": overdue_phrase(scenario.months_overdue),
        "monthly": plan.monthly,
        "term": plan.term,
        **state.collector.to_slot(),
    }


def speaking_as(state: RoundState, move: str) -> Persona:
    """Whose lines a move uses: a reformed abusive collector talks like a pushy one,
    apart from the moves only it has (its apology)."""
    reformed = _style(state).crosses_line and state.reformed
    pushy_moves = load_content("collector_lines")["personas"]["pushy"]
    return "pushy" if reformed and move in pushy_moves else state.persona


def move_variations(state: RoundState, move: str) -> list[str]:
    """The templates the collector may use for ``move`` in this state."""
    return _variations(speaking_as(state, move), move)


def _render(state: RoundState, moves: Sequence[str], counter: int) -> str:
    return "".join(
        _pick(move_variations(state, move), state.seed, counter + i).format(**_fields(state, move))
        for i, move in enumerate(moves)
    )


def opening_line(state: RoundState) -> str:
    """The collector's first words: who they are, then the demand to pay in full."""
    return _render(state, OPENING_MOVES, 0)


def scenario_text(state: RoundState) -> str:
    """One sentence on the lender, balance and overdue time, for the intro."""
    scenario = state.scenario
    return str(
        load_content("roleplay")["scenario_text"].format(
            lender=scenario.lender_label,
            balance=scenario.balance,
            overdue=overdue_phrase(scenario.months_overdue),
            affordable=scenario.affordable_monthly,
        )
    )


# --- negotiation arithmetic -------------------------------------------------------


def next_demand(demand: float, offer: float, floor: float, step: float) -> int:
    """One concession: a share of the gap towards the offer, never below the floor.

    Close to the target (the offer, or the floor if the offer is below it) the
    collector closes the gap at once.
    """
    target = max(offer, floor)
    if demand <= target:
        return int(demand)
    proposed = demand - step * (demand - target)
    if proposed - target <= max(SNAP_MIN, SNAP_SHARE * target):
        return math.ceil(target)
    return max(math.ceil(target), _round_up(proposed))


def offered_monthly(reading: TurnReading, balance: float) -> int | None:
    """The monthly amount an offer stands for (a term alone means balance / term)."""
    if reading.offered_monthly is not None:
        return round(reading.offered_monthly)
    if reading.offered_term:
        return math.ceil(balance / reading.offered_term)
    return None


def acceptable(offer: float, state: RoundState) -> bool:
    return offer >= state.demand.monthly and offer >= state.floor.monthly


def _plan(monthly: int, state: RoundState) -> Plan:
    scenario = state.scenario
    term = term_for(scenario.balance, monthly, scenario.max_term_months)
    return Plan(monthly=int(monthly), term=term)


def _with_demand(state: RoundState, monthly: int) -> RoundState:
    plan = _plan(monthly, state)
    return replace(
        state,
        demand=Demand(monthly=plan.monthly, term=plan.term, kind="instalment"),
        max_demand_monthly=max(state.max_demand_monthly, monthly),
    )


def _instalments_started(state: RoundState) -> RoundState:
    if state.demand.kind != "full":
        return state
    return _with_demand(state, state.opening_instalment)


def _agreed(state: RoundState, plan: Plan) -> RoundState:
    return replace(state, agreement=plan, finished=True)


# --- reacting to one turn ---------------------------------------------------------


def _unreformed_abuser(state: RoundState) -> bool:
    return _style(state).crosses_line and not state.reformed


def _crossed(state: RoundState) -> RoundState:
    if state.crossed_line:
        return state
    return replace(state, crossed_line=True, crossed_at_turn=state.turns)


def _on_rudeness(state: RoundState, reading: TurnReading) -> tuple[RoundState, Moves]:
    if not reading.insulted_or_shouted:
        return state, []
    if _unreformed_abuser(state):
        return _crossed(state), ["cross_line"]
    return state, ["respond_to_rudeness"]


def _on_rights(state: RoundState, reading: TurnReading) -> tuple[RoundState, Moves]:
    if not reading.asserted_rights:
        return state, []
    if _unreformed_abuser(state) and state.crossed_line:
        return replace(state, reformed=True), ["back_off_after_rights"]
    return replace(state, reformed=True), ["acknowledge_rights"]


def _on_identity(state: RoundState, reading: TurnReading) -> tuple[RoundState, Moves]:
    if not reading.asked_identity:
        return state, []
    return state, ["evade_identity" if _unreformed_abuser(state) else "give_identity"]


def _on_details(state: RoundState, reading: TurnReading) -> tuple[RoundState, Moves]:
    return state, (["give_details"] if reading.verified_amount else [])


def _on_reason(state: RoundState, reading: TurnReading) -> tuple[RoundState, Moves]:
    if not reading.gave_reason:
        return state, []
    state = replace(state, reason_pending=True)
    if state.demand.kind == "full" and not reading.concrete_offer:
        return _instalments_started(state), ["respond_to_reason", "demand_instalment"]
    return state, ["respond_to_reason"]


def _concession_step(state: RoundState) -> float:
    bonus = REASON_BONUS if state.reason_pending else 0.0
    return _style(state).step + bonus


def _holds_out(state: RoundState) -> bool:
    """Refuses this offer without moving: pushy's first offer; abusive until the user
    asserts their rights or repeats a plan."""
    first = state.offers_seen == 1 and _style(state).refuses_first_offer
    return first or (_unreformed_abuser(state) and state.offers_seen < 2)


def _counter(state: RoundState, offer: int) -> tuple[RoundState, Moves]:
    before = state.demand.monthly
    floor = state.floor.monthly
    demand = next_demand(before, offer, floor, _concession_step(state))
    state = replace(
        _with_demand(state, demand),
        concessions=state.concessions + int(demand < before),
        reason_pending=False,
    )
    if acceptable(offer, state):
        return _agreed(state, _plan(offer, state)), ["accept_offer"]
    return state, ["final_pressure" if demand <= floor else "counter_offer"]


def _on_offer(state: RoundState, offer: int) -> tuple[RoundState, Moves]:
    state = _instalments_started(replace(state, offers_seen=state.offers_seen + 1))
    if _holds_out(state):
        return state, ["refuse_first_offer"]
    if acceptable(offer, state):
        return _agreed(state, _plan(offer, state)), ["accept_offer"]
    return _counter(state, offer)


def _on_acceptance(state: RoundState, reading: TurnReading) -> tuple[RoundState, Moves]:
    """The user takes what is on the table (or promises to pay everything now)."""
    if reading.pay_in_full:
        plan = Plan(monthly=state.scenario.balance, term=1)
    else:
        plan = state.demand.plan
    move = "close_full_payment" if plan.term == 1 else "close_agreement"
    return _agreed(state, plan), [move]


def _on_waiver(state: RoundState, reading: TurnReading) -> tuple[RoundState, Moves]:
    if not reading.asked_waiver or state.finished:
        return state, []
    plan_on_table = state.offers_seen > 0 or state.demand.kind != "full"
    if state.persona == "polite" and plan_on_table:
        return replace(state, waiver_granted=True), ["grant_waiver"]
    return state, ["respond_to_waiver"]


def _on_deal(state: RoundState, reading: TurnReading) -> tuple[RoundState, Moves]:
    offer = offered_monthly(reading, state.scenario.balance)
    if offer is not None:
        return _on_offer(state, offer)
    if reading.agreed_to_demand or reading.accepted_offer:
        return _on_acceptance(state, reading)
    if reading.vague_promise or reading.silent:
        return state, ["push_for_plan"]
    if reading.acknowledged_debt or reading.introduced_self:
        return state, ["ask_for_plan"]
    return state, []


def _on_written(state: RoundState, reading: TurnReading) -> tuple[RoundState, Moves]:
    wanted = reading.asked_written and not state.finished
    return state, (["confirm_in_writing"] if wanted else [])


def _on_schedule(state: RoundState, reading: TurnReading) -> tuple[RoundState, Moves]:
    """The abusive persona crosses a line on its turn, and again when stonewalled."""
    if not _unreformed_abuser(state) or state.finished:
        return state, []
    due = state.turns == state.cross_turn
    stonewalled = state.crossed_line and (reading.silent or reading.vague_promise)
    return (_crossed(state), ["cross_line"]) if due or stonewalled else (state, [])


REACTIONS: tuple[Reaction, ...] = (
    _on_rudeness,
    _on_rights,
    _on_identity,
    _on_details,
    _on_reason,
    _on_deal,
    _on_waiver,
    _on_written,
    _on_schedule,
)


def react(state: RoundState, reading: TurnReading) -> tuple[RoundState, Moves]:
    """The collector's moves in answer to one reading, and the state after them."""
    moves: Moves = []
    for reaction in REACTIONS:
        state, more = reaction(state, reading)
        moves += [move for move in more if move not in moves]
    if not moves:
        moves = ["ask_for_plan"]
    if not state.finished and state.turns >= MAX_USER_TURNS:
        state, moves = replace(state, finished=True), moves + ["no_deal_close"]
    return state, moves


def take_turn(state: RoundState, user_text: str) -> TurnResult:
    """Read the user's line, answer it, and return the round's next state."""
    if state.finished:
        line = _render(state, ["round_over"], state.line_counter)
        return TurnResult(state, line, True, ("round_over",))
    reading = read_turn(user_text)
    state = replace(state, turns=state.turns + 1, readings=(*state.readings, reading))
    state, moves = react(state, reading)
    counter = state.line_counter
    line = _render(state, moves, counter)
    state = replace(state, last_moves=tuple(moves), line_counter=counter + len(moves))
    return TurnResult(state, line, state.finished, tuple(moves))


def finish_round(state: RoundState) -> RoundState:
    """The round marked finished (the user said 结束练习)."""
    return replace(state, finished=True)
