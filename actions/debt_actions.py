"""Several debts: the answer to "先还哪个 / 怎么分", and edits to the list outside the form."""


from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._action import Reply
from actions._debt_plan import (
    METHOD_SLOT,
    debt_change,
    list_events,
    plan_for,
    send_plan,
    several,
    show_change,
    show_list,
    slot_debts,
)
from actions._old_debt import conversation_gate
from coach.debts.presenter import split_answer


class ActionAnswerDebtSplit(Reply):
    """Names the rule with the user's own figures; a chosen method (a button) replans."""

    action_name = "action_answer_debt_split"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        debts = slot_debts(tracker)
        if not several(debts):
            dispatcher.utter_message(response="utter_debt_split_rule")
            return []
        chosen = next(tracker.get_latest_entity_values(METHOD_SLOT), None)
        plan = plan_for(tracker, debts, chosen)
        if plan is None:
            show_list(debts, dispatcher)
            dispatcher.utter_message(response="utter_debt_split_needs_figures")
            return []
        dispatcher.utter_message(text=split_answer(plan))
        if chosen:
            return send_plan(plan, dispatcher, conversation_gate(tracker))
        return [SlotSet(METHOD_SLOT, plan.method)]


class ActionEditDebts(Reply):
    """ "删掉建行那笔" outside the form: the list changes, and the plan with it."""

    action_name = "action_edit_debts"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        change = debt_change(tracker)
        if change is None:
            dispatcher.utter_message(response="utter_debt_edit_not_understood")
            return []
        debts = list(change.debts)
        show_change(change, dispatcher)
        events = list_events(debts, tracker)
        plan = plan_for(tracker, debts)
        if plan is not None:
            events += send_plan(plan, dispatcher, conversation_gate(tracker))
        elif several(debts):
            dispatcher.utter_message(response="utter_debt_split_needs_figures")
        elif debts:
            dispatcher.utter_message(response="utter_one_debt_left")
        return events
