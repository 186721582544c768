"""Several debts in the conversation: read in the form, planned, split, edited."""

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.debt_actions import ActionAnswerDebtSplit, ActionEditDebts
from actions.guidance_actions import ActionScript
from actions.offer_actions import ActionComputeOffer
from actions.repayment_form import ValidateRepaymentForm
from coach.debts.model import Debt
from coach.debts.slot import debts_to_slot
from tests.support.trackers import domain, slot_events_since_user, tracker

FIVE_DEBTS = "招行2w 建行1.5w 广发8k 借呗3w 网贷5000，一个月只能拿出3000"
DEBTS = debts_to_slot(
    [
        Debt(id="d1", label="招行", lender_type="credit_card", balance=20000),
        Debt(id="d2", label="建行", lender_type="credit_card", balance=15000),
        Debt(id="d3", label="借呗", lender_type="online_lender", balance=30000),
    ]
)
FIGURES = {
    "balance": 65000.0,
    "lender_type": "online_lender",
    "months_overdue": 3.0,
    "monthly_income": 9000.0,
    "monthly_expenses": 5000.0,
    "lump_sum": 0.0,
}


def run(action, slots, text="", intent="inform_finances", entities=None, loop=None, events=None):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        action.run(
            dispatcher,
            tracker(
                slots,
                intent=intent,
                text=text,
                entities=entities,
                active_loop=loop,
                events=events,
            ),
            domain(),
        )
    )
    return slot_values(events), dispatcher.messages


def slot_values(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def payload_of(messages):
    return next(m["custom"] for m in messages if m.get("custom"))


def texts_of(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def test_five_debts_in_one_message_become_the_list_and_their_total():
    slots, messages = run(
        ValidateRepaymentForm(), {"requested_slot": None}, FIVE_DEBTS, loop="repayment_form"
    )
    assert len(slots["debts"]) == 5
    assert slots["balance"] == 78000.0
    assert slots["lender_type"] == "online_lender"  # the largest debt, 借呗
    assert "5笔" in texts_of(messages) and "78000" in texts_of(messages)


def test_what_the_user_can_put_aside_stands_for_income_when_none_is_known():
    slots, messages = run(
        ValidateRepaymentForm(), {"requested_slot": None}, FIVE_DEBTS, loop="repayment_form"
    )
    assert (slots["monthly_income"], slots["monthly_expenses"]) == (3000.0, 0.0)
    assert "utter_affordable_as_disposable" in [m.get("response") for m in messages]


def test_one_debt_meets_the_form_as_before():
    slots, _ = run(
        ValidateRepaymentForm(),
        {"requested_slot": "balance", "balance": 48000.0},
        "欠了招行48000",
        loop="repayment_form",
        events=slot_events_since_user({"balance": 48000.0}),
    )
    assert "debts" not in slots and slots["balance"] == 48000.0


def test_complete_figures_with_several_debts_give_a_debt_plan_that_keeps_the_rules():
    slots, messages = run(ActionComputeOffer(), dict(FIGURES, debts=DEBTS))
    plan = payload_of(messages)
    assert plan["type"] == "debt_plan" and plan["feasible"]
    monthly = [debt["monthly"] for debt in plan["debts"]]
    assert sum(monthly) <= plan["affordable_monthly"]
    ratios = [debt["monthly"] / debt["balance"] for debt in plan["debts"]]
    assert min(ratios) >= 0.95 * max(ratios)
    assert slots["debt_plan"] == plan
    assert messages[-1]["response"] == "utter_debt_plan_next"


def test_how_to_split_names_the_rule_and_the_users_own_figures():
    _, messages = run(
        ActionAnswerDebtSplit(), dict(FIGURES, debts=DEBTS), "这些钱怎么分", "ask_debt_split"
    )
    answer = texts_of(messages)
    assert "比例" in answer and "招行" in answer and "借呗" in answer


def test_how_to_split_without_debts_explains_the_rule_and_asks_for_them():
    _, messages = run(ActionAnswerDebtSplit(), {}, "先还哪个", "ask_debt_split")
    assert [m.get("response") for m in messages] == ["utter_debt_split_rule"]


def test_choosing_highest_rate_first_replans_with_it():
    with_rates = [
        dict(debt, monthly_rate=rate) for debt, rate in zip(DEBTS, (0.01, 0.015, 0.02), strict=True)
    ]
    entities = [{"entity": "debt_method", "value": "highest_rate_first"}]
    slots, messages = run(
        ActionAnswerDebtSplit(),
        dict(FIGURES, debts=with_rates),
        "/ask_debt_split",
        "ask_debt_split",
        entities,
    )
    assert payload_of(messages)["method"] == "highest_rate_first"
    assert slots["debt_method"] == "highest_rate_first"


def test_removing_a_debt_replans_without_it():
    slots, messages = run(ActionEditDebts(), dict(FIGURES, debts=DEBTS), "删掉建行那笔", "remove_debt")
    assert [debt["label"] for debt in slots["debts"]] == ["招行", "借呗"]
    assert slots["balance"] == 50000.0
    assert [d["label"] for d in payload_of(messages)["debts"]] == ["招行", "借呗"]


def test_removing_down_to_one_debt_turns_back_to_a_single_offer():
    two = DEBTS[:2]
    slots, messages = run(ActionEditDebts(), dict(FIGURES, debts=two), "删掉建行那笔", "remove_debt")
    assert slots["debts"] is None and slots["balance"] == 20000.0
    assert slots["lender_type"] == "credit_card"
    assert messages[-1]["response"] == "utter_one_debt_left"


def test_an_edit_that_names_no_debt_is_asked_again():
    slots, messages = run(ActionEditDebts(), dict(FIGURES, debts=DEBTS), "删掉工行那笔", "remove_debt")
    assert slots == {} or "debts" not in slots or slots["debts"]
    assert messages


def test_a_correction_inside_the_form_changes_that_debt_and_the_total():
    slots, _ = run(
        ValidateRepaymentForm(),
        dict(FIGURES, debts=DEBTS, requested_slot="lump_sum"),
        "借呗那笔是4万不是3万",
        loop="repayment_form",
    )
    labels = {d["label"]: d["balance"] for d in slots["debts"]}
    assert labels["借呗"] == 40000 and slots["balance"] == 75000.0


def test_the_script_with_several_debts_says_what_to_say_to_each_lender():
    _, messages = run(
        ActionScript(), dict(FIGURES, debts=DEBTS), "怎么跟每家说", "ask_negotiation_script"
    )
    said = texts_of(messages)
    assert "对招行" in said and "对借呗" in said
    assert "utter_offer_compute_first" not in [m.get("response") for m in messages]
