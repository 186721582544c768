"""validate_repayment_form with answers as people give them (issue 23)."""

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.repayment_form import MISSES_SLOT, ValidateRepaymentForm
from coach.debts.intake import debts_from_mentions, read_debts
from coach.debts.slot import debts_to_slot
from tests.support.repayment_form import validate
from tests.support.trackers import domain, slot_events_since_user, tracker


def answer(text, requested, filled=None, known=None, intent="inform_finances"):
    filled = filled or {}
    slots = dict(known or {}, **filled, requested_slot=requested)
    events, messages = validate(
        slots, intent, text, events=earlier_slots(known) + slot_events_since_user(filled)
    )
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return values, messages


def earlier_slots(known):
    return [
        {"event": "slot", "name": name, "value": value} for name, value in (known or {}).items()
    ]


def said(messages):
    return [m.get("text") or m.get("response") for m in messages]


def test_zero_months_overdue_is_taken_as_the_prompt_invites():
    values, messages = answer("0", "months_overdue", known={"balance": 48000.0})
    assert values["months_overdue"] == 0
    assert said(messages) == []


def test_not_overdue_yet_in_words_is_zero():
    values, _ = answer("还没逾期", "months_overdue", known={"balance": 48000.0})
    assert values["months_overdue"] == 0


def test_a_range_is_kept_as_its_lower_figure_and_said():
    values, messages = answer("六七千吧", "monthly_income", known={"balance": 48000.0})
    assert values["monthly_income"] == 6000
    assert any("六七千" in text and "6000元" in text for text in said(messages))


def test_nothing_with_a_reason_is_no_savings():
    values, _ = answer("没有，钱都交房租了", "lump_sum", known={"balance": 48000.0})
    assert values["lump_sum"] == 0


def test_dont_know_offers_a_skip_with_a_safe_default_or_a_pause():
    values, messages = answer("不知道", "months_overdue", intent="deny")
    assert values["months_overdue"] is None
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["先跳过", "先停一下"]
    assert messages[0]["buttons"][0]["payload"] == '/inform_finances{"months_overdue": 0}'


def misses(count, slot="months_overdue"):
    return {MISSES_SLOT: {"slot": slot, "count": count}}


def test_never_the_same_re_ask_three_times():
    first, one = answer("嗯嗯", "months_overdue", intent="nlu_fallback")
    assert said(one) == ["utter_not_understood_months"]
    assert first[MISSES_SLOT] == {"slot": "months_overdue", "count": 1}
    second, two = answer("嗯嗯", "months_overdue", known=misses(1), intent="nlu_fallback")
    assert "utter_not_understood_months" not in said(two)
    assert [b["title"] for b in two[0]["buttons"]] == ["先跳过", "先停一下"]
    third, _ = answer("嗯嗯", "months_overdue", known=misses(2), intent="nlu_fallback")
    assert third["months_overdue"] == 0 and third[MISSES_SLOT] is None


def test_a_figure_without_a_safe_default_is_never_skipped_to():
    values, messages = answer("嗯嗯", "monthly_income", known=misses(5, "monthly_income"))
    assert values["monthly_income"] is None
    assert [b["title"] for b in messages[0]["buttons"]] == ["先停一下"]


def test_misses_of_another_question_do_not_count():
    _, messages = answer("嗯嗯", "monthly_income", known=misses(2), intent="nlu_fallback")
    assert said(messages) == ["utter_not_understood_amount"]


def held_list():
    return {"debts": debts_to_slot(debts_from_mentions(read_debts("美团借钱1万 借呗2万 分期乐8000")))}


def test_income_after_a_list_of_debts_is_income_not_a_fourth_debt():
    known = {**held_list(), "balance": 38000.0, "months_overdue": 2.0}
    values, messages = answer("5000", "monthly_income", {"monthly_income": 5000.0}, known)
    assert values["monthly_income"] == 5000
    assert "debts" not in values and "balance" not in values


def test_a_corrected_balance_is_said_back_in_one_line():
    known = {"balance": 60000.0, "lender_type": "credit_card"}
    values, messages = answer(
        "不对 欠的是4万8 一万二是我工资",
        "months_overdue",
        {"balance": 48000.0, "monthly_income": 12000.0},
        known,
    )
    assert values["balance"] == 48000 and values["monthly_income"] == 12000
    assert any(text.startswith("改成：欠款总额48000元") for text in said(messages))


def test_a_reset_clears_the_list_and_the_form_asks_the_debt_again():
    known = {**held_list(), "balance": 38000.0}
    values, messages = answer("都删了 重来", "months_overdue", known=known, intent="remove_debt")
    assert values["debts"] is None and values["balance"] is None
    assert "清掉" in said(messages)[0]


def test_an_answer_the_classifier_took_for_a_question_is_still_an_answer():
    values, _ = answer("还没逾期", "months_overdue", intent="ask_collection_process")
    assert values["months_overdue"] == 0


def test_a_real_question_inside_the_form_is_let_through():
    events = asyncio.run(
        ValidateRepaymentForm().run(
            CollectingDispatcher(),
            tracker(
                {"requested_slot": "months_overdue"},
                intent="ask_collection_process",
                text="催收一般怎么走流程？",
                active_loop="repayment_form",
                events=[{"event": "user", "text": "x"}],
            ),
            domain(),
        )
    )
    assert events[0]["event"] == "action_execution_rejected"


def test_dont_know_three_times_takes_the_safe_default():
    values, _ = answer("不知道", "months_overdue", known=misses(2), intent="deny")
    assert values["months_overdue"] == 0
