"""coach.understanding.features: placeholders the intent classifier sees as one word each."""

import jieba
import pytest

from coach.understanding.features import with_placeholders


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("借呗欠了3万逾期半年了", "zzlender 欠了 zzamount 逾期 zzduration 了"),
        ("花呗和微粒贷都还不上", "zzlender 和 zzlender 都还不上"),
        ("招商银行信用卡欠5000元", "zzlender 信用卡欠 zzamount"),
        ("网贷欠了两万块", "网贷欠了 zzamount"),
        ("信用卡逾期90天会怎样", "信用卡逾期 zzduration 会怎样"),
    ],
)
def test_lenders_amounts_and_durations_become_placeholders(text, expected):
    assert with_placeholders(text) == expected


def test_kinds_of_debt_and_everyday_words_stay_as_they_are():
    assert with_placeholders("我住在建设路，欠了信用卡和网贷") == "我住在建设路，欠了信用卡和网贷"


def test_a_phone_number_is_a_phone_not_an_amount():
    assert with_placeholders("13812345678一直打给我") == "zzphone 一直打给我"
    assert with_placeholders("95555天天打电话") == "zzphone 天天打电话"


def test_dates_are_one_placeholder():
    assert with_placeholders("2024年3月5日开始逾期") == "zzdate 开始逾期"
    assert with_placeholders("说3月5号前必须还清") == "说 zzdate 前必须还清"


def test_a_text_without_figures_or_names_is_unchanged():
    assert with_placeholders("催收骂我怎么办") == "催收骂我怎么办"
    assert with_placeholders("") == ""


def test_the_word_tokenizer_keeps_each_placeholder_whole():
    words = jieba.lcut(with_placeholders("借呗欠我3万，13812345678天天打"))
    assert {"zzlender", "zzamount", "zzphone"} <= set(words)
