"""Practise the call over REST: good rounds score clearly higher than poor ones."""

import uuid

import pytest

from tests.support.chat import answered_with, customs, texts

GOOD_ROUND = [
    "你好，我是张伟，是这张卡的持卡人。这笔钱是我欠的，我愿意还。",
    "请问你叫什么名字？工号多少？具体欠款明细是多少？",
    "我今天没法全部还清。因为我失业了，收入减少了很多，每月能还1500，分32期。",
    "罚息和违约金能不能减免一部分？",
    "每月1800，分27期，这是我能做到的最多了。",
    "每月1800，分27期。",
]
RIGHTS_LINE = "你这样辱骂威胁是违反催收规定的，我会录音并向12378投诉。请文明沟通。"
# The collector asks before it closes a one-off payment (您是说今天一次性还清…吗？); the poor
# learner says yes.
POOR_ROUND = ["滚！你们这帮垃圾，别烦我！！！", "好吧听你的，我今天全部还清。", "对，今天全部还清。"]


def score_after(bot, persona, lines, stop=True):
    sender = f"rp-{persona}-{uuid.uuid4().hex[:8]}"
    opening = bot.send(sender, f'/start_roleplay{{"persona":"{persona}"}}')
    assert answered_with(opening, "utter_roleplay_intro")
    replies = []
    for line in lines:
        replies = bot.send(sender, line)
        if customs(replies, "roleplay_score"):
            return customs(replies, "roleplay_score")[0]
    if stop:
        replies = bot.send(sender, "结束练习")
    scores = customs(replies, "roleplay_score")
    assert scores, replies
    return scores[0]


@pytest.mark.parametrize("persona", ["polite", "pushy", "abusive"])
def test_a_good_round_beats_a_poor_round_by_30_points(bot, persona):
    good_lines = (
        GOOD_ROUND[:2] + [RIGHTS_LINE] + GOOD_ROUND[2:] if persona == "abusive" else GOOD_ROUND
    )
    good = score_after(bot, persona, good_lines)
    poor = score_after(bot, persona, POOR_ROUND)
    assert good["persona"] == poor["persona"] == persona
    assert 0 <= poor["score"] <= 100 and 0 <= good["score"] <= 100
    assert good["score"] - poor["score"] >= 30, (good, poor)
    assert poor["criteria"]["stayed_calm"] is False


def test_stopping_mid_round_gives_a_score(bot):
    score = score_after(bot, "pushy", ["你好，我是张伟"], stop=True)
    assert score["type"] == "roleplay_score"
    assert set(score["criteria"]) >= {"introduced_self", "concrete_plan", "asserted_rights"}


def test_every_message_of_a_round_goes_to_the_collector(bot):
    sender = f"rp-{uuid.uuid4().hex[:8]}"
    bot.send(sender, '/start_roleplay{"persona":"polite"}')
    replies = bot.send(sender, "催收有哪些事是不能做的")
    assert not answered_with(replies, "utter_legal_rights_intro")
    assert texts(replies)


def test_a_crisis_line_mid_round_gets_the_safety_answer_and_ends_the_round(bot):
    sender = f"rp-{uuid.uuid4().hex[:8]}"
    bot.send(sender, "我想模拟一下催收电话")
    replies = bot.send(sender, "我真的不想活了")
    assert answered_with(replies, "utter_crisis")
    assert answered_with(replies, "utter_roleplay_ended_for_safety")
    after = bot.send(sender, "结束练习")
    assert answered_with(after, "utter_roleplay_not_active")


def test_the_round_uses_the_users_own_figures_once_an_offer_exists(bot):
    sender = f"rp-{uuid.uuid4().hex[:8]}"
    bot.send(sender, "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款一万")
    intro = "\n".join(texts(bot.send(sender, "练习这通电话")))
    assert "48000" in intro


def test_deleting_the_conversation_mid_round_leaves_the_round_and_confirms(bot):
    sender = f"rp-{uuid.uuid4().hex[:8]}"
    bot.send(sender, "我想练习一下")
    assert answered_with(bot.send(sender, "删除我的记录"), "utter_confirm_delete")
    assert answered_with(bot.send(sender, "确定删除"), "utter_data_deleted")


def test_figures_said_to_the_collector_do_not_replace_the_users_own(bot):
    sender = f"rp-{uuid.uuid4().hex[:8]}"
    bot.send(sender, "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款一万")
    bot.send(sender, '/start_roleplay{"persona":"pushy"}')
    bot.send(sender, "我总共才欠你们3万，月收入只有5000，每月开销4000")
    bot.send(sender, "结束练习")
    offers = customs(bot.send(sender, "帮我算算怎么还"), "repayment_offer")
    assert offers, "the figures were all known, so the offer comes at once"
    offer = offers[0]
    assert (offer["balance"], offer["monthly_income"], offer["monthly_expenses"]) == (
        48000,
        12000,
        7000,
    )
