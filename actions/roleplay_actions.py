"""The practice call: the bot plays the collector inside ``roleplay_form``.

Every user message of a round reaches ``validate_roleplay_form``, which hands it to
the collector engine (``coach.practice.collector``); ``action_ask_roleplay_turn`` speaks the
collector's latest line; when the round ends, ``action_roleplay_score`` scores it. The round
lives in the ``roleplay_state`` slot as ``RoundState.to_slot()``; this module is the only place
that converts between the slot and the typed state.
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions._latest_message import latest_entities, latest_intent
from coach.figures.slots import FIGURE_SLOTS, figures_before_latest_message
from coach.offer.presenter import lender_label
from coach.practice.collector import (
    finish_round,
    new_round,
    opening_line,
    persona_label,
    round_seed,
    scenario_text,
    take_turn,
)
from coach.practice.debrief import (
    RoundSummary,
    history_from_slot,
    history_to_slot,
    render_replay,
    with_debrief,
)
from coach.practice.scorer import render_feedback, score_round
from coach.practice.state import RoundState

ROUND_DONE = "done"
# The summaries of the conversation's earlier rounds (coach.practice.debrief.RoundSummary).
HISTORY_SLOT = "roleplay_history"
# Handed to the rules (data/rules/practice.yml) instead of the collector.
LEAVING_INTENTS = frozenset({"express_crisis", "delete_my_data"})


def scenario_from_offer(
    offer: dict[str, Any] | None, figures: dict[str, Any]
) -> dict[str, Any] | None:
    """The user's own situation as a practice scenario, when an offer was computed."""
    if not offer or not offer.get("feasible"):
        return None
    return {
        "lender_label": lender_label(offer.get("lender_type") or "other"),
        "balance": offer["balance"],
        "months_overdue": figures.get("months_overdue") or 0,
        "affordable_monthly": offer["ceiling_monthly"],
        "opening_monthly": offer["opening_monthly"],
        "lender_type": offer.get("lender_type") or "other",
    }


def current_round(tracker: Tracker) -> RoundState | None:
    """The round in the slot; None when there is none or the slot holds no usable round."""
    return RoundState.from_slot(tracker.get_slot("roleplay_state"))


def cleared_round() -> list[EventType]:
    return [
        SlotSet("roleplay_state", None),
        SlotSet("roleplay_turn", None),
        SlotSet("roleplay_line", None),
    ]


def start_events(
    persona: str | None, tracker: Tracker, dispatcher: CollectingDispatcher
) -> list[EventType]:
    offer = tracker.get_slot("offer")
    scenario = scenario_from_offer(offer, {"months_overdue": tracker.get_slot("months_overdue")})
    # A new seed every round (the events so far differ), so rounds vary yet replay exactly.
    seed = round_seed(tracker.sender_id, len(tracker.events))
    state = new_round(persona or "pushy", scenario, seed=seed)
    dispatcher.utter_message(
        response="utter_roleplay_intro",
        persona_label=persona_label(state),
        scenario=scenario_text(state),
    )
    return [
        SlotSet("roleplay_state", state.to_slot()),
        SlotSet("roleplay_line", opening_line(state)),
        SlotSet("roleplay_turn", None),
    ]


class ActionStartRoleplay(Action):
    def name(self) -> str:
        return "action_start_roleplay"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return start_events(tracker.get_slot("persona"), tracker, dispatcher)


class ActionAskRoleplayTurn(Action):
    """Speaks the collector's current line (the form's question)."""

    def name(self) -> str:
        return "action_ask_roleplay_turn"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=tracker.get_slot("roleplay_line") or "")
        return []


def keep_real_figures(tracker: Tracker) -> list[EventType]:
    """Figures said to the pretend collector ("我只欠3万") are part of the act: the slot
    mappings filled them, these events put the user's real figures back."""
    before = figures_before_latest_message(tracker.events)
    return [
        SlotSet(name, before[name])
        for name in FIGURE_SLOTS
        if tracker.get_slot(name) != before[name]
    ]


class ValidateRoleplayForm(FormValidationAction):
    def name(self) -> str:
        return "validate_roleplay_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        if intent in LEAVING_INTENTS:
            return [ActionExecutionRejected(self.form_name())]
        return await super().run(dispatcher, tracker, domain) + keep_real_figures(tracker)

    def validate_roleplay_turn(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        state = current_round(tracker)
        intent = latest_intent(tracker)
        entities = latest_entities(tracker)
        if state is None:
            return {"roleplay_turn": ROUND_DONE}
        if value is None:
            # The round was just (re)started: nothing said yet, keep the opening line.
            return {"roleplay_turn": None}
        if intent == "stop_roleplay":
            return {"roleplay_turn": ROUND_DONE, "roleplay_state": finish_round(state).to_slot()}
        if intent == "start_roleplay" and entities.get("persona"):
            events = start_events(entities["persona"], tracker, dispatcher)
            return {event["name"]: event["value"] for event in events}
        result = take_turn(state, str(value or ""))
        slots: dict[str, Any] = {
            "roleplay_state": result.state.to_slot(),
            "roleplay_line": result.collector_line,
        }
        if result.finished:
            dispatcher.utter_message(text=result.collector_line)
            slots["roleplay_turn"] = ROUND_DONE
        else:
            slots["roleplay_turn"] = None
        return slots


class ActionRoleplayScore(Action):
    def name(self) -> str:
        return "action_roleplay_score"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state = current_round(tracker)
        if state is None:
            dispatcher.utter_message(response="utter_roleplay_not_active")
            # A slot that holds no usable round (hand-edited, garbled) is cleared.
            return cleared_round() if tracker.get_slot("roleplay_state") else []
        payload, summary = scored_round(state, tracker)
        dispatcher.utter_message(text=render_feedback(payload, state))
        dispatcher.utter_message(json_message=payload)
        if payload["finished"]:
            dispatcher.utter_message(text=render_replay(payload))
        return cleared_round() + history_events(tracker, summary)


def scored_round(state: RoundState, tracker: Tracker) -> tuple[dict[str, Any], RoundSummary]:
    """The score payload with the debrief and the progress over earlier rounds."""
    previous = history_from_slot(tracker.get_slot(HISTORY_SLOT))
    return with_debrief(score_round(state), state, previous)


def history_events(tracker: Tracker, summary: RoundSummary) -> list[EventType]:
    """The round's summary added to the history slot."""
    previous = history_from_slot(tracker.get_slot(HISTORY_SLOT))
    return [SlotSet(HISTORY_SLOT, history_to_slot([*previous, summary]))]
