"""Several debts, one plan: how the money the user can spare is shared between lenders.

A pure calculator: debts and monthly figures in, ``DebtPlan`` out. This module chooses the
split and writes its notes; the share arithmetic and the interest estimate live in
``coach.debts.shares``.
``coach.debts.presenter.debt_plan_payload`` turns it into the ``debt_plan`` JSON of the
contract (docs/contract.md §3). It reuses the single offer's rules
(``coach.offer.planner``): the same ceiling, buffer limit, opening share, money steps and
credit-card cap. Amounts are whole yuan; terms assume interest and penalties are frozen
(停息) while the plan runs, as in the single offer.

- Input: 2 to ``MAX_DEBTS`` debts with unique ids and balances above 0 (one debt is the
  single offer's job: ``ValueError``). Income is rounded down, expenses up, as in the
  single offer. When the user says only what they can spare ("一个月只能拿出3000"), the
  caller passes it as income with expenses 0: the plan then keeps the same 25 % buffer
  of it, since people name that sum before emergencies are counted.
- disposable = income − expenses; the ceiling is the single offer's
  ``affordable_monthly(disposable)`` (75 % of it, rounded down to money steps).
- Priority debts come first: a court judgment being enforced, or a secured loan where
  the home or car is at stake (``Debt.priority``). Each gets its ``required_monthly``; when
  that is unknown, the least that clears it within ``PRIORITY_ASSUMED_MONTHS`` (24),
  rounded up to money steps, and a note asks the user to replace this assumption with
  the figure on the court order or contract. Priority debts keep their amount: no
  opening below it, and no 60-month cap (a court order or loan contract sets the terms).
  If they need more than the ceiling (or all of it while other debts wait), no plan fits.
- Method ``pro_rata`` (the default): what is left of the ceiling is shared between the
  other debts in proportion to their balances. Each exact share is rounded down to the
  coarsest money step (100, 10, 1 yuan, never coarser than the single offer's step)
  that loses at most ``SHARE_ROUNDING_LOSS`` (3 %) of it and, for a card, keeps it at
  what clears the card within 60 months; else to whole yuan. A share is never more
  than the balance. So the sum stays within the budget and every
  monthly / balance lies within ``PRO_RATA_TOLERANCE`` (5 %) of the others' (the
  smallest at least 95 % of the largest), provided every exact share is at least
  ``MIN_SHARE`` (20 yuan). A smaller share makes the plan infeasible: a note names the
  debt and suggests clearing it at once first. (Contract example: 3700 shared over
  48000 and 20000 gives 2611.76 → 2600 and 1088.24 → 1080.)
- Each debt's opening is the single offer's ``opening_monthly`` of its monthly (70 %,
  rounded down), raised for a credit card to what clears it within 60 months.
- Credit cards (not priority): the 60-month cap applies to each card. When a card's share
  would need longer, all shares rise together (the pro-rata rule stays) to the least
  total, in money steps, that clears every card within 60 months, as long as the total
  stays within the single offer's ``buffer_limit_monthly`` (90 %); ``affordable_monthly``
  then is that raised total, as the single offer raises its ceiling. Otherwise no plan
  fits and the notes turn to a hardship request (a personalised instalment under
  Art. 70 for cards). Other lenders: a note when a term goes beyond 60 months.
- Method ``highest_rate_first`` (avalanche) is offered when every non-priority debt has
  a ``monthly_rate``, there are at least two of them, their rates differ, and their
  minimums fit: each gets the least that clears it within
  ``AVALANCHE_MINIMUM_MONTHS`` (60), rounded up to money steps, and the rest of the
  budget goes to the highest rate (ties: the order given), then the next. Its notes
  give the user's figures: the extra money, when the first debt clears, and the
  interest saved against pro rata at the same budget if interest keeps running
  (a month-by-month estimate, money freed by a cleared debt moving on). A pro-rata plan
  says this alternative exists. Asking for it when it is not offered gives the
  pro-rata plan with a note saying why. When every shared debt has a rate and the plan
  would not clear within ``INTEREST_HORIZON_MONTHS`` with interest running, a note says
  that the interest freeze is a precondition.
- No plan fits (``feasible`` false) when nothing is left after expenses, the ceiling is
  0, priority debts need it all, a share is under ``MIN_SHARE``, or the card cap cannot
  be met within the 90 % limit. Then no monthly figure or term is set (None), and the
  notes say why and what to do instead.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from coach.debts.model import LENDER_TYPES, Debt
from coach.debts.shares import (
    AVALANCHE_MINIMUM_MONTHS,
    avalanche_minimum,
    by_rate,
    card_cap_monthly,
    highest_rate_first_shares,
    interest_paid,
    interest_saved,
    months_with_rollover,
    pro_rata_shares,
    spread_pro_rata,
    spread_to_highest_rate,
)
from coach.offer.planner import (
    CARD_MAX_TERM_MONTHS,
    LONG_PLAN_MONTHS,
    Note,
    affordable_monthly,
    buffer_limit_monthly,
    complaint_channel_note,
    legal_disclaimer,
    money_step,
    months_to_clear,
    note,
    opening_monthly,
    round_up_money,
)

PRO_RATA = "pro_rata"
HIGHEST_RATE_FIRST = "highest_rate_first"
METHODS = (PRO_RATA, HIGHEST_RATE_FIRST)
MIN_DEBTS = 2
MAX_DEBTS = 10
PRIORITY_ASSUMED_MONTHS = 24  # clears an unknown priority instalment in 2 years
PRO_RATA_TOLERANCE = Fraction(1, 20)  # monthly / balance within 5 % of the others'
MIN_SHARE = 20  # yuan: below it whole-yuan rounding breaks the 5 % tolerance

_CITES_RULES = frozenset({"card_cap", "hardship_plan_card", "priority_judgment"})


@dataclass(frozen=True)
class PlannedDebt:
    """A debt and its part of the plan; figures are None when no plan fits."""

    debt: Debt
    monthly: int | None
    term_months: int | None
    opening_monthly: int | None
    opening_term_months: int | None
    assumed_monthly: bool = False  # a priority amount estimated, not told

    @property
    def priority_reason(self) -> str | None:
        if self.debt.judgment:
            return "judgment"
        return "secured" if self.debt.secured else None


@dataclass(frozen=True)
class DebtPlan:
    """The plan for several debts (see the module docstring for the rules)."""

    method: str
    monthly_income: int
    monthly_expenses: int
    disposable_monthly: int
    ceiling_monthly: int  # the single offer's ceiling rule, before any raise for the cap
    affordable_monthly: int  # what the plan may take: the ceiling, or raised for a card
    debts: tuple[PlannedDebt, ...]
    feasible: bool
    notes: tuple[Note, ...]
    alternatives: tuple[str, ...]  # methods the user may choose for these figures

    @property
    def total_monthly(self) -> int | None:
        if not self.feasible:
            return None
        return sum(item.monthly or 0 for item in self.debts)

    @property
    def priority_debts(self) -> tuple[PlannedDebt, ...]:
        return tuple(item for item in self.debts if item.debt.priority)

    @property
    def shared_debts(self) -> tuple[PlannedDebt, ...]:
        return tuple(item for item in self.debts if not item.debt.priority)


@dataclass(frozen=True)
class _Money:
    income: int
    expenses: int

    @property
    def disposable(self) -> int:
        return self.income - self.expenses

    @property
    def ceiling(self) -> int:
        return affordable_monthly(self.disposable) if self.disposable > 0 else 0

    @property
    def limit(self) -> int:
        return buffer_limit_monthly(self.disposable) if self.disposable > 0 else 0


@dataclass(frozen=True)
class _Split:
    """Monthly amounts by debt id, the budget they come from, and how they were found."""

    method: str
    budget: int
    monthly: dict[str, int]
    raised_for: Debt | None = None  # the card whose cap raised the budget
    notes: tuple[Note, ...] = ()


def plan_debts(
    debts: Sequence[Debt],
    monthly_income: float,
    monthly_expenses: float,
    method: str = PRO_RATA,
) -> DebtPlan:
    """The plan for these debts and figures; see the module docstring for the rules."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    checked = checked_debts(debts)
    money = _whole_yuan(monthly_income, monthly_expenses)
    priority = {debt.id: priority_monthly(debt) for debt in checked if debt.priority}
    shared = [debt for debt in checked if not debt.priority]
    alternatives = _alternatives(shared, money.ceiling - sum(priority.values()))
    reason = _budget_problem(money, checked, priority)
    if reason is not None:
        return _infeasible(method, money, checked, reason, alternatives)
    split = _split(method, money, shared, priority, alternatives)
    if isinstance(split, Note):
        return _infeasible(method, money, checked, split, alternatives)
    return _feasible(money, checked, split, alternatives)


def checked_debts(debts: Sequence[Debt]) -> tuple[Debt, ...]:
    """The debts, validated: 2 to 10, unique ids, balances above 0 in whole yuan."""
    if len(debts) == 1:
        raise ValueError("one debt: use coach.offer.planner.compute_offer")
    if not MIN_DEBTS <= len(debts) <= MAX_DEBTS:
        raise ValueError(f"a plan takes {MIN_DEBTS} to {MAX_DEBTS} debts")
    if len({debt.id for debt in debts}) != len(debts):
        raise ValueError("debt ids must be unique")
    return tuple(_checked_debt(debt) for debt in debts)


def _checked_debt(debt: Debt) -> Debt:
    if not (math.isfinite(debt.balance) and debt.balance > 0):
        raise ValueError(f"debt {debt.id}: balance must be above 0")
    rate = debt.monthly_rate
    if rate is not None and not (math.isfinite(rate) and rate >= 0):
        raise ValueError(f"debt {debt.id}: monthly_rate must be a number not below 0")
    if debt.required_monthly is not None and not debt.required_monthly > 0:
        raise ValueError(f"debt {debt.id}: required_monthly must be above 0")
    lender = debt.lender_type if debt.lender_type in LENDER_TYPES else "other"
    return replace(debt, balance=math.ceil(debt.balance), lender_type=lender)


def _whole_yuan(income: float, expenses: float) -> _Money:
    if not (math.isfinite(income) and math.isfinite(expenses)):
        raise ValueError("income and expenses must be finite numbers")
    return _Money(math.floor(max(income, 0)), math.ceil(max(expenses, 0)))


def priority_monthly(debt: Debt) -> int:
    """What a priority debt takes: its required amount, else the 24-month assumption."""
    if debt.required_monthly is not None:
        return min(math.ceil(debt.required_monthly), debt.balance)
    return min(assumed_priority_monthly(debt.balance), debt.balance)


def assumed_priority_monthly(balance: int) -> int:
    return round_up_money(math.ceil(Fraction(balance, PRIORITY_ASSUMED_MONTHS)))


def _budget_problem(money: _Money, debts: Sequence[Debt], priority: dict[str, int]) -> Note | None:
    """Why nothing can be shared at all, if so."""
    if money.disposable <= 0:
        return note("no_disposable_income", income=money.income, expenses=money.expenses)
    if money.ceiling <= 0:
        return note("too_little_left", disposable=money.disposable)
    needed = sum(priority.values())
    fields = {"priority": needed, "ceiling": money.ceiling, "labels": _labels(debts, priority)}
    if needed > money.ceiling:
        return note("priority_exceeds", **fields)
    if needed == money.ceiling and len(priority) < len(debts):
        return note("nothing_left_after_priority", **fields)
    return None


def _labels(debts: Sequence[Debt], ids: dict[str, int]) -> tuple[str, ...]:
    return tuple(debt.label for debt in debts if debt.id in ids)


# ------------------------------------------------------------------ choosing the split


def _split(
    method: str,
    money: _Money,
    shared: list[Debt],
    priority: dict[str, int],
    alternatives: tuple[str, ...],
) -> _Split | Note:
    rest = money.ceiling - sum(priority.values())
    if method == HIGHEST_RATE_FIRST and HIGHEST_RATE_FIRST in alternatives:
        monthly = highest_rate_first_shares(shared, rest)
        return _Split(HIGHEST_RATE_FIRST, money.ceiling, priority | monthly)
    fallback = _fallback_notes(method, shared, rest)
    split = _pro_rata_split(money, shared, priority)
    if isinstance(split, Note):
        return split
    return replace(split, notes=fallback)


def _fallback_notes(method: str, shared: list[Debt], rest: int) -> tuple[Note, ...]:
    """Why the highest-rate method the user asked for is not offered."""
    reason = _highest_rate_unavailable(shared, rest)
    return (reason,) if method == HIGHEST_RATE_FIRST and reason is not None else ()


def _alternatives(shared: list[Debt], rest: int) -> tuple[str, ...]:
    """The methods offered: pro rata always, highest rate first when it can be worked out."""
    return (PRO_RATA,) if _highest_rate_unavailable(shared, rest) else METHODS


def _highest_rate_unavailable(shared: list[Debt], rest: int) -> Note | None:
    """Why highest-rate-first cannot be offered, if it cannot: rates untold or equal,
    or the minimums do not fit what is left for these debts."""
    rates = [debt.monthly_rate for debt in shared]
    if len(shared) < 2 or any(rate is None for rate in rates):
        return note("highest_rate_needs_rates")
    if len(set(rates)) == 1:
        return note("highest_rate_same_rates")
    minimums = sum(avalanche_minimum(debt.balance) for debt in shared)
    if minimums > rest:
        return note(
            "highest_rate_minimums_exceed",
            minimums=minimums,
            budget=max(rest, 0),
            months=AVALANCHE_MINIMUM_MONTHS,
        )
    return None


# ------------------------------------------------------------------ pro rata


def _pro_rata_split(money: _Money, shared: list[Debt], priority: dict[str, int]) -> _Split | Note:
    fixed = sum(priority.values())
    small = _too_small_share(shared, money.ceiling - fixed)
    if small is not None:
        return small
    monthly = pro_rata_shares(shared, money.ceiling - fixed)
    raised_for = _card_over_cap(shared, monthly)
    if raised_for is None:
        return _Split(PRO_RATA, money.ceiling, priority | monthly)
    raised = _raise_for_cap(money, shared, priority, raised_for)
    if isinstance(raised, Note):
        return raised
    monthly = pro_rata_shares(shared, raised - fixed)
    return _Split(PRO_RATA, raised, priority | monthly, raised_for)


def _too_small_share(shared: list[Debt], rest: int) -> Note | None:
    total = sum(debt.balance for debt in shared)
    for debt in shared:
        exact = Fraction(rest * debt.balance, total)
        if exact < min(MIN_SHARE, debt.balance):
            return note(
                "share_too_small",
                label=debt.label,
                balance=debt.balance,
                share=math.floor(exact),
                minimum=MIN_SHARE,
            )
    return None


def _card_over_cap(shared: list[Debt], monthly: dict[str, int]) -> Debt | None:
    """The card whose share needs the largest raise to fit the cap, if any."""
    over = [
        debt
        for debt in shared
        if debt.lender_type == "credit_card" and monthly[debt.id] < card_cap_monthly(debt.balance)
    ]
    if not over:
        return None
    return max(over, key=lambda debt: Fraction(card_cap_monthly(debt.balance), debt.balance))


def _raise_for_cap(
    money: _Money, shared: list[Debt], priority: dict[str, int], card: Debt
) -> int | Note:
    """The least total, in money steps, whose shares clear every card within the cap."""
    needed = _least_total_for_cap(shared, priority)
    if needed <= money.limit:
        return needed
    fields = {
        "label": card.label,
        "balance": card.balance,
        "cap": CARD_MAX_TERM_MONTHS,
        "needed": needed,
        "disposable": money.disposable,
    }
    if needed > money.disposable:
        return note("cannot_clear_within_cap", **fields)
    at_limit = pro_rata_shares(shared, money.limit - sum(priority.values()))[card.id]
    term = months_to_clear(card.balance, at_limit)
    return note("cap_needs_buffer", limit=money.limit, term=term, **fields)


def _least_total_for_cap(shared: list[Debt], priority: dict[str, int]) -> int:
    fixed = sum(priority.values())
    total = sum(debt.balance for debt in shared)
    cards = [debt for debt in shared if debt.lender_type == "credit_card"]
    exact = max(Fraction(card_cap_monthly(c.balance) * total, c.balance) for c in cards)
    candidate = round_up_money(fixed + math.ceil(exact))
    while _card_over_cap(shared, pro_rata_shares(shared, candidate - fixed)) is not None:
        candidate += money_step(candidate)
    return candidate


def percent_text(rate: float) -> str:
    """0.015 → "1.5" (a monthly rate in per cent, for the notes)."""
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".")


# ------------------------------------------------------------------ the plan


def _feasible(
    money: _Money, debts: tuple[Debt, ...], split: _Split, alternatives: tuple[str, ...]
) -> DebtPlan:
    planned = tuple(_planned(debt, split.monthly[debt.id]) for debt in debts)
    return DebtPlan(
        method=split.method,
        monthly_income=money.income,
        monthly_expenses=money.expenses,
        disposable_monthly=money.disposable,
        ceiling_monthly=money.ceiling,
        affordable_monthly=split.budget,
        debts=planned,
        feasible=True,
        notes=_feasible_notes(money, planned, split, alternatives),
        alternatives=alternatives,
    )


def _planned(debt: Debt, monthly: int) -> PlannedDebt:
    opening = monthly if debt.priority else debt_opening_monthly(debt, monthly)
    return PlannedDebt(
        debt=debt,
        monthly=monthly,
        term_months=months_to_clear(debt.balance, monthly),
        opening_monthly=opening,
        opening_term_months=months_to_clear(debt.balance, opening),
        assumed_monthly=debt.priority and debt.required_monthly is None,
    )


def debt_opening_monthly(debt: Debt, monthly: int) -> int:
    """70 % of the monthly (the single offer's opening), for a card at least its cap."""
    opening = opening_monthly(monthly)
    if debt.lender_type != "credit_card":
        return opening
    least = round_up_money(card_cap_monthly(debt.balance))
    return min(max(opening, least), monthly)


def _feasible_notes(
    money: _Money, planned: tuple[PlannedDebt, ...], split: _Split, alternatives: tuple[str, ...]
) -> tuple[Note, ...]:
    shared = [item for item in planned if not item.debt.priority]
    fixed = sum(item.monthly or 0 for item in planned if item.debt.priority)
    notes = _rule_notes(planned, split, alternatives, money.ceiling - fixed)
    notes.extend(_priority_notes(planned))
    notes.append(note("interest_frozen"))
    notes.extend(_interest_notes([item.debt for item in shared], split))
    notes.append(_budget_note(money, split))
    if any((item.opening_monthly or 0) < (item.monthly or 0) for item in shared):
        notes.append(note("opening_below_monthly"))
    notes.extend(_term_notes(shared))
    notes.extend([note("waiver_lore"), note("beware_paid_agents")])
    return tuple(notes + legal_disclaimer(notes, _CITES_RULES))


def _rule_notes(
    planned: tuple[PlannedDebt, ...],
    split: _Split,
    alternatives: tuple[str, ...],
    rest_of_ceiling: int,
) -> list[Note]:
    """The rule used, in the user's figures, and the other rule when it is offered."""
    shared = [item.debt for item in planned if not item.debt.priority]
    if split.method == HIGHEST_RATE_FIRST:
        return _highest_rate_notes(shared, split, rest_of_ceiling)
    fixed = sum(item.monthly or 0 for item in planned if item.debt.priority)
    notes = [note("pro_rata_rule", budget=split.budget - fixed)] if shared else []
    notes.extend(split.notes)
    if HIGHEST_RATE_FIRST in alternatives:
        notes.append(_alternative_note(shared, rest_of_ceiling))
    return notes


def _highest_rate_notes(shared: list[Debt], split: _Split, rest: int) -> list[Note]:
    first = by_rate(shared)[0]
    minimums = sum(avalanche_minimum(debt.balance) for debt in shared)
    monthly = split.monthly[first.id]
    notes = [
        note(
            "highest_rate_rule",
            months=AVALANCHE_MINIMUM_MONTHS,
            extra=rest - minimums,
            label=first.label,
            rate=percent_text(first.monthly_rate or 0.0),
            monthly=monthly,
            term=months_to_clear(first.balance, monthly),
            all_months=months_with_rollover(shared, split.monthly),
        )
    ]
    saved = interest_saved(shared, rest)
    if saved:
        notes.append(note("highest_rate_saving", saved=saved))
    return notes


def _alternative_note(shared: list[Debt], rest: int) -> Note:
    first = by_rate(shared)[0]
    monthly = highest_rate_first_shares(shared, rest)[first.id]
    fields = {
        "label": first.label,
        "rate": percent_text(first.monthly_rate or 0.0),
        "term": months_to_clear(first.balance, monthly),
        "months": AVALANCHE_MINIMUM_MONTHS,
    }
    saved = interest_saved(shared, rest)
    if saved:
        return note("highest_rate_alternative_saving", saved=saved, **fields)
    return note("highest_rate_alternative", **fields)


def _interest_notes(shared: list[Debt], split: _Split) -> list[Note]:
    """A warning when, at the rates told, the plan would not clear in 50 years unfrozen."""
    rates = [debt.monthly_rate for debt in shared]
    if not shared or any(rate is None for rate in rates):
        return []
    spread = spread_to_highest_rate if split.method == HIGHEST_RATE_FIRST else spread_pro_rata
    run = interest_paid(
        [debt.balance for debt in shared],
        [rate or 0.0 for rate in rates],
        [split.monthly[debt.id] for debt in shared],
        spread,
    )
    return [note("interest_outruns_plan")] if run is None else []


def _priority_notes(planned: tuple[PlannedDebt, ...]) -> list[Note]:
    notes = []
    for item in planned:
        if item.priority_reason is None:
            continue
        fields = {"label": item.debt.label, "monthly": item.monthly}
        notes.append(note(f"priority_{item.priority_reason}", **fields))
        if item.assumed_monthly:
            notes.append(note("priority_assumed", months=PRIORITY_ASSUMED_MONTHS, **fields))
    return notes


def _budget_note(money: _Money, split: _Split) -> Note:
    if split.raised_for is None:
        return note("safety_buffer", ceiling=money.ceiling, disposable=money.disposable)
    return note(
        "raised_to_cap",
        label=split.raised_for.label,
        cap=CARD_MAX_TERM_MONTHS,
        ceiling=money.ceiling,
        total=split.budget,
    )


def _term_notes(shared: list[PlannedDebt]) -> list[Note]:
    notes = []
    if any(item.debt.lender_type == "credit_card" for item in shared):
        notes.append(note("card_cap", cap=CARD_MAX_TERM_MONTHS))
    long = [item for item in shared if (item.term_months or 0) > LONG_PLAN_MONTHS]
    if long:
        terms = [item.term_months or 0 for item in long]
        notes.append(
            note(
                "long_plan",
                labels=tuple(item.debt.label for item in long),
                shortest=min(terms),
                longest=max(terms),
                months=LONG_PLAN_MONTHS,
            )
        )
        notes.append(note("hardship_plan"))
    return notes


# ------------------------------------------------------------------ no plan fits


def _infeasible(
    method: str,
    money: _Money,
    debts: tuple[Debt, ...],
    reason: Note,
    alternatives: tuple[str, ...],
) -> DebtPlan:
    planned = tuple(PlannedDebt(debt, None, None, None, None) for debt in debts)
    return DebtPlan(
        method=method if method in alternatives else PRO_RATA,
        monthly_income=money.income,
        monthly_expenses=money.expenses,
        disposable_monthly=money.disposable,
        ceiling_monthly=money.ceiling,
        affordable_monthly=money.ceiling,
        debts=planned,
        feasible=False,
        notes=_infeasible_notes(debts, reason),
        alternatives=alternatives,
    )


def _infeasible_notes(debts: tuple[Debt, ...], reason: Note) -> tuple[Note, ...]:
    """Why no plan fits, then what to do instead."""
    notes = [reason]
    if reason.code in ("priority_exceeds", "nothing_left_after_priority"):
        notes.append(note("priority_hardship"))
    if any(debt.lender_type == "credit_card" and not debt.priority for debt in debts):
        notes.append(note("hardship_plan_card"))
    else:
        notes.append(note("hardship_plan"))
    notes.extend([note("no_plan_relief"), note("pay_what_you_can"), note("cut_expenses")])
    channels = dict.fromkeys(complaint_channel_note(debt.lender_type, debt.label) for debt in debts)
    notes.extend(note(code) for code in channels)
    notes.append(note("beware_paid_agents"))
    return tuple(notes + legal_disclaimer(notes, _CITES_RULES))
