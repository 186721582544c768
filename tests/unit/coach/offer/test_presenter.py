"""Specification of how an offer is put into Chinese for the chat."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.content import load_content
from coach.offer.planner import Figures, compute_offer
from coach.offer.presenter import (
    join_list,
    lender_label,
    offer_payload,
    render_note,
    render_notes,
    render_offer_summary,
    waiver_label,
)

TEXTS = load_content("offer_texts")
FACT_IDS = {fact["id"] for fact in load_content("facts")["facts"]}


def offer(balance=50000, income=9000, expenses=5500, lender="credit_card", lump=0):
    return compute_offer(Figures(balance, lender, 3, income, expenses, lump))


# Situations that between them produce every note code.
SITUATIONS = {
    "contract example": offer(),
    "with savings": offer(lump=30000),
    "card plan raised to 60 months": offer(balance=180000),
    "card plan needs more than 90 % to fit 60 months": offer(balance=200000),
    "card plan impossible within 60 months": offer(balance=300000),
    "long online plan, affordable in 5 years": offer(balance=180000, lender="online_lender"),
    "long online plan, not even in 5 years": offer(balance=300000, lender="online_lender"),
    "nothing left": offer(income=5000, expenses=5500, lender="bank_loan", lump=30000),
    "one yuan left": offer(income=3001, expenses=3000, lender="other"),
    "no debt": offer(balance=0),
}


def test_the_summary_opens_with_the_plan_in_one_sentence():
    first_line = render_offer_summary(offer()).splitlines()[0]
    assert first_line == "你可以先提每月1800元、28期还清，最多让到每月2600元、20期。"


SAYS = [
    ("contract example", "3500"),
    ("contract example", "罚息、违约金和其他费用"),
    ("contract example", "请求对方减免"),
    ("contract example", "没有规定必须同意"),
    ("with savings", "30000"),
    ("with savings", "20000到40000"),
    ("with savings", "不是规定"),
    ("with savings", "20000元谈起"),
    ("card plan raised to 60 months", "3000元、60期"),
    ("card plan raised to 60 months", "没有再让的空间"),
    ("card plan raised to 60 months", "九成"),
    ("card plan needs more than 90 % to fit 60 months", "先别慌"),
    ("card plan needs more than 90 % to fit 60 months", "每月至少要还3334元"),
    ("card plan needs more than 90 % to fit 60 months", "九成（3100元）"),
    ("card plan needs more than 90 % to fit 60 months", "65期"),
    ("card plan needs more than 90 % to fit 60 months", "个性化分期"),
    ("card plan needs more than 90 % to fit 60 months", "停息"),
    ("card plan needs more than 90 % to fit 60 months", "12378"),
    ("long online plan, not even in 5 years", "九成（3100元）"),
    ("long online plan, not even in 5 years", "116期"),
    ("long online plan, not even in 5 years", "很少接受"),
    ("long online plan, not even in 5 years", "罚息和其他费用"),
    ("card plan impossible within 60 months", "先别慌"),
    ("card plan impossible within 60 months", "每月至少要还5000元"),
    ("card plan impossible within 60 months", "结余3500元"),
    ("card plan impossible within 60 months", "个性化分期"),
    ("card plan impossible within 60 months", "12378"),
    ("nothing left", "每月收入5000元"),
    ("nothing left", "必要开销5500元"),
    ("nothing left", "没有结余"),
    ("nothing left", "停息挂账"),
    ("nothing left", "不是规定"),
    ("nothing left", "20000元谈起"),
    ("one yuan left", "1元"),
    ("one yuan left", "12378"),
    ("no debt", "大于0"),
]

NEVER_SAYS = [
    ("contract example", "一次性"),
    ("card plan raised to 60 months", "最多让到"),
    ("long online plan, not even in 5 years", "违约金"),
    ("card plan impossible within 60 months", "最多让到"),
    ("card plan needs more than 90 % to fit 60 months", "最多让到"),
    ("card plan needs more than 90 % to fit 60 months", "3334元、60期"),
    ("nothing left", "最多让到"),
    ("one yuan left", "最多让到"),
    ("no debt", "12378"),
    ("no debt", "个性化分期"),
]


@pytest.mark.parametrize(("situation", "words"), SAYS)
def test_the_summary_says_what_fits_the_situation(situation, words):
    assert words in render_offer_summary(SITUATIONS[situation])


@pytest.mark.parametrize(("situation", "words"), NEVER_SAYS)
def test_the_summary_leaves_out_what_does_not_fit(situation, words):
    assert words not in render_offer_summary(SITUATIONS[situation])


# Waivers are common but never owed: nothing may suggest they usually succeed.
OVERPROMISING_WAIVERS = ("常能谈下来", "一般都能", "通常能", "肯定能", "都会同意", "一定能减免")


@pytest.mark.parametrize("situation", SITUATIONS)
def test_waivers_are_a_request_never_a_likely_win(situation):
    computed = SITUATIONS[situation]
    said = render_offer_summary(computed) + "".join(render_notes(computed))
    assert not [words for words in OVERPROMISING_WAIVERS if words in said]


def test_the_waiver_note_says_it_is_a_request_the_lender_may_refuse():
    waiver = next(n for n in offer().notes if n.code == "waiver_lore")
    text = render_note(waiver)
    assert "没有规定" in text and "可以请求减免" in text


@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_summary_stays_chat_sized(situation):
    summary = render_offer_summary(SITUATIONS[situation])
    assert 0 < len(summary.splitlines()) <= 5
    assert len(summary) <= 400


def test_all_note_texts_are_used_and_every_emitted_note_has_a_text():
    emitted = {note.code for o in SITUATIONS.values() for note in o.notes}
    assert emitted == set(TEXTS["notes"])


@pytest.mark.parametrize("code", sorted(TEXTS["notes"]))
def test_note_entries_name_real_facts_and_have_wording(code):
    entry = TEXTS["notes"][code]
    assert "fact" in entry or "text" in entry
    referenced = {entry["fact"]} if "fact" in entry else set()
    referenced |= set(entry.get("based_on", []))
    assert referenced <= FACT_IDS


@pytest.mark.parametrize("situation", SITUATIONS)
def test_every_note_renders_as_one_filled_in_chinese_text(situation):
    computed = SITUATIONS[situation]
    rendered = render_notes(computed)
    assert len(rendered) == len(computed.notes)
    for text in rendered:
        assert text and "{" not in text and "}" not in text and "None" not in text


def test_a_note_built_on_a_fact_says_the_fact_first():
    card_cap = next(n for n in offer().notes if n.code == "card_cap")
    fact = next(
        f["text_zh"]
        for f in load_content("facts")["facts"]
        if f["id"] == "cc_instalment_max_60_months"
    )
    assert render_note(card_cap).startswith(fact)


def test_the_payload_carries_the_rendered_notes():
    computed = offer()
    assert offer_payload(computed)["notes"] == render_notes(computed)


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("credit_card", "信用卡"),
        ("bank_loan", "银行贷款"),
        ("online_lender", "网贷平台"),
        ("other", "其他"),
        ("unknown", "其他"),
    ],
)
def test_lender_labels(code, label):
    assert lender_label(code) == label


@pytest.mark.parametrize(
    ("code", "label"),
    [("penalty_interest", "罚息"), ("breach_fee", "违约金"), ("fees", "其他费用")],
)
def test_waiver_labels(code, label):
    assert waiver_label(code) == label


@pytest.mark.parametrize(
    ("items", "joined"),
    [
        ([], ""),
        (["罚息"], "罚息"),
        (["罚息", "其他费用"], "罚息和其他费用"),
        (["罚息", "违约金", "其他费用"], "罚息、违约金和其他费用"),
    ],
)
def test_lists_are_joined_the_chinese_way(items, joined):
    assert join_list(items) == joined


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    balance=st.floats(min_value=-1e4, max_value=1e9, allow_nan=False),
    income=st.floats(min_value=0, max_value=1e7),
    expenses=st.floats(min_value=0, max_value=1e7),
    lender=st.sampled_from(["credit_card", "bank_loan", "online_lender", "other"]),
    lump=st.floats(min_value=0, max_value=1e9),
)
def test_any_offer_renders_without_gaps(balance, income, expenses, lender, lump):
    summary = render_offer_summary(offer(balance, income, expenses, lender, lump))
    assert summary and "{" not in summary and "None" not in summary


# ------------------------------------------------------------------ the old-debt gate


def test_while_the_old_debt_gate_is_shut_the_plan_waits_behind_the_age_questions():
    from coach.guidance.old_debt import old_debt_gate

    summary = render_offer_summary(offer(), gate=old_debt_gate(40))
    assert summary.startswith("【先问清")
    assert "12348" in summary and "第192条" in summary
    assert "能还多少先还多少" not in summary
    assert not render_offer_summary(offer()).startswith("【先问清")


def test_no_offer_text_advises_paying_a_little_first():
    for situation in SITUATIONS.values():
        assert "能还多少先还多少" not in render_offer_summary(situation)
        assert not any("能还多少先还多少" in n for n in render_notes(situation))


def test_when_no_plan_is_possible_the_notes_name_personal_bankruptcy_and_12348():
    notes = "".join(render_notes(SITUATIONS["nothing left"]))
    assert "深圳经济特区个人破产条例" in notes and "12348" in notes
    assert "深圳" not in "".join(render_notes(SITUATIONS["contract example"]))
