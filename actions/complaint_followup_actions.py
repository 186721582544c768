"""A complaint the user sent (issue 24 item 5): kept with its day, and followed up.

``action_complaint_sent`` reads the day from the message (today when it names none: the
reply says the day back, so the user can correct it) and the organisation, keeps them in
``complaint_sent`` and says when the 15-day answer period ends. ``action_complaint_followup``
tells the days left, or that the period passed, with the escalation document for the
lender's route (coach/casefile/followup.py).
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions._casefile import known, latest_text, send_document
from coach.casefile import dossier
from coach.casefile.followup import (
    followup,
    from_slot,
    not_recorded_text,
    recorded_text,
    says_posted,
    sent_complaint,
    sent_on,
    to_slot,
    today_in_china,
)

SENT_SLOT = "complaint_sent"


class ActionComplaintSent(Action):
    def name(self) -> str:
        return "action_complaint_sent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state = known(tracker)
        text = latest_text(tracker)
        today = today_in_china(state.now)
        day = sent_on(text, state.now) or today
        organisation = dossier.lender_name(state, text)
        sent = sent_complaint(day, organisation, state.lender_type, says_posted(text))
        dispatcher.utter_message(text=recorded_text(sent, today))
        value: dict[str, Any] = to_slot(sent)
        return [SlotSet(SENT_SLOT, value)]


class ActionComplaintFollowup(Action):
    def name(self) -> str:
        return "action_complaint_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        sent = from_slot(tracker.get_slot(SENT_SLOT))
        if sent is None:
            dispatcher.utter_message(text=not_recorded_text())
            return []
        state = known(tracker)
        result = followup(sent, today_in_china(state.now))
        dispatcher.utter_message(text=result.text)
        if result.document is None:
            return []
        return [send_document(tracker, dispatcher, result.document, state.now)]
