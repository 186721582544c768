"""The coach's hint in the middle of a practice round (提示).

``hint_for`` reads the round as it stands (``RoundState``): what the collector just did
(its last move), what the learner has and has not done (the readings), and the learner's
own figures (their opening offer and ceiling), and picks the most useful next move, in
this order:

1. the collector crossed a line and nobody said so: name it (rights);
2. it asks to confirm a one-off payment: do not say yes unless it is a settlement the
   learner can pay (a settlement drill);
3. nothing said yet: introduce yourself and acknowledge the debt;
4. a settlement drill: offer a sum below what you can raise, then raise it in small steps;
5. it demands the full balance: refuse and make your first offer at once;
6. not verified yet and no offer: verify who calls and what is owed;
7. no offer yet: make the first offer; no reason yet: give one;
8. a drill's goal not asked for yet: 个性化分期, 停息挂账, 减免;
9. its demand is within the ceiling: accept and ask for it in writing; at its floor or the
   learner at the ceiling: hold the line; else trade (a condition) or a small step up with
   a reason, never above the ceiling.

The hint does not change the round. Wording: content/hints.yml. Pure: no Rasa import.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coach.content import load_content
from coach.guidance.old_debt import old_debt_gate
from coach.practice.collector import offered_monthly
from coach.practice.round_start import built_in_case
from coach.practice.state import RoundState

ROUND_TO = 50
OPENING_SHARE = 0.7
SETTLE_OPENING_SHARE = 0.8  # a first settlement offer, of what the learner can raise


@dataclass(frozen=True)
class Hint:
    key: str  # a key of hints.yml moves
    situation: str
    advice: str
    say: str | None
    figures: str

    def text(self) -> str:
        texts = _texts()["format"]
        lines = [texts["header"] + self.situation + self.advice]
        if self.say:
            lines.append(texts["say"].format(say=self.say))
        lines.append(self.figures + texts["back"])
        return "\n".join(lines)


def _texts() -> Mapping[str, Any]:
    texts: Mapping[str, Any] = load_content("hints")
    return texts


def _down(value: float) -> int:
    return int(value // ROUND_TO * ROUND_TO)


def _term(balance: int, monthly: int, longest: int) -> int:
    return max(1, min(longest, math.ceil(balance / max(1, monthly))))


def learner_opening(state: RoundState) -> int:
    """The learner's own first offer: their offer's opening (a round from their figures),
    else 70 % of the ceiling, and never below what clears the debt in the longest term."""
    scenario = state.scenario
    ceiling, longest = scenario.affordable_monthly, max(1, scenario.max_term_months)
    minimum = math.ceil(scenario.balance / longest)
    own = None if built_in_case(state) else scenario.opening_monthly
    opening = round(own) if own else _down(OPENING_SHARE * ceiling)
    return min(ceiling, max(minimum, opening))


def _fields(state: RoundState) -> dict[str, Any]:
    scenario = state.scenario
    balance, ceiling = scenario.balance, scenario.affordable_monthly
    longest = max(1, scenario.max_term_months)
    opening = learner_opening(state)
    last = _last_offer(state)
    step = max(ROUND_TO, _down((ceiling - (last or opening)) / 2))
    nxt = min(ceiling, (last or opening) + step)
    lump = state.lump_sum_available or 0
    offers = state.lump_sum_offers
    settle_offer = _down(SETTLE_OPENING_SHARE * lump)
    settle_step = max(ROUND_TO * 10, _down((lump - (offers[-1] if offers else settle_offer)) / 2))
    return {
        "balance": balance,
        "ceiling": ceiling,
        "opening": opening,
        "opening_term": _term(balance, opening, longest),
        "ceiling_term": _term(balance, ceiling, longest),
        "demand": state.demand.monthly,
        "last": last or opening,
        "next": nxt,
        "next_term": _term(balance, nxt, longest),
        "pending": state.pending_lump_sum or balance,
        "settlement": state.settlement_demand or balance,
        "lump": lump,
        "settle_offer": settle_offer,
        "settle_next": min(
            lump,
            state.settlement_demand or lump,
            (offers[-1] if offers else settle_offer) + settle_step,
        ),
    }


def _last_offer(state: RoundState) -> int | None:
    """The learner's latest monthly offer (a term alone stands for balance / term)."""
    balance = state.scenario.balance
    offers = [offered_monthly(reading, balance) for reading in state.readings]
    made = [offer for offer in offers if offer is not None]
    return made[-1] if made else None


def _did(state: RoundState, *names: str) -> bool:
    return any(getattr(reading, name) for reading in state.readings for name in names)


def _settlement_key(state: RoundState, fields: Mapping[str, Any]) -> str:
    offers, demand = state.lump_sum_offers, state.settlement_demand
    if not offers:
        return "settlement_offer"
    if demand is not None and demand <= fields["lump"] and "final_settlement" in state.last_moves:
        return "settlement_accept"
    return "settlement_hold" if offers[-1] >= fields["lump"] else "settlement_raise"


def _goal_key(state: RoundState) -> str | None:
    if state.goal in ("personalised", "freeze") and not state.hardship:
        return "ask_personalised" if state.goal == "personalised" else "ask_freeze"
    if state.goal == "waiver" and not (state.waiver_granted or state.hardship):
        return "ask_waiver"
    return None


def _deal_key(state: RoundState, fields: Mapping[str, Any]) -> str:
    ceiling = fields["ceiling"]
    if state.demand.monthly <= ceiling:
        return "accept_written"
    last = _last_offer(state)
    at_floor = state.demand.monthly <= state.floor.monthly or "final_pressure" in state.last_moves
    if at_floor or (last is not None and last >= ceiling):
        return "hold_line"
    return "small_step" if _did(state, "conditional_offer") else "trade"


def _confirm_key(state: RoundState) -> str:
    pending, lump = state.pending_lump_sum or 0, state.lump_sum_available
    settles = state.goal == "settlement" and lump is not None
    if settles and pending <= (lump or 0) and pending < state.scenario.balance:
        return "confirm_settlement"
    return "not_confirm"


def choose(state: RoundState) -> str:
    """The key of the most useful next move (see the module docstring)."""
    fields = _fields(state)
    if state.finished:
        return "round_over"
    if state.crossed_line and not state.reformed:
        return "rights"
    if state.pending_lump_sum is not None:
        return _confirm_key(state)
    offered = _last_offer(state) is not None
    if not offered and not old_debt_gate(state.scenario.months_overdue or None).passed:
        # An old debt: its age before any admission or offer (coach/guidance/old_debt.py).
        return "old_debt"
    if state.turns == 0:
        return "ice"
    if state.goal == "settlement" and state.lump_sum_available:
        return _settlement_key(state, fields)
    if state.demand.kind == "full":
        return "refuse_full"
    if not offered and not _did(state, "asked_identity", "verified_amount"):
        return "verify"
    if not offered:
        return "first_offer"
    if not _did(state, "gave_reason"):
        return "reason"
    return _goal_key(state) or _deal_key(state, fields)


def _situation(state: RoundState, fields: Mapping[str, Any]) -> str:
    situations = _texts()["situations"]
    for move in reversed(state.last_moves):
        if move in situations:
            return str(situations[move]).format(**fields)
    return ""


def hint_for(state: RoundState) -> Hint:
    """The hint for this moment of the round, in the learner's own figures."""
    fields = _fields(state)
    key = choose(state)
    entry = _texts()["moves"][key]
    figures_key = "figures_lump" if state.lump_sum_available else "figures"
    return Hint(
        key=key,
        situation="" if key == "round_over" else _situation(state, fields),
        advice=str(entry["advice"]).format(**fields),
        say=str(entry["say"]).format(**fields) if "say" in entry else None,
        figures=str(_texts()["format"][figures_key]).format(**fields),
    )
