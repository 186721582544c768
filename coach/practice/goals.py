"""Goal drills: 个性化分期, 停息挂账, 减免, 一次性结清.

A drill gives the learner one goal, a case that fits it (``goals`` in content/roleplay.yml:
a credit card with a hardship to tell for 个性化分期 and 停息挂账, a card whose penalties
pile up for 减免, an online loan and a sum the family can raise for 一次性结清) and a
collector when none is chosen. ``goal_result`` says whether the round reached the goal,
in the words of content/debrief.yml (``goals``):

- 个性化分期 / 停息挂账: the learner gave a reason and asked for it (第七十条 / 停息), so
  the collector opened the hardship path, and no plan above the ceiling was taken;
- 减免: the collector granted a waiver (or the hardship path, which waives part), and no
  plan above the ceiling was taken;
- 一次性结清: a one-off settlement below the balance, within what the learner could raise.

Pure: no Rasa import.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coach.content import load_content
from coach.practice.learner_moves import hear
from coach.practice.state import Goal, Persona, RoundState, as_persona


@dataclass(frozen=True)
class Drill:
    goal: Goal
    label: str
    persona: Persona
    scenario: dict[str, Any]
    lump_sum_available: int | None
    situation: str
    aim: str


def drill(goal: Goal) -> Drill:
    entry: Mapping[str, Any] = load_content("roleplay")["goals"][goal]
    scenario = dict(entry["scenario"])
    lump = entry.get("lump_sum_available")
    fields = {"ceiling": scenario["affordable_monthly"], "lump": lump}
    return Drill(
        goal=goal,
        label=str(entry["label"]),
        persona=as_persona(entry["persona"]) or "pushy",
        scenario=scenario,
        lump_sum_available=None if lump is None else int(lump),
        situation=str(entry["situation"]).format(**fields),
        aim=str(entry["aim"]).format(**fields),
    )


def goal_label(goal: Goal) -> str:
    return str(load_content("roleplay")["goals"][goal]["label"])


@dataclass(frozen=True)
class GoalResult:
    goal: Goal
    reached: bool
    detail: str  # a key of debrief.yml goals.details
    fields: tuple[tuple[str, int | None], ...] = ()

    def text(self) -> str:
        texts = load_content("debrief")["goals"]
        values = {"goal": goal_label(self.goal), **dict(self.fields)}
        detail = str(texts["details"][self.detail]).format(**values)
        return str(texts["reached" if self.reached else "missed"]).format(detail=detail, **values)

    def to_payload(self) -> dict[str, Any]:
        return {
            "key": self.goal,
            "label": goal_label(self.goal),
            "reached": self.reached,
            "detail": self.detail,
            "text": self.text(),
        }


def _moves(state: RoundState) -> set[str]:
    """Every learner move of the round, heard again from the readings."""
    balance = state.scenario.balance
    found: set[str] = set()
    for reading in state.readings:
        found |= hear(reading.quote, reading, balance).moves
    return found


def _over_ceiling(state: RoundState) -> bool:
    agreement = state.agreement
    if agreement is None or agreement.term == 1:
        return False
    return agreement.monthly > state.scenario.affordable_monthly


def _hardship_result(state: RoundState, asked_move: str, not_asked: str) -> tuple[bool, str]:
    moves = _moves(state)
    if _over_ceiling(state):
        return False, "over_ceiling"
    if asked_move not in moves:
        return False, not_asked
    if not state.hardship:
        return False, "no_reason"
    return True, "hardship_reached"


def _waiver_result(state: RoundState) -> tuple[bool, str]:
    if _over_ceiling(state):
        return False, "over_ceiling"
    if state.waiver_granted or state.hardship:
        return True, "waiver_reached"
    asked = {"asks_waiver", "asks_freeze"} & _moves(state)
    return False, "waiver_no_plan" if asked else "waiver_not_asked"


def _settlement_result(state: RoundState) -> tuple[bool, str]:
    agreement, lump = state.agreement, state.lump_sum_available
    balance = state.scenario.balance
    if agreement is not None and agreement.term == 1:
        if agreement.monthly >= balance:
            return False, "settlement_paid_full"
        if lump is not None and agreement.monthly > lump:
            return False, "settlement_over"
        return True, "settlement_reached"
    if not state.lump_sum_offers:
        return False, "settlement_not_offered"
    return False, "settlement_no_deal"


def goal_result(state: RoundState) -> GoalResult | None:
    """Whether the round reached its drill's goal; None for a round without a goal."""
    goal = state.goal
    if goal is None:
        return None
    if goal == "personalised":
        reached, detail = _hardship_result(state, "asks_art70", "personalised_not_asked")
    elif goal == "freeze":
        reached, detail = _hardship_result(state, "asks_freeze", "freeze_not_asked")
    elif goal == "waiver":
        reached, detail = _waiver_result(state)
    else:
        reached, detail = _settlement_result(state)
    agreed = None if state.agreement is None else state.agreement.monthly
    fields = (
        ("ceiling", state.scenario.affordable_monthly),
        ("lump", state.lump_sum_available),
        ("agreed", agreed),
        ("balance", state.scenario.balance),
    )
    return GoalResult(goal=goal, reached=reached, detail=detail, fields=fields)
