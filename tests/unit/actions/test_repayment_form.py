"""validate_repayment_form: judges each figure, re-asks clearly, lets questions through."""

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.repayment_form import ValidateRepaymentForm
from tests.support.repayment_form import validate
from tests.support.trackers import domain, slot_events_since_user, tracker


def run_validation(filled, requested, intent="inform_finances", known=None):
    events, messages = validation_messages(filled, requested, intent, known)
    return events, [m.get("response") for m in messages]


def validation_messages(filled, requested, intent="inform_finances", known=None, entities=None):
    slots = dict(known or {}, **filled, requested_slot=requested)
    return validate(slots, intent, entities=entities, events=slot_events_since_user(filled))


def slot_values(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_a_plausible_figure_is_kept():
    events, said = run_validation({"balance": 48000.0}, "balance")
    assert slot_values(events)["balance"] == 48000.0
    assert said == []


@pytest.mark.parametrize(
    "slot,value,response",
    [
        ("balance", -5000.0, "utter_invalid_negative"),
        ("balance", 99999999999999.0, "utter_invalid_too_large"),
        ("monthly_income", -1.0, "utter_invalid_negative"),
    ],
)
def test_an_absurd_figure_is_questioned_not_accepted(slot, value, response):
    events, said = run_validation({slot: value}, slot)
    assert slot_values(events)[slot] is None
    assert said == [response]


def test_expenses_far_above_income_are_questioned():
    events, said = run_validation(
        {"monthly_expenses": 90000.0}, "monthly_expenses", known={"monthly_income": 5000.0}
    )
    assert slot_values(events)["monthly_expenses"] is None
    assert said == ["utter_invalid_expenses_far_above_income"]


def test_an_answer_with_no_figure_gets_a_clear_re_ask():
    events, said = run_validation({}, "monthly_income", intent="nlu_fallback")
    assert said == ["utter_not_understood_amount"]
    assert {"event": "slot", "name": "monthly_income", "value": None, "timestamp": None} in events


def test_an_unknown_lender_type_is_re_asked():
    events, said = run_validation({"lender_type": "pawnshop"}, "lender_type")
    assert slot_values(events)["lender_type"] is None
    assert said == ["utter_not_understood_lender"]


@pytest.mark.parametrize("intent", ["express_crisis", "stop_form", "ask_stay_calm", "ask_help"])
def test_a_question_or_a_crisis_is_let_through_to_the_rules(intent):
    events, said = run_validation({}, "balance", intent=intent)
    assert events == [
        {
            "event": "action_execution_rejected",
            "name": "repayment_form",
            "policy": None,
            "confidence": None,
            "timestamp": None,
        }
    ]
    assert said == []


def test_a_crisis_wins_over_a_figure_in_the_same_message():
    events, said = run_validation({"balance": 80000.0}, "balance", intent="express_crisis")
    assert [event["event"] for event in events] == ["action_execution_rejected"]
    assert said == []


def test_a_figure_wins_over_the_intent_label():
    events, _ = run_validation({"balance": 50000.0}, "balance", intent="ask_negotiation_script")
    assert slot_values(events)["balance"] == 50000.0


def test_figures_beyond_the_asked_one_are_kept_and_named():
    events, messages = validation_messages(
        {"monthly_income": 5000.0, "monthly_expenses": 4000.0}, "months_overdue"
    )
    assert slot_values(events)["monthly_income"] == 5000.0
    assert [m["text"] for m in messages] == ["记下了：每月收入5000元，每月必要开销4000元。"]


def test_the_asked_figure_alone_is_not_repeated_back():
    _, messages = validation_messages({"balance": 48000.0, "monthly_income": 9000.0}, "balance")
    assert [m["text"] for m in messages] == ["记下了：每月收入9000元。"]


def test_an_extra_figure_that_was_questioned_is_not_named_as_kept():
    _, messages = validation_messages(
        {"months_overdue": 3.0, "monthly_income": -5.0}, "months_overdue"
    )
    assert [m.get("response") for m in messages] == ["utter_invalid_negative"]


def test_several_debts_in_one_message_are_all_named_and_kept():
    parts = [{"label": "招行", "value": 20000.0}, {"label": "借呗", "value": 30000.0}]
    entities = [{"entity": "balance", "value": 50000.0, "parts": parts}]
    events, messages = validation_messages({"balance": 50000.0}, "balance", entities=entities)
    assert slot_values(events)["balance"] == 50000.0
    assert slot_values(events)["debt_parts"] == parts
    assert messages[0]["text"].startswith("你提到了2笔欠款：招行20000元，借呗30000元，一共50000元。")


def test_one_debt_clears_an_earlier_list_of_debts():
    events, _ = run_validation({"balance": 60000.0}, "balance")
    assert slot_values(events)["debt_parts"] is None


def test_after_a_rule_answered_the_interrupting_question_the_form_asks_again():
    resumed = [
        {"event": "user", "text": "我有哪些权利"},
        {"event": "action_execution_rejected", "name": "repayment_form"},
        {"event": "action", "name": "action_explain_rights"},
    ]
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ValidateRepaymentForm().run(
            dispatcher,
            tracker(
                {"requested_slot": "lender_type", "balance": 50000.0},
                intent="ask_legal_rights",
                active_loop="repayment_form",
                events=resumed,
            ),
            domain(),
        )
    )
    assert events == [] and dispatcher.messages == []
