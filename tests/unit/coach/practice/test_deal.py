"""A plan agreed in practice on the user's own case goes into the instalment application."""

from datetime import datetime, timezone

from coach.casefile.dossier import Known, instalment
from coach.practice.deal import PracticeDeal, practice_deal, with_practice_deal
from coach.practice.round_start import new_round
from tests.support.practice import offer, play

OWN_CASE = {"balance": 30000, "months_overdue": 4, "affordable_monthly": 1500}
NOW = datetime(2026, 12, 8, 9, tzinfo=timezone.utc)


def agreed_round(case, *lines):
    state, _ = play(new_round("polite", case, seed=4), *lines)
    assert state.agreement is not None
    return state


# The polite collector comes down to 1400 after a reason, a waiver asked and two raises.
WITHIN = ("我失业了，" + offer(1200, 25), "能不能减免罚息，" + offer(1300), offer(1400))


def test_a_plan_agreed_on_the_users_own_case_within_their_ceiling_is_a_deal():
    state = agreed_round(OWN_CASE, *WITHIN)
    assert practice_deal(state) == PracticeDeal(1400, state.agreement.term, 30000)


def test_the_built_in_case_or_a_plan_above_the_ceiling_is_no_deal():
    assert practice_deal(agreed_round(None, *WITHIN)) is None
    over = agreed_round(OWN_CASE, offer(1500, 20), "好")  # it closes at its demand, 2000
    assert over.agreement.monthly > 1500 and practice_deal(over) is None
    assert practice_deal(None) is None


def test_the_deal_replaces_the_computed_opening_but_not_a_several_debts_plan():
    deal = PracticeDeal(1200, 25, 30000)
    offer_payload = {"type": "repayment_offer", "opening_monthly": 900, "opening_term_months": 34}
    merged = with_practice_deal(offer_payload, deal)
    assert (merged["opening_monthly"], merged["opening_term_months"]) == (1200, 25)
    several = {"type": "debt_plan", "debts": [{}, {}]}
    assert with_practice_deal(several, deal) is several


def test_the_instalment_application_asks_for_what_was_agreed_in_practice():
    known = Known(
        now=NOW,
        figures={"balance": 30000, "lender_type": "credit_card"},
        practice=PracticeDeal(1200, 25, 30000),
    )
    text = instalment(known).document.text
    assert "1200" in text.replace(",", "") and "25" in text
