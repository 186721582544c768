"""Shell helpers for several debts: read them from the latest message, plan, and send.

The reading and planning are the core's (coach/debts); this module only turns tracker
slots into core values and the results into messages and slot events.
"""

from dataclasses import replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from coach.debts.intake import debts_understood, read_budget
from coach.debts.ledger import DebtChange, change_from_message
from coach.debts.model import Debt
from coach.debts.planner import HIGHEST_RATE_FIRST, PRO_RATA, DebtPlan, plan_debts
from coach.debts.presenter import debt_plan_payload, render_plan_summary
from coach.debts.slot import debts_from_slot, debts_to_slot, main_lender_type, total_balance
from coach.guidance.old_debt import OldDebtGate

DEBTS_SLOT = "debts"
PLAN_SLOT = "debt_plan"
METHOD_SLOT = "debt_method"


def typed_text(tracker: Tracker) -> str:
    """The user's latest words; "" for a button payload ("/intent{...}")."""
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


def slot_debts(tracker: Tracker) -> list[Debt]:
    return debts_from_slot(tracker.get_slot(DEBTS_SLOT))


def several(debts: list[Debt]) -> bool:
    return len(debts) >= 2


def debt_change(tracker: Tracker) -> DebtChange | None:
    """What the latest message does to the list (coach/debts/ledger.py), read against the
    question the repayment form is asking: a number answering another question is no debt."""
    form = tracker.active_loop.get("name") if tracker.active_loop else None
    asked = tracker.get_slot("requested_slot") if form == "repayment_form" else None
    return change_from_message(typed_text(tracker), slot_debts(tracker), asked)


def debts_after_message(tracker: Tracker) -> list[Debt] | None:
    """The list as the latest message leaves it, or None when the message changes none."""
    change = debt_change(tracker)
    return None if change is None else list(change.debts)


def show_change(change: DebtChange, dispatcher: CollectingDispatcher) -> None:
    """The one line per change, then the list while it holds several debts."""
    if change.lines:
        dispatcher.utter_message(text=change.echo)
    if several(list(change.debts)):
        show_list(list(change.debts), dispatcher)


def list_events(debts: list[Debt], tracker: Tracker) -> list[EventType]:
    """Slots for a changed list: the list, the total as the balance, and the main lender
    type of the list (never one a lender named in the message only to drop it); one debt
    left is an ordinary single debt again, none leaves the balance to ask again."""
    if not debts:
        cleared = (DEBTS_SLOT, PLAN_SLOT, "balance", "debt_parts", "lender_type")
        return [SlotSet(name, None) for name in cleared]
    events: list[EventType] = [
        SlotSet(DEBTS_SLOT, debts_to_slot(debts) if several(debts) else None),
        SlotSet("balance", float(total_balance(debts))),
        SlotSet("debt_parts", None),
        SlotSet("lender_type", main_lender_type(debts)),
    ]
    if not several(debts):
        events.append(SlotSet(PLAN_SLOT, None))
    return events


def budget_events(tracker: Tracker, dispatcher: CollectingDispatcher) -> list[EventType]:
    """ "一个月只能拿出3000": with no income or expenses known, that sum is what is left
    each month (income 3000, expenses 0), and the coach says so."""
    affordable = read_budget(typed_text(tracker)).affordable
    unknown = tracker.get_slot("monthly_income") is None
    if not affordable or not unknown or tracker.get_slot("monthly_expenses") is not None:
        return []
    dispatcher.utter_message(response="utter_affordable_as_disposable", amount=affordable)
    return [SlotSet("monthly_income", float(affordable)), SlotSet("monthly_expenses", 0.0)]


def show_list(debts: list[Debt], dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(text=debts_understood(debts))


def plan_for(tracker: Tracker, debts: list[Debt], method: str | None = None) -> DebtPlan | None:
    """The plan for the held figures, or None while income or expenses are unknown."""
    income = tracker.get_slot("monthly_income")
    expenses = tracker.get_slot("monthly_expenses")
    if income is None or expenses is None or not several(debts):
        return None
    chosen = method or tracker.get_slot(METHOD_SLOT) or PRO_RATA
    overdue = tracker.get_slot("months_overdue")
    return plan_debts(with_overdue(debts, overdue), float(income), float(expenses), chosen)


def with_overdue(debts: list[Debt], months: Any) -> list[Debt]:
    """Debts whose own months overdue are unknown take the months the form was told."""
    if months is None:
        return debts
    return [
        debt if debt.months_overdue is not None else _overdue(debt, int(float(months)))
        for debt in debts
    ]


def _overdue(debt: Debt, months: int) -> Debt:
    return replace(debt, months_overdue=months)


def send_plan(
    plan: DebtPlan, dispatcher: CollectingDispatcher, gate: OldDebtGate | None = None
) -> list[EventType]:
    """The summary, the debt_plan payload and what to do next; the payload is kept."""
    payload = debt_plan_payload(plan)
    dispatcher.utter_message(text=render_plan_summary(plan, gate=gate))
    dispatcher.utter_message(json_message=payload)
    if HIGHEST_RATE_FIRST in plan.alternatives and plan.method == PRO_RATA:
        dispatcher.utter_message(response="utter_debt_plan_next_with_rates")
    else:
        dispatcher.utter_message(response="utter_debt_plan_next")
    return [SlotSet(PLAN_SLOT, payload), SlotSet(METHOD_SLOT, plan.method)]
