"""Form answers as people give them: 0, 还没逾期, ranges, 没有, 不知道, the pause words."""

import pytest

from coach.figures.form_answers import (
    DONT_KNOW,
    PAUSE,
    VALUE,
    choice_text,
    read_form_answer,
    says_pause,
    skip_default,
)
from coach.figures.money import find_range


@pytest.mark.parametrize("text", ["0", "还没逾期", "没逾期呢", "一直在还"])
def test_not_overdue_yet_is_zero_months(text):
    assert read_form_answer("months_overdue", text) == read_form_answer("months_overdue", "0")
    assert read_form_answer("months_overdue", text).value == 0


def test_a_bare_number_answers_months_overdue():
    assert read_form_answer("months_overdue", "3").value == 3


def test_a_range_takes_the_lower_figure_and_says_so():
    answer = read_form_answer("monthly_income", "五六千吧")
    assert (answer.kind, answer.value) == (VALUE, 5000)
    assert "五六千" in answer.note and "5000元" in answer.note


def test_a_range_of_expenses_takes_the_higher_figure_so_no_more_is_promised():
    answer = read_form_answer("monthly_expenses", "六七千")
    assert answer.value == 7000 and "7000元" in answer.note


def test_a_range_of_months():
    assert read_form_answer("months_overdue", "三四个月").value == 3


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("六七千", 6000, 7000),
        ("两三万", 20000, 30000),
        ("5000到6000", 5000, 6000),
        ("5-6千", 5000, 6000),
        ("两万到三万", 20000, 30000),
    ],
)
def test_ranges_are_read(text, low, high):
    found = find_range(text)
    assert (found.low, found.high) == (low, high)


@pytest.mark.parametrize("text", ["8000", "2023-5-1", "4万8"])
def test_single_figures_are_no_range(text):
    assert find_range(text) is None


def test_nothing_with_a_reason_is_zero_savings_but_not_zero_expenses():
    assert read_form_answer("lump_sum", "没有，钱都交房租了").value == 0
    assert read_form_answer("monthly_income", "没有").value == 0
    assert read_form_answer("monthly_expenses", "没有") is None


def test_the_pause_buttons_words_typed_are_a_pause():
    assert says_pause("先停一下") and says_pause("先停一下。")
    assert read_form_answer("monthly_income", "先停一下").kind == PAUSE
    assert not says_pause("先停一下催收的电话怎么办")


def test_dont_know_is_an_answer_but_a_question_with_it_is_not():
    assert read_form_answer("months_overdue", "不知道").kind == DONT_KNOW
    assert read_form_answer("months_overdue", "我不知道他逾期没有，担保人要还吗") is None


def test_only_safe_defaults_can_be_skipped_to():
    assert skip_default("months_overdue") == 0 and skip_default("lump_sum") == 0
    assert skip_default("monthly_income") is None
    assert "跳过" not in choice_text("monthly_income") and "先停一下" in choice_text("monthly_income")
