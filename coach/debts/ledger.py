"""The user's debts as one list with explicit operations: add, correct, remove, replace all.

The list never changes because "a number arrived". ``change_from_message`` reads a
message against the list the user already has and the question the form is asking:

- "就一笔 / 重来 / 都删了" replace the whole list (by the debts named in the same message,
  or by none);
- a lender already held is corrected, or removed when the user drops it;
- a new debt is added only when the user names one (a lender, or while the form asks for
  the debt, a word such as 欠/借/贷 beside the amount). Income, expenses, savings, months
  and an amount that answers another question are no debts: they go where the question
  points (the repayment form's requested slot).

Every change comes back as one line the user can correct ("改成：招行信用卡欠款48000元（信用卡）").
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from coach.content import load_content
from coach.debts.intake import (
    DebtEdit,
    apply_edit,
    debts_from_mentions,
    read_debts,
    read_edit,
)
from coach.debts.model import Debt
from coach.language.normalise import normalise

# The form's questions whose answer may be a debt; any other question's number is not.
DEBT_QUESTIONS = frozenset({None, "balance"})


@dataclass(frozen=True)
class DebtChange:
    """The list after a message, and one line for each change made to it."""

    debts: tuple[Debt, ...]
    lines: tuple[str, ...]
    reset: bool = False

    @property
    def echo(self) -> str:
        return str(_texts()["separator"]).join(self.lines)


@cache
def _content() -> dict[str, object]:
    return load_content("debt_changes")


def _texts() -> dict[str, str]:
    lines = _content()["lines"]
    assert isinstance(lines, dict)
    return {str(key): str(value) for key, value in lines.items()}


@cache
def _pattern(key: str) -> re.Pattern[str]:
    words = _content()[key]
    assert isinstance(words, list)
    return re.compile("|".join(re.escape(str(w)) for w in sorted(words, key=len, reverse=True)))


def says_reset(text: str) -> bool:
    """ "就一笔", "重来", "都删了": the list starts afresh."""
    return bool(_pattern("reset_words").search(normalise(text)))


def names_a_debt(text: str) -> bool:
    return bool(_pattern("debt_words").search(normalise(text)))


def change_from_message(
    text: str, held: Sequence[Debt], asked: str | None = None
) -> DebtChange | None:
    """What ``text`` does to the list ``held`` while the form asks for ``asked`` (its
    requested slot, None outside the form); None when it changes nothing."""
    if not text:
        return None
    if says_reset(text):
        return _reset(text, held)
    if not held:
        named = debts_from_mentions(read_debts(text))
        if len(named) < 2:
            return None
        return DebtChange(tuple(named), ())
    edit = read_edit(text, held)
    if edit is None:
        return None
    edit = _named_additions_only(edit, text, asked)
    if not (edit.added or edit.removed or edit.corrected):
        return None
    after = apply_edit(held, edit)
    return DebtChange(tuple(after), tuple(_lines(held, after)))


def _reset(text: str, held: Sequence[Debt]) -> DebtChange:
    named = debts_from_mentions(read_debts(text))
    texts = _texts()
    lines = [texts["reset"]] if held else []
    lines += [texts["added"].format(item=describe(debt)) for debt in named]
    return DebtChange(tuple(named), tuple(lines), reset=True)


def _named_additions_only(edit: DebtEdit, text: str, asked: str | None) -> DebtEdit:
    """Unnamed amounts are debts only while the form asks for the debt and the user says
    it is one ("还欠了朋友一笔2万"); otherwise they answer the form's question."""
    may_be_unnamed = asked in DEBT_QUESTIONS and names_a_debt(text)
    added = tuple(m for m in edit.added if m.label or may_be_unnamed)
    return replace(edit, added=added)


def _lines(before: Sequence[Debt], after: Sequence[Debt]) -> list[str]:
    texts = _texts()
    old = {debt.id: debt for debt in before}
    new = {debt.id: debt for debt in after}
    lines = [texts["removed"].format(item=describe(d)) for d in before if d.id not in new]
    for debt in after:
        if debt.id not in old:
            lines.append(texts["added"].format(item=describe(debt)))
        elif debt != old[debt.id]:
            lines.append(texts["corrected"].format(item=describe(debt)))
    return lines


def describe(debt: Debt) -> str:
    """招行信用卡欠款48000元（信用卡）, with the claimed total when the lender named one."""
    texts = _texts()
    type_name = _type_names().get(debt.lender_type, debt.lender_type)
    name = "" if debt.label == type_name else debt.label
    item = texts["item"].format(name=name, balance=debt.balance, type=type_name)
    if debt.claimed_total and debt.claimed_total != debt.balance:
        item += texts["claimed"].format(claimed=debt.claimed_total, balance=debt.balance)
    return item


@cache
def _type_names() -> dict[str, str]:
    names = load_content("lenders")["type_names"]
    return {str(key): str(value) for key, value in names.items()}
