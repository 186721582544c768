"""How a practice round is scored (CONTRACT §3 roleplay_score) and fed back.

Most rounds here are built by hand (the learner's lines read by the real reader, the deal
set directly), so the rubric is tested apart from the collector; a few run the engine.
"""

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.practice.collector import finish_round, take_turn
from coach.practice.collector_style import PERSONAS
from coach.practice.round_facts import Concession, round_facts
from coach.practice.round_start import new_round
from coach.practice.scorer import (
    CONDUCT_WEIGHTS,
    PROCESS_WEIGHTS,
    Parts,
    concession_mark,
    first_offer_mark,
    outcome_points,
    render_feedback,
    score_round,
)
from coach.practice.state import Plan, RoundState
from coach.practice.turn_reader import read_turn

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
CEILING, FLOOR, BALANCE = 2000, 800, 48000


def made_round(lines, agreed=None, persona="pushy", crossed_at=None, floor=FLOOR):
    """A round the learner said ``lines`` in, ending with the plan ``agreed`` (monthly, term)."""
    state = new_round(persona, seed=1)
    scenario = replace(state.scenario, balance=BALANCE, affordable_monthly=CEILING)
    state = replace(
        state,
        scenario=replace(scenario, max_term_months=60),
        floor=Plan(monthly=floor, term=60),
        readings=tuple(read_turn(line) for line in lines),
        turns=len(lines),
        agreement=None if agreed is None else Plan(*agreed),
        finished=True,
        crossed_line=crossed_at is not None,
        crossed_at_turn=crossed_at,
    )
    return state


def play(persona, lines, seed=0):
    state = new_round(persona, seed=seed)
    for line in lines:
        result = take_turn(RoundState.from_slot(json.loads(json.dumps(state.to_slot()))), line)
        state = result.state
        if result.finished:
            break
    return finish_round(state)


WELL_RUN = [
    "你好，我是张伟，是这张卡的持卡人。这笔钱是我欠的，我愿意还。",
    "请问你叫什么名字？工号多少？",
    "我会还的，但是今天全部还清做不到。因为我失业了，收入少了一半，每月能还1300，分37期。",
    "如果能免掉罚息，我可以每月还1500。",
    "因为孩子上学要交学费，我最多再加100元，每月1600。",
    "好的，每月1600，请把方案用短信发给我确认。",
]
RIGHT_WORDS_GIVES_IN = [
    "你好，我是张伟，这笔钱是我欠的，我愿意还。",
    "请问你叫什么名字？工号多少？本金是多少？",
    "因为我失业了，收入少了一半，能不能减免罚息？",
    "好吧，我今天全部还清。",
    "对，今天全部还清，请发短信确认。",
]
SALAD = [
    "承认 失业 减免 罚息 书面确认 工号 投诉",
    "承认，失业，每月1500，分32期，减免罚息，书面确认",
    "本人 承认 欠款 停息 挂账 协议 录音 违法",
]


def test_a_well_run_round_scores_high():
    payload = score_round(made_round(WELL_RUN, agreed=(1600, 30)))
    assert payload["finished"] and payload["score"] >= 80, payload["parts"]
    assert all(mark in (None, 1) for name, mark in payload["rubric"].items()), payload["rubric"]


def test_saying_the_right_words_but_giving_in_scores_low():
    payload = score_round(made_round(RIGHT_WORDS_GIVES_IN, agreed=(BALANCE, 1)))
    assert payload["score"] <= 30, payload
    assert payload["parts"]["outcome"] == 0
    assert payload["rubric"]["refused_first_demand"] == 0


def test_a_keyword_salad_scores_low():
    payload = score_round(made_round(SALAD))
    assert payload["finished"] and payload["score"] <= 40, payload["rubric"]
    assert payload["criteria"]["asked_waiver"] is False
    assert payload["criteria"]["verified_details"] is False


def test_repeating_one_offer_without_moving_scores_well_below_a_well_run_round():
    payload = score_round(made_round(["每月1500，分32期"] * 12))
    assert payload["rubric"]["concessions"] == 0  # never moved, no deal
    assert payload["score"] <= 45
    well = score_round(made_round(WELL_RUN, agreed=(1600, 30)))["score"]
    assert well - payload["score"] >= 25


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_well_run_round_beats_a_poor_one_by_a_wide_margin(persona):
    good = score_round(made_round(WELL_RUN, agreed=(1600, 30), persona=persona))
    for poor_lines, agreed in ((RIGHT_WORDS_GIVES_IN, (BALANCE, 1)), (SALAD, None)):
        poor = score_round(made_round(poor_lines, agreed=agreed, persona=persona))
        assert good["score"] - poor["score"] >= 25, (poor_lines, poor["parts"])


# --- unfinished rounds --------------------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [[], ["喂"], ["嗯", "?", "喂"], ["你好", "嗯"], ["我是张伟，我愿意还", "嗯", "哦"]],
)
def test_a_round_with_fewer_than_three_substantive_turns_is_not_scored(lines):
    payload = score_round(made_round(lines))
    assert payload["finished"] is False and payload["score"] is None
    assert payload["parts"] == {"outcome": None, "process": None, "conduct": None}


def test_a_deal_makes_a_short_round_finished():
    payload = score_round(made_round(["好吧，我今天全部还清", "对"], agreed=(BALANCE, 1)))
    assert payload["finished"] and payload["score"] is not None and payload["score"] <= 25


def test_the_feedback_on_an_unfinished_round_says_why_there_is_no_score():
    state = made_round(["喂"])
    text = render_feedback(score_round(state), state)
    assert "/100" not in text and "3句" in text


# --- the parts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "monthly, expected",
    [(700, 100), (800, 100), (1400, 80), (2000, 60), (2050, 30), (2100, 20), (2200, 0), (48000, 0)],
)
def test_the_outcome_sits_between_the_floor_and_the_ceiling(monthly, expected):
    assert outcome_points(monthly, FLOOR, CEILING) == pytest.approx(expected)


def test_no_deal_is_scored_on_process_and_conduct_only():
    payload = score_round(made_round(WELL_RUN[:5]))
    assert payload["parts"]["outcome"] is None
    process = payload["parts"]["process"]
    assert payload["score"] == Parts(outcome=None, process=process, conduct=100).total
    assert Parts(outcome=None, process=35, conduct=100).total == 35


@pytest.mark.parametrize("process", [30, 60, 78, 100])
def test_no_deal_never_beats_the_same_round_closed_within_the_ceiling(process):
    without = Parts(outcome=None, process=process, conduct=100).total
    at_ceiling = Parts(outcome=60, process=process, conduct=100).total
    assert without <= at_ceiling


def test_a_deal_above_the_ceiling_caps_the_score():
    payload = score_round(made_round(WELL_RUN, agreed=(2100, 23)))
    assert payload["score"] <= 45


@pytest.mark.parametrize(
    "monthly, mark",
    [(1000, 1.0), (1400, 1.0), (1600, 1.0), (1700, 0.7), (1900, 0.4), (2100, 0.0), (900, 0.6)],
)
def test_the_first_offer_is_best_ambitious_and_credible(monthly, mark):
    facts = round_facts(made_round(["每月1000"]))
    assert first_offer_mark(monthly, facts) == mark


def test_a_first_offer_that_never_clears_the_debt_is_not_credible():
    facts = round_facts(made_round(["每月500"]))
    assert first_offer_mark(500, facts) == 0.3  # 48000 / 60 = 800 a month at least


def test_concessions_should_shrink_and_come_with_a_reason():
    first = Concession(turn=1, before=1300, after=1500, reason=True)
    assert concession_mark(first, None, CEILING) == 1
    smaller = Concession(turn=2, before=1500, after=1600, reason=False)
    assert concession_mark(smaller, first, CEILING) == 0.5
    bigger = Concession(turn=2, before=1500, after=1900, reason=True)
    assert concession_mark(bigger, first, CEILING) == 0.5
    over = Concession(turn=2, before=1500, after=2100, reason=True)
    assert concession_mark(over, first, CEILING) == 0


def test_the_concessions_are_read_from_the_learners_offers():
    facts = round_facts(made_round(WELL_RUN, agreed=(1600, 30)))
    assert [(c.before, c.after, c.reason) for c in facts.concessions] == [
        (1300, 1500, True),
        (1500, 1600, True),
    ]


def test_taking_the_collectors_figure_is_a_concession_too():
    lines = ["每月1300，分37期", "每月1500", "好的，就这么定"]
    facts = round_facts(made_round(lines, agreed=(2400, 20)))
    assert facts.concessions[-1].after == 2400 and facts.concessions[-1].turn == 2


def test_refusing_the_first_demand_means_no_yes_before_an_offer_or_a_no():
    assert score_round(made_round(["好的", "每月1500"]))["rubric"]["refused_first_demand"] == 0
    assert score_round(made_round(["我做不到", "好的"]))["rubric"]["refused_first_demand"] == 1
    assert score_round(made_round(["每月1500", "好的"]))["rubric"]["refused_first_demand"] == 1


def test_a_conditional_trade_beats_a_bare_waiver_request():
    trade = score_round(made_round(["如果能停息，我可以每月还1500"]))["rubric"]
    bare = score_round(made_round(["能不能减免罚息"]))["rubric"]
    assert trade["conditional_trade"] == 1 and bare["conditional_trade"] == 0.5


def test_rights_count_only_when_the_collector_broke_them_and_only_after():
    calm = ["我是张伟，我愿意还", "每月1500", "我尽量"]
    assert score_round(made_round(calm))["rubric"]["asserted_rights"] is None
    missed = score_round(made_round(calm, persona="abusive", crossed_at=1))
    named = calm[:1] + ["你这是违法的，我在录音，我要投诉"] + calm[2:]
    answered = score_round(made_round(named, persona="abusive", crossed_at=1))
    assert missed["rubric"]["asserted_rights"] == 0
    assert answered["rubric"]["asserted_rights"] == 1
    assert answered["parts"]["conduct"] == 100 > missed["parts"]["conduct"]


def test_insults_and_threats_cost_conduct_and_scale_the_whole_score():
    calm = made_round(WELL_RUN, agreed=(1600, 30))
    angry_lines = ["你他妈的烦不烦！！！"] + WELL_RUN[1:4] + ["滚，我最多每月1600", WELL_RUN[5]]
    angry = score_round(made_round(angry_lines, agreed=(1600, 30)))
    assert angry["rubric"]["calm"] == 0 and angry["parts"]["conduct"] < 50
    assert score_round(calm)["score"] - angry["score"] >= 25
    threat = score_round(made_round(WELL_RUN[:5] + ["再逼我就一分钱都不还了"]))
    assert threat["rubric"]["no_threats"] == 0


def test_the_weights_are_published_whole_numbers_summing_to_100():
    assert sum(PROCESS_WEIGHTS.values()) == 100 == sum(CONDUCT_WEIGHTS.values())


# --- the payload ----------------------------------------------------------------------


def test_the_payload_has_the_contract_shape():
    payload = score_round(made_round(WELL_RUN, agreed=(1600, 30)))
    assert payload["type"] == "roleplay_score"
    assert payload["persona"] == "pushy"
    assert list(payload["criteria"]) == CRITERIA
    assert payload["agreed"] == {"monthly": 1600, "term_months": 30}
    assert isinstance(payload["tips"], list) and payload["tips"]
    assert set(payload["parts"]) == {"outcome", "process", "conduct"}
    assert set(payload["rubric"]) == set(PROCESS_WEIGHTS) | set(CONDUCT_WEIGHTS)
    assert json.loads(json.dumps(payload)) == payload


def test_each_turn_carries_its_words_what_was_read_and_a_note():
    payload = score_round(made_round(WELL_RUN, agreed=(1600, 30)))
    turns = payload["turns"]
    assert [t["turn"] for t in turns] == list(range(1, len(WELL_RUN) + 1))
    assert [t["text"] for t in turns] == WELL_RUN
    third = turns[2]
    assert {"offered_monthly", "gave_reason", "refused_demand"} <= set(third["found"])
    assert third["offer"]["monthly"] == 1300 and "1300" in third["note"]
    assert all(t["note"] for t in turns)


def test_the_score_is_deterministic():
    state = made_round(WELL_RUN, agreed=(1600, 30))
    assert score_round(state) == score_round(RoundState.from_slot(state.to_slot()))


NULLS = [
    # lines, agreed, persona, crossed_at, criterion, expected
    (WELL_RUN, (1600, 30), "pushy", None, "asserted_rights", None),
    (["嗯"], None, "polite", None, "asserted_rights", None),
    (["嗯", "嗯"], None, "abusive", 1, "asserted_rights", False),
    (["嗯", "你这是违法的，我在录音"], None, "abusive", 1, "asserted_rights", True),
    ([], None, "pushy", None, "stayed_calm", None),
    (["好我今天全还"], (BALANCE, 1), "pushy", None, "stood_ground", False),
]


@pytest.mark.parametrize("lines, agreed, persona, crossed, criterion, expected", NULLS)
def test_an_older_criterion_that_did_not_arise_is_null(
    lines, agreed, persona, crossed, criterion, expected
):
    state = made_round(lines, agreed=agreed, persona=persona, crossed_at=crossed)
    assert score_round(state)["criteria"][criterion] is expected


def test_the_tips_start_with_the_heaviest_miss():
    payload = score_round(made_round(RIGHT_WORDS_GIVES_IN, agreed=(BALANCE, 1)))
    tips = payload["tips"]
    assert "第4步" in tips[0]  # the walk-away point: the deal went above the ceiling
    assert len(tips) >= 2


# --- the feedback message -------------------------------------------------------------


def test_the_feedback_shows_score_parts_strengths_two_tips_and_the_agreement():
    state = made_round(WELL_RUN[:5] + ["好的，就这样"], agreed=(1600, 30))
    payload = score_round(state)
    text = render_feedback(payload, state)
    assert f"{payload['score']}/100" in text
    assert f"过程 {payload['parts']['process']}" in text
    assert "做得好的地方" in text
    assert text.count("（第") == min(2, len(payload["tips"]))
    assert "每月1600元" in text and "2000元" in text


def test_the_feedback_shows_the_debrief_instead_of_tips_when_there_is_one():
    state = made_round(WELL_RUN, agreed=(1600, 30))
    comment = {
        "kind_text": "需要改进",
        "label_text": "理由 Rationale",
        "turn": 3,
        "quote": "每月1300",
        "comment": "很好。",
        "say": "因为…",
    }
    text = render_feedback(dict(score_round(state), debrief=[comment]), state)
    assert "教练点评" in text and "【需要改进｜理由 Rationale】第3句「每月1300」" in text
    assert "（第" not in text


def test_the_feedback_warns_about_a_promise_to_pay_everything_at_once():
    state = made_round(RIGHT_WORDS_GIVES_IN, agreed=(BALANCE, 1))
    text = render_feedback(score_round(state), state)
    assert "一次性还清48000元" in text


def test_the_feedback_says_when_no_agreement_was_reached():
    state = made_round(["我尽量", "每月1500，分32期", "我真的做不到更多"])
    text = render_feedback(score_round(state), state)
    assert "没有达成方案" in text and "未成交" in text


# --- through the engine -------------------------------------------------------------------

LINES = st.sampled_from(
    WELL_RUN + RIGHT_WORDS_GIVES_IN + SALAD + ["嗯", "我尽量", "每月500，分60期", "可以，成交"]
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(persona=st.sampled_from(PERSONAS), lines=st.lists(LINES, max_size=12))
def test_the_score_is_null_or_between_0_and_100(persona, lines):
    payload = score_round(play(persona, lines))
    assert payload["score"] is None or 0 <= payload["score"] <= 100
    assert (payload["score"] is None) is (not payload["finished"])
    assert set(payload["criteria"]) == set(CRITERIA)
    assert len(payload["turns"]) == len(play(persona, lines).readings)


def test_a_round_stopped_before_any_turn_is_unfinished():
    payload = score_round(finish_round(new_round("abusive")))
    assert payload["finished"] is False and payload["agreed"] is None
