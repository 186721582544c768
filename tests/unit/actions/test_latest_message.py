"""Reading the latest message's intent and entities off a tracker."""

from actions._latest_message import latest_entities, latest_intent
from tests.support.trackers import tracker


def test_the_intent_name():
    assert latest_intent(tracker(intent="request_repayment_plan")) == "request_repayment_plan"


def test_no_intent_yet_is_an_empty_name():
    empty = tracker()
    empty.latest_message = {}
    assert latest_intent(empty) == ""
    empty.latest_message = {"intent": None}
    assert latest_intent(empty) == ""


def test_entities_by_name_the_later_value_wins():
    entities = [
        {"entity": "persona", "value": "polite"},
        {"entity": "balance", "value": 48000},
        {"entity": "persona", "value": "pushy"},
    ]
    assert latest_entities(tracker(entities=entities)) == {"persona": "pushy", "balance": 48000}


def test_no_entities_is_an_empty_dict():
    assert latest_entities(tracker()) == {}
    none_given = tracker()
    none_given.latest_message = {"entities": None}
    assert latest_entities(none_given) == {}
