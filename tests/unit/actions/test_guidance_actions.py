"""The guidance actions read slots and send the text composed from the content files."""

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.guidance_actions import (
    ActionAnswerTopic,
    ActionExplainConsequences,
    ActionExplainRights,
    ActionScript,
)
from tests.support.offer_invariants import CONTRACT_EXAMPLE_OFFER
from tests.support.trackers import domain, tracker


def run(action, slots=None, intent="ask_negotiation_script", text=""):
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker(slots, intent=intent, text=text), domain()))
    return dispatcher.messages


def test_without_an_offer_the_script_has_placeholders_and_offers_to_compute():
    messages = run(ActionScript())
    assert "【每月金额】" in messages[0]["text"]
    assert messages[1]["response"] == "utter_offer_compute_first"


def test_with_an_offer_the_script_is_personal():
    slots = {
        "balance": 50000.0,
        "months_overdue": 3.0,
        "lender_type": "credit_card",
        "offer": CONTRACT_EXAMPLE_OFFER,
    }
    messages = run(ActionScript(), slots)
    assert len(messages) == 1 and "1800" in messages[0]["text"] and "50000" in messages[0]["text"]


def test_a_reported_demand_gets_the_matching_answer():
    messages = run(ActionScript(), intent="report_collector_demand", text="他说要去法院起诉我")
    assert "起诉" in messages[0]["text"]


def test_the_rights_answer_has_an_intro_the_rules_and_next_steps():
    messages = run(ActionExplainRights(), intent="ask_legal_rights")
    assert messages[0]["response"] == "utter_legal_rights_intro"
    assert "12378" in messages[1]["text"] and messages[1]["buttons"]


def test_a_question_about_family_gets_the_third_party_rule_with_buttons():
    messages = run(ActionExplainConsequences(), intent="ask_collection_process", text="会不会联系我家人")
    assert "不得透露欠款" in messages[0]["text"] and messages[0]["buttons"]


def test_a_general_question_gets_the_escalation_steps():
    messages = run(ActionExplainConsequences(), intent="ask_collection_process", text="接下来会怎样")
    assert [m["response"] for m in messages] == ["utter_collection_process"]


ADVICE_INTENTS = [
    "ask_verify_collector",
    "ask_court_message",
    "ask_online_loan_rules",
    "ask_old_debt",
    "report_disputed_debt",
    "ask_family_debt",
    "ask_settlement_proof",
    "ask_debt_agent",
    "request_unlawful_help",
]


@pytest.mark.parametrize("intent", ADVICE_INTENTS)
def test_each_advice_question_is_answered_from_its_facts_with_next_steps(intent):
    (message,) = run(ActionAnswerTopic(), intent=intent)
    assert message["text"].count("\n· ") >= 1
    assert 2 <= len(message["buttons"]) <= 4


def test_an_intent_without_a_topic_gets_the_menu():
    (message,) = run(ActionAnswerTopic(), intent="greet")
    assert message["response"] == "utter_default"
