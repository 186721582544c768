"""Judges whether a figure the user gave can be right, before the form accepts it.

A problem code names what looks wrong; the form turns it into a re-ask
(``utter_invalid_<code>``). Income 0 is allowed on purpose: it is a real situation, and
the offer then explains that no instalment plan fits.
"""

import math
from collections.abc import Mapping

NEGATIVE = "negative"
TOO_LARGE = "too_large"
EXPENSES_FAR_ABOVE_INCOME = "expenses_far_above_income"
BALANCE_ZERO = "balance_zero"

MONEY_SLOTS = frozenset({"balance", "monthly_income", "monthly_expenses", "lump_sum"})
MAX_MONEY = 1e9  # one billion yuan: above this a typing slip is far likelier
MAX_MONTHS_OVERDUE = 600  # fifty years
EXPENSE_TO_INCOME_LIMIT = 10  # expenses ten times the income: likely an extra zero


def check_figure(slot: str, value: float, known: Mapping[str, float | None]) -> str | None:
    """None when ``value`` is plausible for ``slot``, else a problem code.

    ``known`` holds the other figures gathered so far (None where not given); it is
    used to compare expenses with income in whichever order they arrive. A value that
    is not a finite number counts as too large.
    """
    if math.isnan(value) or math.isinf(value):
        return TOO_LARGE
    if value < 0:
        return NEGATIVE
    if _too_large(slot, value):
        return TOO_LARGE
    if slot == "balance" and value == 0:
        return BALANCE_ZERO
    if _expenses_far_above_income(slot, value, known):
        return EXPENSES_FAR_ABOVE_INCOME
    return None


def _too_large(slot: str, value: float) -> bool:
    if slot in MONEY_SLOTS:
        return value > MAX_MONEY
    if slot == "months_overdue":
        return value > MAX_MONTHS_OVERDUE
    return False


def _expenses_far_above_income(slot: str, value: float, known: Mapping[str, float | None]) -> bool:
    income: float | None
    expenses: float | None
    if slot == "monthly_expenses":
        income, expenses = known.get("monthly_income"), value
    elif slot == "monthly_income":
        income, expenses = value, known.get("monthly_expenses")
    else:
        return False
    if income is None or expenses is None or income <= 0:
        return False
    return expenses > EXPENSE_TO_INCOME_LIMIT * income
