"""Specification of how the figures of a debt situation are found in a message."""

import itertools

import pytest

from coach.figures.extract import Figure, extract_figures, last_of_each_kind

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


# --- Figures that must never be silently wrong --------------------------------------------

MONEY_KINDS = {"balance", "monthly_income", "monthly_expenses", "lump_sum", "amount"}

# 1. Discounts and percentages are not amounts: they give no money figure at all.
DISCOUNTS = [
    ("打5折", []),
    ("七折", []),
    ("打个八五折", []),
    ("减免30%", []),
    ("百分之二十", []),
    ("催收说可以打5折，一次性还清", []),
    ("能不能给我打个7.5折", []),
    ("平台同意减免利息的50％", [("lender_type", "online_lender")]),
    ("最多只能減免百分之三十", []),
    ("說可以打個六折", []),
    ("减免百分之 25 的利息", []),
    ("减免三成", []),
    ("打5折的话我能一次拿出2万", [("lump_sum", 20000)]),
    ("本金4w，减免40%", [("balance", 40000)]),
]

# 2. Money paid out by a lender is "received", not income; salary paid out stays income.
RECEIVED = [
    ("借了2万实际到账只有1.4万", [("balance", 20000), ("received", 14000)]),
    ("放款14000", [("received", 14000)]),
    ("到手才一万二（砍头息）", [("received", 12000)]),
    (
        "网贷借了3万，到账才2.4万",
        [("lender_type", "online_lender"), ("balance", 30000), ("received", 24000)],
    ),
    ("借款合同写5万，实际拿到4万2", [("balance", 50000), ("received", 42000)]),
    ("平台放款八千，说是扣了服务费", [("lender_type", "online_lender"), ("received", 8000)]),
    ("借了1万，到手只有7000，砍头息太狠了", [("balance", 10000), ("received", 7000)]),
    ("下款5000到賬3500", [("received", 5000), ("received", 3500)]),
    (
        "借唄借了2w 實際到手1.6w",
        [("lender_type", "online_lender"), ("balance", 20000), ("received", 16000)],
    ),
    ("工资到手5000", [("monthly_income", 5000)]),
    ("每月到手六千", [("monthly_income", 6000)]),
    ("每個月到手六千", [("monthly_income", 6000)]),
    (
        "工资到账8000，借了网贷3万",
        [("monthly_income", 8000), ("lender_type", "online_lender"), ("balance", 30000)],
    ),
    (
        "到手6000，欠信用卡3万",
        [("monthly_income", 6000), ("lender_type", "credit_card"), ("balance", 30000)],
    ),
]

# 3. Time without work, wages or health is a hardship, not months overdue.
HARDSHIP = [
    ("三个月没工作", [("hardship_duration", 3)]),
    ("失业半年了", [("hardship_duration", 6)]),
    ("两个月没发工资", [("hardship_duration", 2)]),
    ("病了三个月", [("hardship_duration", 3)]),
    ("公司欠了我三个月工资", [("hardship_duration", 3)]),
    ("老板拖了两个月工资没发", [("hardship_duration", 2)]),
    ("疫情期间停工了半年", [("hardship_duration", 6)]),
    ("住院一个多月，逾期两个月了", [("hardship_duration", 1), ("months_overdue", 2)]),
    (
        "失業半年，信用卡逾期三個月",
        [("hardship_duration", 6), ("lender_type", "credit_card"), ("months_overdue", 3)],
    ),
    ("没工作三个月了，也三个月没还款了", [("hardship_duration", 3), ("months_overdue", 3)]),
    ("逾期三个月", [("months_overdue", 3)]),
    ("三个月没还了", [("months_overdue", 3)]),
    ("拖了三个月", [("months_overdue", 3)]),
    ("三個月沒還了", [("months_overdue", 3)]),
    ("失业后三个月没还", [("months_overdue", 3)]),
    ("欠了三个月房租", [("hardship_duration", 3)]),
    ("一个月工资8000", [("monthly_income", 8000)]),
    ("一个月房租两千，逾期一个月", [("monthly_expenses", 2000), ("months_overdue", 1)]),
]

# 4. Several separate debts: one balance, the sum, carrying its parts in order.
SEVERAL_DEBTS = [
    (
        "招行2w 建行1.5w 广发8k 借呗3w 网贷5000，一个月只能拿出3000",
        78000,
        [("招行", 20000), ("建行", 15000), ("广发", 8000), ("借呗", 30000), ("网贷", 5000)],
    ),
    ("欠招行信用卡3万，还有借呗2万", 50000, [("招行信用卡", 30000), ("借呗", 20000)]),
    (
        "花唄欠了8000，京東白條5000，另外欠朋友1萬",
        23000,
        [("花唄", 8000), ("京東白條", 5000), ("朋友", 10000)],
    ),
    ("网贷5000和信用卡2万", 25000, [("网贷", 5000), ("信用卡", 20000)]),
    (
        "信用卡2w，网贷1.5w，欠亲戚5k",
        40000,
        [("信用卡", 20000), ("网贷", 15000), ("亲戚", 5000)],
    ),
    ("建行房贷欠30万，车贷欠8万", 380000, [("建行房贷", 300000), ("车贷", 80000)]),
    ("欠了朋友2万 还欠网贷3万", 50000, [("朋友", 20000), ("网贷", 30000)]),
    (
        "招商银行2.5w、广发1w、美团借钱6000",
        41000,
        [("招商银行", 25000), ("广发", 10000), ("美团借钱", 6000)],
    ),
    ("中信信用卡1万，浦发信用卡2万", 30000, [("中信信用卡", 10000), ("浦发信用卡", 20000)]),
    ("欠建行3万和招行2万，逾期两个月", 50000, [("建行", 30000), ("招行", 20000)]),
    ("花呗 2k 借呗 1w 白条5k", 17000, [("花呗", 2000), ("借呗", 10000), ("白条", 5000)]),
    (
        "我欠了安逸花八千 度小满一万二 360借条五千",
        25000,
        [("安逸花", 8000), ("度小满", 12000), ("360借条", 5000)],
    ),
    ("借了朋友2万，信用卡还有3万没还", 50000, [("朋友", 20000), ("信用卡", 30000)]),
    ("我有两张卡，招行的欠2万，建行的欠1万", 30000, [("招行", 20000), ("建行", 10000)]),
    (
        "负债如下：1. 浦发信用卡38000元；2. 兴业信用卡21000元；3. 月收入税后9500元",
        59000,
        [("浦发信用卡", 38000), ("兴业信用卡", 21000)],
    ),
    (
        "招行欠2萬，逾期三個月，網貸欠1萬",
        30000,
        [("招行", 20000), ("網貸", 10000)],
    ),
    (
        "招行2万，建行1万，不对，建行是1.5万",
        35000,
        [("招行", 20000), ("建行", 15000)],
    ),
]

# ... and where one balance stands: the total keeps the parts only when they add up to it.
ONE_BALANCE = [
    ("借了2万还剩1万", 10000, []),
    ("网贷借了3万，现在还剩2万", 20000, []),
    ("招行2w，建行3w，一共5w", 50000, [("招行", 20000), ("建行", 30000)]),
    ("招行2w，建行3w，加起来一共6w", 60000, []),
    ("一共欠8万，其中招行5万，建行3万", 80000, []),
    ("总共欠8万：招行5万，建行3万", 80000, []),
    ("總共欠8萬，招行5萬，建行3萬", 80000, []),
    ("招行2万，建行1万，不对，是3万", 30000, []),
    ("借呗借了3万，借呗还剩2万", 20000, []),
    ("招行5万 建行3万 总共8万 不对 建行是4万", 90000, [("招行", 50000), ("建行", 40000)]),
    ("还有3万网贷", 30000, []),
    ("借了5万，还有3万没还", 30000, []),
    ("招行借了5万，还有3万没还", 30000, []),
]

# 5. A correction replaces the figure it names; the old value does not survive.
CORRECTIONS = [
    ("不对 总共是5万", [("balance", 50000)]),
    ("不对，收入是八千不是六千", [("monthly_income", 8000)]),
    ("错了 欠的是三万二", [("balance", 32000)]),
    ("刚才说错了，开销4000", [("monthly_expenses", 4000)]),
    ("收入6000，不对，是8000", [("monthly_income", 8000)]),
    ("收入不是六千，是八千", [("monthly_income", 8000)]),
    ("不對，開銷是3000不是4000", [("monthly_expenses", 3000)]),
    ("欠款是5万，哦不对，应该是4万8", [("balance", 48000)]),
    ("月收入8k，說錯了，是6k", [("monthly_income", 6000)]),
    ("存款2万，不是，存款只有1万5", [("lump_sum", 15000)]),
    ("房租2000加生活费1500，不对，生活费是1000", [("monthly_expenses", 3000)]),
    ("欠了5万，逾期3个月，不对，欠的是6万", [("months_overdue", 3), ("balance", 60000)]),
    ("我说错了，不是2w，是2.5w", [("amount", 25000)]),
]


def _expected(pairs):
    return [
        (kind, pytest.approx(value) if isinstance(value, int | float) else value)
        for kind, value in pairs
    ]


def _spans_are_exact(text, figures):
    return all(text[f.start : f.end] == f.text for f in figures)


@pytest.mark.parametrize(("text", "expected"), DISCOUNTS)
def test_discounts_and_percentages_are_no_money(text, expected):
    figures = extract_figures(text)
    assert _pairs(figures) == _expected(expected)
    money_texts = [f.text for f in figures if f.kind in MONEY_KINDS]
    assert not any("折" in t or "%" in t or "％" in t for t in money_texts)


@pytest.mark.parametrize(("text", "expected"), RECEIVED)
def test_money_paid_out_by_a_lender_is_not_income(text, expected):
    figures = extract_figures(text)
    assert _pairs(figures) == _expected(expected)
    assert _spans_are_exact(text, figures)


@pytest.mark.parametrize(("text", "expected"), HARDSHIP)
def test_time_without_work_or_wages_is_not_months_overdue(text, expected):
    figures = extract_figures(text)
    assert _pairs(figures) == _expected(expected)
    assert _spans_are_exact(text, figures)


@pytest.mark.parametrize(("text", "total", "parts"), SEVERAL_DEBTS)
def test_several_debts_make_one_balance_with_its_parts(text, total, parts):
    figures = extract_figures(text)
    balances = [f for f in figures if f.kind == "balance"]
    assert len(balances) == 1
    [balance] = [f for f in last_of_each_kind(figures) if f.kind == "balance"]
    assert balance.value == pytest.approx(total)
    assert [(label, value) for label, value in balance.parts] == _expected(parts)
    assert _spans_are_exact(text, figures)


@pytest.mark.parametrize(("text", "value", "parts"), ONE_BALANCE)
def test_a_remainder_total_or_correction_is_the_one_balance(text, value, parts):
    [balance] = [f for f in last_of_each_kind(extract_figures(text)) if f.kind == "balance"]
    assert balance.value == pytest.approx(value)
    assert list(balance.parts) == _expected(parts)


def test_what_one_can_pay_next_to_several_debts_fills_no_slot():
    text = "招行2w 建行1.5w 广发8k 借呗3w 网贷5000，一个月只能拿出3000"
    kinds = _pairs(last_of_each_kind(extract_figures(text)))
    assert kinds == _expected(
        [("balance", 78000), ("lender_type", "online_lender"), ("amount", 3000)]
    )
    assert _pairs(extract_figures("一个月只能拿出3000")) == [("amount", 3000)]


def test_summed_debts_span_from_the_first_debt_to_the_last():
    text = "欠招行信用卡3万，还有借呗2万"
    [balance] = [f for f in extract_figures(text) if f.kind == "balance"]
    assert balance.text == "3万，还有借呗2万"


@pytest.mark.parametrize(("text", "expected"), CORRECTIONS)
def test_a_correction_replaces_the_figure_it_names(text, expected):
    figures = extract_figures(text)
    assert _pairs(last_of_each_kind(figures)) == _expected(expected)
    assert _spans_are_exact(text, figures)


# --- issue 23: figures in other people's words -------------------------------------------


def test_the_wage_named_after_its_amount_is_income_not_a_second_debt():
    kinds = [(f.kind, f.value) for f in extract_figures("不对 欠的是4万8 一万二是我工资")]
    assert kinds == [("balance", 48000.0), ("monthly_income", 12000.0)]


def test_a_claimed_total_is_not_summed_into_the_balance():
    kinds = [(f.kind, f.value) for f in extract_figures("说欠了两万多 连本带息要五万")]
    assert kinds == [("balance", 20000.0), ("claimed_total", 50000.0)]
