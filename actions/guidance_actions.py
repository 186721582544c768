"""Stage-1 consequence answers, stage-5 scripts, the stage-6 rights answer and the
advice topics (collector checks, court messages, online loans, old or disputed debts,
family debts, settlements, paid agents, unlawful requests), filled from the content files."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions._debt_plan import plan_for, slot_debts
from actions._latest_message import latest_intent
from coach.debts.presenter import lender_script_lines
from coach.figures.slots import known_figures
from coach.guidance.rules_catalogue import (
    consequence_answer,
    consequence_fallback_response,
    rights_answer,
    topic_answer,
)
from coach.guidance.scripts import render_script, script_fields
from coach.offer.presenter import lender_label


class ActionScript(Action):
    """Suggested sentences for the call, with the user's figures where known."""

    def name(self) -> str:
        return "action_script"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        per_lender = lender_lines(tracker) if intent == "ask_negotiation_script" else []
        if per_lender:
            # Several debts: each lender has its own figures, so no one template fits.
            dispatcher.utter_message(text="\n".join(per_lender))
            return []
        figures = known_figures(tracker.slots)
        label = lender_label(figures["lender_type"]) if figures["lender_type"] else ""
        fields, personalised = script_fields(figures, tracker.get_slot("offer"), label)
        text = render_script(intent, tracker.latest_message.get("text") or "", fields, personalised)
        dispatcher.utter_message(text=text)
        if not personalised:
            dispatcher.utter_message(response="utter_offer_compute_first")
        return []


def lender_lines(tracker: Tracker) -> list[str]:
    """With several debts planned, what to say to each lender in its own figures."""
    plan = plan_for(tracker, slot_debts(tracker))
    return lender_script_lines(plan) if plan is not None else []


class ActionExplainRights(Action):
    """Which rules protect the debtor, composed from the facts catalogue."""

    def name(self) -> str:
        return "action_explain_rights"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        answer = rights_answer()
        dispatcher.utter_message(response=answer["intro_response"])
        dispatcher.utter_message(text=answer["text"], buttons=answer["buttons"])
        return []


class ActionExplainConsequences(Action):
    """Fears such as going to jail or the family finding out: the rules of that topic;
    any other question about what comes next gets the escalation steps."""

    def name(self) -> str:
        return "action_explain_consequences"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        answer = consequence_answer(tracker.latest_message.get("text") or "")
        if answer is None:
            dispatcher.utter_message(response=consequence_fallback_response())
        else:
            dispatcher.utter_message(text=answer["text"], buttons=answer["buttons"])
        return []


class ActionAnswerTopic(Action):
    """An advice question answered from the catalogued facts of its topic."""

    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        answer = topic_answer(latest_intent(tracker))
        if answer is None:
            dispatcher.utter_message(response="utter_default")
        else:
            dispatcher.utter_message(text=answer["text"], buttons=answer["buttons"])
        return []
