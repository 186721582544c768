"""The simulated lender's one settlement floor, shared by the collector and the scorer."""

from dataclasses import replace

import pytest

from coach.practice.collector import take_turn
from coach.practice.lender_policy import round_up, settlement_floor, settlement_opening
from coach.practice.round_facts import round_facts
from coach.practice.round_start import new_round


@pytest.mark.parametrize(
    "balance, down, floor",
    [
        (18010, 0, 14450),  # 80 % is 14,408: the collector names it rounded up to 50
        (48000, 0, 38400),
        (48000, 5000, 34400),  # the floor is a share of what is left after the down payment
        (40, 0, 40),  # never above what is owed
    ],
)
def test_the_settlement_floor_is_a_share_of_what_is_left_rounded_up(balance, down, floor):
    assert settlement_floor(balance, down) == floor


def test_the_settlement_opening_is_above_the_floor_and_not_above_the_balance():
    for balance in (900, 18010, 48000):
        assert settlement_floor(balance) <= settlement_opening(balance) <= balance


def test_round_up_goes_to_the_next_fifty():
    assert (round_up(14408), round_up(14450), round_up(1)) == (14450, 14450, 50)


@pytest.mark.parametrize("balance, down", [(18010, 0), (48000, 5000)])
def test_the_scorer_measures_a_settlement_against_the_collectors_own_floor(balance, down):
    scenario = {"balance": balance, "months_overdue": 6, "affordable_monthly": 1500}
    state = new_round("polite", scenario, lump_sum_available=balance // 2)
    state = replace(state, down_payment=down)
    state = take_turn(state, "我能一次性拿出8000").state
    assert round_facts(state).floor == settlement_floor(balance, down)
