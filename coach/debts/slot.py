"""The list of debts as the conversation keeps it: plain dicts in a slot, read back safely.

A slot may hold anything a tracker was given (an older shape, a hand-edited value), so
reading it never raises: entries that are not a usable debt are left out.
"""

from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import Any

from coach.debts.model import LENDER_TYPES, Debt

_FIELDS = {field.name for field in fields(Debt)}


def debts_to_slot(debts: Sequence[Debt]) -> list[dict[str, Any]]:
    return [asdict(debt) for debt in debts]


def debts_from_slot(value: object) -> list[Debt]:
    """The debts of a slot value; [] for None or anything unusable."""
    if not isinstance(value, list):
        return []
    debts = [_debt(item) for item in value]
    usable = [debt for debt in debts if debt is not None]
    ids = [debt.id for debt in usable]
    return usable if len(ids) == len(set(ids)) else []


def _debt(item: object) -> Debt | None:
    if not isinstance(item, dict) or not _FIELDS >= set(item) >= {"id", "balance"}:
        return None
    try:
        debt = Debt(**item)
        balance = int(debt.balance)
    except (TypeError, ValueError):
        return None
    if balance <= 0 or not isinstance(debt.id, str):
        return None
    lender_type = debt.lender_type if debt.lender_type in LENDER_TYPES else "other"
    return Debt(**{**item, "balance": balance, "lender_type": lender_type})


def main_lender_type(debts: Sequence[Debt]) -> str:
    """The lender type of the largest debt (the first of equal ones)."""
    return max(debts, key=lambda debt: debt.balance).lender_type


def total_balance(debts: Sequence[Debt]) -> int:
    return sum(debt.balance for debt in debts)
