"""The case file's documents from what the conversation knows: the old-debt gate."""

from datetime import datetime, timezone

from coach.casefile.dossier import Known, instalment_held, script_lines

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
FIGURES = {
    "balance": 20000,
    "lender_type": "online_lender",
    "monthly_income": 6000,
    "monthly_expenses": 4500,
}


def test_no_instalment_application_is_written_for_a_debt_that_may_be_time_barred():
    held = instalment_held(Known(now=NOW, figures={**FIGURES, "months_overdue": 50}))
    assert held is not None
    assert "签了就等于承认" in held and "12348" in held and "最早是哪天开始逾期" in held


def test_the_users_words_hold_it_and_a_checked_age_releases_it():
    said = ["这是七年前的网贷"]
    assert instalment_held(Known(now=NOW, figures=FIGURES, said=said)) is not None
    checked = [*said, "问过12348了，没过时效"]
    assert instalment_held(Known(now=NOW, figures=FIGURES, said=checked)) is None


def test_a_recent_debt_gets_its_application():
    assert instalment_held(Known(now=NOW, figures={**FIGURES, "months_overdue": 4})) is None


def test_the_action_plans_script_asks_the_age_instead_of_admitting_an_old_debt():
    lines = script_lines(Known(now=NOW, figures={**FIGURES, "months_overdue": 50}))
    assert any("最早是哪天开始逾期" in line for line in lines)
    assert not any("是我欠的" in line for line in lines)
