"""Scores a practice round (docs/contract.md §3 ``roleplay_score``) and writes the feedback.

The criteria follow the research on coaching a negotiation (``negotiation_scoring_criteria``
in content/facts.yml): a concrete plan, never committing above what one can afford and
staying calm weigh most. A criterion that did not arise in the round is ``None`` and left out
of the score; an agreement above the affordable amount costs a further penalty.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from coach.content import load_content
from coach.practice.collector import persona_label
from coach.practice.state import RoundState
from coach.practice.turn_reader import TurnReading

Criteria = dict[str, bool | None]
ScorePayload = dict[str, Any]

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
OVER_BUDGET_PENALTY = 30
EXTRA_HABITS = ("gave_reason", "asked_written")
TIPS_SHOWN = 2


def _any(turns: Sequence[TurnReading], name: str) -> bool:
    return any(getattr(turn, name) for turn in turns)


def _affordable(state: RoundState) -> float:
    return float(state.scenario.affordable_monthly)


def over_budget(state: RoundState) -> bool:
    """The round ended in an agreement above what the user can afford."""
    return state.agreement is not None and state.agreement.monthly > _affordable(state)


def _stood_ground(state: RoundState, turns: Sequence[TurnReading]) -> bool | None:
    """False for any agreement above budget (taken demand or own offer); None when the
    user never spoke or no demand above budget arose."""
    if over_budget(state):
        return False
    demand_too_high = state.max_demand_monthly > _affordable(state)
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
        "verified_details": _any(turns, "verified_amount") or _any(turns, "asked_identity"),
        "stood_ground": _stood_ground(state, turns),
        "asserted_rights": _any(turns, "asserted_rights") if state.crossed_line else None,
    }


def points(marks: Criteria, over: bool) -> int:
    """Weighted share of the criteria met (nulls left out), minus the penalty."""
    counted = {name: met for name, met in marks.items() if met is not None}
    total = sum(WEIGHTS[name] for name in counted)
    earned = sum(WEIGHTS[name] for name, met in counted.items() if met)
    raw = 100 * earned / total if total else 0
    return int(max(0, min(100, round(raw - (OVER_BUDGET_PENALTY if over else 0)))))


def tips(marks: Criteria, state: RoundState) -> list[str]:
    """Tips for what was missed, most important first."""
    texts = load_content("roleplay")["tips"]
    missed = sorted(
        (name for name, met in marks.items() if met is False),
        key=lambda name: -WEIGHTS[name],
    )
    turns = state.readings
    missed += [habit for habit in EXTRA_HABITS if not _any(turns, habit)]
    return [texts[name] for name in missed] or [texts["perfect"]]


def _agreed(state: RoundState) -> dict[str, int] | None:
    if state.agreement is None:
        return None
    return {"monthly": state.agreement.monthly, "term_months": state.agreement.term}


def score_round(state: RoundState) -> ScorePayload:
    """The ``roleplay_score`` payload for a finished or stopped round."""
    marks = criteria(state)
    return {
        "type": "roleplay_score",
        "score": points(marks, over_budget(state)),
        "persona": state.persona,
        "criteria": marks,
        "agreed": _agreed(state),
        "tips": tips(marks, state),
    }


# --- feedback message -------------------------------------------------------------


def _went_well(payload: Mapping[str, Any], texts: Mapping[str, Any]) -> str:
    labels = load_content("roleplay")["criteria_labels"]
    items = [labels[name] for name, met in payload["criteria"].items() if met]
    if not items:
        return str(texts["went_well_none"])
    return str(texts["went_well"].format(items=texts["item_separator"].join(items)))


def _tip_lines(payload: Mapping[str, Any], texts: Mapping[str, Any]) -> list[str]:
    chosen = payload["tips"][:TIPS_SHOWN]
    numbered = [texts["tip_item"].format(n=n, tip=tip) for n, tip in enumerate(chosen, 1)]
    return [texts["tips_header"], *numbered]


def _agreement_line(payload: Mapping[str, Any], state: RoundState, texts: Mapping[str, Any]) -> str:
    affordable = round(_affordable(state))
    agreed = payload.get("agreed")
    if not agreed:
        return str(texts["no_agreement"].format(affordable=affordable))
    monthly, term = agreed["monthly"], agreed["term_months"]
    if monthly <= affordable:
        key = "agreement_within"
    else:
        key = "agreement_full" if term == 1 else "agreement_above"
    return str(
        texts[key].format(
            monthly=monthly, term=term, affordable=affordable, excess=monthly - affordable
        )
    )


def render_feedback(score_payload: Mapping[str, Any], state: RoundState) -> str:
    """The chat message closing a round: score, strengths, two tips, the agreement."""
    texts = load_content("roleplay")["feedback"]
    header = texts["header"].format(
        persona_label=persona_label(state), score=score_payload["score"]
    )
    return "\n".join(
        [
            header,
            _went_well(score_payload, texts),
            *_tip_lines(score_payload, texts),
            _agreement_line(score_payload, state, texts),
        ]
    )
