"""The learner's controls around the call: typed choices, switches, replays, asides."""

import pytest
import yaml

from coach.debts.model import Debt
from coach.paths import ROOT
from coach.practice.controls import (
    COACH_INTENTS,
    Choices,
    choices_from_entities,
    next_step,
    persona_for_lender,
    read_aside,
    read_choices,
    read_debt,
    read_replay,
    read_switch,
    reads_resume,
    replay_control,
    replay_payload,
)

DEBTS = [
    Debt(id="d1", label="招行", lender_type="credit_card", balance=20000),
    Debt(id="d2", label="建行", lender_type="credit_card", balance=15000),
    Debt(id="d3", label="借呗", lender_type="online_lender", balance=30000),
]


@pytest.mark.parametrize(
    ("text", "persona"),
    [
        ("来个凶一点的", "pushy"),
        ("外包的", "outsourced"),
        ("换个礼貌的", "polite"),
        ("来个会骂人的", "abusive"),
        ("第三方催收公司那种", "outsourced"),
        ("我想练习", None),
    ],
)
def test_a_typed_collector_is_understood(text, persona):
    assert read_choices(text).persona == persona


@pytest.mark.parametrize(
    ("text", "difficulty"),
    [("难一点", "hard"), ("简单一点的", "easy"), ("来个标准难度", "standard"), ("外包的", None)],
)
def test_a_typed_difficulty_is_understood(text, difficulty):
    assert read_choices(text).difficulty == difficulty


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("练停息挂账", "freeze"),
        ("练个性化分期", "personalised"),
        ("练一次性结清", "settlement"),
        ("我想练减免罚息", "waiver"),
        ("练习一通电话", None),
    ],
)
def test_a_typed_goal_drill_is_understood(text, goal):
    assert read_choices(text).goal == goal


@pytest.mark.parametrize(
    ("text", "debt"),
    [("和借呗练", "d3"), ("招商银行那笔", "d1"), ("建设银行的", "d2"), ("网贷", None), ("随便", None)],
)
def test_one_of_the_users_debts_is_named(text, debt):
    assert read_debt(text, DEBTS) == debt


def test_buttons_send_the_same_choices_and_an_unknown_debt_is_none():
    entities = {"persona": "外包", "roleplay_difficulty": "hard", "roleplay_goal": "freeze"}
    assert choices_from_entities({**entities, "roleplay_debt": "d9"}, DEBTS) == Choices(
        persona="outsourced", difficulty="hard", goal="freeze"
    )
    assert choices_from_entities({"roleplay_debt": "d2"}, DEBTS).debt == "d2"
    assert not choices_from_entities({"persona": "nobody"}).any


def test_later_choices_win_and_the_slot_form_survives():
    earlier = Choices(difficulty="hard", persona="polite")
    merged = earlier.merged(Choices(persona="abusive"))
    assert merged == Choices(persona="abusive", difficulty="hard")
    assert Choices.from_slot(merged.to_slot()) == merged
    assert Choices.from_slot("junk") == Choices()


@pytest.mark.parametrize(
    ("text", "switch"),
    [
        ("来个凶一点的", Choices(persona="pushy")),
        ("换成外包的", Choices(persona="outsourced")),
        ("难一点", Choices(difficulty="hard")),
        ("换个简单一点的", Choices(difficulty="easy")),
        # Lines for the collector, not controls.
        ("外包的？", None),
        ("你们是不是外包的催收公司", None),
        ("换个方案吧", None),
        ("每月3000对我来说太难了，能不能少一点", None),
    ],
)
def test_inside_a_round_only_a_short_switch_changes_the_collector(text, switch):
    assert read_switch(text) == switch


@pytest.mark.parametrize(
    ("text", "turn"),
    [
        ("重来", 1),
        ("我想重来一下", 1),
        ("再来一遍", 1),
        ("从第3句重来", 3),
        ("从第三句开始", 3),
        ("第二句重来吧", 2),
        ("回到第4句", 4),
        ("第3句", None),
        ("那我们重新来谈一下方案", None),
        ("重来的话每月还1000行不行", None),
    ],
)
def test_a_replay_names_its_turn(text, turn):
    assert read_replay(text) == turn


def test_a_replay_button_round_trips():
    assert replay_control("replay") == 1 and replay_control("replay:3") == 3
    assert replay_control("replay:x") is None and replay_control("resume") is None
    assert replay_payload(3) == '/start_roleplay{"roleplay_control":"replay:3"}'
    assert replay_payload(1) == '/start_roleplay{"roleplay_control":"replay"}'


def test_resuming_is_a_short_message_of_its_own():
    assert reads_resume("继续练习") and reads_resume("继续吧")
    assert not reads_resume("你继续说") and not reads_resume("继续谈方案，每月1000")


@pytest.mark.parametrize(
    ("text", "intent", "aside"),
    [
        ("提示", "ask_hint", "hint"),
        ("这时候我该怎么回答", "ask_hint", "hint"),
        ("我该怎么说", "ask_negotiation_script", "hint"),
        ("教练，我有哪些权利", "ask_legal_rights", "coach_question"),
        ("怎么请求减免罚息", "ask_fee_waiver", "coach_question"),
        ("教练，他说要起诉我怎么办", "report_collector_demand", "coach_question"),
        ("我好焦虑", "express_stress", "distress"),
        ("我压力太大了，快崩溃了", "inform_finances", "distress"),
        ("教练，我好难受", "express_stress", "distress"),
        # Said to the pretend collector.
        ("能不能减免罚息", "ask_fee_waiver", "turn"),
        ("催收有哪些事是不能做的", "ask_legal_rights", "turn"),
        ("你怎么说话的", "report_abusive_collection", "turn"),
        ("你们这样是违法的", "ask_privacy", "turn"),
        ("我每月能还1500，分32期", "nlu_fallback", "turn"),
    ],
)
def test_a_message_in_a_round_is_for_the_coach_or_the_collector(text, intent, aside):
    assert read_aside(text, intent, 0.8) == aside


def test_an_unsure_distress_reading_stays_in_the_round():
    assert read_aside("最近工资降了", "express_stress", 0.3) == "turn"


def test_every_coaching_question_has_a_rule_that_answers_and_resumes_the_round():
    rules = [
        rule
        for path in sorted((ROOT / "data" / "rules").glob("*.yml"))
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules", [])
    ]
    resumed = {
        rule["steps"][0]["intent"]
        for rule in rules
        if rule.get("condition") == [{"active_loop": "roleplay_form"}]
        and rule["steps"][-1] == {"active_loop": "roleplay_form"}
    }
    assert resumed == COACH_INTENTS


@pytest.mark.parametrize(
    ("choices", "debts", "step"),
    [
        (Choices(), [], "ask_persona"),
        (Choices(difficulty="hard"), [], "ask_persona"),
        (Choices(persona="polite"), [], "start"),
        (Choices(goal="freeze"), DEBTS, "start"),
        (Choices(persona="polite"), DEBTS, "ask_debt"),
        (Choices(debt="d3"), DEBTS, "start"),
        (Choices(), DEBTS[:1], "ask_persona"),
    ],
)
def test_what_a_start_does_with_the_choices_so_far(choices, debts, step):
    assert next_step(choices, debts) == step


def test_an_online_lenders_debt_gets_the_outsourced_collector():
    assert persona_for_lender("online_lender") == "outsourced"
    assert persona_for_lender("credit_card") == "pushy"
