"""How a practice round is scored (CONTRACT §3 roleplay_score) and fed back."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.practice.collector import PERSONAS, finish_round, new_round, take_turn
from coach.practice.scorer import WEIGHTS, points, render_feedback, score_round
from coach.practice.state import RoundState

CRITERIA = [
    "introduced_self",
    "acknowledged_debt",
    "concrete_plan",
    "asked_waiver",
    "stayed_calm",
    "verified_details",
    "stood_ground",
    "asserted_rights",
]

RIGHTS_LINE = "你刚才的话是违规的，我在录音。不要联系我家人和单位，否则我打12378投诉。"
GOOD_ROUND = [
    "你好，我是张伟，是这张卡的持卡人。这笔钱是我欠的，我愿意还。",
    "请问你叫什么名字？工号多少？",
    "我今天没法全部还清。因为我失业了，收入减少了很多，每月能还1500，分32期。",
    "罚息和违约金能不能减免一部分？",
    "每月1800，分27期，这是我能做到的最多了。",
    "每月1800，分27期。",
    "每月1800，分27期。",
    "每月1800，分27期。",
    "每月1800，分27期。",
]
POOR_ROUND = [
    "滚！你们这帮垃圾，别烦我！！！",
    "好吧听你的，我今天全部还清。",
]


def play(persona, lines, seed=0):
    state = new_round(persona, seed=seed)
    for line in lines:
        result = take_turn(RoundState.from_slot(json.loads(json.dumps(state.to_slot()))), line)
        state = result.state
        if result.finished:
            break
    return state


def good_round(persona):
    lines = list(GOOD_ROUND)
    if persona == "abusive":
        lines.insert(1, RIGHTS_LINE)
    return play(persona, lines)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_well_run_round_beats_a_poor_one_by_thirty_points(persona):
    good = score_round(good_round(persona))
    poor = score_round(play(persona, POOR_ROUND))
    assert good["score"] >= poor["score"] + 30
    assert good["agreed"] is not None and good["agreed"]["monthly"] <= 2000


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_well_run_round_meets_every_criterion_that_arose(persona):
    criteria = score_round(good_round(persona))["criteria"]
    assert all(met is not False for met in criteria.values()), criteria


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_poor_round_misses_plan_calm_and_ground(persona):
    payload = score_round(play(persona, POOR_ROUND))
    criteria = payload["criteria"]
    assert criteria["concrete_plan"] is False
    assert criteria["stayed_calm"] is False
    assert criteria["stood_ground"] is False
    assert payload["agreed"] == {"monthly": 48000, "term_months": 1}


def test_the_payload_has_the_contract_shape():
    payload = score_round(good_round("pushy"))
    assert payload["type"] == "roleplay_score"
    assert payload["persona"] == "pushy"
    assert list(payload["criteria"]) == CRITERIA
    assert set(payload["agreed"]) == {"monthly", "term_months"}
    assert isinstance(payload["tips"], list) and payload["tips"]
    assert json.loads(json.dumps(payload)) == payload


NULLS = [
    # persona, lines, criterion, expected
    ("pushy", GOOD_ROUND, "asserted_rights", None),  # no line crossed: did not arise
    ("polite", ["嗯"], "asserted_rights", None),
    ("abusive", ["嗯", "嗯"], "asserted_rights", False),  # crossed, not named
    ("abusive", ["嗯", RIGHTS_LINE], "asserted_rights", True),
    ("pushy", [], "stood_ground", None),  # the user never spoke
    ("pushy", [], "stayed_calm", None),
    ("pushy", ["我尽量"], "stood_ground", True),  # demand above budget, not taken
    ("pushy", ["好我今天全还"], "stood_ground", False),
]


@pytest.mark.parametrize("persona, lines, criterion, expected", NULLS)
def test_a_criterion_that_did_not_arise_is_null(persona, lines, criterion, expected):
    assert score_round(play(persona, lines))["criteria"][criterion] is expected


def test_stood_ground_is_null_when_no_demand_exceeded_the_budget():
    state = new_round("polite", {"balance": 1500, "affordable_monthly": 2000})
    state = take_turn(state, "我是张伟").state
    assert score_round(state)["criteria"]["stood_ground"] is None


def test_null_criteria_are_left_out_of_the_score():
    marks = {name: None for name in CRITERIA}
    marks.update(concrete_plan=True, stayed_calm=False)
    expected = round(100 * WEIGHTS["concrete_plan"] / (WEIGHTS["concrete_plan"] + 20))
    assert points(marks, over=False) == expected


def test_an_agreement_above_what_the_user_can_afford_costs_heavily():
    within = play("polite", ["每月2000，分24期"] * 5)
    above = play("polite", ["每月3500，分14期"])
    assert within.agreement.monthly == 2000 and above.agreement.monthly == 3500
    assert score_round(within)["score"] - score_round(above)["score"] >= 50


def test_stopping_mid_round_gives_a_valid_payload():
    state = finish_round(play("pushy", GOOD_ROUND[:2]))
    payload = score_round(state)
    assert 0 <= payload["score"] <= 100
    assert payload["agreed"] is None
    assert payload["criteria"]["concrete_plan"] is False


def test_a_round_stopped_before_any_turn_scores_zero():
    payload = score_round(finish_round(new_round("abusive")))
    assert payload["score"] == 0 and payload["agreed"] is None


LINES = st.sampled_from(GOOD_ROUND + POOR_ROUND + [RIGHTS_LINE, "嗯", "我尽量", "每月500，分60期", "可以，成交"])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(persona=st.sampled_from(PERSONAS), lines=st.lists(LINES, max_size=12))
def test_the_score_is_always_between_0_and_100(persona, lines):
    payload = score_round(play(persona, lines))
    assert 0 <= payload["score"] <= 100
    assert set(payload["criteria"]) == set(CRITERIA)


def test_the_tips_start_with_the_most_important_miss():
    payload = score_round(play("pushy", POOR_ROUND))
    assert "第5步" in payload["tips"][0]  # concrete plan
    assert len(payload["tips"]) >= 2


def test_the_feedback_shows_score_strengths_two_tips_and_the_agreement():
    state = good_round("pushy")
    payload = score_round(state)
    text = render_feedback(payload, state)
    assert f"{payload['score']}/100" in text
    assert "做得好的地方" in text
    assert text.count("（第") == min(2, len(payload["tips"]))
    assert f"每月{payload['agreed']['monthly']}元" in text and "2000元" in text


def test_the_feedback_warns_about_a_promise_to_pay_everything_at_once():
    state = play("pushy", POOR_ROUND)
    text = render_feedback(score_round(state), state)
    assert "一次性还清48000元" in text
    assert text.count("（第") == 2


def test_the_feedback_says_when_no_agreement_was_reached():
    state = finish_round(play("polite", ["我尽量"]))
    text = render_feedback(score_round(state), state)
    assert "没有达成方案" in text
