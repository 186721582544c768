"""Difficulty: how fast the collector concedes, its first demand, whether pressure escalates."""

import pytest

from coach.content import load_content
from coach.practice.collector import take_turn
from coach.practice.collector_style import STYLES, difficulty_settings, negotiating_style
from coach.practice.round_start import new_round, restart

OFFER = "今天全部还清做不到，每月能还1300，分37期。"


def test_standard_is_the_engine_as_calibrated():
    state = new_round("pushy", None, seed=1)
    assert state.difficulty == "standard" and negotiating_style(state) == STYLES["pushy"]
    assert new_round("pushy", None, seed=1, difficulty="nonsense").difficulty == "standard"


def test_the_mapping_lives_in_the_content():
    table = load_content("roleplay")["difficulties"]
    assert set(table) == {"easy", "standard", "hard"}
    assert difficulty_settings("hard").label == "困难"


@pytest.mark.parametrize("persona", ["polite", "pushy", "abusive", "outsourced"])
def test_harder_means_a_higher_first_demand_and_smaller_concessions(persona):
    easy, hard = (new_round(persona, None, seed=1, difficulty=d) for d in ("easy", "hard"))
    standard = new_round(persona, None, seed=1)
    assert easy.opening_instalment <= standard.opening_instalment <= hard.opening_instalment
    assert (
        negotiating_style(easy).step
        > negotiating_style(standard).step
        > negotiating_style(hard).step
    )


def test_easy_never_holds_out_on_the_first_offer_and_hard_always_does():
    assert not negotiating_style(
        new_round("pushy", None, seed=1, difficulty="easy")
    ).refuses_first_offer
    assert negotiating_style(
        new_round("polite", None, seed=1, difficulty="hard")
    ).refuses_first_offer


def test_on_hard_the_pressure_escalates_before_instalments():
    hard = new_round("pushy", None, seed=1, difficulty="hard")
    first = take_turn(hard, "今天全部还清我做不到")
    assert "demand_full" in first.moves  # it insists once more
    second = take_turn(first.state, "真的做不到，拿不出来")
    assert "demand_instalment" in second.moves
    standard = take_turn(new_round("pushy", None, seed=1), "今天全部还清我做不到")
    assert "demand_instalment" in standard.moves


def test_a_switch_keeps_the_case_and_the_goal():
    state = new_round(
        "pushy",
        {
            "lender_label": "借呗",
            "balance": 30000,
            "affordable_monthly": 1000,
            "opening_monthly": 700,
            "lender_type": "online_lender",
        },
        seed=3,
        goal="waiver",
    )
    milder = restart(state, persona="polite", difficulty="easy", seed=9)
    assert milder.scenario == state.scenario and milder.goal == "waiver"
    assert (milder.persona, milder.difficulty, milder.seed) == ("polite", "easy", 9)
    assert milder.turns == 0 and milder.demand.kind == "full"
