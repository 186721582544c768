"""Specification of which figures the form accepts and which it questions."""

import math

import pytest

from coach.figures.plausibility import check_figure

NOTHING_KNOWN = {
    "balance": None,
    "monthly_income": None,
    "monthly_expenses": None,
    "lump_sum": None,
    "months_overdue": None,
}


def known(**figures):
    return {**NOTHING_KNOWN, **figures}


@pytest.mark.parametrize(
    ("slot", "value", "others", "problem"),
    [
        # plausible figures
        ("balance", 50000, known(), None),
        ("balance", 0.5, known(), None),
        ("monthly_income", 9000, known(), None),
        ("monthly_income", 0, known(), None),  # no income is allowed
        ("monthly_income", 0, known(monthly_expenses=5000), None),
        ("monthly_expenses", 0, known(), None),
        ("monthly_expenses", 5500, known(monthly_income=9000), None),
        ("monthly_expenses", 50000, known(monthly_income=5000), None),  # exactly 10x
        ("monthly_expenses", 5000, known(monthly_income=0), None),
        ("lump_sum", 0, known(), None),
        ("months_overdue", 0, known(), None),
        ("months_overdue", 600, known(), None),
        ("balance", 1e9, known(), None),
        # negative
        ("balance", -5000, known(), "negative"),
        ("monthly_income", -1, known(), "negative"),
        ("monthly_expenses", -0.01, known(), "negative"),
        ("lump_sum", -100, known(), "negative"),
        ("months_overdue", -3, known(), "negative"),
        # too large
        ("balance", 1e9 + 1, known(), "too_large"),
        ("monthly_income", 99999999999999, known(), "too_large"),
        ("lump_sum", 2e9, known(), "too_large"),
        ("months_overdue", 601, known(), "too_large"),
        ("balance", math.inf, known(), "too_large"),
        ("balance", math.nan, known(), "too_large"),
        # balance must be above zero
        ("balance", 0, known(), "balance_zero"),
        # expenses more than ten times the income, whichever comes second
        (
            "monthly_expenses",
            50001,
            known(monthly_income=5000),
            "expenses_far_above_income",
        ),
        (
            "monthly_income",
            500,
            known(monthly_expenses=8000),
            "expenses_far_above_income",
        ),
        ("monthly_income", 800, known(monthly_expenses=8000), None),
    ],
)
def test_judges_each_figure(slot, value, others, problem):
    assert check_figure(slot, value, others) == problem


def test_missing_keys_in_known_count_as_unknown():
    assert check_figure("monthly_expenses", 99999, {}) is None
