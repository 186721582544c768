"""Specification of the plan for several debts (coach/debts/planner.py, docs/contract.md §3)."""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.debts.model import Debt
from coach.debts.planner import (
    HIGHEST_RATE_FIRST,
    PRIORITY_ASSUMED_MONTHS,
    PRO_RATA,
    PRO_RATA_TOLERANCE,
    percent_text,
    plan_debts,
    priority_monthly,
)
from coach.debts.presenter import debt_plan_payload
from coach.debts.shares import (
    AVALANCHE_MINIMUM_MONTHS,
    SHARE_ROUNDING_LOSS,
    avalanche_minimum,
    interest_paid,
    months_with_rollover,
    pro_rata_shares,
    round_share,
    spread_to_highest_rate,
)
from coach.offer.planner import (
    CARD_MAX_TERM_MONTHS,
    Figures,
    affordable_monthly,
    buffer_limit_monthly,
    compute_offer,
    round_up_money,
)
from tests.support.debt_strategies import ANY_SITUATION, planned, situations

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True)


def debt(id, balance, lender="credit_card", label=None, **fields):
    return Debt(id=id, label=label or id, lender_type=lender, balance=balance, **fields)


def codes(plan):
    return [note.code for note in plan.notes]


def monthly_by_label(plan):
    return {item.debt.label: item.monthly for item in plan.debts}


def ratios(plan):
    return [Fraction(item.monthly, item.debt.balance) for item in plan.shared_debts]


def within_tolerance(values):
    return min(values) >= max(values) * (1 - PRO_RATA_TOLERANCE)


CONTRACT_DEBTS = [
    debt("d1", 48000, "credit_card", "招行信用卡", months_overdue=3),
    debt("d2", 20000, "online_lender", "借呗", months_overdue=2),
]
# "招行2w 建行1.5w 广发8k 借呗3w 网贷5000, 一个月只能拿出3000": what the user can spare is
# passed as income with expenses 0, so the plan keeps the usual buffer of it.
FIVE_DEBTS = [
    debt("d1", 20000, "credit_card", "招行"),
    debt("d2", 15000, "credit_card", "建行"),
    debt("d3", 8000, "credit_card", "广发"),
    debt("d4", 30000, "online_lender", "借呗"),
    debt("d5", 5000, "online_lender", "网贷"),
]


# ------------------------------------------------------------------ the worked examples


def test_the_contract_example_follows_the_single_offers_ceiling():
    single = compute_offer(Figures(68000, "other", 3, 12000, 7000))
    plan = plan_debts(CONTRACT_DEBTS, 12000, 7000)
    assert plan.disposable_monthly == 5000
    assert plan.affordable_monthly == affordable_monthly(5000) == single.ceiling_monthly == 3700


def test_the_contract_example_comes_out_exactly():
    plan = plan_debts(CONTRACT_DEBTS, 12000, 7000)
    assert plan.feasible and plan.method == PRO_RATA
    assert [(item.monthly, item.term_months) for item in plan.debts] == [(2600, 19), (1080, 19)]
    assert plan.total_monthly == 3680


def test_five_debts_with_3000_to_spare_share_2200_by_balance():
    plan = plan_debts(FIVE_DEBTS, 3000, 0)
    assert (plan.disposable_monthly, plan.affordable_monthly) == (3000, 2200)
    assert monthly_by_label(plan) == {"招行": 560, "建行": 420, "广发": 220, "借呗": 840, "网贷": 140}
    assert [item.term_months for item in plan.debts] == [36, 36, 37, 36, 36]
    assert plan.total_monthly == 2180
    assert within_tolerance(ratios(plan))
    assert codes(plan)[0] == "pro_rata_rule"
    assert plan.alternatives == (PRO_RATA,)  # no rates told, no other rule to offer


def test_each_debt_opens_at_seventy_per_cent_of_its_monthly():
    plan = plan_debts(FIVE_DEBTS, 3000, 0)
    assert [item.opening_monthly for item in plan.debts] == [390, 290, 150, 580, 90]
    assert [item.opening_term_months for item in plan.debts] == [52, 52, 54, 52, 56]
    assert "opening_below_monthly" in codes(plan)


def test_a_cards_opening_still_clears_it_within_60_months():
    plan = plan_debts([debt("a", 20000), debt("b", 1000, "online_lender")], 600, 0)
    card, loan = plan.debts
    assert (card.monthly, card.term_months) == (420, 48)
    assert (card.opening_monthly, card.opening_term_months) == (340, 59)  # 70 % is 290
    assert (loan.opening_monthly, loan.opening_term_months) == (10, 100)  # no cap: 70 %


# ------------------------------------------------------------------ input


@pytest.mark.parametrize("count", [0, 11])
def test_a_plan_takes_two_to_ten_debts(count):
    with pytest.raises(ValueError, match="2 to 10"):
        plan_debts([debt(f"d{i}", 1000) for i in range(count)], 9000, 1000)


def test_one_debt_is_the_single_offers_job():
    with pytest.raises(ValueError, match="compute_offer"):
        plan_debts([debt("d1", 1000)], 9000, 1000)


@pytest.mark.parametrize(
    "debts, message",
    [
        ([debt("d1", 1000), debt("d1", 2000)], "unique"),
        ([debt("d1", 1000), debt("d2", 0)], "balance"),
        ([debt("d1", 1000), debt("d2", -5)], "balance"),
        ([debt("d1", 1000), debt("d2", 500, monthly_rate=-0.01)], "monthly_rate"),
        ([debt("d1", 1000), debt("d2", 500, monthly_rate=math.nan)], "monthly_rate"),
        ([debt("d1", 1000), debt("d2", 500, judgment=True, required_monthly=0)], "required"),
    ],
)
def test_bad_debts_are_refused(debts, message):
    with pytest.raises(ValueError, match=message):
        plan_debts(debts, 9000, 1000)


def test_an_unknown_method_or_figure_is_refused():
    with pytest.raises(ValueError, match="method"):
        plan_debts(FIVE_DEBTS, 3000, 0, method="snowball")
    with pytest.raises(ValueError, match="finite"):
        plan_debts(FIVE_DEBTS, math.inf, 0)


def test_an_unknown_lender_counts_as_other():
    plan = plan_debts([debt("a", 1000, "loan shark"), debt("b", 1000)], 3000, 0)
    assert plan.debts[0].debt.lender_type == "other"


def test_figures_are_whole_yuan_erring_on_the_careful_side():
    plan = plan_debts(CONTRACT_DEBTS, 12000.9, 6999.1)
    assert (plan.monthly_income, plan.monthly_expenses) == (12000, 7000)


# ------------------------------------------------------------------ rounding


def test_a_share_rounds_to_the_coarsest_step_that_loses_little():
    assert round_share(Fraction(261176, 100)) == 2600  # loses 0.5 %
    assert round_share(Fraction(108824, 100)) == 1080  # 1000 would lose 8 %
    assert round_share(Fraction(22564, 100)) == 220
    assert round_share(Fraction(1999, 100)) == 19


def test_a_cards_share_is_not_rounded_below_its_60_month_minimum():
    assert round_share(Fraction(3363), 3334) == 3360
    assert round_share(Fraction(3363)) == 3300


@PROPERTY
@given(st.fractions(min_value=1, max_value=10**6))
def test_rounding_never_loses_more_than_a_yuan_or_three_per_cent(exact):
    rounded = round_share(exact)
    assert rounded <= exact
    assert rounded >= min(exact * (1 - SHARE_ROUNDING_LOSS), math.floor(exact))


def test_shares_never_exceed_the_balances():
    shares = pro_rata_shares([debt("a", 300), debt("b", 700)], 5000)
    assert shares == {"a": 300, "b": 700}


# ------------------------------------------------------------------ priority debts


def test_a_judgment_being_enforced_is_paid_first():
    debts = [
        debt("a", 30000, "online_lender", "借呗"),
        debt("b", 20000, "credit_card", "工行", judgment=True, required_monthly=1000),
        debt("c", 10000, "bank_loan", "建行贷款"),
    ]
    plan = plan_debts(debts, 9000, 4000)
    assert monthly_by_label(plan) == {"借呗": 2000, "工行": 1000, "建行贷款": 670}
    assert plan.debts[1].priority_reason == "judgment"
    assert plan.debts[1].opening_monthly == 1000  # what the court orders is not bargained down
    assert "priority_judgment" in codes(plan) and "not_legal_advice" in codes(plan)
    assert within_tolerance(ratios(plan))


def test_a_secured_loan_with_no_figure_is_cleared_in_24_months_as_an_assumption():
    debts = [debt("a", 30000, "online_lender"), debt("car", 60000, "bank_loan", secured=True)]
    plan = plan_debts(debts, 9000, 4000)
    car = plan.debts[1]
    assert PRIORITY_ASSUMED_MONTHS == 24
    assert car.monthly == priority_monthly(debts[1]) == 2500 and car.assumed_monthly
    assert car.term_months == 24
    assert plan.debts[0].monthly == 1200
    assert {"priority_secured", "priority_assumed"} <= set(codes(plan))


def test_an_assumed_priority_amount_is_rounded_up_and_never_above_the_balance():
    assert priority_monthly(debt("a", 25000, judgment=True)) == round_up_money(1042) == 1100
    assert priority_monthly(debt("a", 5, judgment=True)) == 1
    assert priority_monthly(debt("a", 500, judgment=True, required_monthly=800)) == 500


def test_no_plan_fits_when_priority_debts_need_more_than_the_ceiling():
    debts = [debt("a", 20000, judgment=True, required_monthly=3100), debt("b", 30000)]
    plan = plan_debts(debts, 5000, 1000)
    assert not plan.feasible
    assert codes(plan)[:2] == ["priority_exceeds", "priority_hardship"]
    assert plan.notes[0].fields == {"priority": 3100, "ceiling": 3000, "labels": ("a",)}


def test_no_plan_fits_when_priority_debts_take_the_whole_ceiling():
    debts = [debt("a", 20000, judgment=True, required_monthly=3000), debt("b", 30000)]
    assert codes(plan_debts(debts, 5000, 1000))[0] == "nothing_left_after_priority"


def test_priority_debts_alone_make_a_plan():
    debts = [debt("a", 20000, judgment=True), debt("b", 60000, "bank_loan", secured=True)]
    plan = plan_debts(debts, 9000, 4000)
    assert plan.feasible and monthly_by_label(plan) == {"a": 840, "b": 2500}
    assert "pro_rata_rule" not in codes(plan)


# ------------------------------------------------------------------ highest rate first

RATED = [
    debt("d1", 20000, "credit_card", "招行", monthly_rate=0.015),
    debt("d2", 15000, "credit_card", "建行", monthly_rate=0.015),
    debt("d3", 8000, "credit_card", "广发", monthly_rate=0.015),
    debt("d4", 30000, "online_lender", "借呗", monthly_rate=0.012),
    debt("d5", 5000, "online_lender", "网贷", monthly_rate=0.03),
]


def test_with_every_rate_known_the_highest_rate_first_rule_is_offered():
    plan = plan_debts(RATED, 3000, 0)
    assert plan.method == PRO_RATA
    assert plan.alternatives == (PRO_RATA, HIGHEST_RATE_FIRST)
    alternative = next(n for n in plan.notes if n.code == "highest_rate_alternative_saving")
    assert alternative.fields == {
        "label": "网贷",
        "rate": "3",
        "term": 6,
        "months": 60,
        "saved": 7600,
    }


def test_highest_rate_first_gives_minimums_and_the_rest_to_the_highest_rate():
    plan = plan_debts(RATED, 3000, 0, method=HIGHEST_RATE_FIRST)
    assert plan.method == HIGHEST_RATE_FIRST
    assert monthly_by_label(plan) == {"招行": 340, "建行": 250, "广发": 140, "借呗": 500, "网贷": 970}
    assert plan.total_monthly == plan.affordable_monthly == 2200
    rule = plan.notes[0]
    assert rule.code == "highest_rate_rule"
    assert rule.fields == {
        "months": 60,
        "extra": 880,
        "label": "网贷",
        "rate": "3",
        "monthly": 970,
        "term": 6,
        "all_months": 36,
    }
    assert plan.notes[1].code == "highest_rate_saving" and plan.notes[1].fields == {"saved": 7600}


def test_the_minimum_clears_a_debt_within_60_months():
    assert AVALANCHE_MINIMUM_MONTHS == 60
    assert avalanche_minimum(20000) == 340 and avalanche_minimum(30) == 1


def test_money_beyond_the_top_debts_balance_goes_to_the_next_rate():
    debts = [
        debt("a", 300, "online_lender", monthly_rate=0.03),
        debt("b", 20000, "bank_loan", monthly_rate=0.02),
        debt("c", 20000, "bank_loan", monthly_rate=0.01),
    ]
    plan = plan_debts(debts, 4000, 0, method=HIGHEST_RATE_FIRST)
    assert monthly_by_label(plan) == {"a": 300, "b": 2360, "c": 340}


@pytest.mark.parametrize(
    "debts, reason",
    [
        ([debt("a", 9000, monthly_rate=0.02), debt("b", 9000)], "highest_rate_needs_rates"),
        (
            [debt("a", 9000, monthly_rate=0.02), debt("b", 9000, monthly_rate=0.02)],
            "highest_rate_same_rates",
        ),
        (
            [debt("a", 100000, monthly_rate=0.02), debt("b", 100000, monthly_rate=0.01)],
            "highest_rate_minimums_exceed",
        ),
    ],
)
def test_asking_for_highest_rate_first_when_it_is_not_offered_gives_pro_rata(debts, reason):
    plan = plan_debts(debts, 4000, 0, method=HIGHEST_RATE_FIRST)
    assert plan.method == PRO_RATA and plan.alternatives == (PRO_RATA,)
    assert reason in codes(plan)


def test_a_plan_that_interest_would_outrun_says_the_freeze_comes_first():
    debts = [debt("a", 100000, monthly_rate=0.05), debt("b", 100000, monthly_rate=0.04)]
    plan = plan_debts(debts, 4600, 0)
    assert plan.feasible and plan.total_monthly == 3400  # 5000 + 4000 interest a month
    assert "interest_outruns_plan" in codes(plan)
    assert "highest_rate_alternative" in codes(plan)  # no saving to name: neither clears
    assert "interest_outruns_plan" not in codes(plan_debts(RATED, 3000, 0))


def test_the_interest_estimate_matches_the_annuity_arithmetic():
    # 10000 at 1 % a month, 1000 a month: after 10 months 10000·1.01^10 − 1000·(1.01^10 − 1)
    # / 0.01 = 584.01 is left, and the 11th month pays it with its interest, 589.85.
    run = interest_paid([10000, 10000], [0.01, 0.01], [1000, 1000], spread_to_highest_rate)
    assert run is not None
    interest, months = run
    assert months == 11
    assert interest == pytest.approx(2 * 589.85, abs=0.02)


def test_the_interest_estimate_gives_up_when_interest_outruns_the_payments():
    assert interest_paid([10000, 10000], [0.05, 0.05], [100, 100], spread_to_highest_rate) is None


def test_rollover_months_count_freed_money_moving_on():
    debts = [debt("a", 1000, monthly_rate=0.02), debt("b", 9000, monthly_rate=0.01)]
    assert months_with_rollover(debts, {"a": 500, "b": 500}) == 10


def test_rates_read_as_per_cent():
    assert [percent_text(r) for r in (0.015, 0.02, 0.0005, 0.1)] == ["1.5", "2", "0.05", "10"]


# ------------------------------------------------------------------ credit-card cap


def test_shares_rise_together_so_that_every_card_clears_within_60_months():
    plan = plan_debts([debt("a", 180000), debt("b", 20000, "online_lender")], 4500, 0)
    assert plan.feasible and plan.ceiling_monthly == 3300
    assert plan.affordable_monthly == 3400 <= buffer_limit_monthly(4500)
    assert [(i.monthly, i.term_months) for i in plan.debts] == [(3000, 60), (340, 59)]
    raised = next(n for n in plan.notes if n.code == "raised_to_cap")
    assert raised.fields == {"label": "a", "cap": 60, "ceiling": 3300, "total": 3400}
    assert within_tolerance(ratios(plan))


def test_no_plan_fits_when_60_months_needs_more_than_the_90_per_cent_limit():
    plan = plan_debts([debt("a", 200000), debt("b", 20000, "online_lender")], 4000, 0)
    assert not plan.feasible
    assert codes(plan)[:2] == ["cap_needs_buffer", "hardship_plan_card"]
    assert plan.notes[0].fields == {
        "label": "a",
        "balance": 200000,
        "cap": 60,
        "needed": 3700,
        "disposable": 4000,
        "limit": 3600,
        "term": 62,
    }


def test_no_plan_fits_when_60_months_needs_more_than_everything_left():
    plan = plan_debts([debt("a", 300000), debt("b", 20000, "online_lender")], 4000, 0)
    assert codes(plan)[:2] == ["cannot_clear_within_cap", "hardship_plan_card"]
    assert plan.notes[0].fields["needed"] == 5400
    assert "not_legal_advice" in codes(plan)


def test_other_lenders_get_a_note_beyond_60_months_and_no_cap():
    debts = [debt("a", 200000, "online_lender"), debt("b", 100000, "bank_loan")]
    plan = plan_debts(debts, 4000, 0)
    assert plan.feasible and [i.term_months for i in plan.debts] == [100, 100]
    long_plan = next(n for n in plan.notes if n.code == "long_plan")
    assert long_plan.fields["labels"] == ("a", "b") and long_plan.fields["longest"] == 100
    assert "hardship_plan" in codes(plan) and "card_cap" not in codes(plan)


# ------------------------------------------------------------------ no plan fits


def test_no_plan_fits_with_nothing_left_after_expenses():
    plan = plan_debts(FIVE_DEBTS, 3000, 3500)
    assert not plan.feasible and codes(plan)[0] == "no_disposable_income"
    assert all(item.monthly is None and item.term_months is None for item in plan.debts)
    assert plan.total_monthly is None


def test_no_plan_fits_with_a_yuan_left():
    assert codes(plan_debts(FIVE_DEBTS, 3001, 3000))[0] == "too_little_left"


def test_a_share_under_20_yuan_makes_no_plan_and_says_which_debt():
    plan = plan_debts([debt("a", 200000, "online_lender"), debt("b", 500, "other")], 3000, 0)
    assert not plan.feasible
    assert plan.notes[0].code == "share_too_small" and plan.notes[0].fields["label"] == "b"


def test_infeasible_notes_say_what_to_do_and_where_to_complain():
    plan = plan_debts(FIVE_DEBTS, 3000, 3500)
    assert codes(plan) == [
        "no_disposable_income",
        "hardship_plan_card",
        "no_plan_relief",  # personal bankruptcy (Shenzhen), 12348 elsewhere
        "pay_what_you_can",
        "cut_expenses",
        "free_help_12378",  # the cards and 借呗 (蚂蚁消费金融)
        "free_help_find_lender",  # "网贷" does not say who lent
        "beware_paid_agents",
        "not_legal_advice",
    ]


# ------------------------------------------------------------------ properties


@PROPERTY
@given(ANY_SITUATION)
def test_the_monthly_amounts_never_exceed_what_the_plan_may_take(situation):
    plan = planned(situation)
    if plan.feasible:
        assert 0 < plan.total_monthly <= plan.affordable_monthly
        assert plan.affordable_monthly <= buffer_limit_monthly(plan.disposable_monthly)


@PROPERTY
@given(ANY_SITUATION)
def test_the_ceiling_rule_is_the_single_offers_unless_a_card_raised_it(situation):
    plan = planned(situation)
    if plan.disposable_monthly > 0:
        assert plan.ceiling_monthly == affordable_monthly(plan.disposable_monthly)
    if plan.feasible and plan.affordable_monthly != plan.ceiling_monthly:
        assert plan.affordable_monthly > plan.ceiling_monthly
        assert "raised_to_cap" in codes(plan)


@PROPERTY
@given(ANY_SITUATION)
def test_every_monthly_is_positive_and_clears_its_debt_in_the_stated_term(situation):
    plan = planned(situation)
    if plan.feasible:
        for item in plan.debts:
            assert 0 < item.monthly <= item.debt.balance
            assert item.term_months == math.ceil(Fraction(item.debt.balance, item.monthly))
            assert 0 < item.opening_monthly <= item.monthly
            assert item.opening_term_months == math.ceil(
                Fraction(item.debt.balance, item.opening_monthly)
            )


@PROPERTY
@given(ANY_SITUATION)
def test_pro_rata_shares_stay_within_5_per_cent_of_each_other(situation):
    plan = planned(situation)
    if plan.feasible and plan.method == PRO_RATA and plan.shared_debts:
        assert within_tolerance(ratios(plan))


@PROPERTY
@given(ANY_SITUATION)
def test_priority_debts_are_served_first(situation):
    plan = planned(situation)
    priority_total = sum(priority_monthly(item.debt) for item in plan.priority_debts)
    if priority_total > plan.ceiling_monthly:
        assert not plan.feasible
    if plan.feasible:
        for item in plan.priority_debts:
            assert item.monthly == priority_monthly(item.debt)
        assert priority_total <= plan.ceiling_monthly
        if plan.priority_debts:
            assert any(code.startswith("priority_") for code in codes(plan))


@PROPERTY
@given(ANY_SITUATION)
def test_cards_clear_within_60_months_when_a_plan_fits(situation):
    plan = planned(situation)
    if plan.feasible:
        for item in plan.shared_debts:
            if item.debt.lender_type == "credit_card":
                assert item.term_months <= CARD_MAX_TERM_MONTHS
                assert item.opening_term_months <= CARD_MAX_TERM_MONTHS


@PROPERTY
@given(situations(rated=st.just(True), methods=st.just(HIGHEST_RATE_FIRST)))
def test_highest_rate_first_keeps_minimums_and_favours_the_highest_rate(situation):
    plan = planned(situation)
    if not (plan.feasible and plan.method == HIGHEST_RATE_FIRST):
        return
    shared = plan.shared_debts
    for item in shared:
        assert item.monthly >= avalanche_minimum(item.debt.balance)
    for high in shared:
        for low in shared:
            extra = low.monthly > avalanche_minimum(low.debt.balance)
            if high.debt.monthly_rate > low.debt.monthly_rate and extra:
                assert high.monthly == high.debt.balance


@PROPERTY
@given(ANY_SITUATION)
def test_the_payload_never_carries_a_zero_or_negative_monthly_figure(situation):
    plan = planned(situation)
    payload = debt_plan_payload(plan)
    top = ["disposable_monthly", "affordable_monthly"]
    if not plan.feasible:
        top += ["monthly_income", "monthly_expenses"]
    for key in top:
        assert payload[key] is None or payload[key] > 0
    for entry in payload["debts"]:
        for key in ("monthly", "term_months", "opening_monthly", "opening_term_months"):
            assert entry[key] is None or entry[key] > 0
            assert (entry[key] is not None) == payload["feasible"]


@PROPERTY
@given(ANY_SITUATION)
def test_no_plan_says_why_first(situation):
    plan = planned(situation)
    if not plan.feasible:
        assert plan.notes[0].code in {
            "no_disposable_income",
            "too_little_left",
            "priority_exceeds",
            "nothing_left_after_priority",
            "share_too_small",
            "cannot_clear_within_cap",
            "cap_needs_buffer",
        }
        assert any(note.code.startswith("hardship_plan") for note in plan.notes)


@PROPERTY
@given(ANY_SITUATION)
def test_the_plan_is_deterministic(situation):
    first, again = planned(situation), planned(situation)
    assert first == again
    assert debt_plan_payload(first) == debt_plan_payload(again)
