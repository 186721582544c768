"""Specification of how the figures of a debt situation are found in a message."""

import itertools

import pytest

from actions.figures import Figure, extract_figures, last_of_each_kind

FULL_EXAMPLE = "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千"

CASES = [
    # the brief's example, and the same with savings
    (
        FULL_EXAMPLE,
        [
            ("lender_type", "credit_card"),
            ("balance", 48000),
            ("months_overdue", 3),
            ("monthly_income", 12000),
            ("monthly_expenses", 7000),
        ],
    ),
    (
        FULL_EXAMPLE + "，存款一万",
        [
            ("lender_type", "credit_card"),
            ("balance", 48000),
            ("months_overdue", 3),
            ("monthly_income", 12000),
            ("monthly_expenses", 7000),
            ("lump_sum", 10000),
        ],
    ),
    # one figure at a time, with its cue word
    ("欠了5万", [("balance", 50000)]),
    ("总共欠5万", [("balance", 50000)]),
    ("本金两万五", [("balance", 25000)]),
    ("还剩1万2", [("balance", 12000)]),
    ("月收入8000", [("monthly_income", 8000)]),
    ("工资到手六千五", [("monthly_income", 6500)]),
    ("月薪1.2w", [("monthly_income", 12000)]),
    ("每月开销三千多", [("monthly_expenses", 3000)]),
    ("房租2000", [("monthly_expenses", 2000)]),
    ("存款有两万", [("lump_sum", 20000)]),
    ("我能一次拿出3万", [("lump_sum", 30000)]),
    ("手头有5000", [("lump_sum", 5000)]),
    ("逾期三个月了", [("months_overdue", 3)]),
    ("拖了半年", [("months_overdue", 6)]),
    ("已经三个月没还了", [("months_overdue", 3)]),
    # cues after the number
    ("有2万存款", [("lump_sum", 20000)]),
    ("8000的工资", [("monthly_income", 8000)]),
    # no cue: plain amount or duration for the form to place
    ("8000", [("amount", 8000)]),
    ("两万五", [("amount", 25000)]),
    ("1.2w", [("amount", 12000)]),
    ("半年", [("duration", 6)]),
    ("90天", [("duration", 3)]),
    ("每月能还1500", [("amount", 1500)]),
    ("3个月", [("duration", 3)]),
    ("欠了5万想分三年还", [("balance", 50000), ("duration", 36)]),
    ("收入8000每月能存2000", [("monthly_income", 8000), ("amount", 2000)]),
    ("逾期三个月后每月能还1500", [("months_overdue", 3), ("amount", 1500)]),
    # parts, totals and corrections
    ("房租2000加生活费1500", [("monthly_expenses", 3500)]),
    ("房租2000、水电500、吃饭1500", [("monthly_expenses", 4000)]),
    ("房租2000，生活费1500，一共3500", [("monthly_expenses", 3500)]),
    ("每月开销3000，其中房租2000", [("monthly_expenses", 3000)]),
    ("不对，收入是八千", [("monthly_income", 8000)]),
    (
        "收入8000，不对，是9000",
        [("monthly_income", 8000), ("monthly_income", 9000)],
    ),
    ("借了2万还剩1万", [("balance", 20000), ("balance", 10000)]),
    # saying "nothing"
    ("没有存款", [("lump_sum", 0)]),
    ("没积蓄", [("lump_sum", 0)]),
    ("一分钱都拿不出", [("lump_sum", 0)]),
    ("存款为零", [("lump_sum", 0)]),
    ("现在没有收入", [("monthly_income", 0)]),
    # lenders
    ("我是招行信用卡", [("lender_type", "credit_card")]),
    ("两张卡一共欠了6万", [("lender_type", "credit_card"), ("balance", 60000)]),
    ("建行房贷", [("lender_type", "bank_loan")]),
    ("车贷逾期两个月", [("lender_type", "bank_loan"), ("months_overdue", 2)]),
    ("花呗欠了3000", [("lender_type", "online_lender"), ("balance", 3000)]),
    ("借呗2万", [("lender_type", "online_lender"), ("balance", 20000)]),
    ("网贷平台", [("lender_type", "online_lender")]),
    ("跟朋友借的钱", [("lender_type", "other")]),
    ("我欠了朋友3万", [("lender_type", "other"), ("balance", 30000)]),
    # "一个月" next to an amount means per month; monthly sums are not balances
    ("工资一个月8000左右", [("monthly_income", 8000)]),
    ("一个月收入4000，开销3000", [("monthly_income", 4000), ("monthly_expenses", 3000)]),
    ("逾期一个月", [("months_overdue", 1)]),
    (
        "欠了20万，每个月还要还房贷5000",
        [("balance", 200000), ("lender_type", "bank_loan"), ("amount", 5000)],
    ),
    ("信用卡每月最低还款1500", [("lender_type", "credit_card"), ("amount", 1500)]),
    # words that look like cues or lenders but are not
    ("我在美团送外卖，收入8000", [("monthly_income", 8000)]),
    ("工资卡里有2万", [("lump_sum", 20000)]),
    ("我想去投诉平台反映", []),
    ("十分困难，不知道怎么办", []),
    ("欠了几万", []),
]


def _pairs(figures):
    return [(figure.kind, figure.value) for figure in figures]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_finds_each_figure_with_its_kind_and_value(text, expected):
    assert _pairs(extract_figures(text)) == [
        (kind, pytest.approx(value) if isinstance(value, int) else value)
        for kind, value in expected
    ]


@pytest.mark.parametrize("text", [case[0] for case in CASES])
def test_spans_point_at_the_figure_text_and_never_overlap(text):
    figures = extract_figures(text)
    assert all(text[f.start : f.end] == f.text for f in figures)
    for earlier, later in itertools.pairwise(figures):
        assert earlier.end <= later.start


def test_the_full_example_marks_the_exact_words():
    texts = {f.kind: f.text for f in extract_figures(FULL_EXAMPLE)}
    assert texts == {
        "lender_type": "招行信用卡",
        "balance": "4万8",
        "months_overdue": "三个月",
        "monthly_income": "一万二",
        "monthly_expenses": "七千",
    }


def test_summed_parts_span_from_the_first_part_to_the_last():
    [expenses] = extract_figures("房租2000加生活费1500")
    assert (expenses.start, expenses.end, expenses.text) == (2, 14, "2000加生活费1500")


def test_a_duration_is_never_taken_for_an_amount():
    kinds = {f.kind for f in extract_figures("欠了3个月，每月3个月，3个月")}
    assert kinds <= {"months_overdue", "duration"}


def test_last_of_each_kind_keeps_the_correction():
    figures = extract_figures("收入8000，欠5万，不对，收入是9000")
    assert _pairs(last_of_each_kind(figures)) == [
        ("balance", 50000),
        ("monthly_income", 9000),
    ]


def test_figures_are_immutable():
    figure = Figure("balance", 1.0, 0, 1, "1")
    with pytest.raises(AttributeError):
        figure.value = 2.0
