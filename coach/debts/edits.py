"""Edits to the list the user already has: what a message adds, removes or corrects."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from coach.debts.lexicon import LexiconEntry, cue_words, lender_lexicon
from coach.debts.mentions import DebtMention, Draft, Facts, Mention
from coach.debts.model import Debt
from coach.debts.pairing import as_mention
from coach.debts.reading import Reading, mention_of, read_message
from coach.language.normalise import normalise

CREDIT_CARD, BANK_LOAN, ONLINE_LENDER, OTHER = "credit_card", "bank_loan", "online_lender", "other"
ADD, REMOVE, CORRECT, MIXED, UNKNOWN = "add", "remove", "correct", "mixed", "unknown"


@dataclass(frozen=True)
class DebtEdit:
    """What a message changes on the user's list of debts.

    ``added`` are new debts (a balance may be None: ask for it); ``removed`` the ids to
    drop; ``corrected`` the debts with their new values, ids unchanged; ``unknown`` the
    labels the user wanted removed that match no debt ("删掉工行那笔" with no 工行).
    """

    added: tuple[DebtMention, ...] = ()
    removed: tuple[str, ...] = ()
    corrected: tuple[Debt, ...] = ()
    unknown: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """add, remove, correct, unknown, or mixed when it does more than one."""
        done = [
            name
            for name, items in (
                (ADD, self.added),
                (REMOVE, self.removed),
                (CORRECT, self.corrected),
            )
            if items
        ]
        if len(done) > 1:
            return MIXED
        return done[0] if done else UNKNOWN


# --- Debts and edits ---------------------------------------------------------------------


def debt_from_mention(mention: DebtMention, debt_id: str) -> Debt:
    """The Debt of a mention; its balance must be known."""
    if mention.balance is None:
        raise ValueError(f"the balance of {mention.label or 'a debt'} is not known")
    return Debt(
        id=debt_id,
        label=mention.label,
        lender_type=mention.lender_type,
        balance=mention.balance,
        months_overdue=mention.months_overdue,
        monthly_rate=mention.monthly_rate,
        judgment=mention.judgment,
        secured=mention.secured,
        required_monthly=mention.required_monthly,
        claimed_total=mention.claimed_total,
    )


def debts_from_mentions(
    mentions: Iterable[DebtMention], existing: Sequence[Debt] = ()
) -> list[Debt]:
    """Debts with ids d1, d2 … after the highest id in ``existing``; mentions without a
    balance are left out (ask the user for it)."""
    known = [m for m in mentions if m.balance is not None]
    first = _next_number(existing)
    return [debt_from_mention(m, f"d{first + i}") for i, m in enumerate(known)]


def _next_number(debts: Sequence[Debt]) -> int:
    numbers = [int(d.id[1:]) for d in debts if re.fullmatch(r"d\d+", d.id)]
    return max(numbers, default=0) + 1


def apply_edit(debts: Sequence[Debt], edit: DebtEdit) -> list[Debt]:
    """The list after ``edit``: removed ones go, corrected ones change in place, added
    ones (with a known balance) come last with new ids. Ids never change or come back."""
    corrected = {debt.id: debt for debt in edit.corrected}
    kept = [corrected.get(d.id, d) for d in debts if d.id not in edit.removed]
    return kept + debts_from_mentions(edit.added, debts)


def read_edit(text: str, debts: Sequence[Debt]) -> DebtEdit | None:
    """What ``text`` changes on ``debts``; None when it changes nothing."""
    reading = read_message(text, edits=True)
    removed, unknown = _removals(reading, debts)
    corrected: dict[str, Debt] = {}
    added: list[DebtMention] = []
    for draft in reading.drafts:
        targets = [] if _adds(reading, draft) else _targets(draft, debts)
        if not targets and draft.mention is not None and draft.mention.ordinal is not None:
            unknown.append(draft.mention.label)
        elif not targets:
            added.append(as_mention(draft))
        for debt in targets:
            if debt.id not in removed:
                base = corrected.get(debt.id, debt)
                corrected[debt.id] = _corrected(base, as_mention(draft))
    for debt in _loose_targets(reading, debts):
        if debt.id not in removed:
            base = corrected.get(debt.id, debt)
            corrected[debt.id] = _with_facts(base, reading.loose)
    changed = tuple(d for d in corrected.values() if d not in debts)
    edit = DebtEdit(tuple(added), tuple(removed), changed, tuple(unknown))
    return edit if edit != DebtEdit() else None


def _removals(reading: Reading, debts: Sequence[Debt]) -> tuple[list[str], list[str]]:
    removed: list[str] = []
    unknown: list[str] = []
    for mention in reading.mentions:
        if not mention.dropped:
            continue
        targets = _matching(mention, debts)
        if targets:
            removed += [d.id for d in targets[:1] if d.id not in removed]
        elif not reading.drafts or mention.ordinal is not None:
            unknown.append(mention.label)
    return removed, unknown


def _adds(reading: Reading, draft: Draft) -> bool:
    """还有一笔/还有一张 before the debt: a new one even if the lender is listed."""
    sentence = reading.text.sentence(draft.first)
    return bool(cue_words().add_strong.search(reading.text.plain, sentence, draft.first + 1))


def _targets(draft: Draft, debts: Sequence[Debt]) -> list[Debt]:
    if draft.mention is None:
        return []
    return _matching(draft.mention, debts, every=draft.facts.every)


def _matching(mention: Mention, debts: Sequence[Debt], every: bool = False) -> list[Debt]:
    """The debts a name stands for: 建行 ≈ 建设银行 ≈ 建设 (see the module docstring)."""
    if mention.ordinal == -1:
        return list(debts[-1:])
    if mention.ordinal is not None:
        return [debts[mention.ordinal - 1]] if 0 < mention.ordinal <= len(debts) else []
    same_label = [d for d in debts if normalise(d.label) == mention.label]
    if same_label and not every:
        return same_label[:1]
    entry = mention.entry
    same = [
        d for d in debts if entry.canonical and _lender_of(d.label).canonical == entry.canonical
    ]
    typed = [d for d in same if not entry.explicit or d.lender_type == entry.lender_type]
    if typed:
        return typed if every else typed[:1]
    if not (entry.generic or entry.secured):
        return []
    types = lender_lexicon().refers_to.get(entry.lender_type, (entry.lender_type,))
    fitting = [d for d in debts if d.lender_type in types and (d.secured or not entry.secured)]
    return fitting if every or len(fitting) == 1 else []


@cache
def _lender_of(label: str) -> LexiconEntry:
    """The lexicon's reading of a debt's label (招商 → 招商银行)."""
    lexicon = lender_lexicon()
    match = lexicon.pattern.search(normalise(label))
    return mention_of(match, lexicon).entry if match else LexiconEntry("", OTHER)


def _loose_targets(reading: Reading, debts: Sequence[Debt]) -> list[Debt]:
    """逾期4个月了 with no lender: the only debt, or every debt after 都."""
    if reading.loose == Facts() or reading.drafts:
        return []
    if reading.loose.every:
        return list(debts)
    return list(debts) if len(debts) == 1 else []


def _corrected(debt: Debt, mention: DebtMention) -> Debt:
    changes: dict[str, Any] = {}
    if mention.balance is not None:
        changes["balance"] = mention.balance
    if mention.required_monthly is not None:
        changes["required_monthly"] = mention.required_monthly
    if mention.claimed_total is not None:
        changes["claimed_total"] = mention.claimed_total
    facts = Facts(mention.months_overdue, mention.monthly_rate, mention.judgment, mention.secured)
    return _with_facts(replace(debt, **changes), facts)


def _with_facts(debt: Debt, facts: Facts) -> Debt:
    return replace(
        debt,
        months_overdue=(
            facts.months_overdue if facts.months_overdue is not None else debt.months_overdue
        ),
        monthly_rate=facts.monthly_rate if facts.monthly_rate is not None else debt.monthly_rate,
        judgment=debt.judgment or facts.judgment,
        secured=debt.secured or facts.secured,
    )
