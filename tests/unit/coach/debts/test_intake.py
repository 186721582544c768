"""Specification of how several debts, the budget and edits are read from a message.

The messages are typed the way people type in a chat: colloquial, with typos, full-width
digits and traditional characters, amounts as 2w, 1.5万, 8k, 八千, 两万五.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.debts.intake import (
    Budget,
    DebtEdit,
    DebtMention,
    apply_edit,
    debt_from_mention,
    debts_from_mentions,
    debts_understood,
    read_budget,
    read_debts,
    read_edit,
)
from coach.debts.model import Debt

CC, LOAN, ONLINE, OTHER = "credit_card", "bank_loan", "online_lender", "other"

FIVE_DEBTS = "招行2w 建行1.5w 广发8k 借呗3w 网贷5000，一个月只能拿出3000"

# (message, [(label, lender_type, balance), ...]) in the order the debts were named.
DEBTS = [
    # the brief's examples
    (
        FIVE_DEBTS,
        [
            ("招行", CC, 20000),
            ("建行", CC, 15000),
            ("广发", CC, 8000),
            ("借呗", ONLINE, 30000),
            ("网贷", ONLINE, 5000),
        ],
    ),
    (
        "欠了三张信用卡，招商的两万，建设的一万五，还有花呗八千",
        [("招商", CC, 20000), ("建设", CC, 15000), ("花呗", ONLINE, 8000)],
    ),
    ("还有一笔：微粒贷1万，逾期4个月", [("微粒贷", ONLINE, 10000)]),
    ("借呗那笔是3万不是2万", [("借呗", ONLINE, 30000)]),
    ("招行信用卡月息1.5%", [("招行信用卡", CC, None)]),
    ("房贷也逾期了，银行已经起诉判决了", [("房贷", LOAN, None)]),
    # two unnamed card debts, not one summed debt
    ("一张2万一张3万", [("", CC, 20000), ("", CC, 30000)]),
    ("两张卡，一张欠2万，一张欠3万", [("", CC, 20000), ("", CC, 30000)]),
    # one debt, amounts in every usual form
    ("我就欠了5万", [("", OTHER, 50000)]),
    ("欠招行两万多", [("招行", CC, 20000)]),
    ("花呗欠了3000块", [("花呗", ONLINE, 3000)]),
    ("借呗2.5w", [("借呗", ONLINE, 25000)]),
    ("白条8k", [("白条", ONLINE, 8000)]),
    ("网贷十万", [("网贷", ONLINE, 100000)]),
    ("信用卡欠了五千", [("信用卡", CC, 5000)]),
    ("欠了八千块钱", [("", OTHER, 8000)]),
    ("欠朋友1万", [("朋友", OTHER, 10000)]),
    ("京东金条三千元", [("京东金条", ONLINE, 3000)]),
    ("中国建设银行信用卡欠款¥12,000", [("中国建设银行信用卡", CC, 12000)]),
    ("欠了高利贷3万", [("高利贷", OTHER, 30000)]),
    ("360借条欠了6000", [("360借条", ONLINE, 6000)]),
    ("邮储的信用卡4万8，逾期半年了", [("邮储信用卡", CC, 48000)]),
    ("欠了十万左右", [("", OTHER, 100000)]),
    ("借了2万还剩1万", [("", OTHER, 10000)]),
    # full-width digits, traditional characters, chat abbreviations and typos
    ("招行２ｗ，借唄３萬", [("招行", CC, 20000), ("借呗", ONLINE, 30000)]),
    (
        "欠了招商銀行兩萬五，還有花唄八千",
        [("招商银行", CC, 25000), ("花呗", ONLINE, 8000)],
    ),
    ("xyk欠了2万", [("信用卡", CC, 20000)]),
    ("hb 3000 jb 2w", [("花呗", ONLINE, 3000), ("借呗", ONLINE, 20000)]),
    ("欠款總額：招行20000，建行15000", [("招行", CC, 20000), ("建行", CC, 15000)]),
    ("信用咔欠了1w2", [("信用卡", CC, 12000)]),
    # lender after the amount, each, totals and breakdowns
    ("2万的招行，3万的建行", [("招行", CC, 20000), ("建行", CC, 30000)]),
    ("还有3万网贷", [("网贷", ONLINE, 30000)]),
    ("1w 白条5k", [("", OTHER, 10000), ("白条", ONLINE, 5000)]),
    ("招行建行各2万", [("招行", CC, 20000), ("建行", CC, 20000)]),
    (
        "兴业、光大、华夏的卡各欠一万",
        [("兴业", CC, 10000), ("光大", CC, 10000), ("华夏卡", CC, 10000)],
    ),
    (
        "总共欠了8万，其中招行5万，建行3万",
        [("招行", CC, 50000), ("建行", CC, 30000)],
    ),
    ("一共欠了7万多", [("", OTHER, 70000)]),
    # products and types
    (
        "工行消费贷10万，车贷还欠8万",
        [("工行消费贷", LOAN, 100000), ("车贷", LOAN, 80000)],
    ),
    (
        "美团借钱5000 度小满1.2万 分期乐3k",
        [("美团借钱", ONLINE, 5000), ("度小满", ONLINE, 12000), ("分期乐", ONLINE, 3000)],
    ),
    (
        "招联金融2万，马上消费金融1万，安逸花5000",
        [("招联金融", ONLINE, 20000), ("马上消费金融", ONLINE, 10000), ("安逸花", ONLINE, 5000)],
    ),
    ("建行的房贷还欠40万", [("建行房贷", LOAN, 400000)]),
    ("农行贷款5万", [("农行贷款", LOAN, 50000)]),
    (
        "欠了平安银行2万，还欠民生银行1万5",
        [("平安银行", CC, 20000), ("民生银行", CC, 15000)],
    ),
    (
        "浦发信用卡38000元；中信信用卡两万",
        [("浦发信用卡", CC, 38000), ("中信信用卡", CC, 20000)],
    ),
    ("信用卡额度5万，欠了3万", [("信用卡", CC, 30000)]),
    ("借呗每月利息300，本金2万", [("借呗", ONLINE, 20000)]),
    # numbers that are not money owed
    ("逾期3个月", []),
    ("2023年借的", []),
    ("卡尾号1234", []),
    ("催收的工号8866，态度很差", []),
    ("尾号1234的招行卡欠了2万", [("招行卡", CC, 20000)]),
    ("手机号13812345678，欠招行2万", [("招行", CC, 20000)]),
    ("2023.5借的借呗，欠3万", [("借呗", ONLINE, 30000)]),
    ("收入8000", []),
    ("存款2万", []),
    ("一个月只能拿出3000", []),
    ("借了2万实际到账只有1.4万", [("", OTHER, 20000)]),
    # negations
    ("广发的不算，招行2万", [("招行", CC, 20000)]),
    ("没有网贷，就招行信用卡欠3万", [("招行信用卡", CC, 30000)]),
    ("没有网贷", []),
    ("广发8k已经还清了，建行1.5w", [("建行", CC, 15000)]),
    ("不是借呗，是花呗3000", [("花呗", ONLINE, 3000)]),
    ("我没借过网贷，只有信用卡", []),
    ("广发和建行都不算，借呗3万", [("借呗", ONLINE, 30000)]),
    # words that look like lenders or debts but are not
    ("心理建设做好了，欠了5万", [("", OTHER, 50000)]),
    ("我在平安上班，工资6000，欠了平安普惠5万", [("平安普惠", ONLINE, 50000)]),
    ("催收说要起诉我，还说要上门", []),
    ("我欠了大概七八万", []),  # a range is no figure (money.py): the form asks again
    ("携程拿去花3000，美团生活费2000", [("携程拿去花", ONLINE, 3000), ("美团生活费", ONLINE, 2000)]),
    ("中信1万1，360借条1000", [("中信", CC, 11000), ("360借条", ONLINE, 1000)]),
    # totals over several, refinements, monthly sums
    ("网贷有好几个，加起来大概6万，最大的是借呗3万", [("借呗", ONLINE, 30000)]),
    ("借了拍拍贷5000，到手4000，现在要还6000", [("拍拍贷", ONLINE, 6000)]),
    (
        "房贷每月3000，车贷每月2000，信用卡欠了5万",
        [("房贷", LOAN, None), ("车贷", LOAN, None), ("信用卡", CC, 50000)],
    ),
    ("2万的招行和3万的建行", [("招行", CC, 20000), ("建行", CC, 30000)]),
]


def _triples(mentions):
    return [(m.label, m.lender_type, m.balance) for m in mentions]


@pytest.mark.parametrize(("text", "expected"), DEBTS)
def test_reads_every_debt_in_order(text, expected):
    assert _triples(read_debts(text)) == expected


def test_the_five_debt_message_adds_up_and_keeps_the_budget_apart():
    debts = read_debts(FIVE_DEBTS)
    assert len(debts) == 5
    assert sum(d.balance for d in debts) == 78000
    assert read_budget(FIVE_DEBTS).affordable == 3000


# (message, index of the debt, field, value): the details said for one debt.
DETAILS = [
    ("还有一笔：微粒贷1万，逾期4个月", 0, "months_overdue", 4),
    ("邮储的信用卡4万8，逾期半年了", 0, "months_overdue", 6),
    ("招行2万逾期3个月，建行1万逾期5个月", 0, "months_overdue", 3),
    ("招行2万逾期3个月，建行1万逾期5个月", 1, "months_overdue", 5),
    ("招行2万，建行1万，都逾期半年了", 0, "months_overdue", 6),
    ("招行2万，建行1万，都逾期半年了", 1, "months_overdue", 6),
    ("逾期3个月的招行2万", 0, "months_overdue", 3),
    ("借呗3万，两个月没还了", 0, "months_overdue", 2),
    ("招行信用卡月息1.5%", 0, "monthly_rate", 0.015),
    ("年化18%的网贷3万", 0, "monthly_rate", 0.015),
    ("信用卡2万，日息万五", 0, "monthly_rate", 0.015),
    ("借呗3万，日利率0.05%", 0, "monthly_rate", 0.015),
    ("高利贷3万，月息3分", 0, "monthly_rate", 0.03),
    ("网贷5000，年利率百分之二十四", 0, "monthly_rate", 0.02),
    ("房贷也逾期了，银行已经起诉判决了", 0, "judgment", True),
    ("房贷也逾期了，银行已经起诉判决了", 0, "secured", True),
    ("欠农行贷款5万，已经被法院判决了，现在强制执行", 0, "judgment", True),
    ("催收说要起诉我，招行欠2万", 0, "judgment", False),
    ("招行2万，建行被起诉了，欠1万", 1, "judgment", True),
    ("招行2万，建行被起诉了，欠1万", 0, "judgment", False),
    ("车贷还欠8万", 0, "secured", True),
    ("房子抵押贷款30万", 0, "secured", True),
    ("房贷月供3000，还欠50万", 0, "required_monthly", 3000),
    ("欠招行两万多", 0, "approximate", True),
    ("网贷大概5万左右", 0, "approximate", True),
    ("招行2万", 0, "approximate", False),
    ("工行的卡欠了5万已经被起诉了，法院判了，农行的还好只有1万", 0, "judgment", True),
    ("工行的卡欠了5万已经被起诉了，法院判了，农行的还好只有1万", 1, "judgment", False),
    ("分了24期，每期还1200，借的是度小满", 0, "required_monthly", 1200),
    ("房贷每月3000，车贷每月2000，信用卡欠了5万", 1, "required_monthly", 2000),
    ("信用卡分期了12期，每期还1500，还剩1万8", 0, "balance", 18000),
    ("招行2万", 0, "months_overdue", None),
    ("建设的一万五", 0, "lender", "建设银行"),
    ("建行1.5w", 0, "lender", "建设银行"),
]


@pytest.mark.parametrize(("text", "index", "field", "value"), DETAILS)
def test_reads_the_details_of_each_debt(text, index, field, value):
    mention = read_debts(text)[index]
    actual = getattr(mention, field)
    assert actual == (pytest.approx(value) if isinstance(value, float) else value)


# (message, affordable, income, expenses, savings)
BUDGETS = [
    (FIVE_DEBTS, 3000, None, None, None),
    ("一个月只能拿出3000", 3000, None, None, None),
    ("每月能还1500", 1500, None, None, None),
    ("每个月最多能还两千", 2000, None, None, None),
    ("收入8000，房租2000，存款2万", None, 8000, 2000, 20000),
    ("月薪6k，每月开销四千五，每个月最多能还2000", 2000, 6000, 4500, None),
    ("没有存款，工资到手5000", None, 5000, None, 0),
    ("我一次能拿出3万", None, None, None, 30000),
    ("欠招行2万", None, None, None, None),
    ("欠了5万，一个月能还1500", 1500, None, None, None),
    ("收入八千，招行2万，建行1万", None, 8000, None, None),
    ("月入壹萬，每月能挤出兩千", 2000, 10000, None, None),
]


@pytest.mark.parametrize(("text", "affordable", "income", "expenses", "savings"), BUDGETS)
def test_reads_the_budget_apart_from_the_debts(text, affordable, income, expenses, savings):
    assert read_budget(text) == Budget(affordable, income, expenses, savings)


@pytest.mark.parametrize(("text", "_a", "_i", "_e", "_s"), BUDGETS[1:8])
def test_budget_figures_are_never_debts(text, _a, _i, _e, _s):
    assert read_debts(text) == []


# --- Edits on a list the user already gave ----------------------------------------------

EXISTING = [
    Debt("d1", "招商", CC, 20000),
    Debt("d2", "建设银行", CC, 15000),
    Debt("d3", "广发", CC, 8000),
    Debt("d4", "借呗", ONLINE, 20000),
    Debt("d5", "网贷", ONLINE, 5000),
]


# (message, removed ids, {id: {field: value}} corrected, [(label, balance)] added, unknown)
EDITS = [
    ("还有一笔：微粒贷1万，逾期4个月", (), {}, [("微粒贷", 10000)], ()),
    ("花呗也欠了5000", (), {}, [("花呗", 5000)], ()),
    ("还有一张招行的卡，欠1万", (), {}, [("招行卡", 10000)], ()),
    ("删掉建行那笔", ("d2",), {}, [], ()),
    ("刪掉建行那筆", ("d2",), {}, [], ()),
    ("广发的已经还清了", ("d3",), {}, [], ()),
    ("建设那个不算", ("d2",), {}, [], ()),
    ("删除第二笔", ("d2",), {}, [], ()),
    ("把第5笔去掉", ("d5",), {}, [], ()),
    ("删掉工行那笔", (), {}, [], ("工行",)),
    ("广发和建行都删掉", ("d3", "d2"), {}, [], ()),
    ("没有广发和建行", ("d3", "d2"), {}, [], ()),
    ("删掉最后一笔", ("d5",), {}, [], ()),
    ("第一笔逾期3个月，第二笔逾期5个月", (), {"d1": {"months_overdue": 3}, "d2": {"months_overdue": 5}}, [], ()),
    ("还有个花呗忘了说，5000", (), {}, [("花呗", 5000)], ()),
    ("招行其实是2万5", (), {"d1": {"balance": 25000}}, [], ()),
    ("借呗那笔是3万不是2万", (), {"d4": {"balance": 30000}}, [], ()),
    ("借呗是3w", (), {"d4": {"balance": 30000}}, [], ()),
    ("网贷其实是8000", (), {"d5": {"balance": 8000}}, [], ()),
    ("建设银行那个是一万八", (), {"d2": {"balance": 18000}}, [], ()),
    ("不对，第三笔是9千", (), {"d3": {"balance": 9000}}, [], ()),
    ("建行逾期5个月", (), {"d2": {"months_overdue": 5}}, [], ()),
    ("招行信用卡月息1.5%", (), {"d1": {"monthly_rate": 0.015}}, [], ()),
    (
        "招行逾期3个月，借呗逾期2个月",
        (),
        {"d1": {"months_overdue": 3}, "d4": {"months_overdue": 2}},
        [],
        (),
    ),
    ("广发被起诉了", (), {"d3": {"judgment": True}}, [], ()),
    (
        "删掉建行，借呗改成3万",
        ("d2",),
        {"d4": {"balance": 30000}},
        [],
        (),
    ),
    (
        "信用卡都逾期半年了",
        (),
        {"d1": {"months_overdue": 6}, "d2": {"months_overdue": 6}, "d3": {"months_overdue": 6}},
        [],
        (),
    ),
]


@pytest.mark.parametrize(("text", "removed", "corrected", "added", "unknown"), EDITS)
def test_reads_edits_on_the_list(text, removed, corrected, added, unknown):
    edit = read_edit(text, EXISTING)
    assert edit is not None
    assert edit.removed == removed
    changes = {
        debt.id: {
            field: getattr(debt, field)
            for field in ("balance", "months_overdue", "monthly_rate", "judgment")
            if getattr(debt, field) != getattr(_by_id(debt.id), field)
        }
        for debt in edit.corrected
    }
    assert changes == {
        debt_id: {k: pytest.approx(v) for k, v in fields.items()}
        for debt_id, fields in corrected.items()
    }
    assert [(m.label, m.balance) for m in edit.added] == added
    assert edit.unknown == unknown


def _by_id(debt_id):
    return next(debt for debt in EXISTING if debt.id == debt_id)


@pytest.mark.parametrize(
    "text",
    [
        "好的",
        "收入8000",
        "一个月只能拿出3000",
        "嗯嗯，就这些",
        "招行的催收天天打电话",
        "招商2万",
        "招行那张卡我想一次还清",
        "借呗还没还清",
    ],
)
def test_no_edit_when_nothing_changes(text):
    assert read_edit(text, EXISTING) is None


def test_a_fact_without_a_lender_goes_to_the_only_debt():
    edit = read_edit("逾期4个月了", [Debt("d1", "借呗", ONLINE, 20000)])
    assert edit is not None
    assert [(d.id, d.months_overdue) for d in edit.corrected] == [("d1", 4)]


def test_judgment_reaches_the_mortgage_named_before_the_bank():
    debts = [Debt("d1", "招行", CC, 20000), Debt("d2", "房贷", LOAN, 400000, secured=True)]
    edit = read_edit("房贷也逾期了，银行已经起诉判决了", debts)
    assert edit is not None
    assert [(d.id, d.judgment) for d in edit.corrected] == [("d2", True)]


def test_edit_kind_names_what_changed():
    assert read_edit("删掉建行那笔", EXISTING).kind == "remove"
    assert read_edit("借呗是3万", EXISTING).kind == "correct"
    assert read_edit("花呗也欠了5000", EXISTING).kind == "add"
    assert read_edit("删掉建行，借呗改成3万", EXISTING).kind == "mixed"


def test_apply_edit_keeps_ids_stable_and_numbers_new_debts_after_the_last():
    edit = DebtEdit(
        added=(DebtMention("微粒贷", ONLINE, 10000),),
        removed=("d2",),
        corrected=(Debt("d4", "借呗", ONLINE, 30000),),
    )
    after = apply_edit(EXISTING, edit)
    assert [(d.id, d.label, d.balance) for d in after] == [
        ("d1", "招商", 20000),
        ("d3", "广发", 8000),
        ("d4", "借呗", 30000),
        ("d5", "网贷", 5000),
        ("d6", "微粒贷", 10000),
    ]


def test_apply_edit_skips_an_added_debt_whose_balance_is_unknown():
    edit = DebtEdit(added=(DebtMention("工行", CC, None),))
    assert apply_edit(EXISTING, edit) == list(EXISTING)


def test_debts_from_mentions_numbers_them_and_keeps_the_details():
    debts = debts_from_mentions(read_debts("招行2万逾期3个月，房贷月供3000，欠50万"))
    assert debts == [
        Debt("d1", "招行", CC, 20000, months_overdue=3),
        Debt("d2", "房贷", LOAN, 500000, secured=True, required_monthly=3000),
    ]


def test_debts_from_mentions_continues_after_existing_ids():
    debts = debts_from_mentions(read_debts("花呗3000"), EXISTING)
    assert [d.id for d in debts] == ["d6"]


def test_debt_from_mention_needs_a_balance():
    with pytest.raises(ValueError):
        debt_from_mention(DebtMention("工行", CC, None), "d1")


def test_mentions_are_immutable():
    mention = read_debts("招行2万")[0]
    with pytest.raises(AttributeError):
        mention.balance = 1


# --- What the form shows back -----------------------------------------------------------


def test_understood_lists_each_debt_and_the_total():
    text = debts_understood(debts_from_mentions(read_debts(FIVE_DEBTS)))
    assert text.startswith("我记下了5笔：①招行（信用卡）20000元")
    assert "④借呗（网贷）30000元" in text
    assert "一共78000元" in text
    assert "删掉" in text


def test_understood_names_unnamed_debts_by_their_type_and_shows_details():
    debts = [
        Debt("d1", "", CC, 20000),
        Debt("d2", "房贷", LOAN, 400000, months_overdue=2, judgment=True, secured=True),
    ]
    text = debts_understood(debts)
    assert "①信用卡20000元" in text
    assert "逾期2个月" in text
    assert "一共420000元" in text


def test_understood_with_no_debts_asks_for_them():
    assert "笔" not in debts_understood([])[:4]
    assert debts_understood([])


# --- Property: generated lists round-trip ------------------------------------------------

NAMED = {
    "招行": CC,
    "建行": CC,
    "工行": CC,
    "农行": CC,
    "中行": CC,
    "交行": CC,
    "广发": CC,
    "浦发": CC,
    "中信": CC,
    "光大": CC,
    "民生": CC,
    "兴业": CC,
    "华夏": CC,
    "邮储": CC,
    "招商银行": CC,
    "招商": CC,
    "建设": CC,
    "平安银行": CC,
    "中国银行": CC,
    "浦发信用卡": CC,
    "农行的卡": CC,
    "借呗": ONLINE,
    "花呗": ONLINE,
    "微粒贷": ONLINE,
    "京东白条": ONLINE,
    "京东金条": ONLINE,
    "美团月付": ONLINE,
    "360借条": ONLINE,
    "分期乐": ONLINE,
    "度小满": ONLINE,
    "招联": ONLINE,
    "安逸花": ONLINE,
    "网贷": ONLINE,
    "工行信用卡": CC,
    "建行贷款": LOAN,
    "车贷": LOAN,
    "信用卡": CC,
    "高利贷": OTHER,
    "朋友": OTHER,
}
CN = "零一两三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def amounts(draw):
    """A balance and one of the ways people write it."""
    value = draw(st.integers(1, 990)) * 1000
    forms = [f"{value}", f"{value}元", f"{value}块", f"{value // 1000}k"]
    if value % 10000 == 0:
        forms += [f"{value // 10000}万", f"{value // 10000}w", f"{value // 10000}W"]
    elif value > 10000:
        forms += [f"{value / 10000:g}万", f"{value // 10000}万{value % 10000 // 1000}"]
    if value < 100000 and value >= 10000:
        wan, qian = divmod(value // 1000, 10)
        forms.append(CN[wan] + "万" + (CN[qian] if qian else ""))
    if value < 10000:
        forms.append(CN[value // 1000] + "千")
    text = draw(st.sampled_from(forms))
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    if draw(st.booleans()):
        text = text.replace("两", "兩").replace("万", "萬")
    return value, text


@st.composite
def phrases(draw):
    label = draw(st.sampled_from(sorted(NAMED)))
    value, amount = draw(amounts())
    shapes = ["{l}{a}", "{l}欠{a}", "欠{l}{a}", "{l}的{a}", "{a}的{l}", "{l}那笔{a}"]
    shapes += ["{l}：{a}", "{l}还欠{a}", "欠了{l}{a}", "{l} {a}", "{l}是{a}"]
    shape = draw(st.sampled_from(shapes))
    return label, value, shape.format(l=label, a=amount)


@settings(max_examples=400, deadline=None)
@given(
    items=st.lists(phrases(), min_size=1, max_size=6, unique_by=lambda item: item[0]),
    separator=st.sampled_from([" ", "，", "、", "；", ", ", "。", "，还有", "\n", "，另外", "和"]),
    opening=st.sampled_from(["", "我欠了", "情况是这样：", "收入8000，", "逾期3个月了，"]),
    closing=st.sampled_from(["", "，一个月只能拿出3000", "。收入8000"]),
)
def test_generated_lists_round_trip(items, separator, opening, closing):
    text = opening + separator.join(phrase for _, _, phrase in items) + closing
    expected = [(label.replace("的", ""), NAMED[label], value) for label, value, _ in items]
    assert _triples(read_debts(text)) == expected
    if closing.endswith("3000"):
        assert read_budget(text).affordable == 3000


@settings(max_examples=100, deadline=None)
@given(items=st.lists(phrases(), min_size=2, max_size=5, unique_by=lambda item: item[0]))
def test_removing_any_named_debt_removes_exactly_that_one(items):
    text = "，".join(phrase for _, _, phrase in items)
    debts = debts_from_mentions(read_debts(text))
    for debt in debts:
        edit = read_edit(f"删掉{debt.label}那笔", debts)
        assert edit is not None and edit.removed == (debt.id,)


MESSAGE_PIECES = st.sampled_from(
    [
        *NAMED,
        "欠",
        "了",
        "的",
        "，",
        "、",
        " ",
        "还有",
        "第二笔",
        "删掉",
        "不算",
        "没有",
        "都",
        "逾期",
        "3个月",
        "月息",
        "1.5%",
        "日息万五",
        "起诉",
        "一共",
        "各",
        "剩下",
        "月供",
        "能还",
        "收入",
        "不是",
        "2万",
        "8k",
        "两万五",
        "3000",
        "一张",
        "三张",
        "尾号",
        "1234",
        "2023.5",
        "多",
        "左右",
        "。",
    ]
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(MESSAGE_PIECES, max_size=20), noise=st.text(max_size=10))
def test_any_message_reads_without_error_and_balances_are_positive(pieces, noise):
    text = "".join(pieces) + noise
    mentions = read_debts(text)
    assert all(m.balance is None or m.balance > 0 for m in mentions)
    assert all(m.lender_type in (CC, LOAN, ONLINE, OTHER) for m in mentions)
    read_budget(text)
    edit = read_edit(text, EXISTING)
    if edit is not None:
        after = apply_edit(EXISTING, edit)
        assert len({d.id for d in after}) == len(after)
