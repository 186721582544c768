"""Hypothesis strategies for the several-debts planner: situations many feasible, many not."""

from typing import Any

from hypothesis import strategies as st

from coach.debts.model import Debt
from coach.debts.planner import HIGHEST_RATE_FIRST, PRO_RATA, DebtPlan, plan_debts

# Debts, income, expenses and the method asked for.
Situation = tuple[list[Debt], int, int, str]


def debt(
    id: str, balance: int, lender: str = "credit_card", label: str | None = None, **fields: Any
) -> Debt:
    return Debt(id=id, label=label or id, lender_type=lender, balance=balance, **fields)


# Few draws per debt and strategies built once: generating is the slow part of these tests.
KINDS = [
    (lender, priority)
    for priority in ("",) * 8 + ("judgment", "secured")
    for lender in ("credit_card", "bank_loan", "online_lender", "other")
]
DEBT_FIELDS = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(["usual"] * 19 + ["small"]),
    st.integers(1000, 200000),
    st.one_of(st.none(), st.floats(min_value=0, max_value=0.05)),
    st.integers(0, 5000),
)


def make_debt(index: int, fields: Any, rated: bool) -> Debt:
    """A generated debt; ``rated`` gives every debt a rate, required 0 means not told."""
    (lender, priority), size, balance, rate, required = fields
    balance = balance if size == "usual" else balance // 1000
    return Debt(
        id=f"d{index}",
        label=f"债{index}",
        lender_type=lender,
        balance=balance,
        months_overdue=index,
        monthly_rate=0.02 if rated and rate is None else rate,
        judgment=priority == "judgment",
        secured=priority == "secured",
        required_monthly=required if priority and required else None,
    )


@st.composite
def situations(
    draw: Any,
    rated: Any = st.booleans(),
    methods: Any = st.sampled_from([PRO_RATA, HIGHEST_RATE_FIRST]),
) -> Situation:
    """Debts, income, expenses, method: many feasible, many not."""
    rated = draw(rated)
    fields = draw(st.lists(DEBT_FIELDS, min_size=2, max_size=10))
    debts = [make_debt(index, item, rated) for index, item in enumerate(fields)]
    total = sum(debt.balance for debt in debts)
    # Disposable as a share of the debt, per mille: around 22 the card cap starts to bind.
    per_mille = draw(st.sampled_from([50, 22, 120, 20, 30, 24, 80, 200, 10, 0]))
    disposable = total * per_mille // 1000 + draw(st.integers(-300, 300))
    expenses = draw(st.integers(0, 20000))
    method = draw(methods)
    return debts, expenses + disposable, expenses, method


@st.composite
def near_the_cap(draw: Any) -> Situation:
    """Cards and loans, no priority, with just about what clears them in 60 months."""
    lenders = draw(
        st.lists(st.sampled_from(["credit_card"] * 3 + ["online_lender"]), min_size=2, max_size=10)
    )
    balances = draw(
        st.lists(st.integers(5000, 200000), min_size=len(lenders), max_size=len(lenders))
    )
    debts = [
        debt(f"d{i}", b, lender)
        for i, (lender, b) in enumerate(zip(lenders, balances, strict=True))
    ]
    disposable = sum(balances) * draw(st.integers(16, 28)) // 1000
    return debts, disposable, 0, PRO_RATA


ANY_SITUATION = st.one_of(situations(), near_the_cap())


def planned(situation: Situation) -> DebtPlan:
    debts, income, expenses, method = situation
    return plan_debts(debts, income, expenses, method)
