"""Practise the call over REST: good rounds score clearly higher than poor ones; the coach
beside the call (hints, questions, distress, a crisis) and the learner's controls (the menu,
drills, replays, one of several debts, an unfinished form kept)."""

import uuid

import pytest

from tests.support.chat import answered_with, customs, payloads, texts

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


def test_a_question_said_to_the_collector_stays_in_the_round(bot):
    # Only a question asked of the coach (教练…, 我该怎么办) pauses the round.
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
    menu = bot.send(sender, "练习这通电话")
    assert answered_with(menu, "utter_choose_persona")
    intro = "\n".join(texts(bot.send(sender, '/start_roleplay{"persona":"pushy"}')))
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


# --- the coach beside the call and the learner's controls (issue 17) -------------------

OWN_FIGURES = "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款一万"
THREE_DEBTS = "招行2w 建行1.5w 借呗3w，一个月只能拿出3000"


def new_sender() -> str:
    return f"rp-{uuid.uuid4().hex[:8]}"


def joined(replies) -> str:
    return "\n".join(texts(replies))


def no_practice_button(replies) -> bool:
    return not [p for p in payloads(replies) if p.startswith("/start_roleplay")]


def test_a_hint_uses_the_learners_own_figures_and_the_collector_waits(bot):
    sender = new_sender()
    offer = customs(bot.send(sender, OWN_FIGURES), "repayment_offer")[0]
    bot.send(sender, '/start_roleplay{"persona":"pushy"}')
    hint = bot.send(sender, "提示")
    (text,) = texts(hint)  # the hint alone: the collector takes no turn
    assert text.startswith("【教练】提示")
    assert str(offer["opening_monthly"]) in text and str(offer["ceiling_monthly"]) in text
    turn = bot.send(sender, "您好，我是借款人本人，这笔钱我会还。")
    assert texts(turn) and not joined(turn).startswith("【教练】")


def test_a_question_for_the_coach_pauses_and_the_round_resumes(bot):
    sender = new_sender()
    opening = bot.send(sender, '/start_roleplay{"persona":"pushy"}')
    last_line = texts(opening)[-1]
    replies = bot.send(sender, "教练，我有哪些权利")
    said = texts(replies)
    assert answered_with(replies, "utter_roleplay_coach_aside")
    assert answered_with(replies, "utter_legal_rights_intro")
    assert said[-1] == f"回到练习：{last_line}"
    # The round goes on: the next line is the learner's first turn.
    bot.send(sender, "你好，我是张伟，这笔钱是我欠的，我愿意还。")
    score = customs(bot.send(sender, "结束练习"), "roleplay_score")[0]
    assert len(score["turns"]) == 1  # the question for the coach was no turn of the call


def test_distress_steps_out_and_a_milder_collector_plays_the_same_case(bot):
    sender = new_sender()
    bot.send(sender, OWN_FIGURES)
    bot.send(sender, '/start_roleplay{"persona":"abusive"}')
    out = bot.send(sender, "我好害怕，心一直在跳")
    assert answered_with(out, "utter_roleplay_step_out")
    assert not customs(out, "roleplay_score")
    milder = next(p for p in payloads(out) if "milder" in p)
    intro = joined(bot.send(sender, milder))
    assert "礼貌型" in intro and "48000" in intro and "轻松" in intro


def test_a_crisis_ends_the_round_and_no_practice_button_follows(bot):
    sender = new_sender()
    bot.send(sender, '/start_roleplay{"persona":"pushy"}')
    replies = bot.send(sender, "我真的不想活了")
    assert answered_with(replies, "utter_roleplay_ended_for_safety")
    assert answered_with(replies, "utter_crisis")
    assert joined(replies).index("练习先停下来") < joined(replies).index("12356")
    assert no_practice_button(replies)
    for line in ("结束练习", "提示", "谢谢你"):
        after = bot.send(sender, line)
        assert texts(after) and no_practice_button(after), (line, after)
        assert not customs(after, "roleplay_score")


def test_a_plain_start_shows_the_menu_and_a_typed_choice_starts(bot):
    sender = new_sender()
    menu = bot.send(sender, "练习一通催收电话")
    assert answered_with(menu, "utter_choose_persona")
    assert answered_with(menu, "utter_roleplay_options")
    assert '/start_roleplay{"persona":"outsourced"}' in payloads(menu)
    harder = bot.send(sender, "难一点")
    assert "困难" in joined(harder)
    intro = joined(bot.send(sender, "外包的"))
    assert "外包催收员" in intro and "困难" in intro


def test_a_goal_drill_says_whether_the_goal_was_reached(bot):
    sender = new_sender()
    intro = joined(bot.send(sender, '/start_roleplay{"roleplay_goal":"freeze"}'))
    assert "练习目标：停息挂账" in intro
    for line in (
        "你好，我是借款人本人，这笔钱我会还。",
        "因为我生病做了手术，半年没上班，我想申请停息挂账",
        "每月能还800，分50期",
    ):
        bot.send(sender, line)
    score = customs(bot.send(sender, "结束练习"), "roleplay_score")[0]
    assert score["goal"]["key"] == "freeze" and score["goal"]["reached"] is True


def test_a_replay_from_turn_two_repeats_what_the_collector_said_then(bot):
    sender = new_sender()
    bot.send(sender, '/start_roleplay{"persona":"pushy"}')
    first = texts(bot.send(sender, "你好，我是张伟，这笔钱我会还"))[-1]
    bot.send(sender, "好吧听你的，我今天全部还清。")
    replay = texts(bot.send(sender, "从第2句重来"))
    assert "第2句" in replay[0] and replay[-1] == first


def test_practice_with_one_of_several_debts(bot):
    sender = new_sender()
    for line in (THREE_DEBTS, "逾期两个月"):
        bot.send(sender, line)
    plan = customs(bot.send(sender, "没有"), "debt_plan")[0]
    jiebei = next(debt for debt in plan["debts"] if debt["label"] == "借呗")
    which = bot.send(sender, "练习这通电话")
    assert answered_with(which, "utter_roleplay_which_debt")
    titles = [b["title"] for m in which for b in m.get("buttons", [])]
    assert titles == ["招行（20000元）", "建行（15000元）", "借呗（30000元）"]
    chosen = next(b["payload"] for m in which for b in m["buttons"] if b["title"].startswith("借呗"))
    intro = joined(bot.send(sender, chosen))
    assert "借呗" in intro and "30000" in intro and f"{jiebei['monthly']}元" in intro
    assert "外包催收员" in intro  # an online lender's debt gets the outsourced collector
    hint = joined(bot.send(sender, "提示"))
    assert f"开价每月{jiebei['opening_monthly']}元" in hint
    assert f"最多每月{jiebei['monthly']}元" in hint


def test_the_figures_of_an_unfinished_form_are_kept_and_the_form_resumes(bot):
    sender = new_sender()
    bot.send(sender, "帮我算算怎么还")
    bot.send(sender, "5万")
    menu = bot.send(sender, "练习一通催收电话")
    assert answered_with(menu, "utter_choose_persona")
    intro = joined(bot.send(sender, '/start_roleplay{"persona":"polite"}'))
    assert "50000" in intro
    bot.send(sender, "我总共才欠你们3万")
    after = bot.send(sender, "结束练习")
    assert answered_with(after, "utter_roleplay_resume_form")
    resumed = bot.send(sender, "/request_repayment_plan")
    assert "50000" in joined(resumed) and answered_with(resumed, "utter_ask_lender_type")
