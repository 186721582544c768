"""Deleting a conversation on the user's request ("删除我的记录").

The channel (channels/handling.py) removes the stored events after this reply; this
action confirms it and clears every slot, so nothing of the figures stays in memory.
"""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher


class ActionDeleteMyData(Action):
    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_data_deleted")
        return [AllSlotsReset()]
