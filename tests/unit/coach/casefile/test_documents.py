"""The case file's documents: the user's own facts in, plain text out, blanks where unknown."""

import json
import re
from datetime import date, datetime, timedelta, timezone

import pytest
import yaml

from coach.casefile.conduct import check_conduct
from coach.casefile.contact import read_contact, to_entry
from coach.casefile.documents import (
    KINDS,
    Document,
    Step,
    action_plan,
    complaint_letter,
    contact_log_document,
    contact_log_payload,
    document_payload,
    instalment_application,
    local_iso,
)
from coach.casefile.followup import escalation_document, sent_complaint
from coach.casefile.model import ContactEntry, Violation
from coach.offer.planner import Figures, compute_offer
from coach.paths import ROOT

NOW = datetime(2026, 11, 30, 10, 0)
FACTS = {
    entry["id"]: entry
    for entry in yaml.safe_load((ROOT / "content/facts.yml").read_text(encoding="utf-8"))["facts"]
}
CARD = Figures(
    balance=50000, lender_type="credit_card", months_overdue=3, monthly_income=9000,
    monthly_expenses=5500,
)  # fmt: skip
DEBT_PLAN = {
    "type": "debt_plan", "currency": "CNY", "method": "pro_rata",
    "monthly_income": 12000, "monthly_expenses": 7000, "disposable_monthly": 5000,
    "affordable_monthly": 3700,
    "debts": [
        {"id": "d1", "label": "招行信用卡", "lender_type": "credit_card", "balance": 48000,
         "months_overdue": 3, "priority": False, "monthly": 2600, "term_months": 19},
        {"id": "d2", "label": "借呗", "lender_type": "online_lender", "balance": 20000,
         "months_overdue": 2, "priority": False, "monthly": 1080, "term_months": 19},
    ],
    "feasible": True, "notes": ["按欠款比例分配。"],
}  # fmt: skip


def _entries():
    night = read_contact("某资产管理公司的王某（工号1234）打电话来，骂我是老赖")
    work = read_contact("有人自称律师打到我单位，还把我欠钱的事告诉了同事")
    calls = read_contact("他们一天打了二十多个电话")
    return [
        to_entry(night, "c1", "2026-11-29T23:10", "credit_card"),
        to_entry(work, "c2", "2026-11-30T15:05", "credit_card"),
        to_entry(calls, "c3", "2026-11-28", "credit_card"),
    ]


def assert_clean(text):
    """No template field, no None, no empty blank ever reaches the user."""
    assert "{" not in text and "}" not in text, text
    assert "None" not in text and "null" not in text, text
    assert "【】" not in text


def _contract_example(type_name):
    section = (ROOT / "docs/contract.md").read_text(encoding="utf-8").split("Case file")[1]
    for block in re.findall(r"```json\n(.*?)```", section, re.S):
        data = json.loads(block)
        if data["type"] == type_name:
            return data
    raise AssertionError(f"no {type_name} example in docs/contract.md")


# ------------------------------------------------------------------ the complaint letter


def test_the_letter_carries_each_contacts_date_time_collector_and_breach():
    text = complaint_letter(_entries(), "招商银行信用卡中心", "credit_card", {"name": "李明"}, NOW).text
    assert "2026年11月29日 23:10" in text and "王某，工号1234" in text
    assert "某资产管理公司" in text
    assert "可能违反：辱骂或恐吓、夜间催收" in text
    assert "2026年11月30日 15:00" not in text and "15:05" in text
    assert "自称律师" in text and "联系第三方或向第三方透露欠款" in text
    assert "2026年11月28日 【时间】" in text and "来电过于频繁" in text
    assert_clean(text)


def test_the_letter_says_what_the_rules_say_with_the_facts_figures():
    text = complaint_letter(_entries(), "招商银行信用卡中心", "credit_card", {}, NOW).text
    assert "晚上10点到次日早上8点" in text  # no_contact_at_night
    assert "不宜超过6次" in text and "不应超过3次" in text  # call_frequency_limits
    assert "据报道" in text


def test_a_card_complaint_escalates_to_12378_and_copies_nobody():
    text = complaint_letter(_entries(), "招商银行信用卡中心", "credit_card", {}, NOW).text
    assert "致：招商银行信用卡中心客户投诉部门" in text
    assert "国家金融监督管理总局（投诉热线12378" in text
    assert "地方金融管理局" not in text
    assert "抄送" not in text


def test_a_card_complaint_cites_the_binding_rules_first():
    text = complaint_letter(_entries(), "招商银行信用卡中心", "credit_card", {}, NOW).text
    assert "第六十八条" in text and "《银行保险机构消费者权益保护管理办法》" in text
    assert text.index("第六十八条") < text.index("晚上10点到次日早上8点")
    assert "据报道" in text  # the guidelines keep their status


@pytest.mark.parametrize("lender", ["借呗", "微粒贷", "马上消费金融", "招联"])
def test_consumer_finance_and_bank_apps_are_complaints_for_12378(lender):
    text = complaint_letter(_entries(), lender, "online_lender", {}, NOW).text
    assert "12378" in text and "15日内" in text and "《银行业保险业消费投诉处理管理办法》" in text


def test_a_small_loan_company_complaint_goes_to_the_local_regulator_and_nifa():
    letter = complaint_letter(_entries(), "某某小额贷款有限公司", "online_lender", {"city": "杭州市"}, NOW)
    assert "杭州市地方金融管理局" in letter.text and "中国互联网金融协会举报平台" in letter.text
    assert "12378" not in letter.text


def test_the_letter_states_facts_without_admitting_the_debt():
    text = complaint_letter(_entries(), "招行", "credit_card", {}, NOW).text
    assert "不构成对任何欠款及其金额的确认" in text
    for admission in ("愿意协商还款", "本人在贵机构有一笔", "是我欠的"):
        assert admission not in text


def test_the_letter_asks_for_the_agency_its_authorisation_and_an_answer_in_15_days():
    text = complaint_letter(_entries(), "招行", "credit_card", {}, NOW).text
    assert "催收机构名称" in text and "委托授权" in text
    assert "15日内" in text and "书面答复" in text


def test_unknown_fields_stay_visible_blanks():
    text = complaint_letter(_entries(), None, "credit_card", None).text
    for blank in ("【姓名】", "【身份证号后四位】", "【联系电话】", "【日期】", "【机构名称】"):
        assert blank in text
    assert_clean(text)


def test_the_users_own_details_are_filled_in():
    user = {"name": "李明", "id_number": "110101199001011234", "phone": "13800000000"}
    text = complaint_letter(_entries(), "招行", "credit_card", user, NOW).text
    # The ID only by its last four digits: the lender already holds the full number.
    assert "投诉人：李明" in text and "身份证号后四位：1234" in text
    assert "110101199001011234" not in text
    assert "联系电话：13800000000" in text and "日期：2026年11月30日" in text
    assert "【姓名】" not in text


def test_a_letter_without_entries_still_has_a_blank_to_fill():
    text = complaint_letter([], "招行", "credit_card", None).text
    assert "【日期】 【时间】" in text and "【经过】" in text
    assert_clean(text)


def test_braces_in_the_users_words_never_look_like_placeholders():
    entry = ContactEntry(id="c1", at=None, channel="phone", summary="他说{name}欠钱 None")
    text = complaint_letter([entry], "{lender}", None, {"name": "{x}"}).text
    assert "{" not in text and "}" not in text


def test_the_third_party_request_appears_only_when_someone_else_was_contacted():
    alone = ContactEntry(id="c1", at="2026-11-29T23:10", channel="phone")
    alone = ContactEntry(**{**alone.__dict__, "violations": check_conduct(alone)})
    assert "不再联系本人的家人" not in complaint_letter([alone], "招行", "credit_card", {}).text
    assert "不再联系本人的家人" in complaint_letter(_entries(), "招行", "credit_card", {}).text


# ------------------------------------------------------------------ the instalment application


def test_a_card_application_cites_the_article_of_the_fact_and_asks_not_demands():
    text = instalment_application(CARD, compute_offer(CARD), "失业后收入减少", {}, "招行", NOW).text
    assert "个性化分期还款申请书" in text
    assert "《商业银行信用卡业务监督管理办法》第七十条" in text
    assert "第七十条" in FACTS["cc_personalised_instalment"]["text_zh"]
    assert "可以与持卡人平等协商" in text and "申请" in text
    assert "有权" not in text and "必须" not in text
    assert_clean(text)


def test_the_application_carries_the_users_own_figures():
    text = instalment_application(CARD, compute_offer(CARD), "失业后收入减少", {}, "招行", NOW).text
    for figure in ("50000元", "3个月", "9000元", "每月还款1800元", "分28期"):
        assert figure in text
    # The amount offered, not the expenses and the surplus (3500) that would undo it.
    assert "每月能用于还款的约为1800元" in text and "3500元" not in text
    assert "失业后收入减少" in text and "2026年11月30日" in text
    assert "2600" not in text  # the ceiling is the user's own limit, not written down


def test_another_lender_gets_a_hardship_request():
    figures = {**CARD.__dict__, "lender_type": "online_lender"}
    text = instalment_application(figures, compute_offer(Figures(**figures)), None).text
    assert "困难情况说明及分期还款申请" in text
    assert "第七十条" not in text and "【原因，如收入减少】" in text
    assert_clean(text)


def test_an_application_from_a_several_debts_plan_uses_that_debts_share():
    figures = {"lender_type": "online_lender"}
    text = instalment_application(figures, DEBT_PLAN, "收入减少", debt_id="d2").text
    assert "20000元" in text and "每月还款1080元" in text and "分19期" in text
    assert "另有1笔欠款" in text
    # The amount offered, not the whole surplus: that would undo the opening offer.
    assert "每月能用于还款的约为1080元" in text and "5000" not in text
    assert_clean(text)


def test_an_application_without_a_plan_leaves_the_amounts_blank():
    text = instalment_application({"lender_type": "credit_card"}, None, None).text
    assert "每月还款【金额】元" in text and "分【期数】期" in text
    assert "【金额】元" in text and "【姓名】" in text
    assert_clean(text)


def test_an_infeasible_offer_asks_for_a_lower_monthly_and_a_longer_term():
    poor = Figures(balance=200000, lender_type="credit_card", months_overdue=3,
                   monthly_income=5000, monthly_expenses=4000)  # fmt: skip
    text = instalment_application(poor, compute_offer(poor), None).text
    assert "更低的月供、更长的期限" in text and "每月结余：1000元" in text
    assert_clean(text)


# ------------------------------------------------------------------ the action plan


def test_the_action_plan_has_every_part():
    steps = [Step("打信用卡中心电话，提出每月1800元、28期", "2026-12-02"), {"what": "拿到书面确认再付款"}]
    text = action_plan(
        CARD.__dict__,
        compute_offer(CARD),
        ["您好，我是这笔信用卡欠款的借款人本人。"],
        ["no_contact_at_night", "third_party_contact_limits"],
        steps,
        ["hotline_12378", "police_110"],
        NOW,
    ).text
    assert "信用卡欠款：50000元，已逾期3个月" in text
    assert "先提：每月1800元，28期还清" in text and "最多让到：每月2600元，20期" in text
    assert "您好，我是这笔信用卡欠款的借款人本人。" in text
    assert FACTS["no_contact_at_night"]["text_zh"] in text
    assert "2026年12月2日：打信用卡中心电话" in text and "【日期】：拿到书面确认再付款" in text
    assert FACTS["hotline_12378"]["text_zh"] in text and FACTS["police_110"]["text_zh"] in text
    assert_clean(text)


def test_the_action_plan_takes_a_several_debts_plan():
    text = action_plan("欠两家：招行和借呗", DEBT_PLAN, [], [], [], []).text
    assert "招行信用卡：每月2600元，19期还清" in text and "借呗：每月1080元，19期还清" in text
    assert "合计每月3680元" in text and "3700元" in text
    # without choices: the rights answer's facts and channels of content/answers.yml
    answers = yaml.safe_load((ROOT / "content/answers.yml").read_text(encoding="utf-8"))
    for fact_id in answers["rights"]["fact_ids"] + answers["rights"]["channel_ids"]:
        assert FACTS[fact_id]["text_zh"] in text
    assert_clean(text)


def test_an_action_plan_without_figures_is_all_blanks_and_hints():
    text = action_plan(None, None, [], [], [], []).text
    assert "【金额】" in text and "【日期】" in text and "还没算方案" in text
    assert_clean(text)


def test_an_infeasible_offer_shows_why_and_what_to_do():
    poor = Figures(balance=200000, lender_type="credit_card", months_overdue=3,
                   monthly_income=5000, monthly_expenses=4000)  # fmt: skip
    text = action_plan(poor.__dict__, compute_offer(poor), [], [], [], []).text
    assert "3334" in text and "先提" not in text
    assert_clean(text)


# ------------------------------------------------------------------ the log


def test_the_log_document_lists_every_contact():
    text = contact_log_document(_entries(), NOW).text
    assert "共3次联系" in text and "整理日期：2026年11月30日" in text
    assert "2026年11月29日 23:10｜电话｜某资产管理公司｜王某，工号1234" in text
    assert "对方联系了：单位" in text and "可能的违规：辱骂或恐吓、夜间催收" in text
    assert FACTS["record_own_calls"]["text_zh"] in text
    assert_clean(text)


def test_an_empty_log_says_how_to_start_one():
    text = contact_log_document([]).text
    assert "还没有记录" in text and "【日期】" in text
    assert_clean(text)


# ------------------------------------------------------------------ payloads


def test_the_contact_log_payload_has_the_contracts_shape():
    example = _contract_example("contact_log")
    payload = contact_log_payload(_entries())
    assert set(payload) == set(example)
    assert payload["type"] == "contact_log" and len(payload["entries"]) == 3
    for entry in payload["entries"]:
        assert set(entry) == set(example["entries"][0])
        assert entry["channel"] in ("phone", "sms", "wechat", "visit", "letter", "other")
        for violation in entry["violations"]:
            assert set(violation) == set(example["entries"][0]["violations"][0])
            assert violation["fact_id"] in FACTS
    assert payload["entries"][0]["at"] == "2026-11-29T23:10"
    assert payload["entries"][2]["at"] == "2026-11-28"
    json.dumps(payload, ensure_ascii=False)


def test_an_entry_without_violations_has_an_empty_list():
    entry = ContactEntry(id="c9", at=None, channel="other")
    (shown,) = contact_log_payload([entry])["entries"]
    assert shown["violations"] == [] and shown["at"] is None


@pytest.mark.parametrize(
    "document",
    [
        complaint_letter([], None, None, None),
        instalment_application(None, None, None),
        action_plan(None, None, [], [], [], []),
        contact_log_document([]),
        escalation_document(
            sent_complaint(date(2026, 11, 1), "招商银行", "credit_card"), date(2026, 11, 30)
        ),
    ],
    ids=list(KINDS),
)
def test_the_document_payload_has_the_contracts_shape(document):
    example = _contract_example("document")
    payload = document_payload(document, NOW)
    assert set(payload) == set(example) - {"download"}
    assert payload["kind"] in KINDS and payload["type"] == "document"
    assert payload["created_at"] == "2026-11-30T10:00"
    assert payload["text"] == document.text and payload["title"] in document.text
    assert_clean(payload["text"])


def test_created_at_is_china_local_time():
    utc = datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc)
    assert local_iso(utc) == "2026-11-30T10:00"
    assert local_iso(datetime(2026, 11, 30, 10, 0, tzinfo=timezone(timedelta(hours=8)))) == (
        "2026-11-30T10:00"
    )


def test_every_fact_named_in_a_payload_exists():
    for entry in _entries():
        for violation in entry.violations:
            assert isinstance(violation, Violation) and violation.fact_id in FACTS
            for other in violation.see_also:
                assert other in FACTS


def test_a_document_is_plain_text():
    document = complaint_letter(_entries(), "招行", "credit_card", {}, NOW)
    assert isinstance(document, Document) and document.kind == "complaint_letter"
    assert "<" not in document.text and "**" not in document.text
