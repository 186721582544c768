"""Reads several debts, the budget and edits to the list from what the user types.

"招行2w 建行1.5w 广发8k 借呗3w 网贷5000，一个月只能拿出3000" gives five debts (78000
in all) and a budget the user can afford: 3000 a month. The message is first normalised
(coach/language/normalise.py: simplified characters, half-width digits, chat
abbreviations), so labels are in that form ("借唄" → 借呗, "xyk" → 信用卡).

How a debt is read:

1. Lender names come from the lexicon content/lenders.yml: bank names with an optional
   银行 and product after them (招行信用卡, 建行的房贷 → 建行房贷), online lenders,
   secured loans, private lenders. A bank named alone is a credit card (see the lexicon).
2. Amounts are found by coach/figures/money.py; those that are income, expenses,
   savings or money paid out (coach/figures/extract.py decides) belong to the budget.
   Identifiers (尾号1234), dates (2023.5), phone numbers, amounts after 不是, interest,
   credit limits and money already paid back are no debts.
3. Each remaining amount goes with the nearest lender named before it since the previous
   debt, in its sentence, else with a lender straight after it (3万的建行, 3万网贷), else
   it is an unnamed debt ("一张2万一张3万": two cards). 各 gives the amount to every
   lender before it; 还剩/剩下 and corrections without a new lender refine the previous
   debt; an unnamed total (一共8万) is dropped when the debts are listed too. A monthly
   sum is never a balance: after 月供 or a loan it is what the debt requires each month,
   after 能还/只能拿出 what the user can afford (read_budget).
4. A lender named without an amount is a debt of unknown balance, unless it is a count
   heading (三张信用卡), a word for a kind of debt (信用卡, 网贷, 银行, 朋友) that adds no
   detail, or refers to a debt already named (房贷 … 银行已经起诉了).
5. Negated or finished lenders are left out with their amounts (没有网贷, 广发的不算,
   广发8k已经还清了, 删掉建行那笔).
6. Details (months overdue, interest rate, court action, 抵押) belong to the debt named
   last before them in their sentence, else to the next in their clause; after 都 to
   every debt named before them.

``read_edit`` reads the same way, with 第二笔 also pointing at a debt, and compares what
it read with the list the user already has: a lender it already holds is a correction
(or a removal when dropped), another one an addition.

The reader is split by concern, each module importing only the ones before it:
lexicon.py (the words, from content), mentions.py (the values of one reading),
pairing.py (amounts with lenders, details: rules 3-6), reading.py (lender names and
amounts: rules 1-2, 4-5), edits.py (``read_edit``, ``apply_edit``). This module keeps the
public names and shows the list back; ledger.py decides when the list changes at all.
"""

from collections.abc import Sequence

from coach.debts.edits import (
    DebtEdit,
    apply_edit,
    debt_from_mention,
    debts_from_mentions,
    read_edit,
)
from coach.debts.lexicon import cue_words, lender_lexicon
from coach.debts.mentions import Budget, DebtMention
from coach.debts.model import Debt
from coach.debts.reading import read_budget, read_debts
from coach.figures.money import (
    parse_number,
)

# --- What the form shows back ------------------------------------------------------------


def debts_understood(debts: Sequence[Debt]) -> str:
    """The short list shown back, with the total and how to correct it."""
    texts = cue_words().data["understood"]
    if not debts:
        return str(texts["none"])
    items = str(texts["separator"]).join(_item(i, d) for i, d in enumerate(debts))
    opening = str(texts["opening"]).format(
        count=len(debts), items=items, total=sum(d.balance for d in debts)
    )
    return opening + _hint(debts)


def _item(index: int, debt: Debt) -> str:
    texts = cue_words().data["understood"]
    marks = [str(mark) for mark in texts["marks"]]
    mark = (
        marks[index] if index < len(marks) else str(texts["mark_beyond"]).format(number=index + 1)
    )
    type_name = lender_lexicon().type_names.get(debt.lender_type, debt.lender_type)
    plain = not debt.label or debt.label == type_name
    name = type_name if plain else str(texts["name"]).format(label=debt.label, type=type_name)
    return str(texts["item"]).format(
        mark=mark, name=name, balance=debt.balance, details=_details_of(debt)
    )


def _details_of(debt: Debt) -> str:
    texts = cue_words().data["understood"]
    parts = []
    if debt.months_overdue:
        parts.append(str(texts["overdue"]).format(months=debt.months_overdue))
    if debt.monthly_rate is not None:
        parts.append(str(texts["rate"]).format(rate=f"{debt.monthly_rate * 100:.4g}"))
    if debt.judgment:
        parts.append(str(texts["judgment"]))
    if debt.secured:
        parts.append(str(texts["secured"]))
    if not parts:
        return ""
    return str(texts["details"]).format(details=str(texts["details_separator"]).join(parts))


def _hint(debts: Sequence[Debt]) -> str:
    texts = cue_words().data["understood"]
    first, last = debts[0], debts[-1]
    amounts = [str(amount) for amount in texts["hint_amounts"]]
    amount = amounts[1] if parse_number(amounts[0]) == first.balance else amounts[0]
    return str(texts["hint"]).format(
        remove=_name_for_hint(last, len(debts)), fix=_name_for_hint(first, 1), amount=amount
    )


def _name_for_hint(debt: Debt, number: int) -> str:
    if debt.label:
        return debt.label
    return str(cue_words().data["understood"]["by_number"]).format(number=number)


__all__ = [
    "Budget",
    "DebtEdit",
    "DebtMention",
    "apply_edit",
    "debt_from_mention",
    "debts_from_mentions",
    "debts_understood",
    "read_budget",
    "read_debts",
    "read_edit",
]
