"""The case a round plays: the offer, one of several debts, or an unfinished form."""

from coach.debts.model import Debt
from coach.practice.cases import (
    default_ceiling,
    scenario_from_debt,
    scenario_from_figures,
    scenario_from_offer,
)
from coach.practice.round_start import new_round

PLAN = {
    "type": "debt_plan",
    "feasible": True,
    "debts": [
        {"id": "d1", "monthly": 670, "opening_monthly": 450, "term_months": 30},
        {"id": "d3", "monthly": 1000, "opening_monthly": 700, "term_months": 30},
    ],
}
JIEBEI = Debt(id="d3", label="借呗", lender_type="online_lender", balance=30000, months_overdue=2)


def test_one_of_several_debts_plays_its_lender_balance_and_share():
    scenario = scenario_from_debt(JIEBEI, PLAN)
    assert scenario["lender_label"] == "借呗" and scenario["balance"] == 30000
    assert (scenario["affordable_monthly"], scenario["opening_monthly"]) == (1000, 700)
    state = new_round("outsourced", scenario, seed=1)
    assert state.scenario.affordable_monthly == 1000 and state.scenario.opening_monthly == 700


def test_a_debt_without_a_plan_gets_the_built_in_share_and_the_told_months():
    debt = Debt(id="d9", label="建行", lender_type="credit_card", balance=24000)
    scenario = scenario_from_debt(debt, None, months_overdue=4.0)
    assert scenario["affordable_monthly"] == default_ceiling(24000) == 1000
    assert scenario["months_overdue"] == 4 and scenario["opening_monthly"] < 1000


def test_an_unfinished_form_plays_the_figures_given_so_far():
    assert scenario_from_figures({"monthly_income": 9000}) is None
    partial = scenario_from_figures({"balance": 50000.0, "lender_type": None})
    assert partial["balance"] == 50000 and partial["lender_label"] == "某贷款机构"
    full = scenario_from_figures(
        {
            "balance": 50000.0,
            "lender_type": "credit_card",
            "monthly_income": 9000.0,
            "monthly_expenses": 5500.0,
            "months_overdue": 3.0,
        }
    )
    assert full["affordable_monthly"] == 2600  # 3/4 of what is left, as the offer's ceiling
    assert full["lender_label"] == "某银行信用卡中心" and full["months_overdue"] == 3


def test_the_offer_names_a_lender_the_collector_can_speak_for():
    offer = {
        "feasible": True,
        "lender_type": "online_lender",
        "balance": 18000,
        "ceiling_monthly": 900,
        "opening_monthly": 600,
    }
    assert scenario_from_offer(offer, {})["lender_label"] == "某网贷平台"
    assert scenario_from_offer(dict(offer, feasible=False), {}) is None
