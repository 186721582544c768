"""Goal drills: the case fits the goal, and the debrief says whether it was reached."""

import pytest

from coach.practice.collector import take_turn
from coach.practice.goals import drill, goal_result
from coach.practice.round_start import new_round
from coach.practice.scorer import render_feedback, score_round
from coach.practice.state import GOALS


def drill_round(goal, lines, persona=None):
    chosen = drill(goal)
    state = new_round(
        persona or chosen.persona,
        chosen.scenario,
        seed=1,
        goal=goal,
        lump_sum_available=chosen.lump_sum_available,
    )
    for line in lines:
        state = take_turn(state, line).state
    return state


@pytest.mark.parametrize("goal", GOALS)
def test_every_drill_has_a_case_that_fits_it(goal):
    chosen = drill(goal)
    assert chosen.label and chosen.situation and chosen.aim
    lender = chosen.scenario["lender_type"]
    if goal in ("personalised", "freeze"):
        assert lender == "credit_card"  # 第七十条 and 停息挂账 are credit-card terms
    if goal == "settlement":
        assert chosen.lump_sum_available < chosen.scenario["balance"]
    else:
        assert chosen.lump_sum_available is None


def test_a_round_without_a_goal_has_no_goal_result():
    assert goal_result(new_round("pushy", None, seed=1)) is None
    assert score_round(new_round("pushy", None, seed=1))["goal"] is None


def test_personalised_instalments_are_reached_with_a_reason_and_the_request():
    state = drill_round(
        "personalised",
        ["你好，我是借款人本人。", "因为我失业了，根据第七十条，我想申请个性化分期"],
    )
    result = goal_result(state)
    assert result.reached and result.detail == "hardship_reached"


def test_personalised_instalments_without_a_reason_are_not_reached():
    state = drill_round("personalised", ["你好，我是借款人本人。", "我想申请个性化分期"])
    result = goal_result(state)
    assert not result.reached and result.detail == "no_reason"


def test_a_freeze_never_asked_for_is_not_reached():
    state = drill_round("freeze", ["你好，我是借款人本人。", "因为我生病了，每月能还800"])
    assert goal_result(state).detail == "freeze_not_asked"


def test_a_freeze_asked_with_a_reason_is_reached():
    state = drill_round("freeze", ["因为我生病做了手术，我想申请停息挂账"])
    assert goal_result(state).reached


def test_a_waiver_is_reached_once_the_polite_collector_grants_it():
    state = drill_round(
        "waiver",
        ["你好，我是借款人本人。", "做不到，每月能还1200，分30期", "罚息和违约金能不能减免一部分？"],
    )
    result = goal_result(state)
    assert state.waiver_granted and result.reached


def test_a_settlement_within_what_the_learner_can_raise_is_reached():
    state = drill_round(
        "settlement",
        [
            "因为我失业了，家里人帮我凑了一笔钱，一次性还20000元结清，可以吗？",
            "因为这钱是家里人凑的，我最多能加到23000元一次性结清",
            "24000元一次性结清，这是家里能凑到的全部了，请出书面结清证明",
            "对，确认",
        ],
    )
    assert state.agreement is not None and state.agreement.term == 1
    result = goal_result(state)
    assert result.reached and result.detail == "settlement_reached"
    payload = score_round(state)
    assert payload["goal"]["reached"] is True and payload["goal"]["label"] == "一次性结清"
    # Counted in one-off sums: the deal is within what can be raised, not "pay in full".
    assert payload["parts"]["outcome"] == 100
    feedback = render_feedback(payload, state)
    assert "一次性结清24000元" in feedback and "达成了" in feedback


def test_paying_the_whole_balance_is_no_settlement():
    state = drill_round("settlement", ["好吧听你的，我今天全部还清。", "对，今天全部还清。"])
    result = goal_result(state)
    assert not result.reached and result.detail == "settlement_paid_full"


def test_the_payload_says_the_goal_in_words():
    state = drill_round("freeze", ["你好"])
    goal = score_round(state)["goal"]
    assert set(goal) == {"key", "label", "reached", "detail", "text"}
    assert goal["text"].startswith("练习目标「停息挂账」")
