"""Several debts over the REST channel: one message with five debts to one plan."""

import uuid

from tests.support.chat import customs, texts
from tests.support.offer_invariants import assert_debt_plan_invariants, assert_offer_invariants

FIVE_DEBTS = "招行2w 建行1.5w 广发8k 借呗3w 网贷5000，一个月只能拿出3000"


def new_sender() -> str:
    return f"debts-{uuid.uuid4().hex[:10]}"


def the_plan(replies) -> dict:
    plans = customs(replies, "debt_plan")
    assert len(plans) == 1, replies
    return plans[0]


def test_five_debts_in_one_message_give_one_plan_for_all_of_them(bot):
    sender = new_sender()
    first = bot.send(sender, FIVE_DEBTS)
    assert any("78000" in text for text in texts(first))
    bot.send(sender, "都逾期两个多月了")
    plan = the_plan(bot.send(sender, "没有存款"))
    assert_debt_plan_invariants(plan)
    assert [debt["balance"] for debt in plan["debts"]] == [20000, 15000, 8000, 30000, 5000]
    assert sum(debt["balance"] for debt in plan["debts"]) == 78000


def test_how_to_split_is_answered_with_the_users_own_figures(bot):
    sender = new_sender()
    for line in (FIVE_DEBTS, "逾期两个月", "没有"):
        bot.send(sender, line)
    answer = "\n".join(texts(bot.send(sender, "这3000怎么分给这五家")))
    assert "比例" in answer and "借呗" in answer and "想改哪个数字" not in answer


def test_removing_a_debt_gives_a_new_plan_without_it(bot):
    sender = new_sender()
    for line in (FIVE_DEBTS, "逾期两个月", "没有"):
        bot.send(sender, line)
    plan = the_plan(bot.send(sender, "删掉建行那笔"))
    assert_debt_plan_invariants(plan)
    assert "建行" not in [debt["label"] for debt in plan["debts"]]


def test_one_debt_still_gets_a_single_offer(bot):
    replies = bot.send(new_sender(), "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款一万")
    assert not customs(replies, "debt_plan")
    assert_offer_invariants(customs(replies, "repayment_offer")[0])
