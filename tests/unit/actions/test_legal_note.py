"""The not-legal-advice note comes once per conversation."""

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.legal_note import ActionLegalNote
from tests.support.trackers import domain, tracker


def run(slots):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionLegalNote().run(dispatcher, tracker(slots), domain()))
    return events, dispatcher.messages


def test_the_first_time_the_note_is_given_and_remembered():
    events, messages = run({"legal_note_given": False})
    assert [m["response"] for m in messages] == ["utter_legal_note"]
    assert events[0]["name"] == "legal_note_given" and events[0]["value"] is True


def test_afterwards_it_is_not_repeated():
    events, messages = run({"legal_note_given": True})
    assert events == [] and messages == []
