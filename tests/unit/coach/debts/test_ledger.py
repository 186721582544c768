"""The list of debts changes only by a named operation, and every change is said."""

from coach.debts.intake import debts_from_mentions, read_debts
from coach.debts.ledger import change_from_message, describe, says_reset

RIDER = "欠了美团借钱1万 借呗2万 还有分期乐8000"


def held(text=RIDER):
    return debts_from_mentions(read_debts(text))


def balances(change):
    return [debt.balance for debt in change.debts]


def test_income_and_expenses_after_a_list_are_no_new_debts():
    for question, answer in (("monthly_income", "5000"), ("monthly_expenses", "3000")):
        assert change_from_message(answer, held(), question) is None


def test_months_in_english_are_no_debt_of_two_yuan():
    assert change_from_message("逾期2 months", held(), "months_overdue") is None


def test_a_named_lender_is_added_whatever_the_question():
    change = change_from_message("还有招行信用卡1万5", held(), "monthly_income")
    assert balances(change) == [10000, 20000, 8000, 15000]
    assert change.lines == ("加上：招行信用卡欠款15000元（信用卡）",)


def test_an_unnamed_amount_is_a_debt_only_while_the_debt_is_asked_and_said_to_be_one():
    assert change_from_message("还欠了一笔2万", held(), "months_overdue") is None
    change = change_from_message("还欠了一笔2万", held(), "balance")
    assert balances(change) == [10000, 20000, 8000, 20000]


def test_a_correction_changes_that_debt_in_place_and_says_so():
    change = change_from_message("借呗是3万", held(), "monthly_income")
    assert balances(change) == [10000, 30000, 8000]
    assert change.lines == ("改成：借呗欠款30000元（网贷）",)


def test_removing_a_debt_keeps_every_other_lender_type():
    before = held("招行信用卡2万 借呗3万 建行房贷10万")
    change = change_from_message("删掉借呗", before, None)
    assert [(d.label, d.lender_type) for d in change.debts] == [
        ("招行信用卡", "credit_card"),
        ("建行房贷", "bank_loan"),
    ]
    assert change.lines == ("删掉：借呗欠款30000元（网贷）",)


def test_reset_words_clear_the_list_or_replace_it_with_the_one_named():
    assert all(says_reset(text) for text in ("就一笔", "重来", "都删了"))
    cleared = change_from_message("都删了", held(), "months_overdue")
    assert cleared.reset and cleared.debts == ()
    one = change_from_message("不对，就一笔，招行信用卡4万8", held(), "months_overdue")
    assert balances(one) == [48000]


def test_principal_and_claimed_total_are_one_debt_with_both_amounts():
    for text in ("说欠了两万多 连本带息要五万", "本金2万，连本带息要5万"):
        (debt,) = debts_from_mentions(read_debts(text))
        assert (debt.balance, debt.claimed_total) == (20000, 50000)
        assert "方案按本金20000元算" in describe(debt) and "连本带息50000元" in describe(debt)


def test_a_correction_with_the_wage_beside_it_is_one_debt():
    (debt,) = debts_from_mentions(read_debts("不对 欠的是4万8 一万二是我工资"))
    assert debt.balance == 48000


def test_the_first_list_needs_two_debts():
    assert change_from_message("招行2万", [], "balance") is None
    assert balances(change_from_message("招行2万 借呗3万", [], "balance")) == [20000, 30000]
