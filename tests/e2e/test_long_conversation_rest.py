"""A conversation long enough that the policies and the action server see only its recent
part (addons/patches/history_window.py): what was said at the start still counts."""

import uuid

from addons.patches.history_window import LONG_CONVERSATION
from tests.support.chat import answered_with, customs

QUESTION = "催收员为什么老是给我打电话，他们是银行的人吗"


def test_figures_given_at_the_start_fill_the_form_two_hundred_events_later(bot):
    sender = f"long-{uuid.uuid4().hex[:10]}"
    bot.send(sender, "我欠招行信用卡5万，逾期三个月")
    for _ in range(LONG_CONVERSATION // 4):  # each question turn adds 4 or more events
        assert bot.send(sender, QUESTION)
    assert answered_with(bot.send(sender, "帮我算算怎么还"), "utter_ask_monthly_income")
    assert answered_with(bot.send(sender, "9000"), "utter_ask_monthly_expenses")
    assert answered_with(bot.send(sender, "五千五"), "utter_ask_lump_sum")
    offers = customs(bot.send(sender, "没有"), "repayment_offer")
    assert len(offers) == 1
    offer = offers[0]
    assert offer["balance"] == 50000 and offer["lender_type"] == "credit_card"
    assert (offer["opening_monthly"], offer["opening_term_months"]) == (1800, 28)
