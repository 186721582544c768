"""Deleting a conversation on the user's request ("删除我的记录"), once confirmed.

The rules ask first (utter_confirm_delete); this action runs only after a yes. The
channel (addons/channels/handling.py) sees it ran and removes the stored events after this
reply; the action confirms it and clears every slot, so nothing of the figures stays.
"""


from rasa_sdk import Tracker
from rasa_sdk.events import AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions._action import Reply


class ActionDeleteMyData(Reply):
    action_name = "action_delete_my_data"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        dispatcher.utter_message(response="utter_data_deleted")
        return [AllSlotsReset()]
