"""Starting a practice round: the persona and scenario (the given case over the built-in one),
the lender's floor and the collector's first instalment demand, the round's seed and its
collector's identity; ``new_round`` and ``restart`` give a fresh ``RoundState`` with its
opening already said.
"""

import math
import random
import zlib
from collections.abc import Mapping
from typing import Any

from coach.content import load_content
from coach.practice.collector_speech import (
    OPENING_MOVES,
    collector_lines,
    say,
)
from coach.practice.collector_style import difficulty_settings
from coach.practice.lender_policy import (
    policy,
    round_up,
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

DEFAULT_PERSONA: Persona = "pushy"


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
    terms: Mapping[str, int] = policy()["longest_term_months"]
    return int(terms.get(str(lender_type), terms["default"]))


def default_scenario(persona: Persona = DEFAULT_PERSONA) -> dict[str, Any]:
    """The built-in case: roleplay.yml's, or the persona's own from collector_lines.yml."""
    default = dict(load_content("roleplay")["default_scenario"])
    return {**default, **collector_lines()["persona_scenarios"].get(persona, {})}


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


def floor_monthly(scenario: Scenario, paid_up_front: int = 0, hardship: bool = False) -> int:
    """Lowest monthly amount the collector may accept: what is left of the balance over the
    lender's longest term; on the hardship path, after the share it waives."""
    left = max(1, scenario.balance - paid_up_front)
    if hardship:
        left = max(1, math.floor(left * (1 - float(policy()["hardship_relief_share"]))))
    return min(math.ceil(left / scenario.max_term_months), left)


def first_instalment_demand(scenario: Scenario, floor: int, built_in: bool) -> int:
    """The collector's first instalment demand: the built-in case's own, or the balance
    over the policy's opening term (a given scenario's opening_monthly is the learner's)."""
    own = scenario.opening_monthly if built_in else None
    demand = own or round_up(scenario.balance / int(policy()["opening_term_months"]))
    return int(min(max(round(demand), floor), scenario.balance))


def first_demand_at(difficulty: str, scenario: Scenario, floor: int, built_in: bool) -> int:
    """The first instalment demand at a difficulty: the standard one times its factor,
    still between the floor and the balance."""
    first = first_instalment_demand(scenario, floor, built_in)
    factor = difficulty_settings(difficulty).first_demand_factor
    if factor == 1:
        return first
    return int(min(max(round_up(first * factor), floor), scenario.balance))


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
    return say(state, OPENING_MOVES)[0]


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
    lines = collector_lines()
    return CollectorIdentity(
        name=str(rng.choice(lines["names"])),
        employee_no=str(rng.randint(10000, 99999)),
        deadline=str(rng.choice(lines["deadlines"])),
    )
