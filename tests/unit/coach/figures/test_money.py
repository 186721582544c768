"""Specification of how amounts and durations are read from Chinese chat text."""

import pytest

from coach.figures.money import (
    AMOUNT,
    DURATION,
    find_amounts,
    find_durations,
    find_numbers,
    parse_amount,
    parse_months,
    parse_number,
)

AMOUNTS = [
    # plain digits and separators
    ("50000", 50000),
    ("50,000", 50000),
    ("¥8,000", 8000),
    ("￥8000", 8000),
    ("RMB 3000", 3000),
    ("５０００", 5000),
    ("５，０００元", 5000),
    ("5，000", 5000),
    ("收入8000，300给房租", 8000),
    ("1,234,567", 1234567),
    ("0", 0),
    ("0.5万", 5000),
    # units and currency words
    ("5万", 50000),
    ("1.2万元", 12000),
    ("2.5w", 25000),
    ("2.5W", 25000),
    ("3k", 3000),
    ("3K", 3000),
    ("3千块", 3000),
    ("5000元", 5000),
    ("5000块钱", 5000),
    ("5000 元", 5000),
    ("五百块", 500),
    ("五块", 5),
    # Chinese numerals
    ("五万", 50000),
    ("十万", 100000),
    ("一百二十万", 1200000),
    ("八千五百", 8500),
    ("两千五百万", 25000000),
    ("一亿二千万", 120000000),
    ("一万零五百", 10500),
    ("一百零八元", 108),
    ("零", 0),
    ("叁仟元", 3000),
    # spoken abbreviations
    ("两万五", 25000),
    ("一万二", 12000),
    ("八千五", 8500),
    ("三百五", 350),
    ("4万8", 48000),
    ("4万800", 40800),
    ("1万5千", 15000),
    ("1万5", 15000),
    ("3万5千2", 35200),
    ("一万零五", 10005),
    # approximate floors
    ("三千多", 3000),
    ("两万多", 20000),
    ("30多万", 300000),
    ("三十多万", 300000),
    ("五百来块", 500),
    # inside sentences: the first amount counts
    ("我欠了5万，收入8000", 50000),
    ("工资到手六千五", 6500),
    ("一次性能拿出3万", 30000),
    ("每月能还1500", 1500),
    ("两万五一个月", 25000),
    ("逾期三个月，欠了两万", 20000),
    ("存款为零", 0),
    ("收入8000到手", 8000),
    # signs and sizes are reported as they are; plausibility judges them
    ("-5000", -5000),
    ("负5000", -5000),
    ("－5000", -5000),
    ("99999999999999", 99999999999999),
    # traditional characters read like simplified ones
    ("兩萬五", 25000),
    ("五百塊", 500),
    ("三千塊錢", 3000),
    ("欠了5萬，逾期三個月", 50000),
    # a big amount before 折 is still money (折腾, 折算)
    ("借了5万折腾了半年", 50000),
]

NOT_AMOUNTS = [
    "",
    "很多",
    "不知道",
    "一些",
    "几千",
    "好几万",
    "十几万",
    "几十万",
    "两三万",
    "三四千",
    "3-5千",
    "三到五万",
    "abc",
    "3个月",
    "三个多月",
    "半年",
    "90天",
    "3张卡",
    "第3期",
    "30%",
    "3月5号",
    "2023年借的",
    "一共",
    "十分困难",
    "一分钱都拿不出",
    "我有一点钱",
    "万一还不上怎么办",
    "星期三再说",
    # discounts and percentages
    "打5折",
    "打个7.5折",
    "85折",
    "百分之30",
    "百分之 30",
    "减免30 %",
    "打個六折",
    "幾千",
    "兩三萬",
]

DURATIONS = [
    ("3个月", 3),
    ("3 个月", 3),
    ("三个月", 3),
    ("两个月", 2),
    ("三个多月", 3),
    ("十个月", 10),
    ("十多个月", 10),
    ("一个半月", 1.5),
    ("半个月", 0.5),
    ("半年", 6),
    ("一年", 12),
    ("一年多", 12),
    ("一年半", 18),
    ("两年", 24),
    ("两年半", 30),
    ("1.5年", 18),
    ("90天", 3),
    ("45天", 1.5),
    ("十多天", 0.33),
    ("2周", 0.5),
    ("两个星期", 0.5),
    ("逾期三个月了", 3),
    ("欠了5万，拖了半年", 6),
    ("三個月", 3),
    ("兩個多月", 2),
    ("一個禮拜", 0.25),
    ("兩週", 0.5),
]

NOT_DURATIONS = [
    "",
    "3",
    "5万",
    "2023年",
    "每月",
    "几个月",
    "好几年",
    "3到5个月",
    "周岁",
    "幾個月",
]


@pytest.mark.parametrize(("text", "yuan"), AMOUNTS)
def test_reads_the_first_amount_in_yuan(text, yuan):
    assert parse_amount(text) == pytest.approx(yuan)


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_vague_junk_and_durations_are_not_amounts(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize(("text", "months"), DURATIONS)
def test_reads_the_first_duration_in_months(text, months):
    assert parse_months(text) == pytest.approx(months)


@pytest.mark.parametrize("text", NOT_DURATIONS)
def test_texts_without_a_clear_duration_give_none(text):
    assert parse_months(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("欠了4万8", [(AMOUNT, 48000, "4万8")]),
        ("¥8,000", [(AMOUNT, 8000, "¥8,000")]),
        ("-5000", [(AMOUNT, -5000, "-5000")]),
        ("三千多", [(AMOUNT, 3000, "三千多")]),
        ("1.2万元", [(AMOUNT, 12000, "1.2万元")]),
        ("逾期三个多月", [(DURATION, 3, "三个多月")]),
        ("八千五一个月", [(AMOUNT, 8500, "八千五"), (DURATION, 1, "一个月")]),
        ("两万一个月", [(AMOUNT, 20000, "两万"), (DURATION, 1, "一个月")]),
        ("一张2万一张3万", [(AMOUNT, 20000, "2万"), (AMOUNT, 30000, "3万")]),
        ("十五个月", [(DURATION, 15, "十五个月")]),
        ("打5折，本金兩萬", [(AMOUNT, 20000, "兩萬")]),
        ("欠了5万本金", [(AMOUNT, 50000, "5万")]),
        ("借了3万分12期还", [(AMOUNT, 30000, "3万")]),
        ("网贷八千分期乐六千", [(AMOUNT, 8000, "八千"), (AMOUNT, 6000, "六千")]),
        ("安逸花八千 度小满一万二", [(AMOUNT, 8000, "八千"), (AMOUNT, 12000, "一万二")]),
        ("五千家里要用", [(AMOUNT, 5000, "五千")]),
        (
            "负债如下：1. 浦发信用卡38000元；2、兴业21000",
            [(AMOUNT, 38000, "38000元"), (AMOUNT, 21000, "21000")],
        ),
        ("欠了50.", [(AMOUNT, 50, "50")]),
        (
            "欠5万，逾期90天，收入８０００",
            [(AMOUNT, 50000, "5万"), (DURATION, 3, "90天"), (AMOUNT, 8000, "８０００")],
        ),
    ],
)
def test_every_number_keeps_its_kind_and_exact_span(text, expected):
    found = find_numbers(text)
    assert [(m.kind, m.value, m.text) for m in found] == expected
    assert all(text[m.start : m.end] == m.text for m in found)


def test_amounts_and_durations_are_listed_separately_in_text_order():
    text = "借了3万，拖了两年，现在还剩1万5"
    assert [m.value for m in find_amounts(text)] == [30000, 15000]
    assert [m.value for m in find_durations(text)] == [24]


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("一百二十万", 1200000),
        ("4万8", 48000),
        ("2.5w", 25000),
        ("十五", 15),
        ("两三万", None),
        ("欠5万", None),
    ],
)
def test_parse_number_reads_a_bare_number_expression(expression, value):
    assert parse_number(expression) == value


def test_traditional_characters_keep_their_offsets():
    [match] = find_numbers("欠了兩萬五塊")
    assert (match.start, match.end, match.text) == (2, 6, "兩萬五塊")


def test_a_range_dash_after_a_digit_is_not_a_minus_sign():
    assert parse_amount("2000-3000") is None
