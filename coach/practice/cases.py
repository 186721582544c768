"""The case a practice round plays, from what the conversation knows about the user.

- ``scenario_from_offer``: the computed repayment offer (balance, ceiling, opening);
- ``scenario_from_debt``: one of several debts, with its share of the debt_plan (its
  ``monthly`` is the learner's ceiling, its ``opening_monthly`` their first offer);
- ``scenario_from_figures``: the figures of a repayment form left unfinished (the balance
  at least; the ceiling from income and expenses when both are known, else the built-in
  case's share of the balance).

Each returns the mapping ``coach.practice.round_start.new_round`` takes (None without a
usable balance). Pure: no Rasa import.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from coach.content import load_content
from coach.debts.model import Debt
from coach.offer.planner import affordable_monthly, opening_monthly, round_down_money

Scenario = dict[str, Any]


def _positive(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if value > 0 else None


def _months(value: object) -> int:
    months = _positive(value)
    return round(months) if months else 0


def lender_label(lender_type: str) -> str:
    """The lender the collector speaks for, by type (roleplay.yml lender_names)."""
    names: Mapping[str, str] = load_content("roleplay")["lender_names"]
    return str(names.get(lender_type, names["other"]))


def default_ceiling(balance: int) -> int:
    """A ceiling for a debt whose budget is unknown: the built-in case's share of it."""
    default = load_content("roleplay")["default_scenario"]
    share = float(default["affordable_monthly"]) / float(default["balance"])
    return max(100, round_down_money(round(balance * share)))


def scenario_from_offer(
    offer: Mapping[str, Any] | None, figures: Mapping[str, Any]
) -> Scenario | None:
    """The user's own situation as a practice scenario, when an offer was computed."""
    if not offer or not offer.get("feasible"):
        return None
    return {
        "lender_label": lender_label(offer.get("lender_type") or "other"),
        "balance": offer["balance"],
        "months_overdue": figures.get("months_overdue") or 0,
        "affordable_monthly": offer["ceiling_monthly"],
        "opening_monthly": offer["opening_monthly"],
        "lender_type": offer.get("lender_type") or "other",
    }


def scenario_from_figures(figures: Mapping[str, Any]) -> Scenario | None:
    """The figures a repayment form gathered so far, when the balance is among them."""
    balance = _positive(figures.get("balance"))
    if balance is None:
        return None
    income, expenses = _positive(figures.get("monthly_income")), figures.get("monthly_expenses")
    spent = _positive(expenses) or 0.0
    disposable = round(income - spent) if income is not None and expenses is not None else 0
    ceiling = affordable_monthly(disposable) if disposable > 0 else 0
    ceiling = ceiling or default_ceiling(round(balance))
    lender_type = str(figures.get("lender_type") or "other")
    return {
        "lender_label": lender_label(lender_type),
        "balance": round(balance),
        "months_overdue": _months(figures.get("months_overdue")),
        "affordable_monthly": ceiling,
        "opening_monthly": opening_monthly(ceiling),
        "lender_type": lender_type,
    }


def plan_share(plan: Mapping[str, Any] | None, debt_id: str) -> Mapping[str, Any] | None:
    """One debt's entry of a feasible debt_plan payload."""
    if not isinstance(plan, Mapping) or not plan.get("feasible"):
        return None
    debts: Sequence[Any] = plan.get("debts") or []
    return next((d for d in debts if isinstance(d, Mapping) and d.get("id") == debt_id), None)


def scenario_from_debt(
    debt: Debt, plan: Mapping[str, Any] | None, months_overdue: object = None
) -> Scenario:
    """One of several debts: its lender and balance, its share of the plan as the ceiling
    and its opening as the first offer (the built-in share when there is no plan)."""
    share = plan_share(plan, debt.id) or {}
    ceiling = _positive(share.get("monthly"))
    opening = _positive(share.get("opening_monthly"))
    monthly = round(ceiling) if ceiling else default_ceiling(debt.balance)
    return {
        "lender_label": debt.label,
        "balance": debt.balance,
        "months_overdue": debt.months_overdue or _months(months_overdue),
        "affordable_monthly": monthly,
        "opening_monthly": round(opening) if opening else opening_monthly(monthly),
        "lender_type": debt.lender_type,
    }
