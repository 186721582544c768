"""action_delete_my_data confirms the deletion and forgets every slot."""

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.privacy import ActionDeleteMyData
from tests.support.trackers import domain, tracker


def test_deleting_confirms_and_resets_all_slots():
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ActionDeleteMyData().run(dispatcher, tracker({"balance": 48000.0}), domain())
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_data_deleted"]
    assert events == [{"event": "reset_slots", "timestamp": None}]
