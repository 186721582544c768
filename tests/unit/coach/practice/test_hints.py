"""The coach's hint in the middle of a round: this moment, the learner's own figures."""

from dataclasses import replace

import pytest

from coach.content import load_content
from coach.practice.collector import take_turn
from coach.practice.hints import choose, hint_for, learner_opening
from coach.practice.round_start import new_round
from coach.practice.turn_reader import read_turn

OWN = {
    "lender_label": "招商银行信用卡中心",
    "balance": 48000,
    "months_overdue": 3,
    "affordable_monthly": 2600,
    "opening_monthly": 1800,
    "lender_type": "credit_card",
}


def played(lines, persona="pushy", scenario=None, seed=1, **kwargs):
    state = new_round(persona, scenario, seed=seed, **kwargs)
    for line in lines:
        state = take_turn(state, line).state
    return state


def test_at_the_start_it_breaks_the_ice_and_names_the_full_demand():
    hint = hint_for(played([]))
    assert hint.key == "ice"
    assert "48000" in hint.situation  # the collector demanded the whole balance
    assert read_turn(hint.say).introduced_self and read_turn(hint.say).acknowledged_debt


def test_it_uses_the_learners_own_opening_and_ceiling():
    state = played(["你好，我是借款人本人，这笔钱我会还。"], scenario=OWN)
    hint = hint_for(state)
    assert hint.key == "refuse_full"
    assert read_turn(hint.say).offered_monthly == 1800  # the offer's opening, not a template
    assert "1800" in hint.figures and "2600" in hint.figures
    assert learner_opening(state) == 1800


def test_the_built_in_case_takes_seventy_percent_of_the_ceiling_as_the_opening():
    state = played([])
    assert learner_opening(state) == 1400  # the built-in 3200 is the collector's demand


def test_after_an_offer_without_a_reason_it_asks_for_one():
    state = played(["你好，我是借款人本人。", "今天全部还清做不到，每月能还1300，分37期。"])
    hint = hint_for(state)
    assert hint.key == "reason"
    assert read_turn(hint.say).gave_reason and read_turn(hint.say).offered_monthly == 1300


def test_a_trade_never_goes_above_the_ceiling():
    state = played(
        [
            "你好，我是借款人本人。",
            "今天全部还清做不到，每月能还1300，分37期。",
            "因为我失业了，收入少了一半",
        ]
    )
    hint = hint_for(state)
    assert hint.key == "trade"
    reading = read_turn(hint.say)
    assert reading.conditional_offer and reading.offered_monthly <= 2000


def test_an_unnamed_breach_comes_first():
    state = played(["喂"], persona="abusive", seed=0)  # the abusive one crosses on turn 1
    assert state.crossed_line
    hint = hint_for(state)
    assert hint.key == "rights" and read_turn(hint.say).asserted_rights


def test_a_confirmation_of_the_full_balance_is_not_answered_yes():
    state = played(["好吧听你的，我今天全部还清。"])
    assert state.pending_lump_sum == 48000
    hint = hint_for(state)
    assert hint.key == "not_confirm"
    assert read_turn(hint.say).refused_demand and not read_turn(hint.say).pay_in_full


def test_a_demand_within_the_ceiling_is_taken_in_writing():
    state = replace(played(["你好，我是本人", "每月1300，分37期", "因为我失业了"]))
    within = replace(state, demand=replace(state.demand, monthly=1900))
    hint = hint_for(within)
    assert hint.key == "accept_written" and read_turn(hint.say).asked_written


@pytest.mark.parametrize(
    ("goal", "key"), [("personalised", "ask_personalised"), ("freeze", "ask_freeze")]
)
def test_a_drill_asks_for_its_goal(goal, key):
    state = played(["你好，我是借款人本人。", "做不到，每月能还900，分60期。", "因为我失业了"], goal=goal)
    assert choose(state) == key


def test_a_settlement_drill_counts_in_one_off_sums():
    scenario = dict(load_content("roleplay")["goals"]["settlement"]["scenario"])
    state = played(
        ["你好，我是借款人本人。"], "outsourced", scenario, goal="settlement", lump_sum_available=25500
    )
    hint = hint_for(state)
    assert hint.key == "settlement_offer" and "25500" in hint.figures
    assert read_turn(hint.say).offered_lump_sum == 20400  # 80 % of what can be raised


def test_a_hint_does_not_change_the_round():
    state = played(["你好，我是借款人本人。"])
    hint_for(state)
    assert state == played(["你好，我是借款人本人。"])


def test_a_finished_round_says_so_and_gives_no_line():
    state = played(["好吧听你的，我今天全部还清。", "对，今天全部还清。"])
    hint = hint_for(state)
    assert hint.key == "round_over" and hint.say is None


def test_the_text_is_marked_as_the_coachs_and_ends_with_the_learners_turn():
    text = hint_for(played([])).text()
    assert text.startswith("【教练】") and text.endswith("直接对催收员说。")


def test_every_move_has_advice_and_every_line_is_said_to_the_collector():
    moves = load_content("hints")["moves"]
    for key, entry in moves.items():
        assert entry["advice"], key
        assert key == "round_over" or entry["say"], key


def test_on_an_old_debt_the_first_hint_asks_its_age_and_admits_nothing():
    hint = hint_for(played([], scenario=dict(OWN, months_overdue=40)))
    assert hint.key == "old_debt"
    reading = read_turn(hint.say)
    assert not reading.acknowledged_debt and not reading.offered_monthly
    assert "12348" in hint.advice
