"""The arithmetic of sharing a monthly budget between debts (``coach.debts.planner`` chooses
and explains the split): pro-rata shares rounded to money steps, the credit-card 60-month
minimum, highest-rate-first shares, and the interest estimate (interest paid month by month
while it keeps running, and what highest-rate-first saves against pro rata).
"""

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

from coach.debts.model import Debt
from coach.offer.planner import (
    CARD_MAX_TERM_MONTHS,
    LONG_PLAN_MONTHS,
    money_step,
    round_down_money,
    round_up_money,
)

SHARE_ROUNDING_LOSS = Fraction(3, 100)  # a share may lose this much to a round figure

AVALANCHE_MINIMUM_MONTHS = LONG_PLAN_MONTHS  # each debt's minimum clears it in 60 months

INTEREST_HORIZON_MONTHS = 600  # the interest estimate gives up after 50 years

_CLEARED = 0.005  # yuan: what is left of a balance counted as paid off

_SHARE_STEPS = (100, 10, 1)


def pro_rata_shares(debts: Sequence[Debt], budget: int) -> dict[str, int]:
    """``budget`` shared in proportion to the balances, each share rounded down."""
    total = sum(debt.balance for debt in debts)
    return {debt.id: _share(debt, Fraction(budget * debt.balance, total)) for debt in debts}


def _share(debt: Debt, exact: Fraction) -> int:
    if exact >= debt.balance:
        return debt.balance
    least = card_cap_monthly(debt.balance) if debt.lender_type == "credit_card" else 1
    return round_share(exact, least)


def round_share(exact: Fraction, least: int = 1) -> int:
    """Down to the coarsest money step losing at most 3 % of the share and keeping it at
    ``least`` (a card's 60-month minimum), else to whole yuan."""
    steps = [step for step in _SHARE_STEPS if step <= money_step(exact)]
    for step in steps:
        rounded = math.floor(exact / step) * step
        if rounded >= least and rounded >= exact * (1 - SHARE_ROUNDING_LOSS):
            return rounded
    return math.floor(exact)


def card_cap_monthly(balance: int) -> int:
    """The least monthly that clears a card within the 60-month cap."""
    return math.ceil(Fraction(balance, CARD_MAX_TERM_MONTHS))


def avalanche_minimum(balance: int) -> int:
    """Each debt's minimum under highest-rate-first: clears it within 60 months."""
    least = math.ceil(Fraction(balance, AVALANCHE_MINIMUM_MONTHS))
    return min(round_up_money(least), balance)


def by_rate(debts: Sequence[Debt]) -> list[Debt]:
    """Highest monthly rate first; equal rates keep the order given."""
    return sorted(debts, key=lambda debt: -(debt.monthly_rate or 0.0))


def highest_rate_first_shares(debts: Sequence[Debt], budget: int) -> dict[str, int]:
    """Minimums for all, then the rest to the highest rate, never above a balance."""
    monthly = {debt.id: avalanche_minimum(debt.balance) for debt in debts}
    extra = budget - sum(monthly.values())
    for debt in by_rate(debts):
        added = min(extra, debt.balance - monthly[debt.id])
        monthly[debt.id] += added
        extra -= added
    return monthly


Spread = Callable[[list[float], Sequence[float], float], None]


def interest_paid(
    balances: Sequence[int], rates: Sequence[float], monthly: Sequence[int], spread: Spread
) -> tuple[float, int] | None:
    """Interest paid and months taken if interest keeps running, or None past 50 years.

    Each month interest is added, each debt gets its planned amount, and what is left
    of the total (from debts already cleared) is handed on by ``spread``.
    """
    owed = [float(balance) for balance in balances]
    budget = float(sum(monthly))
    interest = 0.0
    for month in range(1, INTEREST_HORIZON_MONTHS + 1):
        interest += _add_interest(owed, rates)
        left = budget - _pay(owed, [float(amount) for amount in monthly])
        spread(owed, rates, left)
        if all(value <= _CLEARED for value in owed):
            return interest, month
    return None


def _add_interest(owed: list[float], rates: Sequence[float]) -> float:
    added = 0.0
    for index, rate in enumerate(rates):
        charge = owed[index] * rate if owed[index] > _CLEARED else 0.0
        owed[index] += charge
        added += charge
    return added


def _pay(owed: list[float], amounts: Sequence[float]) -> float:
    paid = 0.0
    for index, amount in enumerate(amounts):
        part = min(amount, max(owed[index], 0.0))
        owed[index] -= part
        paid += part
    return paid


def spread_to_highest_rate(owed: list[float], rates: Sequence[float], left: float) -> None:
    order = sorted(range(len(owed)), key=lambda index: -rates[index])
    _pay_in_order(owed, order, left)


def spread_pro_rata(owed: list[float], rates: Sequence[float], left: float) -> None:
    total = sum(value for value in owed if value > _CLEARED)
    if total <= 0 or left <= 0:
        return
    if left >= total:
        owed[:] = [0.0] * len(owed)
        return
    for index, value in enumerate(owed):
        if value > _CLEARED:
            owed[index] -= left * value / total


def _pay_in_order(owed: list[float], order: Sequence[int], left: float) -> None:
    for index in order:
        part = min(left, max(owed[index], 0.0))
        owed[index] -= part
        left -= part


def months_with_rollover(debts: Sequence[Debt], monthly: dict[str, int]) -> int | None:
    """Months until every debt is paid, interest frozen, freed money moving on."""
    run = interest_paid(
        [debt.balance for debt in debts],
        [0.0] * len(debts),
        [monthly[debt.id] for debt in debts],
        _spread_by_order(debts),
    )
    return None if run is None else run[1]


def _spread_by_order(debts: Sequence[Debt]) -> Spread:
    order = [debts.index(debt) for debt in by_rate(debts)]

    def spread(owed: list[float], rates: Sequence[float], left: float) -> None:
        _pay_in_order(owed, order, left)

    return spread


def interest_saved(debts: Sequence[Debt], budget: int) -> int | None:
    """Interest highest-rate-first saves against pro rata at the same budget, rounded
    down to money steps; None when either would not clear within 50 years."""
    balances = [debt.balance for debt in debts]
    rates = [debt.monthly_rate or 0.0 for debt in debts]
    runs = []
    for shares, spread in (
        (pro_rata_shares(debts, budget), spread_pro_rata),
        (highest_rate_first_shares(debts, budget), spread_to_highest_rate),
    ):
        run = interest_paid(balances, rates, [shares[debt.id] for debt in debts], spread)
        if run is None:
            return None
        runs.append(run[0])
    return round_down_money(math.floor(max(runs[0] - runs[1], 0.0)))
