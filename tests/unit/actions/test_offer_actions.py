"""action_compute_offer: sends the summary, the payload and the next steps."""

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.offer_actions import ActionComputeOffer
from tests.support.trackers import domain, tracker

FIGURES = {
    "balance": 50000.0,
    "lender_type": "credit_card",
    "months_overdue": 3.0,
    "monthly_income": 9000.0,
    "monthly_expenses": 5500.0,
    "lump_sum": 0.0,
}


def run(slots, intent="inform_finances"):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ActionComputeOffer().run(dispatcher, tracker(slots, intent=intent), domain())
    )
    return events, dispatcher.messages


def test_complete_figures_give_the_contract_example_offer():
    events, messages = run(FIGURES)
    payload = next(m["custom"] for m in messages if m.get("custom"))
    assert (payload["opening_monthly"], payload["ceiling_monthly"]) == (1800, 2600)
    assert events == [{"event": "slot", "name": "offer", "value": payload, "timestamp": None}]
    assert messages[-1]["response"] == "utter_offer_next"


def test_the_same_figures_again_ask_which_one_to_change():
    _, first = run(FIGURES)
    payload = next(m["custom"] for m in first if m.get("custom"))
    events, messages = run(dict(FIGURES, offer=payload))
    assert events == [] and [m["response"] for m in messages] == ["utter_ask_which_figure"]


def test_asking_for_the_plan_again_shows_the_same_offer_again():
    _, first = run(FIGURES)
    payload = next(m["custom"] for m in first if m.get("custom"))
    events, messages = run(dict(FIGURES, offer=payload), intent="request_repayment_plan")
    assert events == []
    assert next(m["custom"] for m in messages if m.get("custom")) == payload
    assert messages[-1]["response"] == "utter_offer_next"


def test_missing_figures_do_not_produce_an_offer():
    events, messages = run({"balance": 50000.0})
    assert events == [] and not any(m.get("custom") for m in messages)


def test_the_figures_used_are_shown_right_before_the_offer():
    _, messages = run(FIGURES)
    texts = [m.get("text") or "" for m in messages]
    summary = next(i for i, m in enumerate(messages) if m.get("custom")) - 1
    assert texts[summary - 1].startswith("我按这些数字来算：欠款总额50000元")
    assert "每月收入9000元" in texts[summary - 1] and "改一个数字" in texts[summary - 1]


def test_several_debts_are_named_in_the_figures_used():
    parts = [{"label": "招行", "value": 20000.0}, {"label": "借呗", "value": 30000.0}]
    _, messages = run(dict(FIGURES, debt_parts=parts))
    assert "欠款总额50000元（招行20000元 + 借呗30000元）" in messages[0]["text"]
