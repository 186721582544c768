"""The repayment form's own lines: naming the figures it kept."""

import pytest

from coach.figures.form_text import (
    debts_line,
    describe_figure,
    noted_figures,
    plain_number,
    used_figures_line,
)


@pytest.mark.parametrize(
    "value, shown", [(5000.0, "5000"), (48000, "48000"), (1.5, "1.5"), (0.25, "0.25"), (0, "0")]
)
def test_numbers_are_shown_as_a_user_writes_them(value, shown):
    assert plain_number(value) == shown


@pytest.mark.parametrize(
    "slot, value, text",
    [
        ("balance", 48000.0, "欠款总额48000元"),
        ("months_overdue", 3.0, "逾期时长3个月"),
        ("monthly_income", 12000.0, "每月收入12000元"),
        ("lender_type", "credit_card", "借款类型：信用卡"),
        ("lump_sum", 0.0, "现在能一次拿出的钱0元"),
    ],
)
def test_each_kind_of_figure_reads_naturally(slot, value, text):
    assert describe_figure(slot, value) == text


def test_kept_figures_are_named_in_the_forms_order():
    line = noted_figures({"monthly_expenses": 4000.0, "balance": 30000.0})
    assert line == "记下了：欠款总额30000元，每月必要开销4000元。"


def test_nothing_kept_says_nothing():
    assert noted_figures({}) is None
    assert noted_figures({"balance": None}) is None


def test_several_debts_are_each_named_with_the_total():
    parts = [
        {"label": "招行", "value": 20000.0},
        {"label": "建行", "value": 15000.0},
        {"label": "网贷", "value": 5000.0},
    ]
    line = debts_line(parts, 40000.0)
    assert line.startswith("你提到了3笔欠款：招行20000元，建行15000元，网贷5000元，一共40000元。")


def test_the_figures_used_name_every_slot_in_order():
    values = {
        "balance": 48000.0,
        "lender_type": "credit_card",
        "months_overdue": 3.0,
        "monthly_income": 12000.0,
        "monthly_expenses": 7000.0,
        "lump_sum": 0.0,
    }
    line = used_figures_line(values, None)
    assert line.startswith(
        "我按这些数字来算：欠款总额48000元，借款类型：信用卡，逾期时长3个月，" "每月收入12000元，每月必要开销7000元，现在能一次拿出的钱0元。"
    )
