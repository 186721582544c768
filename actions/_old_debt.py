"""The old-debt gate over a whole conversation: the form's months overdue (and each
listed debt's), and everything the user has typed so far."""

from typing import Any

from rasa_sdk import Tracker

from actions._casefile import user_events
from actions._debt_plan import slot_debts
from coach.guidance.old_debt import OldDebtGate, oldest_debt_gate


def conversation_gate(tracker: Tracker) -> OldDebtGate:
    months: list[Any] = [tracker.get_slot("months_overdue")]
    months.extend(debt.months_overdue for debt in slot_debts(tracker))
    return oldest_debt_gate(months, [str(e.get("text") or "") for e in user_events(tracker)])
