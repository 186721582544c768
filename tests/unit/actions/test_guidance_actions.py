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
    "ask_enforceable_paper",
    "ask_personalised_instalment",
    "ask_borrow_to_repay",
    "ask_change_number",
    "ask_savings_payment",
    "ask_credit_record",
    "ask_default_again",
    "ask_home_visit",
    "ask_enforcement",
]


@pytest.mark.parametrize("intent", ADVICE_INTENTS)
def test_each_advice_question_is_answered_from_its_facts_with_next_steps(intent):
    (message,) = run(ActionAnswerTopic(), intent=intent)
    assert message["text"].count("\n· ") >= 1
    assert 2 <= len(message["buttons"]) <= 4


def test_an_intent_without_a_topic_gets_the_menu():
    (message,) = run(ActionAnswerTopic(), intent="greet")
    assert message["response"] == "utter_default"


# --- who is asking (issue 23) ---------------------------------------------------------


def run_events(action, slots=None, intent="ask_family_debt", text="", entities=None):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        action.run(
            dispatcher, tracker(slots, intent=intent, text=text, entities=entities), domain()
        )
    )
    return dispatcher.messages, events


def test_a_mother_called_about_her_sons_card_gets_the_family_answer_and_the_role_is_kept():
    messages, events = run_events(ActionAnswerTopic(), text="催收打给我说我儿子信用卡欠钱")
    assert "一般不用你还" in messages[0]["text"] and "不要再打给我" in messages[0]["text"]
    assert {"event": "slot", "name": "user_role", "value": "family"}.items() <= events[0].items()


def test_a_third_partys_script_is_their_own_and_never_the_debtors_admission():
    messages, _ = run_events(ActionScript(), {"user_role": "family"}, "ask_opening_script", "怎么说")
    text = " ".join(m.get("text") or "" for m in messages)
    assert "不是我借的" in text and "我愿意还" not in text and "这笔钱是我欠的" not in text


def test_a_guarantor_is_not_told_it_is_not_their_debt():
    clicked = [{"entity": "user_role", "value": "guarantor"}]
    messages, _ = run_events(ActionAnswerTopic(), entities=clicked)
    assert "担保" in messages[0]["text"] and "不是你的债" not in messages[0]["text"]


def test_a_wife_whose_husband_borrowed_in_his_name_gets_the_spouse_rule_not_identity_theft():
    messages, _ = run_events(
        ActionAnswerTopic(), intent="report_disputed_debt", text="我老公背着我借了网贷，不是我借的"
    )
    assert "第1064条" in messages[0]["text"] and "不是盗用你的身份" in messages[0]["text"]


def test_a_family_question_that_does_not_say_who_borrowed_asks():
    messages, events = run_events(ActionAnswerTopic(), text="家里人的债要我还吗")
    assert "谁借的" in messages[0]["text"] and events == []
