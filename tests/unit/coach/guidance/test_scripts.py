"""What to say to the collector: templates filled with the user's figures."""

import pytest

from coach.guidance.old_debt import old_debt_gate
from coach.guidance.scripts import (
    detect_collector_move,
    render_script,
    script_fields,
)
from tests.support.offer_invariants import CONTRACT_EXAMPLE_OFFER

FIGURES = {"balance": 50000.0, "months_overdue": 3.0, "lender_type": "credit_card"}


def test_with_an_offer_the_proposal_uses_the_users_own_figures():
    fields, personalised = script_fields(FIGURES, CONTRACT_EXAMPLE_OFFER, "信用卡")
    text = render_script("ask_negotiation_script", "怎么谈", fields, personalised)
    assert personalised
    assert "1800" in text and "28" in text and "50000" in text
    assert "【" not in text.split("提示")[0] or "【原因" in text  # only the reason stays open


def test_without_figures_the_script_keeps_placeholders_and_offers_to_compute():
    fields, personalised = script_fields({}, None, "")
    text = render_script("ask_negotiation_script", "怎么谈", fields, personalised)
    assert not personalised
    assert "【每月金额】" in text and "先算一下方案" in text


def test_an_infeasible_offer_is_not_presented_as_a_plan():
    fields, personalised = script_fields(FIGURES, {"feasible": False}, "信用卡")
    assert not personalised
    assert fields["opening_monthly"] == "【每月金额】"


def test_a_lump_sum_switches_to_the_lump_sum_wording():
    offer = dict(CONTRACT_EXAMPLE_OFFER, lump_sum={"suggested_opening": 20000})
    fields, _ = script_fields(FIGURES, offer, "信用卡")
    text = render_script("ask_negotiation_script", "", fields, True)
    assert "20000" in text


@pytest.mark.parametrize(
    "report,move",
    [
        ("他说今天必须全部还清", "demands_full_today"),
        ("催收说不能分期", "refuses_instalments"),
        ("对方说要去法院起诉我", "threatens_lawsuit"),
        ("催收打电话说今天不还就上门", "threatens_home_visit"),
        ("他们说明天到家里来找我", "threatens_home_visit"),
        ("他说我征信全毁了", "credit_record_ruined"),
        ("让我去别的网贷借钱还", "borrow_elsewhere"),
        ("要我先付一万首付才给分期", "down_payment_unaffordable"),
        ("他们态度很差", None),
    ],
)
def test_the_collectors_move_is_recognised_from_the_report(report, move):
    assert detect_collector_move(report) == move


def test_a_threatened_home_visit_gets_the_rules_and_a_refusal_to_say():
    fields, _ = script_fields({}, None, "")
    text = render_script("report_collector_demand", "他说要上门", fields, False)
    assert "对方说要上门" in text and "110" in text and "我不同意上门" in text


def test_an_unrecognised_demand_lists_the_common_moves():
    fields, _ = script_fields({}, None, "")
    text = render_script("report_collector_demand", "他们态度很差", fields, False)
    assert "起诉" in text and "分期" in text


def test_each_stage_five_intent_has_its_own_script():
    fields, _ = script_fields(FIGURES, CONTRACT_EXAMPLE_OFFER, "信用卡")
    texts = {
        intent: render_script(intent, "", fields, True)
        for intent in ("ask_opening_script", "ask_negotiation_script", "ask_fee_waiver")
    }
    assert len(set(texts.values())) == 3
    assert "罚息" in texts["ask_fee_waiver"]


def test_the_opening_script_asks_how_old_the_debt_is():
    fields, _ = script_fields(FIGURES, CONTRACT_EXAMPLE_OFFER, "信用卡")
    text = render_script("ask_opening_script", "", fields, True)
    assert "最早是哪天开始逾期" in text and "最后一次联系我" in text
    assert "转给别的公司" in text
    # An old or sold-on debt: ask 12348 or a lawyer before admitting or paying.
    assert "12348" in text and "先别说「是我欠的」" in text
    assert "是我欠的，我愿意还" not in text


def test_the_admission_carries_the_old_debt_caution():
    fields, _ = script_fields(FIGURES, CONTRACT_EXAMPLE_OFFER, "信用卡")
    text = render_script("ask_negotiation_script", "", fields, True)
    assert "这笔钱是我欠的" in text and "12348" in text
    assert "先问清" not in text  # three months overdue: no need to ask first


ADMISSIONS = ("是我欠的", "我知道已经逾期", "借款人本人", "我会还", "愿意还", "先还", "每月还")


def _admits(text):
    """Admissions in the sentences the user is given to say (whole 「…」 lines), and any
    "pay what you can first" advice anywhere."""
    said = [line for line in text.splitlines() if line.startswith("「") and line.endswith("」")]
    found = [words for words in ADMISSIONS for line in said if words in line]
    return found + (["能还多少先还多少"] if "能还多少先还多少" in text else [])


def test_the_default_opening_asks_who_is_calling_and_admits_nothing():
    fields, _ = script_fields(FIGURES, CONTRACT_EXAMPLE_OFFER, "信用卡")
    text = render_script("ask_opening_script", "", fields, True)
    first = next(line for line in text.splitlines() if line.startswith("「"))
    assert first.startswith("「您好，请问您是哪家机构")
    assert "哪一笔欠款" in first
    assert not _admits(first)


@pytest.mark.parametrize(
    "intent", ["ask_opening_script", "ask_negotiation_script", "ask_fee_waiver"]
)
def test_a_debt_overdue_for_years_gets_the_age_questions_and_no_admission(intent):
    figures = dict(FIGURES, months_overdue=40.0)
    fields, _ = script_fields(figures, CONTRACT_EXAMPLE_OFFER, "信用卡")
    text = render_script(intent, "", fields, True)
    assert "最早是哪天开始逾期" in text and "12348" in text
    assert "第192条" in text and "第195条" in text
    assert "40个月" in text  # why: the form's own figure
    assert not _admits(text), _admits(text)


def test_the_users_words_about_an_old_debt_close_the_gate_without_figures():
    fields, _ = script_fields({}, None, "")
    text = render_script("ask_negotiation_script", "七年前的网贷突然有人来催，怎么谈", fields, False)
    assert "先问清" in text and not _admits(text)


def test_a_collector_move_on_an_old_debt_keeps_the_explanation_but_no_offer():
    figures = dict(FIGURES, months_overdue=48.0)
    fields, _ = script_fields(figures, CONTRACT_EXAMPLE_OFFER, "信用卡")
    text = render_script("report_collector_demand", "他说要去法院起诉我", fields, True)
    assert "对方说要起诉你" in text and not _admits(text)


def test_once_the_user_has_checked_the_age_the_negotiation_script_comes_back():
    figures = dict(FIGURES, months_overdue=40.0)
    fields, _ = script_fields(figures, CONTRACT_EXAMPLE_OFFER, "信用卡")
    gate = old_debt_gate(40, ["这笔是七年前的", "问过了，没过时效"])
    text = render_script("ask_negotiation_script", "", fields, True, gate)
    assert "这笔钱是我欠的" in text
