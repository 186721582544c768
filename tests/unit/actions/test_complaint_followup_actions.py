"""A complaint the user sent: kept with its day, then followed up before and after the deadline."""

import asyncio
from datetime import datetime, timezone

from rasa_sdk.executor import CollectingDispatcher

from actions.complaint_followup_actions import ActionComplaintFollowup, ActionComplaintSent
from tests.support.trackers import domain, tracker

NOW = datetime(2026, 12, 8, 2, 0, tzinfo=timezone.utc).timestamp()


def _run(action, slots=None, text=""):
    dispatcher = CollectingDispatcher()
    events = [{"event": "user", "text": text, "timestamp": NOW}]
    tracked = tracker(slots=slots, text=text, events=events)
    result = asyncio.run(action.run(dispatcher, tracked, domain()))
    return dispatcher.messages, result


def test_the_sent_day_is_kept_and_the_deadline_said_back():
    messages, events = _run(ActionComplaintSent(), {"lender_type": "credit_card"}, "我昨天打电话投诉了招行")
    kept = events[0]["value"]
    assert events[0]["name"] == "complaint_sent"
    assert kept["sent_on"] == "2026-12-07" and kept["route"] == "bank"
    assert "12月22日前" in messages[0]["text"]


def test_before_the_deadline_the_days_left_are_told():
    sent = {"sent_on": "2026-12-01", "organisation": "招商银行", "route": "bank"}
    messages, events = _run(ActionComplaintFollowup(), {"complaint_sent": sent}, "他们一直没回复")
    assert "还有8天" in messages[0]["text"] and events == []


def test_after_the_deadline_the_escalation_document_is_sent():
    sent = {"sent_on": "2026-11-01", "organisation": "招商银行", "route": "bank"}
    messages, events = _run(ActionComplaintFollowup(), {"complaint_sent": sent}, "投诉了没人理")
    assert "12378" in messages[0]["text"]
    document = messages[1]["custom"]
    assert document["kind"] == "escalation_complaint"
    assert "2026年11月1日" in document["text"]
    assert events[0]["name"] == "documents"


def test_without_a_recorded_complaint_it_asks_when_and_to_whom():
    messages, events = _run(ActionComplaintFollowup(), {}, "投诉了没人理")
    assert "哪天" in messages[0]["text"] and events == []
