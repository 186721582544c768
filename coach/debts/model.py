"""The values of the several-debts plan: one debt as the user described it."""

from dataclasses import dataclass

LENDER_TYPES = ("credit_card", "bank_loan", "online_lender", "other")


@dataclass(frozen=True)
class Debt:
    """One debt. ``label`` is the lender's name as the user said it ("招行信用卡", "借呗").

    ``monthly_rate`` is the monthly interest rate as a fraction (0.01 for 1 % a month),
    when known. ``judgment`` means a court judgment exists and is being enforced;
    ``secured`` that the home or car is at stake (a mortgage or car loan). Either makes it
    a priority debt. ``required_monthly`` is what a priority debt's court order or
    contract requires each month, when the user knows it. ``claimed_total`` is what the
    lender says is owed with interest and fees ("连本带息要五万"); the plan uses ``balance``,
    the principal the user gave, and says so.
    """

    id: str
    label: str
    lender_type: str
    balance: int
    months_overdue: int | None = None
    monthly_rate: float | None = None
    judgment: bool = False
    secured: bool = False
    required_monthly: int | None = None
    claimed_total: int | None = None

    @property
    def priority(self) -> bool:
        return self.judgment or self.secured
