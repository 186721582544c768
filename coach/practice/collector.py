"""The simulated debt collector (催收员) of the practice round.

A round is a frozen ``RoundState`` (``coach.practice.state``): every function here takes one
and returns a new one; the Rasa shell keeps it in a slot between turns. The collector opens by
demanding the full balance, then listens: each learner turn is heard as learner moves
(``coach.practice.learner_moves``) and answered with at most two moves, an answer to the
first learner move in the ``answers`` table of ``content/collector_lines.yml`` and one push
(the negotiation's next step).

Negotiation rules:

- The floor (lowest monthly amount it may accept) is lender policy, never the learner's
  budget: the balance left after any down payment over the longest term the lender grants
  (``lender_policy`` in collector_lines.yml: 60 months for cards). The hardship path lowers
  it (part of the balance waived): only once the learner has given a reason and asked for
  个性化分期 (Art. 70) or 停息; the collector then asks for proof and a written application.
- It concedes only to something new: a changed offer (a first offer, or one above the last),
  a first reason, the hardship path, a new down payment. A repeated or lowered offer earns
  nothing. Each concession moves a share of the gap towards the offer (never below the
  floor); every extra new thing in the same turn makes the step bigger.
- It closes a one-off payment only after asking "您是说今天一次性还清X元吗？" and hearing a
  clear yes; a one-off settlement below the balance is negotiated on its own track, from
  95 % of the balance down to 80 % at most.

Personas (``STYLES``): ``polite`` bank staff concede in bigger steps and grant a waiver once a
plan is on the table; ``pushy`` refuses the first offer and presses with lawful means only
(credit record, a lawsuit through a court); ``abusive`` crosses legal lines (insults, threats
to tell family and employer, posing as a court) on turn 1 or 2, when insulted and when
stonewalled, backs off when called out, may relapse once (two rounds in three, by seed) and
backs off for good when called out again; ``outsourced`` is a third-party agency collecting
for an online lender, which says so when asked and sells 协商还款 with a down payment and fees
running on.

Difficulty (``difficulties`` in content/roleplay.yml, ``DifficultySettings``): how fast it
concedes (a factor on the persona's step), its first instalment demand (a factor), whether
it holds out on the first offer, and whether pressure escalates (the first no to the full
balance gets the full demand once more). Standard is the persona as calibrated.

Every line comes from ``content/collector_lines.yml``. A round picks, for each move, a
variation it has not used yet, never one of its last reply; the choice is seeded by the
round's seed and line counter, so a round is reproducible from its seed.
"""

import math
import random
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from coach.content import load_content
from coach.practice.learner_moves import LearnerTurn, hear
from coach.practice.lender_policy import (
    policy,
    remaining_balance,
    round_up,
    settlement_floor,
    settlement_opening,
)
from coach.practice.state import (
    STANDARD,
    CollectorIdentity,
    Demand,
    Difficulty,
    Goal,
    Persona,
    Plan,
    RoundState,
    Scenario,
    as_difficulty,
    as_goal,
    as_persona,
)
from coach.practice.turn_reader import TurnReading, read_turn

Moves = list[str]
Push = tuple[RoundState, str | None]

DEFAULT_PERSONA: Persona = "pushy"
MAX_USER_TURNS = 12
SNAP_SHARE = 0.15
SNAP_MIN = 100
LEVER_BONUS = 0.15
MAX_STEP = 0.9
PLAN_MOVES = ("accept_offer", "close_agreement")
OPENING_MOVES = ("opening", "demand_full")
SETTLEMENT_MOVES = ("counter_settlement", "hold_settlement", "final_settlement")
# After distress the collector presses no further; it still takes a deal that is on offer.
GENTLE_PUSHES = frozenset(
    {"accept_offer", "close_agreement", "close_full_payment", "close_settlement"}
    | {"confirm_lump_sum", "counter_offer"}
)


@dataclass(frozen=True)
class Style:
    """How a persona negotiates."""

    step: float  # share of the gap to the learner's offer conceded per concession
    refuses_first_offer: bool
    crosses_line: bool
    grants_waiver: bool  # once a plan is on the table (anyone may on the hardship path)


STYLES: dict[Persona, Style] = {
    "polite": Style(step=0.5, refuses_first_offer=False, crosses_line=False, grants_waiver=True),
    "pushy": Style(step=0.35, refuses_first_offer=True, crosses_line=False, grants_waiver=False),
    "abusive": Style(step=0.35, refuses_first_offer=True, crosses_line=True, grants_waiver=False),
    "outsourced": Style(
        step=0.4, refuses_first_offer=False, crosses_line=False, grants_waiver=True
    ),
}
PERSONAS: tuple[Persona, ...] = tuple(STYLES)


@dataclass(frozen=True)
class DifficultySettings:
    """What a difficulty changes in the engine (``difficulties`` in content/roleplay.yml)."""

    label: str
    concession_factor: float  # times the persona's concession step
    first_demand_factor: float  # times its first instalment demand
    holds_out: bool | None  # refuses the first offer whatever it is (None: the persona's way)
    insists_on_full: bool  # pressure escalates: a first no to the full balance is not enough


def difficulty_settings(difficulty: str | None) -> DifficultySettings:
    """The settings of a difficulty; an unknown name gets the standard ones."""
    table = load_content("roleplay")["difficulties"]
    entry = table[as_difficulty(difficulty) or STANDARD]
    holds_out = entry.get("holds_out")
    return DifficultySettings(
        label=str(entry["label"]),
        concession_factor=float(entry["concession_factor"]),
        first_demand_factor=float(entry["first_demand_factor"]),
        holds_out=None if holds_out is None else bool(holds_out),
        insists_on_full=bool(entry["insists_on_full"]),
    )


def _style(state: RoundState) -> Style:
    """The persona's way of negotiating, at the round's difficulty."""
    style = STYLES[state.persona]
    if state.difficulty == STANDARD:
        return style
    settings = difficulty_settings(state.difficulty)
    refuses = style.refuses_first_offer if settings.holds_out is None else settings.holds_out
    return replace(
        style,
        step=min(MAX_STEP, style.step * settings.concession_factor),
        refuses_first_offer=refuses,
    )


def _lines() -> dict[str, Any]:
    return load_content("collector_lines")


def _policy() -> Mapping[str, Any]:
    return policy()


@dataclass(frozen=True)
class TurnResult:
    state: RoundState
    collector_line: str
    finished: bool
    moves: tuple[str, ...] = ()


# --- starting a round -------------------------------------------------------------


def normalise_persona(persona: str | None) -> Persona:
    """A known persona name, or one of its aliases in roleplay.yml; anything
    else -> pushy."""
    key = (persona or "").strip()
    aliases = load_content("roleplay")["persona_aliases"]
    return as_persona(aliases.get(key, aliases.get(key.lower(), key.lower()))) or DEFAULT_PERSONA


def round_seed(conversation: str, round_number: int) -> int:
    """A round's seed: the same conversation gets a different one every round."""
    return zlib.crc32(f"{conversation}:{round_number}".encode())


def _positive(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def longest_term(lender_type: object) -> int:
    """The longest instalment term (months) the lender grants: its policy."""
    terms: Mapping[str, int] = _policy()["longest_term_months"]
    return int(terms.get(str(lender_type), terms["default"]))


def default_scenario(persona: Persona = DEFAULT_PERSONA) -> dict[str, Any]:
    """The built-in case: roleplay.yml's, or the persona's own from collector_lines.yml."""
    default = dict(load_content("roleplay")["default_scenario"])
    return {**default, **_lines()["persona_scenarios"].get(persona, {})}


def build_scenario(
    scenario: Mapping[str, Any] | None, persona: Persona = DEFAULT_PERSONA
) -> Scenario:
    """The given scenario over the built-in one; unusable figures fall back.

    ``months_overdue`` of 0 means unknown. ``max_term_months`` is the lender's longest term:
    given, or by ``lender_type`` (``lender_policy``).
    """
    default = default_scenario(persona)
    given = dict(scenario or {})
    source = given if scenario else default
    numbers = {
        key: _positive(given.get(key)) or float(default[key])
        for key in ("balance", "affordable_monthly")
    }
    overdue = _positive(given.get("months_overdue")) or 0
    max_term = _positive(source.get("max_term_months")) or longest_term(source.get("lender_type"))
    return Scenario(
        lender_label=str(given.get("lender_label") or default["lender_label"]),
        balance=round(numbers["balance"]),
        months_overdue=round(overdue) if scenario else int(default["months_overdue"]),
        affordable_monthly=round(numbers["affordable_monthly"]),
        opening_monthly=_positive(given.get("opening_monthly"))
        or (None if scenario else float(default["opening_monthly"])),
        max_term_months=round(max_term),
    )


def _round_up(value: float) -> int:
    return round_up(value)


def floor_monthly(scenario: Scenario, paid_up_front: int = 0, hardship: bool = False) -> int:
    """Lowest monthly amount the collector may accept: what is left of the balance over the
    lender's longest term; on the hardship path, after the share it waives."""
    left = max(1, scenario.balance - paid_up_front)
    if hardship:
        left = max(1, math.floor(left * (1 - float(_policy()["hardship_relief_share"]))))
    return min(math.ceil(left / scenario.max_term_months), left)


def first_instalment_demand(scenario: Scenario, floor: int, built_in: bool) -> int:
    """The collector's first instalment demand: the built-in case's own, or the balance
    over the policy's opening term (a given scenario's opening_monthly is the learner's)."""
    own = scenario.opening_monthly if built_in else None
    demand = own or _round_up(scenario.balance / int(_policy()["opening_term_months"]))
    return int(min(max(round(demand), floor), scenario.balance))


def first_demand_at(difficulty: str, scenario: Scenario, floor: int, built_in: bool) -> int:
    """The first instalment demand at a difficulty: the standard one times its factor,
    still between the floor and the balance."""
    first = first_instalment_demand(scenario, floor, built_in)
    factor = difficulty_settings(difficulty).first_demand_factor
    if factor == 1:
        return first
    return int(min(max(_round_up(first * factor), floor), scenario.balance))


def term_for(balance: float, monthly: float, max_term: int) -> int:
    """Months needed to clear ``balance`` at ``monthly``, at most ``max_term``."""
    return max(1, min(math.ceil(balance / monthly), max_term))


def new_round(
    persona: str | None,
    scenario: Mapping[str, Any] | None = None,
    seed: int = 0,
    difficulty: str | None = STANDARD,
    goal: str | None = None,
    lump_sum_available: int | None = None,
) -> RoundState:
    """A fresh round, its opening already chosen; unknown personas become ``pushy``, unknown
    difficulties ``standard``. ``goal`` names a drill; ``lump_sum_available`` is what the
    learner could pay at once (a settlement drill's)."""
    known = normalise_persona(persona)
    facts = build_scenario(scenario, known)
    return _fresh_round(
        known,
        facts,
        seed,
        built_in=scenario is None,
        difficulty=as_difficulty(difficulty) or STANDARD,
        goal=as_goal(goal),
        lump_sum_available=lump_sum_available if (lump_sum_available or 0) > 0 else None,
    )


def _fresh_round(
    persona: Persona,
    facts: Scenario,
    seed: int,
    built_in: bool,
    difficulty: Difficulty,
    goal: Goal | None,
    lump_sum_available: int | None,
) -> RoundState:
    floor = floor_monthly(facts)
    state = RoundState(
        persona=persona,
        scenario=facts,
        collector=_collector_identity(random.Random(seed)),
        demand=Demand(monthly=facts.balance, term=1, kind="full"),
        opening_instalment=first_demand_at(difficulty, facts, floor, built_in),
        floor=Plan(monthly=floor, term=facts.max_term_months),
        max_demand_monthly=facts.balance,
        cross_turn=1 + seed % 2,
        seed=seed,
        difficulty=difficulty,
        goal=goal,
        lump_sum_available=lump_sum_available,
    )
    return _spoken(state, OPENING_MOVES)[0]


def built_in_case(state: RoundState) -> bool:
    """Whether the round plays the built-in case (its ``opening_monthly`` is then the
    collector's first demand, not the learner's own opening)."""
    return state.scenario == build_scenario(None, state.persona)


def restart(
    state: RoundState,
    persona: str | None = None,
    difficulty: str | None = None,
    seed: int | None = None,
) -> RoundState:
    """A fresh round on the same case: another collector, difficulty or seed if given; the
    goal and what the learner could pay at once stay."""
    known = normalise_persona(persona) if persona else state.persona
    return _fresh_round(
        known,
        state.scenario,
        state.seed if seed is None else seed,
        built_in=built_in_case(state),
        difficulty=as_difficulty(difficulty) or state.difficulty,
        goal=state.goal,
        lump_sum_available=state.lump_sum_available,
    )


def _collector_identity(rng: random.Random) -> CollectorIdentity:
    lines = _lines()
    return CollectorIdentity(
        name=str(rng.choice(lines["names"])),
        employee_no=str(rng.randint(10000, 99999)),
        deadline=str(rng.choice(lines["deadlines"])),
    )


# --- lines ------------------------------------------------------------------------


def speaking_as(state: RoundState, move: str) -> str:
    """Whose lines a move uses: a reformed abusive collector talks like a pushy one, apart
    from the moves only it has; a move no persona has of its own is ``shared``."""
    personas = _lines()["personas"]
    reformed = _style(state).crosses_line and state.reformed
    if reformed and move in personas["pushy"]:
        return "pushy"
    return state.persona if move in personas[state.persona] else "shared"


def _variations(speaker: str, move: str) -> list[str]:
    lines = _lines()
    table = lines["shared"] if speaker == "shared" else lines["personas"][speaker]
    return [str(line) for line in table[move]]


def move_variations(state: RoundState, move: str) -> list[str]:
    """The templates the collector may use for ``move`` in this state."""
    return _variations(speaking_as(state, move), move)


def _choose(state: RoundState, move: str, taken: Sequence[str]) -> str:
    """The key (speaker/move/variation) of the line for ``move``: one not used this round,
    else one not in the last reply; seeded by the round's seed and line counter."""
    speaker = speaking_as(state, move)
    keys = [f"{speaker}/{move}/{i}" for i in range(len(_variations(speaker, move)))]
    used = set(state.spoken) | set(taken)
    fresh = [key for key in keys if key not in used]
    pool = fresh or [key for key in keys if key not in state.last_spoken] or keys
    rng = random.Random(state.seed * 7919 + state.line_counter + len(taken))
    return pool[rng.randrange(len(pool))]


def _template(key: str) -> tuple[str, str]:
    """(move, template) of a line key; a key from older content falls back to a variation
    that exists."""
    speaker, move, index = key.rsplit("/", 2)
    options = _variations(speaker, move)
    return move, options[int(index) % len(options)]


def _render(state: RoundState, keys: Sequence[str]) -> str:
    parts = (_template(key) for key in keys)
    return "".join(template.format(**_fields(state, move)) for move, template in parts)


def _spoken(state: RoundState, moves: Sequence[str]) -> tuple[RoundState, str]:
    """The state after saying ``moves``, and the line said."""
    keys: list[str] = []
    for move in moves:
        keys.append(_choose(state, move, keys))
    state = replace(
        state,
        spoken=(*state.spoken, *keys),
        last_spoken=tuple(keys),
        last_moves=tuple(moves),
        line_counter=state.line_counter + len(moves),
    )
    return state, _render(state, keys)


def overdue_phrase(months: float) -> str:
    """How long the debt is overdue, as the lines say it: 3个月, or 一段时间."""
    content = load_content("roleplay")
    if months and months > 0:
        return str(content["overdue_months"].format(months=round(months)))
    return str(content["overdue_unknown"])


def persona_label(state: RoundState) -> str:
    """The persona's Chinese description, e.g. 强硬型催收员（施压、定期限）."""
    labels = load_content("roleplay")["personas"]
    return str(labels[state.persona])


def _remaining(state: RoundState) -> int:
    """The balance left to spread over instalments, after the learner's down payment."""
    return remaining_balance(state.scenario.balance, state.down_payment)


def _agency(state: RoundState) -> str:
    return str(random.Random(state.seed).choice(_lines()["agencies"]))


def _sum_fields(state: RoundState) -> dict[str, Any]:
    balance = state.scenario.balance
    agreed = state.agreement.monthly if state.agreement else balance
    settlement = state.settlement_demand or _settlement_opening(_remaining(state))
    return {
        "amount": state.pending_lump_sum or agreed,
        "settlement": settlement,
        "down_payment": _round_up(balance * float(_policy()["down_payment_share"])),
        "offered_down": state.down_payment,
        "remaining": _remaining(state),
    }


def _fields(state: RoundState, move: str) -> dict[str, Any]:
    scenario = state.scenario
    plan = (state.agreement if move in PLAN_MOVES else None) or state.demand.plan
    return {
        "lender": scenario.lender_label,
        "balance": scenario.balance,
        "overdue": overdue_phrase(scenario.months_overdue),
        "monthly": plan.monthly,
        "term": plan.term,
        "agency": _agency(state),
        **state.collector.to_slot(),
        **_sum_fields(state),
    }


def _key_move(key: str) -> str:
    """The move of a line key said this round; "" for a key that names no line."""
    parts = key.split("/")
    if len(parts) != 3 or not parts[2].isdigit():
        return ""
    speaker, move, _index = parts
    lines = _lines()
    table = lines["shared"] if speaker == "shared" else lines["personas"].get(speaker, {})
    return move if move in table else ""


def opening_line(state: RoundState) -> str:
    """The collector's first words: who they are, then the demand to pay in full (the lines
    the round chose when it began; picked afresh for a round stored without them)."""
    keys = state.spoken[: len(OPENING_MOVES)]
    if tuple(map(_key_move, keys)) == OPENING_MOVES:
        return _render(state, keys)
    return _spoken(replace(state, spoken=(), last_spoken=(), line_counter=0), OPENING_MOVES)[1]


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
    term = term_for(_remaining(state), monthly, state.scenario.max_term_months)
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
    return _with_demand(state, max(state.opening_instalment, state.floor.monthly))


def _agreed(state: RoundState, plan: Plan) -> RoundState:
    return replace(state, agreement=plan, finished=True, pending_lump_sum=None)


def _refloored(state: RoundState) -> RoundState:
    floor = floor_monthly(state.scenario, state.down_payment, state.hardship)
    return replace(state, floor=Plan(monthly=floor, term=state.scenario.max_term_months))


def _earlier_offers(state: RoundState) -> list[int]:
    """The monthly offers of the learner's earlier turns, in order."""
    found = (offered_monthly(reading, _remaining(state)) for reading in state.readings[:-1])
    return [offer for offer in found if offer is not None]


def _settlement_opening(remaining: int) -> int:
    return settlement_opening(remaining)


# --- listening: what is new this turn ------------------------------------------------


def _unreformed_abuser(state: RoundState) -> bool:
    return _style(state).crosses_line and not state.reformed


def _may_cross(state: RoundState) -> bool:
    """Crossing a line is the abusive collector's until it is called out (never again
    after its one relapse)."""
    return _unreformed_abuser(state) and not state.relapsed


def _may_relapse(state: RoundState) -> bool:
    """Two rounds in three (by seed), the abusive collector relapses once after backing off."""
    abusive = _style(state).crosses_line and state.crossed_line and state.seed % 3 != 0
    return abusive and state.reformed and not state.relapsed


def _gave_reason_before(state: RoundState) -> bool:
    return any(reading.gave_reason for reading in state.readings[:-1])


def _opens_hardship(state: RoundState, turn: LearnerTurn) -> bool:
    asked = bool({"asks_art70", "asks_freeze"} & turn.moves)
    reason = "gives_reason" in turn.moves or _gave_reason_before(state)
    return asked and reason and not state.hardship


def _listen(state: RoundState, turn: LearnerTurn) -> tuple[RoundState, frozenset[str]]:
    """The round after what is new in ``turn``, and the names of the new things (levers):
    a first reason, the hardship path, a new down payment."""
    levers = set()
    if "gives_reason" in turn.moves and not _gave_reason_before(state):
        levers.add("reason")
    if _opens_hardship(state, turn):
        state, levers = replace(state, hardship=True), levers | {"hardship"}
    if turn.down_payment and turn.down_payment != state.down_payment:
        state, levers = replace(state, down_payment=turn.down_payment), levers | {"down"}
    moved = bool(levers & {"hardship", "down"})
    return (_refloored(state) if moved else state), frozenset(levers)


# --- the answer: one reply to what the learner said --------------------------------


def _stonewalled(state: RoundState, turn: LearnerTurn) -> bool:
    offer = offered_monthly(turn.reading, _remaining(state))
    repeated = offer is not None and offer in _earlier_offers(state)
    return bool({"silence", "refuses"} & turn.moves) or repeated


def _abuse_due(state: RoundState, turn: LearnerTurn) -> set[str]:
    """The abusive collector's own moves: its scheduled crossing, crossing again when
    stonewalled, and its one relapse after backing off."""
    if not _style(state).crosses_line:
        return set()
    stonewalled = _stonewalled(state, turn)
    due = state.turns == state.cross_turn or (state.crossed_line and stonewalled)
    if _may_cross(state) and due:
        return {"abuse_due"}
    return {"relapse_due"} if _may_relapse(state) and stonewalled else set()


def _plan_on_table(state: RoundState) -> bool:
    return state.offers_seen > 0 or state.demand.kind != "full"


def _grants_waiver(state: RoundState) -> bool:
    if _unreformed_abuser(state):
        return False
    return state.hardship or (_style(state).grants_waiver and _plan_on_table(state))


def _condition_holds(condition: str, state: RoundState) -> bool:
    over_the_line = _unreformed_abuser(state) and state.crossed_line
    holds = {
        "called_out_again": over_the_line and state.relapsed,
        "called_out": over_the_line and not state.relapsed,
        "unreformed_abusive": _unreformed_abuser(state),
        "hardship": state.hardship,
        "granted": _grants_waiver(state),
    }
    return holds[condition]


ANSWER_CONDITIONS = ("called_out_again", "called_out", "unreformed_abusive", "hardship", "granted")


def _variant(state: RoundState, entry: Mapping[str, str]) -> str:
    """The collector move answering a learner move (an ``answers`` entry) in this state."""
    for condition in ANSWER_CONDITIONS:
        if condition in entry and _condition_holds(condition, state):
            move = entry[condition]
            if move != "cross_line" or _may_cross(state):
                return move
    return entry["answer"]


def _reformed(state: RoundState) -> RoundState:
    return replace(state, reformed=True)


def _crossed(state: RoundState) -> RoundState:
    turn = state.crossed_at_turn if state.crossed_line else state.turns
    return replace(state, crossed_line=True, crossed_at_turn=turn)


EFFECTS: dict[str, Callable[[RoundState], RoundState]] = {
    "cross_line": _crossed,
    "relapse": lambda state: replace(state, relapsed=True, reformed=False),
    "back_off_after_rights": _reformed,
    "back_off_again": _reformed,
    "acknowledge_rights": _reformed,
    "answer_recording": _reformed,
    "grant_waiver": lambda state: replace(state, waiver_granted=True),
}


def _answer(state: RoundState, turn: LearnerTurn) -> tuple[RoundState, str | None]:
    """The answer to the first learner move of the ``answers`` table, and its effect."""
    heard = set(turn.moves) | _abuse_due(state, turn)
    for entry in _lines()["answers"]:
        if entry["learner"] in heard:
            move = _variant(state, entry)
            effect = EFFECTS.get(move)
            return (effect(state) if effect else state), move
    return state, None


# --- the push: the negotiation's next step ---------------------------------------------


def _ask_to_confirm(state: RoundState, amount: int) -> Push:
    return replace(state, pending_lump_sum=amount), "confirm_lump_sum"


def _close_sum(state: RoundState, amount: int) -> Push:
    move = "close_full_payment" if amount >= _remaining(state) else "close_settlement"
    return _agreed(state, Plan(monthly=amount, term=1)), move


def _bank(state: RoundState, levers: frozenset[str]) -> RoundState:
    """Keep a reason heard but not yet paid for: the next concession is bigger."""
    return replace(state, reason_pending=True) if "reason" in levers else state


def _step(state: RoundState, levers: frozenset[str]) -> float:
    extra = len(levers) - 1 + int(state.reason_pending and "reason" not in levers)
    return min(MAX_STEP, _style(state).step + LEVER_BONUS * max(0, extra))


def _concede(state: RoundState, offer: int, levers: frozenset[str]) -> Push:
    before = state.demand.monthly
    demand = next_demand(before, offer, state.floor.monthly, _step(state, levers))
    state = replace(
        _with_demand(state, demand),
        concessions=state.concessions + int(demand < before),
        reason_pending=False,
    )
    if acceptable(offer, state):
        return _agreed(state, _plan(offer, state)), "accept_offer"
    return state, "final_pressure" if demand <= state.floor.monthly else "counter_offer"


def _holds_out(state: RoundState) -> bool:
    return state.offers_seen == 1 and _style(state).refuses_first_offer


def _on_offer(state: RoundState, offer: int, levers: frozenset[str]) -> Push:
    earlier = _earlier_offers(state)
    state = _instalments_started(replace(state, offers_seen=state.offers_seen + 1))
    if _plan(offer, state).term == 1:
        return _ask_to_confirm(state, _remaining(state))
    if offer not in earlier and (not earlier or offer > earlier[-1]):
        levers = levers | {"offer"}
    if _holds_out(state):
        return _bank(state, levers), "refuse_first_offer"
    if acceptable(offer, state):
        return _agreed(state, _plan(offer, state)), "accept_offer"
    if not levers:
        lowered = bool(earlier) and offer < earlier[-1]
        return state, "offer_went_down" if lowered else "hold_firm"
    return _concede(state, offer, levers)


def _first_settlement(state: RoundState, amount: int) -> Push:
    opening = _settlement_opening(_remaining(state))
    state = replace(state, settlement_demand=opening)
    return _ask_to_confirm(state, amount) if amount >= opening else (state, "counter_settlement")


def _on_lump_sum(state: RoundState, amount: int) -> Push:
    """A one-off sum: the whole balance is confirmed; less is a settlement to negotiate,
    conceded only to a raised sum."""
    earlier = state.lump_sum_offers
    state = replace(state, lump_sum_offers=(*earlier, amount))
    if amount >= _remaining(state):
        return _ask_to_confirm(state, _remaining(state))
    demand = state.settlement_demand
    if demand is None:
        return _first_settlement(state, amount)
    if amount >= demand:
        return _ask_to_confirm(state, amount)
    if amount in earlier or (earlier and amount < earlier[-1]):
        return state, "hold_settlement"
    floor = settlement_floor(state.scenario.balance, state.down_payment)
    lower = next_demand(demand, amount, floor, _style(state).step)
    state = replace(state, settlement_demand=lower, concessions=state.concessions + 1)
    if amount >= lower:
        return _ask_to_confirm(state, amount)
    return state, "final_settlement" if lower <= floor else "counter_settlement"


def _on_acceptance(state: RoundState) -> Push:
    """The learner takes what is on the table; a one-off payment is confirmed first."""
    if state.settlement_demand and set(state.last_moves) & set(SETTLEMENT_MOVES):
        offered = state.lump_sum_offers[-1] if state.lump_sum_offers else 0
        return _ask_to_confirm(state, max(state.settlement_demand, offered))
    if state.demand.kind == "full" or state.demand.term == 1:
        return _ask_to_confirm(state, _remaining(state))
    return _agreed(state, _plan(_not_below_offer(state, state.demand.monthly), state)), (
        "close_agreement"
    )


def _not_below_offer(state: RoundState, monthly: int) -> int:
    """The amount a deal closes at: never less than the learner's latest monthly offer
    (a learner who offered 3300 and then says 好 does not get 3200 written down)."""
    earlier = _earlier_offers(state)
    return max(monthly, earlier[-1]) if earlier else monthly


def _on_news(state: RoundState, levers: frozenset[str]) -> Push:
    """Something new without an offer: it moves towards the learner's standing offer."""
    if _insists(state):
        return _bank(state, levers), "demand_full"
    if state.demand.kind == "full":
        return _bank(_instalments_started(state), levers), "demand_instalment"
    earlier = _earlier_offers(state)
    if earlier:
        return _concede(state, earlier[-1], levers)
    return _bank(state, levers), "ask_for_plan"


def _insists(state: RoundState) -> bool:
    """On a difficulty whose pressure escalates, the first no to the full balance gets the
    full demand once more before it talks instalments."""
    if state.demand.kind != "full" or not difficulty_settings(state.difficulty).insists_on_full:
        return False
    said = sum(1 for key in state.spoken if _key_move(key) == "demand_full")
    return said < 2


def _on_refusal(state: RoundState) -> Push:
    """A no to the full balance opens instalments; a no to instalments is answered alone."""
    if _insists(state):
        return state, "demand_full"
    if state.demand.kind == "full":
        return _instalments_started(state), "demand_instalment"
    return state, None


def _on_deal(state: RoundState, turn: LearnerTurn, levers: frozenset[str]) -> Push:
    if turn.lump_sum is not None:
        return _on_lump_sum(state, turn.lump_sum)
    offer = offered_monthly(turn.reading, _remaining(state))
    if offer is not None:
        return _on_offer(state, offer, levers)
    if "accepts" in turn.moves:
        return _on_acceptance(state)
    if levers:
        return _on_news(state, levers)
    return _on_stalling(state, turn)


def _on_stalling(state: RoundState, turn: LearnerTurn) -> Push:
    if "refuses" in turn.moves:
        return _on_refusal(state)
    if "silence" in turn.moves:
        return state, "push_for_plan"
    if "acknowledges" in turn.moves:
        return state, "ask_for_plan"
    return state, None


def _push(state: RoundState, turn: LearnerTurn, levers: frozenset[str]) -> Push:
    """The negotiation's next step; a pending one-off payment closes only on a clear yes."""
    pending = state.pending_lump_sum
    if pending is not None and turn.says_yes:
        return _close_sum(state, pending)
    state = replace(state, pending_lump_sum=None)
    state, push = _on_deal(state, turn, levers)
    if push is None and pending is not None:
        return _on_refusal(state)
    return state, push


# --- reacting to one turn ---------------------------------------------------------


def _reply(answer: str | None, push: str | None) -> Moves:
    """At most two moves: the answer, then the push."""
    if answer == "answer_refusal" and push == "confirm_lump_sum":
        answer = None
    if answer == "comfort" and push not in GENTLE_PUSHES:
        push = None
    moves = [move for move in (answer, push) if move]
    return moves or ["ask_for_plan"]


def react(state: RoundState, turn: LearnerTurn) -> tuple[RoundState, Moves]:
    """The collector's moves in answer to one learner turn, and the state after them."""
    state, levers = _listen(state, turn)
    state, answer = _answer(state, turn)
    state, push = _push(state, turn, levers)
    moves = _reply(answer, push)
    if not state.finished and state.turns >= MAX_USER_TURNS:
        state = replace(state, finished=True, pending_lump_sum=None)
        moves = [*([answer] if answer else []), "no_deal_close"]
    return state, moves


def take_turn(state: RoundState, user_text: str, reading: TurnReading | None = None) -> TurnResult:
    """Read the learner's line, answer it, and return the round's next state. A replay
    passes the reading the turn had (``reading``) instead of reading the line again."""
    if state.finished:
        state, line = _spoken(state, ["round_over"])
        return TurnResult(state, line, True, ("round_over",))
    reading = read_turn(user_text) if reading is None else reading
    state = replace(state, turns=state.turns + 1, readings=(*state.readings, reading))
    state, moves = react(state, hear(user_text, reading, _remaining(state)))
    state, line = _spoken(state, moves)
    return TurnResult(state, line, state.finished, tuple(moves))


def finish_round(state: RoundState) -> RoundState:
    """The round marked finished (the user said 结束练习)."""
    return replace(state, finished=True)
