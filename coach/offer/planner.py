"""The repayment offer: what to open with, how far to go, and what to ask for.

A pure calculator: figures in, ``Offer`` out. ``coach.offer.presenter.offer_payload`` turns it into the
``repayment_offer`` JSON of the contract (docs/contract.md §3). The formulas are rules of thumb, not law
(see the project's domain facts, "Numbers for the repayment offer").

Figures are taken in whole yuan, erring on the careful side: balance and expenses are
rounded up, income and savings down, so the plan never overstates what is left.

- disposable = monthly income − essential monthly expenses.
- ceiling (the most to agree to, "affordable monthly") = 75 % of disposable, rounded
  down to 100 yuan (to 10 below 1000, to 1 below 10). The 25 % kept back is a safety
  buffer for emergencies, as budgets in debt advice keep a savings line.
- opening = 70 % of the ceiling, rounded down the same way: starting lower leaves room
  to concede towards the ceiling, never above it.
  Example: balance 50000, income 9000, expenses 5500 → disposable 3500, ceiling 2600
  (20 months), opening 1800 (28 months).
- terms = ceil(balance / monthly), assuming interest and penalties are frozen (停息)
  while a negotiated plan runs; asking for that is part of the plan. If interest keeps
  running at monthly rate r the term is n = −ln(1 − r·B/P) / ln(1 + r), which exists
  only when P > r·B (``months_to_clear``); its tests check it against the payment for a
  term N, P = B·r / (1 − (1 + r)^−N).
- The buffer is never removed: no monthly figure the offer asks for goes above 90 % of
  disposable, rounded down like the ceiling (``buffer_limit_monthly``), not even to fit
  a term cap (domain facts, "Offer rule (correction)").
- Credit cards: instalments are capped at 60 months (2022 regulators' notice,
  reported). When the ceiling would need longer, both monthly amounts rise to the least
  that clears within 60 months (rounded up like the others), as long as that is within
  the 90 % limit. Otherwise no plan fits: the notes say that 60 months would take more
  than 90 % of disposable (or more than all of it) and turn to a hardship request
  instead: a longer term, an interest freeze (停息), a personalised instalment agreement
  (Art. 70 of the credit-card measures: the bank may agree, the debtor has no right
  to it). Example: balance 200000, disposable 3500 → 60 months need 3334 a month, the
  limit is 3100 (65 months), so no plan fits. Other lenders have no cap, but a note
  warns that plans over 60 months are rarely accepted, and says what 60 months would
  need only when that is within the 90 % limit.
- Waivers to ask for: 罚息 (penalty_interest) and other fees (fees); for credit cards
  also 违约金 (breach_fee): card late fees (滞纳金) were abolished in 2017 but a breach
  fee may be charged by agreement (reported). Waivers are common in practice but never
  owed: no rule makes the lender grant them (lore), so they are worded as a request the
  lender may refuse.
- One-off settlement: when savings reach 40 % of the balance, collectors are said to
  accept 40–80 % of it at once (lore). The suggested opening is the low end (rounded up
  like the monthly figures), never more than the savings.
- No plan fits (feasible false) when the balance is not above 0, nothing is left after
  expenses, or 90 % of the disposable amount cannot clear within the cap. Then the
  payload carries no monthly figure that is zero or negative (null instead, income and
  expenses included), and the notes say why and what to do instead.

``months_overdue`` is carried for the conversation; the arithmetic does not use it.
"""

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from coach.guidance.routing import route_for

CEILING_SHARE = Fraction(3, 4)  # of disposable; the rest is the safety buffer
BUFFER_LIMIT_SHARE = Fraction(9, 10)  # of disposable: never asked for, even to fit a cap
OPENING_SHARE = Fraction(7, 10)  # of the ceiling
CARD_MAX_TERM_MONTHS = 60
LONG_PLAN_MONTHS = 60  # beyond this lenders rarely accept a plan
LUMP_SUM_LOW = Fraction(2, 5)  # share of the balance (lore)
LUMP_SUM_HIGH = Fraction(4, 5)
NEGLIGIBLE_RATE = 1e-12  # monthly interest below this is treated as none

LENDER_TYPES = ("credit_card", "bank_loan", "online_lender", "other")
WAIVERS = {
    "credit_card": ("penalty_interest", "breach_fee", "fees"),
    "default": ("penalty_interest", "fees"),
}


@dataclass(frozen=True)
class Figures:
    """What the user told us, as the form gathered it."""

    balance: float
    lender_type: str
    months_overdue: float
    monthly_income: float
    monthly_expenses: float
    lump_sum: float = 0.0


@dataclass(frozen=True)
class Note:
    """A note as a code and its parameters; the wording lives in offer_texts.yml."""

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def fields(self) -> dict[str, Any]:
        return dict(self.params)


def note(code: str, **params: Any) -> Note:
    return Note(code, tuple(sorted(params.items())))


@dataclass(frozen=True)
class LumpSumOption:
    """A one-off settlement worth proposing (practitioners' lore, not a rule)."""

    available: int
    suggested_opening: int
    typical_low: int
    typical_high: int


@dataclass(frozen=True)
class Offer:
    """The computed offer; monthly figures and terms are None when no plan fits."""

    balance: int
    lender_type: str
    monthly_income: int
    monthly_expenses: int
    disposable_monthly: int
    opening_monthly: int | None
    ceiling_monthly: int | None
    opening_term_months: int | None
    ceiling_term_months: int | None
    max_term_months: int | None
    lump_sum: LumpSumOption | None
    waiver_request: tuple[str, ...]
    feasible: bool
    notes: tuple[Note, ...]

    def shown_monthly(self, monthly: int) -> int | None:
        """A monthly figure as sent: null for 0 when no plan fits (see the contract)."""
        return monthly if self.feasible else positive_or_none(monthly)


@dataclass(frozen=True)
class _Money:
    balance: int
    lender_type: str
    income: int
    expenses: int
    savings: int

    @property
    def disposable(self) -> int:
        return self.income - self.expenses


@dataclass(frozen=True)
class _Plan:
    opening: int
    ceiling: int
    raised_to: int | None  # the monthly minimum the cap forced, if it did


def compute_offer(figures: Figures) -> Offer:
    """The offer for these figures; see the module docstring for the rules."""
    money = _whole_yuan(figures)
    cap = max_term_months(money.lender_type)
    plan = _plan(money, cap)
    if isinstance(plan, Note):
        return _infeasible(money, cap, plan)
    return _feasible(money, cap, plan)


def max_term_months(lender_type: str) -> int | None:
    return CARD_MAX_TERM_MONTHS if lender_type == "credit_card" else None


def waiver_request(lender_type: str) -> tuple[str, ...]:
    return WAIVERS.get(lender_type, WAIVERS["default"])


def affordable_monthly(disposable: int) -> int:
    """The ceiling: three quarters of what is left, rounded down."""
    return round_down_money(disposable * CEILING_SHARE)


def buffer_limit_monthly(disposable: int) -> int:
    """The most any plan may take: nine tenths of what is left, rounded down."""
    return round_down_money(disposable * BUFFER_LIMIT_SHARE)


def opening_monthly(ceiling: int) -> int:
    """The first offer: 70 % of the ceiling, rounded down, at least 1 yuan."""
    return round_down_money(ceiling * OPENING_SHARE) or ceiling


def money_step(value: Fraction | int) -> int:
    """Round to 100 yuan from 1000 up, to 10 from 10 up, else to 1."""
    if value >= 1000:
        return 100
    return 10 if value >= 10 else 1


def round_down_money(value: Fraction | int) -> int:
    step = money_step(value)
    return math.floor(Fraction(value) / step) * step


def round_up_money(value: Fraction | int) -> int:
    step = money_step(value)
    return math.ceil(Fraction(value) / step) * step


def months_to_clear(balance: float, monthly: float, monthly_rate: float = 0.0) -> int | None:
    """Whole months to clear ``balance`` paying ``monthly``; None if it never clears.

    With interest at ``monthly_rate`` r: n = −ln(1 − r·B/P) / ln(1 + r), which exists
    only when the payment P is above the monthly interest r·B. Rates below
    ``NEGLIGIBLE_RATE`` count as zero.
    """
    rate = _checked_rate(monthly_rate)
    if balance <= 0:
        return 0
    if monthly <= 0:
        return None
    if rate == 0:
        # 56.68 yuan is the float 56.67999…: a tolerance keeps 25 × 56.68 = 1417 at 25.
        return math.ceil(balance / monthly - 1e-9)
    if monthly <= rate * balance:
        return None
    months = -math.log1p(-rate * balance / monthly) / math.log1p(rate)
    return math.ceil(months - 1e-9)


def _checked_rate(monthly_rate: float) -> float:
    if not monthly_rate >= 0:
        raise ValueError("monthly_rate must be a number not below 0")
    return 0.0 if monthly_rate < NEGLIGIBLE_RATE else monthly_rate


def lump_sum_option(balance: int, available: int) -> LumpSumOption | None:
    """A one-off settlement to propose when savings reach 40 % of the balance."""
    if balance <= 0 or available < balance * LUMP_SUM_LOW:
        return None
    low = math.ceil(balance * LUMP_SUM_LOW)
    high = max(math.floor(balance * LUMP_SUM_HIGH), low)
    suggested = min(round_up_money(low), available, high)
    return LumpSumOption(available, suggested, low, high)


def _whole_yuan(figures: Figures) -> _Money:
    values = (
        figures.balance,
        figures.monthly_income,
        figures.monthly_expenses,
        figures.lump_sum,
    )
    if not all(math.isfinite(float(value)) for value in values):
        raise ValueError("figures must be finite numbers")
    lender = figures.lender_type if figures.lender_type in LENDER_TYPES else "other"
    return _Money(
        balance=math.ceil(figures.balance),
        lender_type=lender,
        income=math.floor(max(figures.monthly_income, 0)),
        expenses=math.ceil(max(figures.monthly_expenses, 0)),
        savings=math.floor(max(figures.lump_sum, 0)),
    )


def _plan(money: _Money, cap: int | None) -> _Plan | Note:
    """The opening and ceiling, or the note saying why no plan fits."""
    if money.balance <= 0:
        return note("balance_not_positive")
    if money.disposable <= 0:
        return note("no_disposable_income", income=money.income, expenses=money.expenses)
    ceiling = affordable_monthly(money.disposable)
    if ceiling <= 0:
        return note("too_little_left", disposable=money.disposable)
    plan = _Plan(opening_monthly(ceiling), ceiling, None)
    return plan if cap is None else _fit_cap(money, plan, cap)


def _fit_cap(money: _Money, plan: _Plan, cap: int) -> _Plan | Note:
    """Raise the monthly amounts so that both terms fit the cap, within the 90 % limit."""
    needed = math.ceil(Fraction(money.balance, cap))
    fields = {
        "balance": money.balance,
        "cap": cap,
        "needed": needed,
        "disposable": money.disposable,
    }
    if needed > money.disposable:
        return note("cannot_clear_within_cap", **fields)
    limit = buffer_limit_monthly(money.disposable)
    if needed > limit:
        term = months_to_clear(money.balance, limit)
        return note("cap_needs_buffer", limit=limit, term=term, **fields)
    minimum = min(round_up_money(needed), limit)
    if plan.opening >= minimum:
        return plan
    ceiling = max(plan.ceiling, minimum)
    raised = minimum if plan.ceiling < minimum else None
    return _Plan(min(max(plan.opening, minimum), ceiling), ceiling, raised)


def _feasible(money: _Money, cap: int | None, plan: _Plan) -> Offer:
    opening_term = months_to_clear(money.balance, plan.opening)
    ceiling_term = months_to_clear(money.balance, plan.ceiling)
    lump = lump_sum_option(money.balance, money.savings)
    notes = _feasible_notes(money, cap, plan, ceiling_term or 0, lump)
    return Offer(
        balance=money.balance,
        lender_type=money.lender_type,
        monthly_income=money.income,
        monthly_expenses=money.expenses,
        disposable_monthly=money.disposable,
        opening_monthly=plan.opening,
        ceiling_monthly=plan.ceiling,
        opening_term_months=opening_term,
        ceiling_term_months=ceiling_term,
        max_term_months=cap,
        lump_sum=lump,
        waiver_request=waiver_request(money.lender_type),
        feasible=True,
        notes=notes,
    )


def _feasible_notes(
    money: _Money,
    cap: int | None,
    plan: _Plan,
    ceiling_term: int,
    lump: LumpSumOption | None,
) -> tuple[Note, ...]:
    notes = [note("interest_frozen")]
    if plan.raised_to is not None:
        notes.append(note("raised_to_cap", cap=cap, monthly=plan.raised_to))
    else:
        notes.append(note("safety_buffer", disposable=money.disposable, ceiling=plan.ceiling))
    if plan.opening < plan.ceiling:
        notes.append(note("opening_below_ceiling", ceiling=plan.ceiling))
    notes.extend(_term_notes(money, cap, ceiling_term))
    notes.extend(_waiver_notes(money.lender_type))
    if lump is not None:
        notes.append(_lump_sum_note(lump))
    notes.append(note("beware_paid_agents"))
    return tuple(notes + legal_disclaimer(notes))


def _term_notes(money: _Money, cap: int | None, ceiling_term: int) -> list[Note]:
    if cap is not None:
        return [note("card_cap", cap=cap)]
    if ceiling_term <= LONG_PLAN_MONTHS:
        return []
    needed = math.ceil(Fraction(money.balance, LONG_PLAN_MONTHS))
    limit = buffer_limit_monthly(money.disposable)
    if needed <= limit:
        return [
            note(
                "long_plan",
                term=ceiling_term,
                months=LONG_PLAN_MONTHS,
                needed=needed,
            )
        ]
    return [
        note(
            "long_plan_beyond_buffer",
            term=ceiling_term,
            months=LONG_PLAN_MONTHS,
            limit=limit,
        ),
        note("hardship_plan"),
    ]


def _waiver_notes(lender_type: str) -> list[Note]:
    notes = [note("waiver_lore")]
    if lender_type == "credit_card":
        notes.append(note("card_fee_rules"))
    return notes


def _lump_sum_note(lump: LumpSumOption) -> Note:
    return note(
        "lump_sum_lore",
        available=lump.available,
        low=lump.typical_low,
        high=lump.typical_high,
        suggested=lump.suggested_opening,
    )


_CITES_RULES = frozenset({"card_cap", "card_fee_rules", "hardship_plan_card"})


def legal_disclaimer(notes: list[Note], citing: frozenset[str] = _CITES_RULES) -> list[Note]:
    """One "not legal advice" line wherever a note cites a rule (a code in ``citing``)."""
    if any(item.code in citing for item in notes):
        return [note("not_legal_advice")]
    return []


def _infeasible(money: _Money, cap: int | None, reason: Note) -> Offer:
    lump = lump_sum_option(money.balance, money.savings)
    has_debt = money.balance > 0
    return Offer(
        balance=money.balance,
        lender_type=money.lender_type,
        monthly_income=money.income,
        monthly_expenses=money.expenses,
        disposable_monthly=money.disposable,
        opening_monthly=None,
        ceiling_monthly=None,
        opening_term_months=None,
        ceiling_term_months=None,
        max_term_months=cap,
        lump_sum=lump,
        waiver_request=waiver_request(money.lender_type) if has_debt else (),
        feasible=False,
        notes=_infeasible_notes(money, reason, lump) if has_debt else (reason,),
    )


def _infeasible_notes(money: _Money, reason: Note, lump: LumpSumOption | None) -> tuple[Note, ...]:
    """Why no plan fits, then what to do instead."""
    card = money.lender_type == "credit_card"
    notes = [
        reason,
        note("hardship_plan_card" if card else "hardship_plan"),
        note("no_plan_relief"),
        note("pay_what_you_can"),
        note("cut_expenses"),
    ]
    if lump is not None:
        notes.append(_lump_sum_note(lump))
    notes.extend([note(complaint_channel_note(money.lender_type)), note("beware_paid_agents")])
    return tuple(notes + legal_disclaimer(notes))


CHANNEL_NOTE_OF_ROUTE = {
    "bank": "free_help_12378",
    "online": "free_help_local_regulator",
    "private": "free_help_private",
}


def complaint_channel_note(lender_type: str, lender_name: str | None = None) -> str:
    """Where to complain, by the lender's licence (coach/guidance/routing.py): 12378 for
    banks and consumer-finance companies, the local regulator for small-loan companies;
    when the licence is unknown, how to find the lender's name."""
    route = route_for(lender_type, lender_name)
    return CHANNEL_NOTE_OF_ROUTE.get(route, "free_help_find_lender")


def positive_or_none(value: int) -> int | None:
    return value if value > 0 else None
