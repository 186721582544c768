"""Adds the one-line "not legal advice" note the first time law comes up."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher


class ActionLegalNote(Action):
    def name(self) -> str:
        return "action_legal_note"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        if tracker.get_slot("legal_note_given"):
            return []
        dispatcher.utter_message(response="utter_legal_note")
        return [SlotSet("legal_note_given", True)]
