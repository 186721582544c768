"""How the simulated collector negotiates in the practice round."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.content import load_content
from coach.practice.collector import MAX_USER_TURNS, finish_round, next_demand, take_turn
from coach.practice.collector_speech import (
    move_variations,
    opening_line,
    persona_label,
    scenario_text,
)
from coach.practice.collector_style import PERSONAS, STYLES
from coach.practice.round_start import new_round, round_seed
from coach.practice.state import KNOWN_PERSONAS, Demand, Plan
from tests.support.practice import offer, play, through_the_slot


def said(line, state, move):
    """The line contains one of the move's variations (its literal text)."""
    fragments = [
        max(re.split(r"\{\w+\}", template), key=len) for template in move_variations(state, move)
    ]
    return any(fragment in line for fragment in fragments)


# --- starting a round -------------------------------------------------------------


def test_a_round_without_scenario_uses_the_built_in_credit_card_case():
    state = new_round("polite", None)
    assert state.scenario.balance == 48000
    assert state.scenario.months_overdue == 3
    assert state.scenario.affordable_monthly == 2000
    assert "48000" in scenario_text(state) and "3个月" in scenario_text(state)


@pytest.mark.parametrize(
    "asked, persona",
    [
        ("polite", "polite"),
        ("pushy", "pushy"),
        ("abusive", "abusive"),
        ("Abusive ", "abusive"),
        ("强硬", "pushy"),
        ("违规", "abusive"),
        ("礼貌", "polite"),
        ("outsourced", "outsourced"),
        ("外包", "outsourced"),
        ("第三方催收", "outsourced"),
        ("grumpy", "pushy"),
        (None, "pushy"),
    ],
)
def test_personas_and_their_aliases(asked, persona):
    assert new_round(asked).persona == persona


def test_each_persona_has_a_chinese_label():
    labels = {persona_label(new_round(persona)) for persona in PERSONAS}
    assert len(labels) == len(PERSONAS) == 4 and all("催收员" in label for label in labels)


def test_an_unknown_overdue_time_reads_as_a_while():
    state = new_round("polite", {"balance": 30000, "months_overdue": 0, "affordable_monthly": 1500})
    assert "一段时间" in scenario_text(state) and "一段时间" in opening_line(state)


def test_a_users_own_opening_offer_is_not_taken_as_the_collectors_demand():
    # From the repayment offer: opening_monthly is what the user should open with.
    state = new_round(
        "pushy", {"balance": 50000, "affordable_monthly": 2600, "opening_monthly": 1800}
    )
    assert state.opening_instalment > 2600 > state.floor.monthly


def test_the_opening_demands_the_full_balance():
    for persona in PERSONAS:
        state = new_round(persona, seed=3)
        balance = state.scenario.balance
        assert str(balance) in opening_line(state)
        assert state.demand == Demand(monthly=balance, term=1, kind="full")


def test_the_outsourced_collector_has_its_own_online_loan_case():
    state = new_round("outsourced")
    assert "网贷" in state.scenario.lender_label and state.scenario.balance == 18000
    mine = new_round("outsourced", {"balance": 30000, "affordable_monthly": 1200})
    assert mine.scenario.balance == 30000  # the learner's own figures win


def test_a_given_scenario_is_used_and_bad_figures_fall_back():
    state = new_round(
        "pushy",
        {
            "lender_label": "某消费金融公司",
            "balance": 30000,
            "months_overdue": 5,
            "affordable_monthly": "1200",
            "opening_monthly": -5,
        },
    )
    scenario = state.scenario
    assert (scenario.lender_label, scenario.balance) == ("某消费金融公司", 30000)
    assert scenario.affordable_monthly == 1200
    assert state.opening_instalment > state.floor.monthly


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_floor_is_the_balance_over_the_longest_term(persona):
    state = new_round(persona, {"balance": 48000, "affordable_monthly": 2000})
    assert state.floor == Plan(monthly=800, term=60)


def test_the_floor_never_drops_below_the_balance_over_the_longest_term():
    state = new_round("polite", {"balance": 120000, "affordable_monthly": 1000})
    assert state.floor.monthly == 2000


def test_the_same_seed_gives_the_same_round():
    lines = ["我是张伟", offer(1500, 32), "你叫什么？工号多少？", offer(1800, 27)]
    first = play(new_round("pushy", seed=7), *lines)[1]
    second = play(new_round("pushy", seed=7), *lines)[1]
    assert [r.collector_line for r in first] == [r.collector_line for r in second]


def test_each_round_of_a_conversation_gets_its_own_seed():
    seeds = {round_seed("conversation-1", events) for events in range(0, 200, 7)}
    assert len(seeds) == len(range(0, 200, 7))
    assert round_seed("conversation-1", 12) == round_seed("conversation-1", 12)
    openings = {opening_line(new_round("pushy", seed=seed)) for seed in seeds}
    assert len(openings) >= 6


# --- concessions ------------------------------------------------------------------

CONCESSIONS = [
    # demand, offer, floor, step -> next demand
    (3200, 1500, 1800, 0.5, 2500),  # half the gap to the floor (offer below floor)
    (3200, 2000, 1800, 0.5, 2600),  # half the gap to the offer
    (3200, 1500, 1800, 0.4, 2650),  # smaller steps, rounded up to 50
    (1950, 1500, 1800, 0.4, 1800),  # close to the floor: closes the gap
    (1800, 1000, 1800, 0.5, 1800),  # at the floor: stays there
    (1900, 2500, 1800, 0.5, 1900),  # offer above the demand: nothing to concede
]


@pytest.mark.parametrize("demand, offered, floor, step, expected", CONCESSIONS)
def test_each_concession_moves_a_share_of_the_gap(demand, offered, floor, step, expected):
    assert next_demand(demand, offered, floor, step) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_concedes_step_by_step_to_rising_offers_down_to_its_floor_and_no_further(persona):
    state = new_round(persona, {"balance": 48000, "affordable_monthly": 2000})
    floor = state.floor.monthly
    rising = [offer(floor - 400 + 10 * turn) for turn in range(MAX_USER_TURNS)]
    state, results = play(state, *rising)
    demands = [r.state.demand.monthly for r in results]
    assert demands == sorted(demands, reverse=True)
    assert len(set(demands)) >= 3
    assert demands[-1] == floor
    assert state.agreement is None
    assert "final_pressure" in [move for r in results for move in r.moves]


def test_pushy_refuses_the_first_offer_whatever_it_is():
    state, results = play(new_round("pushy"), offer(5000, 10))
    assert results[0].moves == ("refuse_first_offer",)
    assert state.agreement is None


def test_polite_accepts_a_first_offer_that_meets_its_demand():
    state, _ = play(new_round("polite"), offer(3500, 14))
    assert state.agreement == Plan(monthly=3500, term=14)


@pytest.mark.parametrize("persona", ["polite", "pushy"])
def test_it_accepts_a_reasonable_offer_after_a_few_raised_offers(persona):
    lines = [offer(1200), "我失业了，收入少了一半", offer(1500), offer(1650), offer(1800)]
    state, results = play(new_round(persona), *lines)
    assert state.agreement is not None and state.agreement.monthly <= 1800
    assert 3 <= len(results) <= 5
    assert results[-1].moves[-1] == "accept_offer"


def test_a_reason_buys_a_bigger_step():
    plain = play(new_round("polite"), offer(1500, 32))[0]
    reasoned = play(new_round("polite"), "我失业了，" + offer(1500, 32))[0]
    assert reasoned.demand.monthly < plain.demand.monthly


def test_a_reason_heard_before_the_first_offer_makes_its_concession_bigger():
    plain = play(new_round("pushy"), offer(1500, 32), offer(1600))[0]
    reasoned = play(new_round("pushy"), "我失业了，" + offer(1500, 32), offer(1600))[0]
    assert reasoned.demand.monthly < plain.demand.monthly


def test_a_term_alone_stands_for_the_balance_over_that_term():
    state, _ = play(new_round("polite"), "我想分12期")
    assert state.agreement == Plan(monthly=4000, term=12)


USER_LINES = st.one_of(
    st.builds(offer, st.integers(100, 6000), st.one_of(st.none(), st.integers(2, 60))),
    st.sampled_from(
        [
            "好我今天全还",
            "对",
            "我一次性还3万",
            "先付5000首付，然后每月1000",
            "我失业了，能不能按第七十条申请个性化分期？",
            "好的就这么定",
            "好吧听你的",
            "我尽量",
            "嗯",
            "我失业了",
            "能减免罚息吗",
            "滚！",
            "违法，我要投诉",
            "你叫什么？工号多少？",
            "具体欠多少？",
            "请发短信确认",
            "我是张伟，我承认欠款",
        ]
    ),
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    persona=st.sampled_from(PERSONAS),
    seed=st.integers(0, 1000),
    lines=st.lists(USER_LINES, min_size=1, max_size=MAX_USER_TURNS),
)
def test_it_never_agrees_below_its_floor(persona, seed, lines):
    state, results = play(new_round(persona, seed=seed), *lines)
    assert all(r.collector_line and "{" not in r.collector_line for r in results)
    assert not any("前前" in r.collector_line for r in results)
    assert all(r.state.demand.monthly >= r.state.floor.monthly for r in results)
    plan = state.agreement
    assert plan is None or plan.term == 1 or plan.monthly >= state.floor.monthly


@settings(max_examples=60, deadline=None, derandomize=True)
@given(persona=st.sampled_from(PERSONAS), shortfall=st.integers(1, 1600))
def test_an_offer_below_the_floor_is_never_accepted(persona, shortfall):
    state = new_round(persona)
    floor = state.floor.monthly
    monthly = max(100, floor - shortfall)
    rising = [offer(min(monthly + turn, floor - 1)) for turn in range(MAX_USER_TURNS)]
    state, _ = play(state, *rising)
    assert state.agreement is None


# --- reacting to what the user said -------------------------------------------------

REACTIONS = [
    # persona, earlier lines, the user's line, the collector's move
    ("pushy", [], "我是张伟，这钱是我欠的", "ask_for_plan"),
    ("pushy", [], "我尽量吧，过段时间再说", "push_for_plan"),
    ("polite", [], "嗯", "push_for_plan"),
    ("pushy", [], "因为我失业了，收入少了一半", "respond_to_reason"),
    ("pushy", [], "因为我失业了，收入少了一半", "demand_instalment"),
    ("pushy", [], offer(1500, 32), "refuse_first_offer"),
    ("polite", [], offer(1500, 32), "counter_offer"),
    ("pushy", [offer(1500, 32)], offer(1600, 30), "counter_offer"),
    ("pushy", [offer(1500, 32)], offer(1500, 32), "hold_firm"),
    ("polite", [offer(1500, 32)], offer(1400), "offer_went_down"),
    ("polite", [offer(1500, 32)], "能减免罚息吗？", "grant_waiver"),
    ("polite", [], "能减免罚息吗？", "respond_to_waiver"),
    ("pushy", [offer(1500, 32)], "能减免罚息吗？", "respond_to_waiver"),
    ("polite", [], "滚！别烦我", "respond_to_rudeness"),
    ("pushy", [], "你他妈的烦不烦！！！", "respond_to_rudeness"),
    ("polite", [], "你叫什么名字？工号多少？", "give_identity"),
    ("pushy", [], "你是哪个公司的？工号多少？", "give_identity"),
    ("abusive", [], "你叫什么？工号多少？", "evade_identity"),
    ("pushy", [], "具体欠多少？我要核对账单", "give_details"),
    ("pushy", [], "不要联系我家人，否则我打12378投诉", "acknowledge_rights"),
    ("abusive", ["嗯", "嗯"], "你这是违法的，我在录音，我要投诉", "back_off_after_rights"),
    ("abusive", [], "滚！", "cross_line"),
    ("pushy", [], "请给我书面协议", "confirm_in_writing"),
    ("pushy", [offer(1500, 32)], "好的就这么定", "close_agreement"),
    ("pushy", [], "好我今天全还", "confirm_lump_sum"),
    ("polite", [], "好的", "confirm_lump_sum"),
    ("pushy", ["好我今天全还"], "对", "close_full_payment"),
    ("polite", [], offer(3500, 14), "accept_offer"),
]


@pytest.mark.parametrize("persona, before, line, move", REACTIONS)
def test_it_answers_each_move_with_that_moves_line(persona, before, line, move):
    state, _ = play(new_round(persona, seed=1), *before)
    result = take_turn(state, line)
    assert move in result.moves
    assert said(result.collector_line, result.state, move)


def test_abusive_crosses_a_line_on_turn_one_or_two():
    for seed in range(6):
        state, results = play(new_round("abusive", seed=seed), "嗯", "嗯")
        assert state.crossed_line and state.crossed_at_turn in (1, 2)
        assert any("cross_line" in r.moves for r in results)


@pytest.mark.parametrize("persona", ["polite", "pushy"])
def test_rule_abiding_personas_never_cross_a_line(persona):
    state, _ = play(new_round(persona), "嗯", "滚！", "我尽量", offer(1000, 48), "嗯")
    assert not state.crossed_line


def test_abusive_backs_off_once_the_user_names_the_rules():
    state, _ = play(new_round("abusive", seed=0), "嗯", "你这是违法的，我在录音，我要打12378投诉")
    assert state.reformed
    result = take_turn(state, "你叫什么？工号多少？")
    assert result.moves == ("give_identity",)
    assert state.collector.employee_no in result.collector_line


def test_abusive_holds_out_on_the_first_offer_and_moves_only_for_a_new_one():
    state, results = play(new_round("abusive", seed=0), offer(1800, 27))
    assert results[-1].moves[-1] == "refuse_first_offer"
    state, results = play(state, offer(1800, 27))
    assert "hold_firm" in results[0].moves
    state, results = play(state, offer(1900))
    assert "counter_offer" in results[0].moves


def test_agreeing_to_pay_everything_now_is_confirmed_before_it_is_taken():
    state, results = play(new_round("pushy"), "行我马上还清")
    assert state.agreement is None and state.pending_lump_sum == 48000
    assert "是说今天一次性还清48000元吗" in results[-1].collector_line
    state, results = play(state, "是的")
    assert state.agreement == Plan(monthly=48000, term=1)
    assert results[-1].finished


def test_accepting_the_current_demand_agrees_to_it():
    state, _ = play(new_round("polite"), offer(1500, 32))
    demand = state.demand
    state, _ = play(state, "好的就这么定")
    assert state.agreement == Plan(monthly=demand.monthly, term=demand.term)


# --- the round as a whole -----------------------------------------------------------


def test_the_round_ends_after_twelve_user_turns_without_a_deal():
    state, results = play(new_round("pushy"), *["我尽量"] * 20)
    assert len(results) == MAX_USER_TURNS
    assert results[-1].finished and "no_deal_close" in results[-1].moves
    after = take_turn(state, offer(1800, 27))
    assert after.finished and after.moves == ("round_over",)


def test_finish_round_marks_it_finished_without_touching_the_original():
    state = new_round("polite")
    assert finish_round(state).finished and not state.finished


def test_take_turn_leaves_the_given_state_alone():
    state = new_round("pushy")
    snapshot = json.dumps(state.to_slot(), sort_keys=True)
    take_turn(state, offer(1800, 27))
    assert json.dumps(state.to_slot(), sort_keys=True) == snapshot


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_state_survives_the_slot_between_every_turn(persona):
    state = new_round(persona, seed=5)
    lines = ["我是张伟", "你叫什么？", offer(1500, 32), "能减免罚息吗", offer(1800, 27)]
    for line in lines:
        assert through_the_slot(state) == state
        state = take_turn(through_the_slot(state), line).state
    assert through_the_slot(state) == state


def test_every_persona_the_state_knows_has_a_style():
    assert set(STYLES) == set(KNOWN_PERSONAS) == set(PERSONAS)


def test_every_line_is_filled_in():
    for persona in PERSONAS:
        _, results = play(
            new_round(persona, seed=2),
            "我是张伟",
            "你叫什么？工号多少？",
            "我失业了，" + offer(1500, 32),
            "能减免罚息吗？",
            "具体欠多少？",
            offer(1800, 27),
            offer(1800, 27),
        )
        assert all("{" not in r.collector_line and r.collector_line for r in results)


def test_every_persona_has_at_least_three_variations_of_every_move():
    lines = load_content("collector_lines")
    for persona, moves in lines["personas"].items():
        for move, variations in moves.items():
            assert len(variations) >= 3 and len(set(variations)) == len(variations), (persona, move)
    assert all(len(variations) >= 3 for variations in lines["shared"].values())


# --- never less than the learner offered (issue 23) ---------------------------------


def test_a_yes_after_a_refused_offer_closes_at_the_learners_offer_not_the_lower_demand():
    # The pushy collector turns the first offer down with its demand (3200), under it.
    state, results = play(new_round("pushy", seed=3), offer(3300), "好吧")
    assert results[0].moves[-1] == "refuse_first_offer"
    assert state.agreement is not None and state.agreement.monthly >= 3300


@pytest.mark.parametrize("persona", sorted(PERSONAS))
@pytest.mark.parametrize("monthly", [1800, 2500, 3300])
def test_no_agreement_is_below_the_learners_last_offer_or_the_floor(persona, monthly):
    state, _ = play(new_round(persona, seed=5), offer(monthly), "我失业了", offer(monthly), "好")
    if state.agreement is not None and state.agreement.term > 1:
        assert state.agreement.monthly >= monthly
        assert state.agreement.monthly >= state.floor.monthly
