"""The old-debt gate: a debt that may be time-barred is not admitted before its age is checked."""

import pytest

from coach.guidance.old_debt import held_lines, old_debt_gate, oldest_debt_gate


@pytest.mark.parametrize("months", [30, 36, 84])
def test_the_forms_months_overdue_close_the_gate_from_thirty_months(months):
    gate = old_debt_gate(months)
    assert not gate.passed and gate.reason == "months"


@pytest.mark.parametrize("months", [None, "", 0, 3, 29])
def test_a_recent_or_unknown_debt_passes(months):
    assert old_debt_gate(months).passed


@pytest.mark.parametrize(
    "words",
    [
        "这是七年前的信用卡",
        "好几年没联系了，突然又来催",
        "欠款已经超过三年了",
        "五年前在网贷借的",
        "說是我十年前的舊債",  # traditional characters
        "这笔债被转卖给了别的公司",
    ],
)
def test_the_users_words_close_the_gate_even_when_the_form_says_little(words):
    gate = old_debt_gate(2, [words])
    assert not gate.passed and gate.reason == "words"


@pytest.mark.parametrize(
    "words",
    [
        "上个月还打电话催我",
        "逾期两年了",
        "我去年还还过一笔",
        "今天又打了三个电话",
        "某资产管理公司的王某打电话来",  # a collection agency's usual name
    ],
)
def test_ordinary_collection_words_do_not_close_it(words):
    assert old_debt_gate(None, [words]).passed


def test_the_user_confirms_after_checking_and_the_latest_word_wins():
    assert old_debt_gate(40, ["七年前的", "问过12348了，没过时效"]).reason == "checked"
    assert not old_debt_gate(40, ["问过律师了", "不对，其实是七年前的"]).passed


def test_several_debts_take_the_oldest():
    assert not oldest_debt_gate([3, None, 44]).passed
    assert oldest_debt_gate([3, None, 12]).passed


def test_the_held_lines_say_why_and_where_to_ask():
    text = "\n".join(held_lines(old_debt_gate(40)))
    assert "40个月" in text and "第192条" in text and "第195条" in text and "12348" in text
    assert held_lines(old_debt_gate(3)) == []
