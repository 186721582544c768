"""Computes the repayment offer from the gathered figures and sends it."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._action import Reply
from actions._debt_plan import PLAN_SLOT, plan_for, send_plan, slot_debts
from actions._latest_message import latest_intent
from actions._old_debt import conversation_gate
from coach.debts.planner import DebtPlan
from coach.debts.presenter import debt_plan_payload
from coach.debts.presenter import used_figures_line as debt_figures_line
from coach.figures.form_text import used_figures_line
from coach.figures.slots import all_figures_known, known_figures
from coach.offer.planner import Figures, compute_offer
from coach.offer.presenter import offer_payload, render_offer_summary

CHANGE_A_FIGURE_INTENT = "inform_finances"


class ActionComputeOffer(Reply):
    action_name = "action_compute_offer"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        figures = known_figures(tracker.slots)
        if not all_figures_known(figures):
            dispatcher.utter_message(response="utter_assess_intro")
            return []
        debt_plan = plan_for(tracker, slot_debts(tracker))
        if debt_plan is not None:
            return several_debts(debt_plan, figures, tracker, dispatcher)
        offer = compute_offer(Figures(**figures))
        payload = offer_payload(offer)
        unchanged = payload == tracker.get_slot("offer")
        if unchanged and latest_intent(tracker) == CHANGE_A_FIGURE_INTENT:
            # The "改一个数字" button, or a figure equal to the one given: ask which one.
            dispatcher.utter_message(response="utter_ask_which_figure")
            return []
        dispatcher.utter_message(text=used_figures_line(figures, tracker.get_slot("debt_parts")))
        gate = conversation_gate(tracker)
        dispatcher.utter_message(text=render_offer_summary(offer, gate=gate))
        dispatcher.utter_message(json_message=payload)
        dispatcher.utter_message(response="utter_offer_next")
        return [] if unchanged else [SlotSet("offer", payload)]


def several_debts(
    plan: DebtPlan, figures: dict[str, Any], tracker: Tracker, dispatcher: CollectingDispatcher
) -> list[EventType]:
    """Two or more debts: the plan that shares the money between them."""
    unchanged = debt_plan_payload(plan) == tracker.get_slot(PLAN_SLOT)
    if unchanged and latest_intent(tracker) == CHANGE_A_FIGURE_INTENT:
        dispatcher.utter_message(response="utter_ask_which_figure")
        return []
    dispatcher.utter_message(text=debt_figures_line(plan))
    return send_plan(plan, dispatcher, conversation_gate(tracker))
