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

from actions._debt_plan import (
    budget_events,
    debt_change,
    list_events,
    show_change,
    slot_debts,
    typed_text,
)
from actions._latest_message import latest_balance_parts, latest_intent, resuming
from coach.debts.intake import debts_from_mentions, read_debts
from coach.debts.ledger import describe
from coach.figures.form_answers import (
    DONT_KNOW,
    VALUE,
    button_titles,
    dont_know_text,
    missed_twice_text,
    read_form_answer,
    skip_default,
)
from coach.figures.form_text import changed_figures, debts_line, noted_figures
from coach.figures.plausibility import check_figure
from coach.figures.slots import (
    FIGURE_SLOTS,
    LENDER_TYPES,
    figures_before_latest_message,
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

# How many answers in a row the form could not read for one question: {"slot", "count"}.
MISSES_SLOT = "form_misses"

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
            not filled_now and not answers_question(tracker) and intent in INTERRUPTING_INTENTS
        ):
            return [ActionExecutionRejected(self.form_name())]
        events = await super().run(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        # Several debts, or an edit of the held list: their slots come last, so the total
        # replaces a single amount the extractor may have read as the balance.
        change = debt_change(tracker)
        if change is not None:
            show_change(change, dispatcher)
            events += list_events(list(change.debts), tracker)
        else:
            note_extra_figures(events, filled_now - {requested}, tracker, dispatcher)
        events += budget_events(tracker, dispatcher)
        if requested in FIGURE_SLOTS and not filled_now and change is None:
            events += self._answer_as_given(requested, dispatcher, tracker)
        elif filled_now or change is not None:
            events.append(SlotSet(MISSES_SLOT, None))
        return events

    def _answer_as_given(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        """ "0", "还没逾期", "六七千", "没有，…", "不知道": read here; anything else is a miss.
        After two misses on one question it offers to skip or pause instead of the same
        re-ask; a third skips with the safe default when the figure has one."""
        answer = read_form_answer(slot, typed_text(tracker))
        if answer is not None and answer.kind == VALUE and answer.value is not None:
            judged = self._judge(slot, answer.value, dispatcher, tracker)
            if judged[slot] is not None:
                return [SlotSet(slot, judged[slot]), SlotSet(MISSES_SLOT, None)]
            return [SlotSet(slot, None)]
        misses = missed_before(tracker, slot) + 1
        default = skip_default(slot)
        if misses >= 3 and default is not None:
            dispatcher.utter_message(text=noted_figures({slot: default}) or "")
            return [SlotSet(slot, default), SlotSet(MISSES_SLOT, None)]
        if answer is not None and answer.kind == DONT_KNOW:
            offer_choice(slot, dont_know_text(slot), dispatcher)
        elif misses >= 2:
            offer_choice(slot, missed_twice_text(slot), dispatcher)
        else:
            not_understood(slot, dispatcher)
        # Counts as a validated answer, so the form asks again instead of
        # handing the turn to another policy.
        return [SlotSet(slot, None), SlotSet(MISSES_SLOT, {"slot": slot, "count": misses})]

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
        answer = read_form_answer(slot, typed_text(tracker))
        asked = slot == tracker.get_slot("requested_slot")
        if asked and answer and answer.note and answer.value is not None:
            number = answer.value  # a range: the figure it stands for, said back
            dispatcher.utter_message(text=answer.note)
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
        if parts and debt_change(tracker) is None and not slot_debts(tracker):
            dispatcher.utter_message(text=debts_line(parts, judged["balance"]))
        claimed = claimed_total_line(tracker)
        if claimed:
            dispatcher.utter_message(text=claimed)
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
    events: list[EventType], extra: set[str], tracker: Tracker, dispatcher: CollectingDispatcher
) -> None:
    """Says which figures it kept that the form had not asked for yet, and which ones it
    changed ("改成：欠款总额48000元"): nothing changes silently."""
    accepted = {
        event["name"]: event["value"]
        for event in events
        if event.get("event") == "slot" and event.get("name") in extra
    }
    earlier = figures_before_latest_message(tracker.events)
    before = {name: earlier.get(name) for name in accepted}
    changed = {k: v for k, v in accepted.items() if before[k] is not None and before[k] != v}
    new = {k: v for k, v in accepted.items() if k not in changed}
    for line in (changed_figures(changed), noted_figures(new)):
        if line:
            dispatcher.utter_message(text=line)


def answers_question(tracker: Tracker) -> bool:
    """ "还没逾期" or "不知道" answer the form's question, whatever the classifier thought
    (it reads 还没逾期 as a question about the collection process)."""
    requested = tracker.get_slot("requested_slot")
    if requested not in FIGURE_SLOTS:
        return False
    answer = read_form_answer(requested, typed_text(tracker))
    return answer is not None and answer.kind in (VALUE, DONT_KNOW)


def claimed_total_line(tracker: Tracker) -> str | None:
    """ "欠了两万多 连本带息要五万": one debt, the principal used and the claimed total said."""
    named = debts_from_mentions(read_debts(typed_text(tracker)))
    if len(named) == 1 and named[0].claimed_total:
        return describe(named[0])
    return None


def missed_before(tracker: Tracker, slot: str) -> int:
    """The answers in a row the form could not read for ``slot`` before this one."""
    misses = tracker.get_slot(MISSES_SLOT)
    if isinstance(misses, dict) and misses.get("slot") == slot:
        return int(misses.get("count") or 0)
    return 0


def offer_choice(slot: str, text: str, dispatcher: CollectingDispatcher) -> None:
    """The text with its buttons: skip with the safe default (when there is one), pause."""
    skip, pause = button_titles()
    buttons = [{"title": pause, "payload": "/stop_form"}]
    default = skip_default(slot)
    if default is not None:
        payload = f'/inform_finances{{"{slot}": {default:g}}}'
        buttons.insert(0, {"title": skip, "payload": payload})
    dispatcher.utter_message(text=text, buttons=buttons)


def not_understood(slot: str, dispatcher: CollectingDispatcher) -> None:
    response = NOT_UNDERSTOOD_RESPONSE[slot_kind(slot)]
    dispatcher.utter_message(response=response, label=slot_label(slot))
