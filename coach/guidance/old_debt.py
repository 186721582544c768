"""The old-debt gate: whether a debt may be time-barred, so nothing may admit it yet.

Agreeing to pay, a part-payment or a signed statement that the debt is owed gives up an
expired limitation defence (Civil Code 192) or restarts the period (195). Every text that
could admit a debt (scripts, offer and plan texts, letters, practice hints) asks this gate
first. The thresholds and word lists live in ``content/old_debt.yml``; the decision is
pure so other parts of the coach (role scripts, the practice call) can call it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from coach.content import load_content
from coach.language.normalise import normalise

Reason = Literal["recent", "checked", "words", "months"]


@dataclass(frozen=True)
class OldDebtGate:
    """``passed``: texts may admit the debt. ``reason`` says why (or why not)."""

    passed: bool
    reason: Reason
    months_overdue: float | None = None


def _spec() -> dict[str, Any]:
    return load_content("old_debt")


@cache
def _patterns(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in _spec()[name])


def _says(text: str, name: str) -> bool:
    return any(pattern.search(text) for pattern in _patterns(name))


def threshold_months() -> int:
    return int(_spec()["threshold_months"])


def words_signal(texts: Iterable[str]) -> Literal["old", "checked"] | None:
    """The latest thing the user's messages (oldest first) say about the debt's age."""
    signal: Literal["old", "checked"] | None = None
    for text in texts:
        folded = normalise(text or "")
        if _says(folded, "checked_words"):
            signal = "checked"
        elif _says(folded, "old_words"):
            signal = "old"
    return signal


def old_debt_gate(months_overdue: Any = None, texts: Iterable[str] = ()) -> OldDebtGate:
    """Decide from the months overdue (form) and the user's own words (oldest first)."""
    months = _months(months_overdue)
    signal = words_signal(texts)
    if signal == "checked":
        return OldDebtGate(True, "checked", months)
    if signal == "old":
        return OldDebtGate(False, "words", months)
    if months is not None and months >= threshold_months():
        return OldDebtGate(False, "months", months)
    return OldDebtGate(True, "recent", months)


def _months(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def gate_text(key: str) -> str:
    """One of the gate's texts (title, hold, confirm, summons, document_held)."""
    return str(_spec()["texts"][key])


def hold_lines(gate: OldDebtGate) -> list[str]:
    """What the coach says instead of an admission while the gate is not passed."""
    texts = _spec()["texts"]
    lines = []
    if gate.reason == "months" and gate.months_overdue is not None:
        lines.append(str(texts["months_reason"]).format(months=int(gate.months_overdue)))
    lines.append(str(texts["hold"]))
    return lines


def held_lines(gate: OldDebtGate) -> list[str]:
    """A plan's or a document's preface while the gate is not passed: why nothing is
    admitted or paid yet, and how the user confirms; nothing when it is passed."""
    if gate.passed:
        return []
    return [f"【{gate_text('title')}】", *hold_lines(gate), gate_text("confirm")]


def oldest_debt_gate(months: Iterable[Any], texts: Iterable[str] = ()) -> OldDebtGate:
    """The gate for several debts: the one overdue longest decides."""
    known = [m for m in (_months(value) for value in months) if m is not None]
    return old_debt_gate(max(known) if known else None, texts)
