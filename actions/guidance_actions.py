"""Stage-1 consequence answers, stage-5 scripts, the stage-6 rights answer and the
advice topics (collector checks, court messages, online loans, old or disputed debts,
family debts, settlements, paid agents, unlawful requests), filled from the content files."""


from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._action import Reply
from actions._debt_plan import plan_for, slot_debts
from actions._latest_message import latest_entities, latest_intent
from actions._old_debt import conversation_gate
from coach.debts.presenter import lender_script_lines
from coach.figures.slots import known_figures
from coach.guidance.roles import (
    THIRD_PARTIES,
    Role,
    as_role,
    read_role,
    role_answer,
    role_question,
    role_script,
)
from coach.guidance.rules_catalogue import (
    consequence_answer,
    consequence_fallback_response,
    rights_answer,
    topic_answer,
)
from coach.guidance.scripts import render_script, script_fields
from coach.offer.presenter import lender_label


class ActionScript(Reply):
    """Suggested sentences for the call, with the user's figures where known."""

    action_name = "action_script"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        intent = latest_intent(tracker)
        role = asking_role(tracker)
        third_party = role_script(role) if role in THIRD_PARTIES else None
        if third_party is not None:
            # Not the debtor: their own lines, never the debtor's admission.
            dispatcher.utter_message(text=third_party)
            return role_events(tracker, role)
        gate = conversation_gate(tracker)
        wants_lines = intent == "ask_negotiation_script" and gate.passed
        per_lender = lender_lines(tracker) if wants_lines else []
        if per_lender:
            # Several debts: each lender has its own figures, so no one template fits.
            dispatcher.utter_message(text="\n".join(per_lender))
            return []
        figures = known_figures(tracker.slots)
        label = lender_label(figures["lender_type"]) if figures["lender_type"] else ""
        fields, personalised = script_fields(figures, tracker.get_slot("offer"), label)
        said = tracker.latest_message.get("text") or ""
        text = render_script(intent, said, fields, personalised, gate)
        dispatcher.utter_message(text=text)
        if not personalised:
            dispatcher.utter_message(response="utter_offer_compute_first")
        return []


# Topics whose answer depends on who is asking (content/roles.yml).
ROLE_TOPICS = frozenset({"ask_family_debt", "report_disputed_debt"})


def asking_role(tracker: Tracker) -> Role | None:
    """Who is asking: a button's role, the role the latest message names, else the one
    recorded earlier in the conversation (the ``user_role`` slot)."""
    clicked = as_role(latest_entities(tracker).get("user_role"))
    said = read_role(tracker.latest_message.get("text") or "")
    return clicked or said or as_role(tracker.get_slot("user_role"))


def role_events(tracker: Tracker, role: Role | None) -> list[EventType]:
    if role is None or role == tracker.get_slot("user_role"):
        return []
    return [SlotSet("user_role", role)]


def lender_lines(tracker: Tracker) -> list[str]:
    """With several debts planned, what to say to each lender in its own figures."""
    plan = plan_for(tracker, slot_debts(tracker))
    return lender_script_lines(plan) if plan is not None else []


class ActionExplainRights(Reply):
    """Which rules protect the debtor, composed from the facts catalogue."""

    action_name = "action_explain_rights"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        answer = rights_answer()
        dispatcher.utter_message(response=answer["intro_response"])
        dispatcher.utter_message(text=answer["text"], buttons=answer["buttons"])
        return []


class ActionExplainConsequences(Reply):
    """Fears such as going to jail or the family finding out: the rules of that topic;
    any other question about what comes next gets the escalation steps."""

    action_name = "action_explain_consequences"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        answer = consequence_answer(tracker.latest_message.get("text") or "")
        if answer is None:
            dispatcher.utter_message(response=consequence_fallback_response())
        else:
            dispatcher.utter_message(text=answer["text"], buttons=answer["buttons"])
        return []


class ActionAnswerTopic(Reply):
    """An advice question answered from the catalogued facts of its topic."""

    action_name = "action_answer_topic"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        intent = latest_intent(tracker)
        role = asking_role(tracker) if intent in ROLE_TOPICS else None
        answer = topic_answer(intent)
        for_role = role_answer(role) if role in THIRD_PARTIES else None
        if answer is None:
            dispatcher.utter_message(response="utter_default")
        elif for_role is not None:
            dispatcher.utter_message(text=for_role, buttons=answer["buttons"])
        elif intent == "ask_family_debt" and role is None:
            # Who borrowed decides the answer: the general rule, then the question.
            question, buttons = role_question()
            dispatcher.utter_message(text=f"{answer['text']}\n{question}", buttons=buttons)
        else:
            dispatcher.utter_message(text=answer["text"], buttons=answer["buttons"])
        return role_events(tracker, role)
