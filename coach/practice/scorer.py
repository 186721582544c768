"""Scores a practice round (docs/contract.md §3 ``roleplay_score``) and writes the feedback.

The score has three parts (docs/practice-scores.md publishes the formula):

- **outcome** (0-100, ``None`` without a deal): where the agreed monthly amount sits between
  the collector's floor (100) and the learner's ceiling (60); above the ceiling 40 less
  400 points per 100 % of overshoot, so 10 % over scores 0;
- **process** (0-100): the weighted share of ``PROCESS_WEIGHTS`` met: an ambitious but
  credible first offer, refusing the first demand, concessions that shrink and come with a
  reason, a reason, a conditional trade, verification, the plan in writing, breaking the ice;
- **conduct** (0-100): calm, no needless threats, rights named once the collector broke them.

``score = negotiation × (0.4 + 0.6 × conduct / 100)``, where negotiation is
``0.4 × outcome + 0.6 × process`` with a deal (a deal above the ceiling caps it at 45 less
100 per 100 % of overshoot, never below 15). Without a deal only the process counts:
``0.4 × min(process, 60) + 0.6 × process``, so no deal never beats the same round closed
within the ceiling. A criterion is
credited once (the marks are per round), and only from a real sentence (the turn reader
credits no bare keyword). A round with no deal and fewer than three substantive turns is
unfinished: ``finished`` false, ``score`` and ``parts`` null.

The older per-criterion marks (``criteria``) stay in the payload for the widget.

A settlement drill (the round knows what the learner could pay at once) is counted in
one-off sums unless a monthly plan was agreed: the ceiling is that sum, the floor the
lender's lowest settlement, and the learner's positions are their one-off offers.
The payload also says the round's difficulty and, for a goal drill, whether the goal was
reached (``goal``, coach/practice/goals.py).

The round's facts it marks (positions, concessions, the deal and breach turns) are read by
``coach.practice.round_facts``.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coach.content import load_content
from coach.practice.collector_speech import persona_label
from coach.practice.collector_style import difficulty_settings
from coach.practice.goals import goal_result
from coach.practice.round_facts import (
    Concession,
    RoundFacts,
    accepts_deal,
    affordable_ceiling,
    finished,
    lump_round,
    money_figure_of,
    round_facts,
)
from coach.practice.state import RoundState
from coach.practice.turn_reader import TurnReading, found, substantive

Criteria = dict[str, bool | None]
Marks = dict[str, float | None]
ScorePayload = dict[str, Any]

OUTCOME_WEIGHT = 0.4  # of the negotiation score when there is a deal; process has the rest
CONDUCT_FLOOR = 0.4  # the conduct factor runs from this (conduct 0) to 1 (conduct 100)
OUTCOME_AT_CEILING = 60
OUTCOME_JUST_OVER = 40
OVERSHOOT_PENALTY = 400  # outcome points per 100 % above the ceiling
# A deal above the ceiling caps the negotiation score: 45 less 100 per 100 % over, down to 15.
OVER_CEILING_CAP = 45
OVER_CEILING_CAP_SLOPE = 100
OVER_CEILING_CAP_MIN = 15
PROCESS_WEIGHTS: dict[str, int] = {
    "first_offer": 20,
    "refused_first_demand": 15,
    "concessions": 15,
    "rationale": 10,
    "conditional_trade": 10,
    "verification": 10,
    "written": 10,
    "breaking_the_ice": 10,
}
CONDUCT_WEIGHTS: dict[str, int] = {"calm": 50, "no_threats": 20, "asserted_rights": 30}
# First offer, as shares of the ceiling: ambitious up to AMBITIOUS, credible from CREDIBLE
# (and never below the balance over the longest term).
AMBITIOUS = 0.8
CLOSE_TO_CEILING = 0.9
CREDIBLE = 0.5
TIPS_SHOWN = 2
WENT_WELL_SHOWN = 4

# The older criteria (criteria_labels in roleplay.yml), kept in the payload.
WEIGHTS: dict[str, int] = {
    "introduced_self": 6,
    "acknowledged_debt": 10,
    "concrete_plan": 25,
    "asked_waiver": 6,
    "stayed_calm": 20,
    "verified_details": 8,
    "stood_ground": 25,
    "asserted_rights": 10,
}


# --- outcome ----------------------------------------------------------------------


def outcome_points(monthly: int, floor: int, ceiling: int) -> float:
    """100 at or below the floor, 60 at the ceiling, then 40 less 400 per 100 % over."""
    if monthly > ceiling:
        over = (monthly - ceiling) / ceiling
        return max(0.0, OUTCOME_JUST_OVER - OVERSHOOT_PENALTY * over)
    if monthly <= floor or ceiling <= floor:
        return 100.0
    share = (monthly - floor) / (ceiling - floor)
    return 100.0 - (100 - OUTCOME_AT_CEILING) * share


def outcome(facts: RoundFacts) -> float | None:
    if facts.agreed_monthly is None:
        return None
    return outcome_points(facts.agreed_monthly, facts.floor, facts.ceiling)


# --- process ----------------------------------------------------------------------


def credible_minimum(facts: RoundFacts) -> int:
    """The lowest monthly amount that clears the balance within the longest term."""
    return math.ceil(facts.balance / max(1, facts.max_term))


def first_offer_mark(monthly: int, facts: RoundFacts) -> float:
    """1 when ambitious and credible; less the nearer the ceiling or the less credible."""
    ceiling, minimum = facts.ceiling, credible_minimum(facts)
    if monthly > ceiling:
        return 0.0
    if monthly > CLOSE_TO_CEILING * ceiling:
        return 0.4
    if monthly > AMBITIOUS * ceiling:
        return 0.7
    if monthly >= max(minimum, CREDIBLE * ceiling):
        return 1.0
    return 0.6 if monthly >= minimum else 0.3


def _first_offer(facts: RoundFacts) -> float:
    first = facts.first_offer
    return 0.0 if first is None else first_offer_mark(first.monthly, facts)


def _refused_first_demand(facts: RoundFacts) -> float:
    if facts.first_money is None:
        return 0.0
    return 0.0 if facts.first_money[1] == "accept" else 1.0


def concession_mark(concession: Concession, previous: Concession | None, ceiling: int) -> float:
    """Half for a reason, half for shrinking (the first one shrinks by definition); none
    for a concession above the ceiling."""
    if concession.after > ceiling:
        return 0.0
    shrinks = previous is None or concession.size < previous.size
    return 0.5 * concession.reason + 0.5 * shrinks


def _concessions_mark(facts: RoundFacts) -> float | None:
    """The mean mark of the concessions. With none: 0 for taking a figure above the ceiling
    or for offering and never moving without a deal; else (a deal at the first offer, or
    no offer at all) it did not arise."""
    made = facts.concessions
    if not made:
        last = facts.positions[-1] if facts.positions else None
        gave_in = last is not None and last.accepted and last.monthly > facts.ceiling
        stuck = facts.first_offer is not None and facts.agreed_monthly is None
        return 0.0 if gave_in or stuck else None
    marks = [
        concession_mark(c, made[i - 1] if i else None, facts.ceiling) for i, c in enumerate(made)
    ]
    return sum(marks) / len(marks)


def _any(readings: Sequence[TurnReading], *names: str) -> bool:
    return any(getattr(reading, name) for reading in readings for name in names)


def _trade(readings: Sequence[TurnReading]) -> float:
    if _any(readings, "conditional_offer"):
        return 1.0
    return 0.5 if _any(readings, "asked_waiver") else 0.0


def _ice(readings: Sequence[TurnReading]) -> float:
    return 0.5 * _any(readings, "introduced_self") + 0.5 * _any(readings, "acknowledged_debt")


def process_marks(facts: RoundFacts) -> Marks:
    readings = facts.readings
    return {
        "first_offer": _first_offer(facts),
        "refused_first_demand": _refused_first_demand(facts),
        "concessions": _concessions_mark(facts),
        "rationale": float(_any(readings, "gave_reason")),
        "conditional_trade": _trade(readings),
        "verification": float(_any(readings, "asked_identity", "verified_amount")),
        "written": float(_any(readings, "asked_written")),
        "breaking_the_ice": _ice(readings),
    }


# --- conduct ----------------------------------------------------------------------


def _calm(readings: Sequence[TurnReading]) -> float:
    rude = sum(1 for reading in readings if reading.insulted_or_shouted)
    return max(0.0, 1.0 - 0.5 * rude)


def _rights(facts: RoundFacts) -> float | None:
    if facts.breach_turn is None:
        return None
    after = facts.readings[facts.breach_turn :]
    return float(_any(after, "asserted_rights"))


def conduct_marks(facts: RoundFacts) -> Marks:
    return {
        "calm": _calm(facts.readings),
        "no_threats": 0.0 if _any(facts.readings, "threatened") else 1.0,
        "asserted_rights": _rights(facts),
    }


def weighted(marks: Marks, weights: Mapping[str, int]) -> float:
    """0-100: the weighted share of the marks that arose (None left out)."""
    counted = {name: mark for name, mark in marks.items() if mark is not None}
    total = sum(weights[name] for name in counted)
    if not total:
        return 0.0
    return 100 * sum(weights[name] * mark for name, mark in counted.items()) / total


# --- the score --------------------------------------------------------------------


@dataclass(frozen=True)
class Parts:
    outcome: float | None
    process: float
    conduct: float

    overshoot: float = 0.0  # how far the deal is above the ceiling, as a share of it

    @property
    def cap(self) -> float:
        if self.overshoot <= 0:
            return 100.0
        capped = OVER_CEILING_CAP - OVER_CEILING_CAP_SLOPE * self.overshoot
        return max(float(OVER_CEILING_CAP_MIN), capped)

    @property
    def negotiation(self) -> float:
        """Outcome and process blended; without a deal the process stands in for the outcome,
        up to what a deal at the ceiling earns (no deal never beats the same round closed
        within the ceiling)."""
        if self.outcome is None:
            stand_in = min(self.process, float(OUTCOME_AT_CEILING))
            return OUTCOME_WEIGHT * stand_in + (1 - OUTCOME_WEIGHT) * self.process
        blend = OUTCOME_WEIGHT * self.outcome + (1 - OUTCOME_WEIGHT) * self.process
        return min(blend, self.cap)

    @property
    def total(self) -> int:
        factor = CONDUCT_FLOOR + (1 - CONDUCT_FLOOR) * self.conduct / 100
        return int(max(0, min(100, round(self.negotiation * factor))))

    def to_dict(self) -> dict[str, int | None]:
        rounded = None if self.outcome is None else round(self.outcome)
        return {"outcome": rounded, "process": round(self.process), "conduct": round(self.conduct)}


def over_ceiling(facts: RoundFacts) -> bool:
    return facts.agreed_monthly is not None and facts.agreed_monthly > facts.ceiling


def overshoot(facts: RoundFacts) -> float:
    if facts.agreed_monthly is None:
        return 0.0
    return max(0.0, (facts.agreed_monthly - facts.ceiling) / max(1, facts.ceiling))


def parts(facts: RoundFacts) -> Parts:
    return Parts(
        outcome=outcome(facts),
        process=weighted(process_marks(facts), PROCESS_WEIGHTS),
        conduct=weighted(conduct_marks(facts), CONDUCT_WEIGHTS),
        overshoot=overshoot(facts),
    )


# --- the older criteria -------------------------------------------------------------


def over_budget(state: RoundState) -> bool:
    """The round ended in an agreement above what the user can afford."""
    return state.agreement is not None and state.agreement.monthly > affordable_ceiling(state)


def _stood_ground(state: RoundState, turns: Sequence[TurnReading]) -> bool | None:
    """False for any agreement above budget (taken demand or own offer); None when the
    user never spoke or no demand above budget arose."""
    if over_budget(state):
        return False
    demand_too_high = state.max_demand_monthly > affordable_ceiling(state)
    return True if turns and demand_too_high else None


def _concrete_plan(turns: Sequence[TurnReading]) -> bool:
    amount = any(turn.offered_monthly is not None for turn in turns)
    return amount and any(turn.offered_term is not None for turn in turns)


def criteria(state: RoundState) -> Criteria:
    """Each criterion: True, False, or None when it did not arise."""
    turns = state.readings
    return {
        "introduced_self": _any(turns, "introduced_self"),
        "acknowledged_debt": _any(turns, "acknowledged_debt"),
        "concrete_plan": _concrete_plan(turns),
        "asked_waiver": _any(turns, "asked_waiver"),
        "stayed_calm": not _any(turns, "insulted_or_shouted") if turns else None,
        "verified_details": _any(turns, "verified_amount", "asked_identity"),
        "stood_ground": _stood_ground(state, turns),
        "asserted_rights": _any(turns, "asserted_rights") if state.crossed_line else None,
    }


def points(marks: Criteria, over: bool) -> int:
    """The older score: weighted share of the criteria met, less 30 above budget."""
    counted = {name: met for name, met in marks.items() if met is not None}
    total = sum(WEIGHTS[name] for name in counted)
    earned = sum(WEIGHTS[name] for name, met in counted.items() if met)
    raw = 100 * earned / total if total else 0
    return int(max(0, min(100, round(raw - (30 if over else 0)))))


# --- tips and turn notes --------------------------------------------------------------


def missed_items(facts: RoundFacts) -> list[str]:
    """Rubric items not (fully) met, the heaviest first: over the ceiling leads."""
    over = over_ceiling(facts)
    weights = {**PROCESS_WEIGHTS, **CONDUCT_WEIGHTS}
    marks = {**process_marks(facts), **conduct_marks(facts)}
    missed = [name for name, mark in marks.items() if mark is not None and mark < 1]
    ordered = sorted(missed, key=lambda name: -weights[name])
    return (["walk_away_point"] if over else []) + ordered


def tips(facts: RoundFacts) -> list[str]:
    texts = load_content("roleplay")["tips"]
    return [texts[name] for name in missed_items(facts)] or [texts["perfect"]]


def _note_keys(facts: RoundFacts, index: int) -> list[str]:
    """What the debrief says about one turn, most telling first."""
    reading = facts.readings[index]
    keys = _money_notes(facts, index) + _conduct_notes(facts, index)
    keys += [key for key, met in _habit_notes(reading).items() if met]
    if not keys:
        keys = ["silent"] if not substantive(reading) else ["nothing_read"]
    return keys


def _money_notes(facts: RoundFacts, index: int) -> list[str]:
    reading = facts.readings[index]
    keys = []
    if reading.pay_in_full and not facts.lump:
        keys.append("pay_in_full")
    elif index == facts.deal_turn and accepts_deal(reading):
        over = (facts.agreed_monthly or 0) > facts.ceiling
        keys.append("accepted_over" if over else "accepted_within")
    first = facts.first_offer
    if first is not None and first.turn == index:
        keys.append("first_offer_" + _first_offer_band(first.monthly, facts))
    for made in facts.concessions:
        if made.turn == index:
            keys.append("concession_with_reason" if made.reason else "concession_no_reason")
    if reading.refused_demand and not reading.concrete_offer:
        keys.append("refused")
    if reading.vague_promise and not reading.concrete_offer:
        keys.append("vague")
    return keys


def _first_offer_band(monthly: int, facts: RoundFacts) -> str:
    mark = first_offer_mark(monthly, facts)
    bands = {1.0: "good", 0.7: "high", 0.4: "near_ceiling", 0.0: "over", 0.6: "low"}
    return bands.get(mark, "not_credible")


def _conduct_notes(facts: RoundFacts, index: int) -> list[str]:
    reading = facts.readings[index]
    keys = []
    if reading.insulted_or_shouted:
        keys.append("insult")
    if reading.threatened:
        keys.append("threat")
    if reading.asserted_rights:
        breached = facts.breach_turn is not None and index >= facts.breach_turn
        keys.append("rights_after_breach" if breached else "rights")
    return keys


def _habit_notes(reading: TurnReading) -> dict[str, bool]:
    return {
        "conditional": reading.conditional_offer,
        "waiver": reading.asked_waiver and not reading.conditional_offer,
        "reason": reading.gave_reason,
        "verification": reading.asked_identity or reading.verified_amount,
        "written": reading.asked_written,
        "ice": reading.introduced_self and reading.acknowledged_debt,
        # One half of the ice, noted as what it is (the debrief names the missing half).
        "ice_identity": reading.introduced_self and not reading.acknowledged_debt,
        "ice_willing": reading.acknowledged_debt and not reading.introduced_self,
    }


def note_keys(facts: RoundFacts) -> list[list[str]]:
    """Per turn, the keys of its notes (``turn_notes`` in roleplay.yml)."""
    return [_note_keys(facts, index) for index in range(len(facts.readings))]


def note_fields(facts: RoundFacts, index: int) -> dict[str, Any]:
    reading = facts.readings[index]
    monthly = money_figure_of(reading, facts.balance, facts.lump)
    size = next((c.size for c in facts.concessions if c.turn == index), 0)
    return {
        "monthly": monthly if monthly is not None else facts.agreed_monthly,
        "ceiling": facts.ceiling,
        "size": size,
        "balance": facts.balance,
    }


def turn_entries(facts: RoundFacts) -> list[dict[str, Any]]:
    """The payload's ``turns``: per user turn its words, what the reader found, the note."""
    content = load_content("roleplay")
    texts = {**content["turn_notes"], **(content["turn_notes_lump"] if facts.lump else {})}
    entries = []
    for index, keys in enumerate(note_keys(facts)):
        reading = facts.readings[index]
        fields = note_fields(facts, index)
        notes = [str(texts[key]).format(**fields) for key in keys[:2]]
        entries.append(
            {
                "turn": index + 1,
                "text": reading.quote,
                "found": found(reading),
                "offer": _offer_of(reading),
                "notes": keys,
                "note": texts["separator"].join(notes),
            }
        )
    return entries


def _offer_of(reading: TurnReading) -> dict[str, float | None] | None:
    if not reading.concrete_offer and reading.offered_lump_sum is None:
        return None
    return {
        "monthly": reading.offered_monthly,
        "term_months": reading.offered_term,
        "lump_sum": reading.offered_lump_sum,
    }


# --- the payload ------------------------------------------------------------------


def _agreed(state: RoundState) -> dict[str, int] | None:
    if state.agreement is None:
        return None
    return {"monthly": state.agreement.monthly, "term_months": state.agreement.term}


def score_round(state: RoundState) -> ScorePayload:
    """The ``roleplay_score`` payload for a finished or stopped round."""
    facts = round_facts(state)
    done = finished(facts)
    split = parts(facts)
    blank = {"outcome": None, "process": None, "conduct": None}
    return {
        "type": "roleplay_score",
        "score": split.total if done else None,
        "finished": done,
        "persona": state.persona,
        "criteria": criteria(state),
        "agreed": _agreed(state),
        "tips": tips(facts),
        "parts": split.to_dict() if done else blank,
        "rubric": {**process_marks(facts), **conduct_marks(facts)},
        "turns": turn_entries(facts),
        "difficulty": state.difficulty,
        "goal": _goal(state),
    }


def _goal(state: RoundState) -> dict[str, Any] | None:
    result = goal_result(state)
    return None if result is None else result.to_payload()


# --- feedback message -------------------------------------------------------------


def _went_well(payload: Mapping[str, Any], texts: Mapping[str, Any]) -> str:
    labels = load_content("roleplay")["rubric_labels"]
    rubric = payload.get("rubric") or {}
    order = [*PROCESS_WEIGHTS, *CONDUCT_WEIGHTS]  # the process first, heaviest first
    met = [name for name, mark in rubric.items() if mark == 1 and name in labels]
    met.sort(key=lambda name: order.index(name) if name in order else len(order))
    items = [labels[name] for name in met[:WENT_WELL_SHOWN]]
    if not items:
        return str(texts["went_well_none"])
    return str(texts["went_well"].format(items=texts["item_separator"].join(items)))


def _tip_lines(payload: Mapping[str, Any], texts: Mapping[str, Any]) -> list[str]:
    chosen = payload["tips"][:TIPS_SHOWN]
    numbered = [texts["tip_item"].format(n=n, tip=tip) for n, tip in enumerate(chosen, 1)]
    return [texts["tips_header"], *numbered]


def _debrief_lines(payload: Mapping[str, Any], texts: Mapping[str, Any]) -> list[str]:
    comments = payload.get("debrief") or []
    if not comments:
        return []
    numbered = [texts["debrief_item"].format(n=n, **c) for n, c in enumerate(comments, 1)]
    return [texts["debrief_header"], *numbered]


def _agreement_line(payload: Mapping[str, Any], state: RoundState, texts: Mapping[str, Any]) -> str:
    affordable = round(affordable_ceiling(state))
    agreed = payload.get("agreed")
    if not agreed:
        return str(texts["no_agreement"].format(affordable=affordable))
    monthly, term = agreed["monthly"], agreed["term_months"]
    if lump_round(state):
        key = "agreement_settlement" if monthly <= affordable else "agreement_settlement_over"
        return str(texts[key].format(monthly=monthly, affordable=affordable))
    if monthly <= affordable:
        key = "agreement_within"
    else:
        key = "agreement_full" if term == 1 else "agreement_above"
    return str(
        texts[key].format(
            monthly=monthly, term=term, affordable=affordable, excess=monthly - affordable
        )
    )


def _header(payload: Mapping[str, Any], state: RoundState, texts: Mapping[str, Any]) -> str:
    label = persona_label(state)
    if state.difficulty != "standard":
        label = texts["with_difficulty"].format(
            persona_label=label, difficulty=difficulty_settings(state.difficulty).label
        )
    if not payload.get("finished", True) or payload["score"] is None:
        return str(texts["header_unfinished"].format(persona_label=label))
    shares = payload.get("parts") or {}
    outcome_part = shares.get("outcome")
    parts_text = texts["parts"].format(
        outcome=texts["no_outcome"] if outcome_part is None else outcome_part,
        process=shares.get("process"),
        conduct=shares.get("conduct"),
    )
    return str(texts["header"].format(persona_label=label, score=payload["score"]) + parts_text)


def render_feedback(score_payload: Mapping[str, Any], state: RoundState) -> str:
    """The chat message closing a round: score and its parts, strengths, the debrief (or two
    tips), the agreement, progress over earlier rounds."""
    texts = load_content("roleplay")["feedback"]
    if not score_payload.get("finished", True):
        return "\n".join([_header(score_payload, state, texts), str(texts["unfinished"])])
    advice = _debrief_lines(score_payload, texts) or _tip_lines(score_payload, texts)
    progress = list(score_payload.get("progress") or [])
    goal = score_payload.get("goal")
    return "\n".join(
        [
            _header(score_payload, state, texts),
            *([str(goal["text"])] if goal else []),
            _went_well(score_payload, texts),
            *advice,
            _agreement_line(score_payload, state, texts),
            *progress,
        ]
    )
