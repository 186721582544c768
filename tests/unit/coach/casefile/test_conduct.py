"""The conduct check: each rule fires when the contact likely broke it, and only then."""

import datetime
import re

import pytest
import yaml

from coach.casefile.conduct import (
    CODES,
    call_limits,
    check_conduct,
    night_window,
    route_for,
)
from coach.casefile.contact import read_contact
from coach.casefile.model import ContactDraft, ContactEntry
from coach.paths import ROOT

FACTS = {
    entry["id"]: entry
    for entry in yaml.safe_load((ROOT / "content/facts.yml").read_text(encoding="utf-8"))["facts"]
}
CASEFILE = yaml.safe_load((ROOT / "content/casefile.yml").read_text(encoding="utf-8"))
REQUIRED_CODES = {
    "night_call",
    "too_frequent",
    "third_party_disclosure",
    "insult_or_threat",
    "impersonating_authority",
    "fake_legal_document",
    "group_chat_exposure",
    "violence_threat",
}
DAY = "2026-11-29T15:00"


def codes(text, at=DAY, lender_type=None):
    return [v.code for v in check_conduct(read_contact(text), at, lender_type)]


def draft(**fields):
    return ContactDraft(text="", summary="", channel=fields.pop("channel", "phone"), **fields)


# ------------------------------------------------------------------ each rule, both ways

TRIGGERED = [
    ("night_call", "打电话来催", "2026-11-29T23:10"),
    ("night_call", "半夜还在打电话", None),
    ("too_frequent", "一天打了二十多个电话", DAY),
    ("too_frequent", "电话都被打爆了", DAY),
    ("third_party_disclosure", "打到我单位，把我欠钱的事告诉了同事", DAY),
    ("third_party_disclosure", "给我妈打电话了", DAY),
    ("insult_or_threat", "骂我是老赖", DAY),
    ("insult_or_threat", "说要让我坐牢", DAY),
    ("insult_or_threat", "说要爆我通讯录", DAY),
    ("impersonating_authority", "自称是派出所的民警", DAY),
    ("impersonating_authority", "有人自称律师打来说要起诉", DAY),
    ("fake_legal_document", "微信上发来一张传票的照片", DAY),
    ("fake_legal_document", "短信发了个律师函", DAY),
    ("group_chat_exposure", "把我欠钱的截图发到家族群里", DAY),
    ("violence_threat", "说再不还就找人打断你的腿", DAY),
    ("unwanted_visit", "上门以后赖着不走", DAY),
    ("induced_borrowing", "让我去借网贷还他们", DAY),
]
NOT_TRIGGERED = [
    ("night_call", "打电话来催", "2026-11-29T21:30"),
    ("night_call", "打电话来催", "2026-11-29"),
    ("night_call", "打电话来催", None),
    ("too_frequent", "一天打了5个电话", DAY),
    ("too_frequent", "这个月一共打了三十多个电话", DAY),
    ("third_party_disclosure", "我自己告诉了同事，他们没打给家人", DAY),
    ("insult_or_threat", "说家里老人有病也得还，语气还算客气", DAY),
    ("insult_or_threat", "他们没骂人，就是说要起诉", DAY),
    ("impersonating_authority", "法院打电话通知我开庭", DAY),
    ("fake_legal_document", "收到法院专递寄来的传票", DAY),
    ("fake_legal_document", "说下周给我发律师函", DAY),
    ("group_chat_exposure", "说要发到群里", DAY),
    ("violence_threat", "说要起诉我", DAY),
    ("unwanted_visit", "说过几天上门", DAY),
    ("induced_borrowing", "我自己想借网贷还", DAY),
]


@pytest.mark.parametrize("code, text, at", TRIGGERED)
def test_the_rule_fires(code, text, at):
    assert code in codes(text, at)


@pytest.mark.parametrize("code, text, at", NOT_TRIGGERED)
def test_the_rule_stays_quiet(code, text, at):
    assert code not in codes(text, at)


def test_every_code_is_tested_both_ways():
    assert REQUIRED_CODES <= set(CODES)
    assert {case[0] for case in TRIGGERED} == set(CODES)
    assert {case[0] for case in NOT_TRIGGERED} == set(CODES)


def test_a_polite_daytime_call_breaks_nothing():
    text = "今天上午十点招行信用卡中心打电话来，态度挺好的，问我什么时候能还，我说家里老人有病"
    assert codes(text, "2026-11-30T10:00") == []


def test_threats_to_sue_or_visit_are_recorded_but_no_violation():
    draft_ = read_contact("说再不还就起诉我，还要上门")
    assert {"threat_sue", "threat_visit"} <= set(draft_.claims)
    assert check_conduct(draft_, DAY) == ()


def test_the_example_account_of_the_brief():
    text = "今天下午三点有人自称律师打到我单位，说再不还就上门，还把我欠钱的事告诉了同事"
    found = check_conduct(read_contact(text), "2026-11-30T15:00", "credit_card")
    assert [v.code for v in found] == ["impersonating_authority", "third_party_disclosure"]
    assert "透露了你欠款" in found[1].text


# ------------------------------------------------------------------ figures from the facts


def test_the_night_window_is_read_from_the_fact():
    assert night_window() == (22, 8)
    text = FACTS["no_contact_at_night"]["text_zh"]
    assert "晚上10点到次日早上8点" in text


@pytest.mark.parametrize(
    "at, night",
    [
        ("2026-11-29T21:59", False),
        ("2026-11-29T22:00", True),
        ("2026-11-30T00:30", True),
        ("2026-11-30T07:59", True),
        ("2026-11-30T08:00", False),
        ("2026-11-30T12:00", False),
        ("2026-11-29T15:10:00+00:00", True),  # 23:10 in China
        ("2026-11-29T23:10:00+08:00", True),
    ],
)
def test_the_night_window_edges(at, night):
    found = "night_call" in [v.code for v in check_conduct(draft(), at)]
    assert found is night


def test_a_known_daytime_hour_wins_over_the_word_night():
    # when.py read the time; the time, not the word, decides
    assert check_conduct(draft(claims=("night",)), "2026-11-29T15:00") == ()


def test_the_call_limits_are_read_from_the_fact():
    assert call_limits() == (6, 3)
    assert "6次" in FACTS["call_frequency_limits"]["text_zh"]


@pytest.mark.parametrize("count, fires", [(6, False), (7, True), (20, True), (None, False)])
def test_too_frequent_counts_above_the_attempts_limit(count, fires):
    found = [v.code for v in check_conduct(draft(call_count=count), DAY)]
    assert ("too_frequent" in found) is fires


def test_the_count_is_in_the_text():
    (violation,) = check_conduct(draft(call_count=20), DAY)
    assert "至少20次" in violation.text and "6次" in violation.text and "3次" in violation.text


# ------------------------------------------------------------------ facts and wording


def _all_variants():
    for code, rule in CASEFILE["rules"].items():
        for name, variant in rule["variants"].items():
            yield code, name, variant


def test_every_fact_id_exists_and_is_current():
    today = datetime.date.today()
    named = set()
    for _, _, variant in _all_variants():
        named.add(variant["fact"])
        named.update(variant.get("see_also") or [])
    named.update(CASEFILE["numbers"].values())
    named.update(f for ids in CASEFILE["route_facts"].values() for f in ids)
    named.update(f for ids in CASEFILE["binding_rules"].values() for f in ids)
    named.add(CASEFILE["contact_log"]["tip_fact"])
    named.update(spec["fact"] for spec in CASEFILE["fact_figures"].values())
    assert named <= set(FACTS), named - set(FACTS)
    for fact_id in named:
        end = FACTS[fact_id].get("valid_until")
        assert end is None or datetime.date.fromisoformat(str(end)) >= today, fact_id
    assert "nifa_collection_guideline_2024" not in named


def test_every_rule_has_its_code_and_a_label():
    assert list(CASEFILE["rules"]) == list(CODES)
    for code in CODES:
        assert CASEFILE["rules"][code]["label"]


@pytest.mark.parametrize("code, name, variant", list(_all_variants()))
def test_texts_say_likely_and_are_worded_for_the_facts_status(code, name, variant):
    text = variant["text"]
    status = FACTS[variant["fact"]]["status"]
    if code != "violence_threat":  # a threat to safety: call 110, no "maybe"
        assert "可能" in text, f"{code}.{name}: say the breach is likely"
    if status == "reported":
        assert "据" in text, f"{code}.{name}: a reported fact is said as 据…"
    assert "违法" not in text, f"{code}.{name}: never assert it is illegal"


def test_the_yaml_states_no_number_or_article_of_its_own():
    # hotline numbers, articles and percentages come from the facts when the text is made
    raw = (ROOT / "content/casefile.yml").read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r"(?<![0-9A-Za-z_\-/])(110|12\d{3}|96\d{3})(?!\d)", body)
    assert not re.search(r"第[\d零一二三四五六七八九十百千]+条", body)
    assert "%" not in body and "百分之" not in body


@pytest.mark.parametrize(
    "lender_type, present, absent",
    [
        ("credit_card", ["12378", "银行"], ["地方金融管理局"]),
        ("bank_loan", ["12378"], ["互联网金融协会"]),
        # "Online" says nothing about the licence: how to find the lender's name, and both
        # routes (domain facts 2026-12-07).
        ("online_lender", ["借款合同", "12378", "消费金融公司", "地方金融管理局"], []),
        (None, ["12378", "银行", "地方金融管理局", "互联网金融协会"], []),
    ],
)
def test_the_complaint_route_follows_the_lender_type(lender_type, present, absent):
    (violation,) = check_conduct(draft(claims=("insult",)), DAY, lender_type)
    for word in present:
        assert word in violation.text
    for word in absent:
        assert word not in violation.text


def test_the_route_follows_the_licence_of_the_lender_named():
    assert route_for(None, "招行信用卡中心") == "bank"
    assert route_for(None, "某某资产管理公司") == "any"
    assert route_for("online_lender", "XX银行") == "bank"
    assert route_for(None, "某某小额贷款有限公司") == "online"
    assert route_for("other", "朋友") == "private"


def test_a_threat_of_violence_says_call_110():
    (violation,) = check_conduct(draft(claims=("threat_violence",)), DAY)
    assert violation.fact_id == "police_110" and "110" in violation.text


def test_fake_court_papers_say_how_to_check_them():
    (violation,) = check_conduct(draft(documents=("传票",), claims=("legal_document",)), DAY)
    assert violation.fact_id == "court_notice_channels"
    assert "12368" in violation.text and "核实" in violation.text


def test_a_lawyers_letter_is_not_a_lawsuit():
    (violation,) = check_conduct(draft(documents=("律师函",), claims=("legal_document",)), DAY)
    assert violation.fact_id == "lawsuit_comes_from_court"
    assert "不等于已经起诉" in violation.text


def test_an_entry_is_checked_at_its_own_time():
    entry = ContactEntry(id="c1", at="2026-11-29T23:10", channel="phone")
    assert [v.code for v in check_conduct(entry)] == ["night_call"]
    assert "23:10" in check_conduct(entry)[0].text


def test_one_violation_per_rule_in_the_catalogue_order():
    found = check_conduct(
        draft(
            claims=("insult", "threat_arrest", "threat_violence", "night"),
            third_parties=("家人",),
            call_count=30,
        ),
        "2026-11-29T23:30",
    )
    assert [v.code for v in found] == [
        "violence_threat",
        "insult_or_threat",
        "third_party_disclosure",
        "night_call",
        "too_frequent",
    ]
    for violation in found:
        assert "{" not in violation.text and "}" not in violation.text


@pytest.mark.parametrize("account", ["昨天他们给我所有联系人发了短信", "他们爆了我的通讯录", "催收给我通讯录里的人挨个打电话"])
def test_messages_or_calls_to_the_users_contacts_are_a_violation(account):
    (violation,) = check_conduct(read_contact(account), DAY, "credit_card")
    assert violation.code == "third_party_disclosure"
    assert "爆通讯录" in violation.text and "很可能违规" in violation.text
    assert "12378" in violation.text


def test_the_user_messaging_their_own_contacts_is_no_violation():
    assert check_conduct(read_contact("我给所有联系人发了短信说明情况"), DAY, None) == ()
