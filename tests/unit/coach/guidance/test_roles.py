"""Who is asking, and what each role is told and given to say (issue 23 item 3)."""

import re

import pytest

from coach.guidance.roles import read_role, role_answer, role_question, role_script

# The debtor's admission, wherever it stands (不是我借的 is no admission).
DEBTOR_ADMISSION = re.compile(r"(?<!不)是我(欠|借)的|我愿意还|我会还")


@pytest.mark.parametrize(
    "text, role",
    [
        ("催收天天打我电话，说我儿子信用卡欠了钱，我该怎么办", "family"),
        ("我女儿借了网贷，现在打到我这里来了", "family"),
        ("我老公背着我借了好几个网贷", "spouse"),
        ("我媳妇信用卡逾期了，催收找我", "spouse"),
        ("我给朋友做了担保，现在他不还了找我", "guarantor"),
        ("我是担保人，要我还吗", "guarantor"),
        ("我欠了招行两万，催收说要打给我家人", "debtor"),
        ("你们别打我家人了", None),
        ("我妈身体不好", None),
        ("催收员打电话骂我，还给我女儿单位打电话。", None),
        ("那帮人给我老婆打电话骂她！", None),
        ("我老公背着我借了网贷，不是我借的", "spouse"),
    ],
)
def test_the_role_is_read_from_the_message(text, role):
    assert read_role(text) == role


@pytest.mark.parametrize("role", ["family", "spouse", "guarantor"])
def test_a_non_debtor_is_never_given_the_debtors_admission(role):
    said = (role_script(role) or "") + (role_answer(role) or "")
    assert said and not DEBTOR_ADMISSION.search(said)


def test_a_family_member_is_told_it_is_not_their_debt_and_asks_to_stop_calls():
    assert "不是我借的" in role_script("family") and "不要再打给我" in role_script("family")
    assert "一般不用你还" in role_answer("family")


def test_a_guarantor_learns_the_guarantee_binds_within_its_terms_and_period():
    answer = role_answer("guarantor")
    assert "不是你的债" not in answer and "不能简单说" in answer
    assert all(word in answer for word in ("第681条", "一般保证", "连带责任保证", "6个月", "12348"))


def test_a_spouse_gets_the_rule_on_debts_in_one_spouses_name_not_identity_theft():
    answer = role_answer("spouse")
    assert "第1064条" in answer and "不是盗用你的身份" in answer
    assert "报案" not in answer


def test_the_debtor_has_no_role_script_here_and_the_question_offers_every_role():
    assert role_script("debtor") is None and role_answer("debtor") is None
    text, buttons = role_question()
    assert text and {'"user_role":"guarantor"' in b["payload"] for b in buttons} == {True, False}
    assert len(buttons) == 4
