"""From "帮我算算怎么还" to a repayment offer, over the REST channel."""

import uuid

from tests.support.chat import answered_with, customs, payloads, texts
from tests.support.offer_invariants import assert_offer_invariants


def new_sender() -> str:
    return f"offer-{uuid.uuid4().hex[:10]}"


def chat(bot, sender, *lines):
    replies = []
    for line in lines:
        replies = bot.send(sender, line)
    return replies


def the_offer(replies) -> dict:
    offers = customs(replies, "repayment_offer")
    assert len(offers) == 1, replies
    return offers[0]


def test_the_form_asks_one_figure_at_a_time_and_ends_with_an_offer(bot):
    sender = new_sender()
    assert answered_with(bot.send(sender, "帮我算算怎么还"), "utter_ask_balance")
    assert answered_with(bot.send(sender, "5万"), "utter_ask_lender_type")
    assert answered_with(
        bot.send(sender, '/inform_finances{"lender_type":"credit_card"}'),
        "utter_ask_months_overdue",
    )
    assert answered_with(bot.send(sender, "三个月"), "utter_ask_monthly_income")
    assert answered_with(bot.send(sender, "9000"), "utter_ask_monthly_expenses")
    assert answered_with(bot.send(sender, "五千五"), "utter_ask_lump_sum")
    replies = bot.send(sender, "没有")
    offer = the_offer(replies)
    assert_offer_invariants(offer)
    assert (offer["opening_monthly"], offer["opening_term_months"]) == (1800, 28)
    assert (offer["ceiling_monthly"], offer["ceiling_term_months"]) == (2600, 20)
    assert any("1800" in text and "2600" in text for text in texts(replies))
    assert "/ask_negotiation_script" in payloads(replies)


def test_all_figures_in_the_first_message_give_the_offer_at_once(bot):
    replies = bot.send(new_sender(), "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款一万")
    offer = the_offer(replies)
    assert_offer_invariants(offer)
    assert offer["balance"] == 48000 and offer["lender_type"] == "credit_card"
    assert offer["monthly_income"] == 12000 and offer["monthly_expenses"] == 7000


def test_a_correction_recomputes_the_offer(bot):
    sender = new_sender()
    first = the_offer(bot.send(sender, "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款一万"))
    second = the_offer(bot.send(sender, "不对，收入是一万"))
    assert second["monthly_income"] == 10000
    assert second["ceiling_monthly"] < first["ceiling_monthly"]
    assert_offer_invariants(second)


def test_unclear_and_absurd_answers_are_re_asked_without_losing_figures(bot):
    sender = new_sender()
    chat(bot, sender, "帮我算算怎么还", "5万")
    assert answered_with(
        bot.send(sender, '/inform_finances{"lender_type":"online_lender"}'),
        "utter_ask_months_overdue",
    )
    assert answered_with(bot.send(sender, "两个月"), "utter_ask_monthly_income")
    unclear = bot.send(sender, "很多")
    assert answered_with(unclear, "utter_ask_monthly_income")
    assert any("看懂" in text for text in texts(unclear))
    negative = bot.send(sender, "-5000")
    assert answered_with(negative, "utter_ask_monthly_income")
    replies = chat(bot, sender, "8000", "6000", "0")
    offer = the_offer(replies)
    assert offer["balance"] == 50000 and offer["lender_type"] == "online_lender"


def test_leaving_the_form_and_coming_back_keeps_the_figures(bot):
    sender = new_sender()
    chat(bot, sender, "帮我算算怎么还", "欠了6万")
    assert answered_with(bot.send(sender, "算了，不想说了"), "utter_form_paused")
    back = bot.send(sender, "帮我算一下方案")
    assert answered_with(back, "utter_ask_lender_type")


def test_a_crisis_line_in_the_middle_of_the_form_is_answered_first(bot):
    sender = new_sender()
    chat(bot, sender, "帮我算算怎么还")
    replies = bot.send(sender, "我真的撑不下去了，不想活了")
    assert answered_with(replies, "utter_crisis")
    assert not answered_with(replies, "utter_ask_balance")


def test_nothing_left_each_month_gives_honest_advice_not_a_plan(bot):
    replies = bot.send(new_sender(), "我欠网贷3万，逾期两个月，月收入五千，每月必要开销六千，存款没有")
    offer = the_offer(replies)
    assert offer["feasible"] is False
    assert_offer_invariants(offer)


def test_the_script_uses_the_users_own_figures_after_the_offer(bot):
    sender = new_sender()
    bot.send(sender, "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款一万")
    script = "\n".join(texts(bot.send(sender, "那我具体该怎么跟催收说分期")))
    assert "48000" in script and "【每月金额】" not in script


def test_asking_to_change_a_figure_without_one_asks_which(bot):
    sender = new_sender()
    bot.send(sender, "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款一万")
    replies = bot.send(sender, "/inform_finances")
    assert answered_with(replies, "utter_ask_which_figure")
    assert not customs(replies, "repayment_offer")
