"""Journeys in other people's voices over REST (issue 23 item 7): a parent, a guarantor, a
spouse, collectors at the door, back to the plan after a crisis, "too long", a goodnight,
an angry or lost user, and practice calls started by typing.

Every turn of every journey is checked for what issue 23 asks of all of them: no three
turns in a row that fall to a clarification or the menu, the text before the first
button within its budget, no debtor's admission in a non-debtor's mouth, the safety
line first in an emergency. The share of turns that fell to a clarification or the menu
is written per journey to var/journeys_people.json (README, "Journeys").
"""

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from coach.paths import ROOT
from coach.replies.shaping import before_first_button, screen_chars
from tests.support.chat import answered_with, customs, payloads, texts

# The debtor's admission (不是我借的 is none).
DEBTOR_ADMISSION = re.compile(r"(?<!不)是我(欠|借)的|我愿意还|我会还")
CLARIFY_MARKS = ("我不太确定你的意思",)
MENU_RESPONSES = ("utter_default", "utter_ask_rephrase", "utter_what_next")
# Longest text before the first button of any reply in these journeys (characters); the
# emergency, short-version and goodbye turns are held to one screen instead.
ANY_REPLY_CHARS = 900
SHARES: dict[str, dict[str, int]] = {}

Check = Callable[[list[dict]], None]


@dataclass
class Step:
    said: str
    checks: list[Check] = field(default_factory=list)
    third_party: bool = False  # the user is not the debtor: no admission in a script
    screen: bool = False  # must fit one phone screen


def joined(replies: list[dict]) -> str:
    return "\n".join(texts(replies))


def has(*words: str) -> Check:
    def check(replies: list[dict]) -> None:
        text = joined(replies)
        assert all(word in text for word in words), (words, text)

    return check


def lacks(*words: str) -> Check:
    def check(replies: list[dict]) -> None:
        text = joined(replies)
        assert not any(word in text for word in words), (words, text)

    return check


def safety_first(replies: list[dict]) -> None:
    first = texts(replies)[0]
    assert "110" in first[: screen_chars() // 2], first


def no_menu(replies: list[dict]) -> None:
    assert not payloads(replies), replies


def offers(payload: str) -> Check:
    def check(replies: list[dict]) -> None:
        assert payload in payloads(replies), payloads(replies)

    return check


def practice_started(replies: list[dict]) -> None:
    assert answered_with(replies, "utter_roleplay_intro"), replies


def not_the_same_as_before(replies: list[dict], before: list[dict]) -> None:
    assert joined(replies) != joined(before)


def non_progress(replies: list[dict]) -> bool:
    text = joined(replies)
    if any(mark in text for mark in CLARIFY_MARKS):
        return True
    return any(answered_with(replies, name) for name in MENU_RESPONSES)


def run_journey(bot, name: str, steps: list[Step]) -> list[list[dict]]:
    sender = f"people-{name}-{uuid.uuid4().hex[:8]}"
    all_replies, stalled, streak = [], 0, 0
    for number, step in enumerate(steps, start=1):
        replies = bot.send(sender, step.said)
        assert replies, (name, number, step.said)
        where = (name, number, step.said)
        screen = before_first_button(replies)
        limit = screen_chars() if step.screen else ANY_REPLY_CHARS
        assert len(screen) <= limit, (*where, len(screen), screen)
        if step.third_party:
            assert not DEBTOR_ADMISSION.search(joined(replies)), (*where, joined(replies))
        for check in step.checks:
            check(replies)
        stuck = non_progress(replies)
        stalled += stuck
        streak = streak + 1 if stuck else 0
        assert streak < 3, (*where, "three non-progress turns in a row")
        all_replies.append(replies)
    SHARES[name] = {"turns": len(steps), "non_progress": stalled}
    return all_replies


@pytest.fixture(scope="module", autouse=True)
def shares_report():
    yield
    out = ROOT / "var" / "journeys_people.json"
    out.parent.mkdir(exist_ok=True)
    turns = sum(entry["turns"] for entry in SHARES.values())
    stalled = sum(entry["non_progress"] for entry in SHARES.values())
    summary = {"turns": turns, "non_progress": stalled, "share": stalled / turns if turns else None}
    out.write_text(
        json.dumps({"journeys": SHARES, "all": summary}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )


# --- who is asking --------------------------------------------------------------------


def test_a_mother_called_about_her_sons_card(bot):
    run_journey(
        bot,
        "mother",
        [
            Step("催收天天打电话给我，说我儿子信用卡欠了三万多", [has("不是我借的")], third_party=True),
            Step("那他们再打来我怎么说", [has("不要再打给我")], third_party=True),
            Step("谢谢你 晚安", [no_menu], screen=True),
        ],
    )


def test_a_father_whose_daughter_took_an_online_loan(bot):
    run_journey(
        bot,
        "father",
        [
            Step("我女儿借了网贷没还，现在催收打到我这里来了，我要替她还吗", [has("一般不用你还")], True),
            Step("电话里我该怎么说", [has("不是我借的")], third_party=True),
        ],
    )


def test_a_guarantor_is_told_the_guarantee_binds_within_its_terms(bot):
    run_journey(
        bot,
        "guarantor",
        [
            Step(
                "我给表哥的贷款做了担保，现在他不还了，催收找我",
                [has("担保", "12348"), lacks("不是你的债")],
                third_party=True,
            ),
            Step("我接电话该怎么说", [has("担保人")], third_party=True),
        ],
    )


def test_a_guarantor_who_signed_joint_liability(bot):
    run_journey(
        bot,
        "guarantor-joint",
        [
            Step(
                "我是保证人，合同上写的连带责任，他们能直接找我要钱吗",
                [has("连带责任保证"), lacks("不是你的债")],
                third_party=True,
            ),
        ],
    )


def test_a_wife_whose_husband_borrowed_in_his_own_name(bot):
    run_journey(
        bot,
        "wife",
        [
            Step(
                "我老公背着我借了好几个网贷，现在催收打给我，不是我借的",
                [has("第1064条"), lacks("派出所报案")],
                third_party=True,
            ),
            Step("那我跟催收怎么说", [has("我没有签字")], third_party=True),
        ],
    )


def test_a_husband_asked_about_his_wifes_card(bot):
    run_journey(
        bot,
        "husband",
        [
            Step(
                "我老婆的信用卡逾期了，银行说是夫妻共同债务要我还",
                [has("第1064条")],
                third_party=True,
            ),
        ],
    )


# --- emergencies ----------------------------------------------------------------------


def test_collectors_at_the_door(bot):
    run_journey(
        bot,
        "at-the-door",
        [
            Step("他们就在门口 怎么办", [safety_first], screen=True),
            Step("/ask_legal_rights", [has("·")]),
        ],
    )


def test_collectors_downstairs_who_will_not_leave(bot):
    run_journey(
        bot,
        "downstairs",
        [Step("催收上门了，现在在我家楼下等我，赖着不走", [safety_first], screen=True)],
    )


def test_a_threat_of_violence(bot):
    run_journey(
        bot,
        "violence",
        [Step("催收说今晚要找人打我，我好怕", [safety_first], screen=True)],
    )


def test_back_to_the_plan_after_a_crisis(bot):
    sender_steps = [
        Step("我真的撑不下去了，不想活了", [has("12356")]),
        Step("我好点了，那这个钱怎么还"),
    ]
    crisis, after = run_journey(bot, "after-crisis", sender_steps)
    not_the_same_as_before(after, crisis)
    text = joined(after)
    assert "12356" in text or "还款" in text or "欠" in text, text


# --- length, repetition, goodbyes, tone -------------------------------------------------


def test_too_long_gets_a_short_version(bot):
    long_answer, short = run_journey(
        bot,
        "too-long",
        [Step("催收有哪些做法是违法的"), Step("太长了 看不完", screen=True)],
    )
    assert joined(short) != joined(long_answer)


def test_the_same_question_twice_is_not_answered_verbatim(bot):
    first, second = run_journey(bot, "asked-twice", [Step("催收有哪些做法是违法的"), Step("催收有哪些做法是违法的")])
    assert joined(second) != joined(first)


def test_a_goodnight_gets_a_goodbye(bot):
    run_journey(
        bot,
        "goodnight",
        [Step("怎么跟催收说分期"), Step("谢谢 晚安", [no_menu], screen=True)],
    )


def test_an_angry_user_gets_a_human_word_first(bot):
    (replies,) = run_journey(bot, "angry", [Step("你他妈能不能有点用")])
    if payloads(replies):
        assert texts(replies)[0].startswith("抱歉"), replies


def test_an_older_user_who_is_lost_gets_a_human_word_first(bot):
    (replies,) = run_journey(bot, "lost", [Step("我岁数大了看不懂")])
    if payloads(replies):
        assert texts(replies)[0].startswith("没关系"), replies


# --- practice started by typing -----------------------------------------------------------


def test_practice_started_with_a_greeting_reads_rent_as_no_offer(bot):
    steps = [
        Step("我想练习一下跟催收打电话"),
        Step("喂你好", [practice_started]),
        Step("我每个月光房租就要2500"),
        Step("我每月能还1500，分32期"),
        Step("那每月1800，分27期"),
        Step("结束练习"),
    ]
    replies = run_journey(bot, "practice-rent", steps)
    scores = customs(replies[-1], "roleplay_score") or [
        s for r in replies for s in customs(r, "roleplay_score")
    ]
    assert scores, replies[-1]
    agreed = (scores[0]["agreed"] or {}).get("monthly")
    # The rent was no offer; a deal, if any, is never below the learner's last offer.
    assert agreed is None or agreed >= 1800, scores[0]
    assert all(turn.get("offer") is None for turn in scores[0]["turns"][:2]), scores[0]["turns"]


def test_practice_started_with_a_question_to_the_collector(bot):
    steps = [Step("/start_roleplay"), Step("你是哪个机构的", [practice_started, has("工号")])]
    run_journey(bot, "practice-question", steps)


def test_practice_started_with_i_am_the_borrower(bot):
    steps = [Step("/start_roleplay"), Step("我是本人"), Step("结束练习")]
    replies = run_journey(bot, "practice-self", steps)
    assert answered_with(replies[1], "utter_roleplay_intro")
    scores = customs(replies[-1], "roleplay_score")
    assert scores and scores[0]["criteria"]["introduced_self"] is True
