"""Adds the one-line "not legal advice" note the first time law comes up."""


from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._action import Reply


class ActionLegalNote(Reply):
    action_name = "action_legal_note"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if tracker.get_slot("legal_note_given"):
            return []
        dispatcher.utter_message(response="utter_legal_note")
        return [SlotSet("legal_note_given", True)]
