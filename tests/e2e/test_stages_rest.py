"""The coach over its REST channel: the menu, each guide stage, the safety answer."""

import statistics
import time
import uuid

import pytest

from coach.content import load_content
from tests.support.chat import STAGE_FIRST_INTENTS, answered_with, payloads, texts

STAGE_QUESTIONS = [
    ("催收员为什么老是给我打电话，他们是银行的人吗", "utter_collector_role"),
    ("他们接下来会怎么催，会起诉我吗", "utter_collection_process"),
    ("一接到催收电话我就慌得手抖", "utter_express_anxiety"),
    ("通话的时候怎么让自己冷静下来", "utter_stay_calm"),
    ("我该怎么查清楚到底欠了多少", "utter_debt_details"),
    ("每次催收打来要怎么做记录", "utter_record_keeping"),
    ("还款压力太大了晚上睡不着", "utter_express_stress"),
    ("心里很难受可以找谁聊聊", "utter_emotional_support"),
    ("还清以后怎么规划才不会再欠钱", "utter_future_planning"),
    ("催收骂我还打电话给我爸妈", "utter_report_abuse"),
]

# A frightened user's "what will happen to me" questions get the rules of their topic.
CONSEQUENCE_QUESTIONS = [
    ("欠钱不还会坐牢吗", "冒充公安、法院"),
    ("征信会不会受影响", "保存5年"),
    ("他们会不会联系我家人", "不得透露欠款"),
    ("催收会上门吗", "110"),
]


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"


def test_greeting_offers_next_steps(bot):
    replies = bot.send(new_sender(), "你好")
    assert answered_with(replies, "utter_greet")
    assert "/request_repayment_plan" in payloads(replies)


def test_the_menu_lists_all_eight_stages(bot):
    replies = bot.send(new_sender(), "你都能帮我做什么")
    assert answered_with(replies, "utter_help")
    assert set(STAGE_FIRST_INTENTS) <= set(payloads(replies))


@pytest.mark.parametrize("question,response", STAGE_QUESTIONS)
def test_each_stage_question_gets_its_answer(bot, question, response):
    assert answered_with(bot.send(new_sender(), question), response)


def test_stage_five_gives_sentences_to_say(bot):
    replies = bot.send(new_sender(), "电话接通后第一句话该怎么说")
    assert replies and all(texts(replies))


def test_rights_answer_carries_the_legal_note_once(bot):
    sender = new_sender()
    first = bot.send(sender, "催收有哪些行为是违规的")
    second = bot.send(sender, "法律上怎么保护我")
    assert answered_with(first, "utter_legal_note")
    assert not answered_with(second, "utter_legal_note")


def test_a_crisis_line_gets_the_hotlines(bot):
    replies = bot.send(new_sender(), "我不想活了")
    reply = "\n".join(texts(replies))
    assert answered_with(replies, "utter_crisis")
    assert "12356" in reply and "110" in reply and "120" in reply


def clarifying(replies) -> bool:
    """The two-stage fallback's first step: two guesses in words, then "都不是"."""
    question = load_content("clarify")["question"]
    return any(message.get("text") == question for message in replies) and (
        payloads(replies)[-1] == "/out_of_scope"
    )


def test_gibberish_gets_a_clarifying_question_or_the_menu_not_a_guess(bot):
    replies = bot.send(new_sender(), "qwzx plmo zzkv ???")
    assert (
        clarifying(replies)
        or answered_with(replies, "utter_ask_rephrase")
        or answered_with(replies, "utter_out_of_scope")
    )


def test_neither_guess_leads_to_the_menu_and_a_clear_question_is_then_answered(bot):
    sender = new_sender()
    assert clarifying(bot.send(sender, "qwzx plmo zzkv ???"))
    assert answered_with(bot.send(sender, "/out_of_scope"), "utter_ask_rephrase")
    assert answered_with(bot.send(sender, "催收员为什么老是给我打电话"), "utter_collector_role")


def test_choosing_a_guess_answers_the_question_it_names(bot):
    sender = new_sender()
    replies = bot.send(sender, "那个…他们这样到底算不算那个")
    assert clarifying(replies), "a vague line gets the guesses"
    first_guess = payloads(replies)[0]
    answer = bot.send(sender, first_guess)
    assert texts(answer) and not clarifying(answer)


def test_after_a_crisis_reply_thanks_get_a_gentle_answer_without_the_plan_menu(bot):
    sender = new_sender()
    assert answered_with(bot.send(sender, "我真的撑不下去了，不想活了"), "utter_crisis")
    replies = bot.send(sender, "谢谢你")
    assert "12356" in "\n".join(texts(replies))
    assert not {"/request_repayment_plan", "/start_roleplay", "/ask_help"} & set(payloads(replies))


ADVICE_QUESTIONS = [
    ("催收让我把钱转到他个人微信上，说能少还点，靠谱吗", "官方"),
    ("收到短信说法院已经立案，让我点链接查看，真的假的", "12368"),
    ("有人拿我身份证在网贷借了钱，现在天天催我，这钱不是我借的", "派出所"),
    ("我老公背着我借的网贷，催收找我要，我得还吗", "共同"),
    ("你帮我做个假的病历，我拿去跟银行说没钱", "不"),
]


@pytest.mark.parametrize("question,must_say", ADVICE_QUESTIONS)
def test_advice_questions_get_the_rule_that_applies(bot, question, must_say):
    reply = "\n".join(texts(bot.send(new_sender(), question)))
    assert must_say in reply and "· " in reply


def test_round_trip_latency_of_a_100_message_chat(bot, record_property):
    sender = new_sender()
    lines = [question for question, _ in STAGE_QUESTIONS] * 10
    durations = []
    for line in lines:
        started = time.perf_counter()
        assert bot.send(sender, line)
        durations.append(time.perf_counter() - started)
    p50 = statistics.median(durations) * 1000
    p95 = statistics.quantiles(durations, n=20)[18] * 1000
    record_property("rest_p50_ms", round(p50, 1))
    print(f"\nREST round trip over {len(lines)} messages: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    assert p50 < 1000


@pytest.mark.parametrize("question, must_say", CONSEQUENCE_QUESTIONS)
def test_a_fear_about_consequences_gets_the_rules_that_apply(bot, question, must_say):
    replies = bot.send(new_sender(), question)
    assert any(must_say in text for text in texts(replies)), texts(replies)
    assert payloads(replies)
