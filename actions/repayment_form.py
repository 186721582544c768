"""Validation for ``repayment_form``: checks each figure and re-asks clearly.

The figures are extracted by the NLU (FigureEntityExtractor + slot mappings in
domain.yml). This action judges them with ``coach.figures.plausibility`` and decides what
happens when a message fills nothing: a question the coach can answer is let
through (the form is rejected, a rule answers, the form resumes); anything else
gets a re-ask that says what was not understood and shows an example.
"""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions._debt_plan import budget_events, debts_after_message, list_events, show_list
from actions._latest_message import latest_balance_parts, latest_intent, resuming
from coach.figures.form_text import debts_line, noted_figures
from coach.figures.plausibility import check_figure
from coach.figures.slots import (
    FIGURE_SLOTS,
    LENDER_TYPES,
    known_figures,
    slot_kind,
    slot_label,
)
from coach.guidance.rules_catalogue import topic_intents

# Intents that leave or pause the form, or that a rule answers before the form
# resumes (data/rules/stage4_assess.yml and data/rules/form_interruptions.yml).
INTERRUPTING_INTENTS = frozenset(
    {
        "express_crisis",
        "stop_form",
        "delete_my_data",
        "start_roleplay",
        "greet",
        "thank",
        "ask_help",
        "bot_challenge",
        "ask_collector_role",
        "ask_collection_process",
        "express_anxiety",
        "ask_stay_calm",
        "ask_debt_details",
        "ask_record_keeping",
        "ask_opening_script",
        "ask_negotiation_script",
        "ask_fee_waiver",
        "report_collector_demand",
        "ask_legal_rights",
        "report_abusive_collection",
        "express_stress",
        "ask_emotional_support",
        "ask_future_planning",
        "ask_privacy",
        "ask_debt_split",
    }
) | frozenset(
    topic_intents()
)  # the advice questions (content/answers.yml, topics)

# A crisis wins over slot filling: a figure in the same message is kept, not acted on.
ALWAYS_INTERRUPTING_INTENTS = frozenset({"express_crisis"})

NOT_UNDERSTOOD_RESPONSE = {
    "amount": "utter_not_understood_amount",
    "months": "utter_not_understood_months",
    "lender": "utter_not_understood_lender",
}


class ValidateRepaymentForm(FormValidationAction):
    def name(self) -> str:
        return "validate_repayment_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if resuming(tracker):
            # A rule answered the question that interrupted the form; the form asks again.
            return []
        filled_now = set(tracker.slots_to_validate()) & set(FIGURE_SLOTS)
        intent = latest_intent(tracker)
        if intent in ALWAYS_INTERRUPTING_INTENTS or (
            not filled_now and intent in INTERRUPTING_INTENTS
        ):
            return [ActionExecutionRejected(self.form_name())]
        events = await super().run(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        # Several debts, or an edit of the held list: their slots come last, so the total
        # replaces a single amount the extractor may have read as the balance.
        debts = debts_after_message(tracker)
        if debts is not None:
            show_list(debts, dispatcher)
            events += list_events(debts, tracker)
        else:
            note_extra_figures(events, filled_now - {requested}, dispatcher)
        events += budget_events(tracker, dispatcher)
        if requested in FIGURE_SLOTS and not filled_now and debts is None:
            not_understood(requested, dispatcher)
            # Counts as a validated answer, so the form asks again instead of
            # handing the turn to another policy.
            events.append(SlotSet(requested, None))
        return events

    def _judge(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, float | None]:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if number is None:
            not_understood(slot, dispatcher)
            return {slot: None}
        known = {k: v for k, v in known_figures(tracker.slots).items() if k != slot}
        problem = check_figure(slot, number, known)
        if problem:
            dispatcher.utter_message(response=f"utter_invalid_{problem}", label=slot_label(slot))
            return {slot: None}
        return {slot: number}

    def validate_balance(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        judged: dict[str, Any] = self._judge("balance", slot_value, dispatcher, tracker)
        if judged["balance"] is None:
            return judged
        parts = latest_balance_parts(tracker)
        if parts and debts_after_message(tracker) is None:
            dispatcher.utter_message(text=debts_line(parts, judged["balance"]))
        return {**judged, "debt_parts": parts or None}

    def validate_months_overdue(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._judge("months_overdue", slot_value, dispatcher, tracker)

    def validate_monthly_income(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._judge("monthly_income", slot_value, dispatcher, tracker)

    def validate_monthly_expenses(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._judge("monthly_expenses", slot_value, dispatcher, tracker)

    def validate_lump_sum(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._judge("lump_sum", slot_value, dispatcher, tracker)

    def validate_lender_type(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if slot_value in LENDER_TYPES:
            return {"lender_type": slot_value}
        not_understood("lender_type", dispatcher)
        return {"lender_type": None}


def note_extra_figures(
    events: list[EventType], extra: set[str], dispatcher: CollectingDispatcher
) -> None:
    """Says which figures it kept that the form had not asked for yet."""
    accepted = {
        event["name"]: event["value"]
        for event in events
        if event.get("event") == "slot" and event.get("name") in extra
    }
    line = noted_figures(accepted)
    if line:
        dispatcher.utter_message(text=line)


def not_understood(slot: str, dispatcher: CollectingDispatcher) -> None:
    response = NOT_UNDERSTOOD_RESPONSE[slot_kind(slot)]
    dispatcher.utter_message(response=response, label=slot_label(slot))
