"""What a practice round agreed, for the real instalment application.

A round played on the user's own case (their offer, a debt of theirs, or the figures
given so far, not the built-in case) that ended in an instalment plan within what the
user said they can afford gives the monthly amount and term the application can ask for.
Pure: no Rasa import.
"""

from dataclasses import dataclass
from typing import Any

from coach.practice.round_start import built_in_case
from coach.practice.state import RoundState


@dataclass(frozen=True)
class PracticeDeal:
    monthly: int
    term: int
    balance: int


def practice_deal(state: RoundState | None) -> PracticeDeal | None:
    """The plan a finished round agreed on the user's own case, within their ceiling."""
    if state is None or state.agreement is None or built_in_case(state) or state.goal:
        return None
    agreed = state.agreement
    if agreed.term <= 1 or agreed.monthly > state.scenario.affordable_monthly:
        return None
    return PracticeDeal(agreed.monthly, agreed.term, state.scenario.balance)


def with_practice_deal(
    plan: dict[str, Any] | None, deal: PracticeDeal | None
) -> dict[str, Any] | None:
    """The offer payload the application reads, with the agreed monthly amount and term
    in place of the computed opening (a several-debts plan is left as it is)."""
    if deal is None or (plan or {}).get("type") == "debt_plan":
        return plan
    base = dict(plan or {"type": "repayment_offer", "balance": deal.balance})
    return base | {
        "opening_monthly": deal.monthly,
        "opening_term_months": deal.term,
        "feasible": True,
        "from_practice": True,
    }
