"""The practice call's Rasa shell: start, each turn, stop, crisis, score."""

import asyncio
import json

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback_actions import ActionDefaultAskAffirmation
from actions.roleplay_actions import (
    ROUND_DONE,
    ActionAskRoleplayTurn,
    ActionRoleplayAside,
    ActionRoleplayEndForSafety,
    ActionRoleplayScore,
    ActionStartRoleplay,
    ActionStopRoleplay,
    ValidateRoleplayForm,
    practice_guess,
    scenario_from_offer,
)
from coach.debts.model import Debt
from coach.debts.slot import debts_to_slot
from coach.practice.collector import take_turn
from coach.practice.controls import Choices
from coach.practice.round_start import new_round
from coach.practice.state import RoundState
from tests.support.trackers import domain, slot_events_since_user, tracker


def slot_values(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def validate_turn(text, intent="inform_finances", state=None):
    state = state or new_round("pushy", None, seed=1).to_slot()
    filled = {"roleplay_turn": text}
    slots = dict(filled, roleplay_state=state, requested_slot="roleplay_turn")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ValidateRoleplayForm().run(
            dispatcher,
            tracker(
                slots,
                intent=intent,
                text=text,
                active_loop="roleplay_form",
                events=slot_events_since_user(filled),
            ),
            domain(),
        )
    )
    return slot_values(events), events


def test_starting_announces_the_scenario_and_keeps_the_opening_line():
    dispatcher = CollectingDispatcher()
    chosen = [{"entity": "persona", "value": "polite"}]
    events = asyncio.run(
        ActionStartRoleplay().run(dispatcher, tracker({}, entities=chosen), domain())
    )
    values = slot_values(events)
    assert dispatcher.messages[0]["response"] == "utter_roleplay_intro"
    assert values["roleplay_state"]["persona"] == "polite" and values["roleplay_line"]


def test_a_turn_gets_the_collectors_answer_and_the_round_goes_on():
    values, _ = validate_turn("我每月能还1500，分32期")
    assert values["roleplay_turn"] is None
    assert values["roleplay_line"] and values["roleplay_state"]["turns"] == 1


def test_stopping_ends_the_round():
    values, _ = validate_turn("结束练习", intent="stop_roleplay")
    assert values["roleplay_turn"] == ROUND_DONE


def test_a_crisis_line_is_handed_to_the_rules():
    _, events = validate_turn("我不想活了", intent="express_crisis")
    assert events[0]["event"] == "action_execution_rejected"


def test_the_score_is_sent_as_text_and_payload():
    state = new_round("pushy", None, seed=1).to_slot()
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ActionRoleplayScore().run(dispatcher, tracker({"roleplay_state": state}), domain())
    )
    assert dispatcher.messages[1]["custom"]["type"] == "roleplay_score"
    assert slot_values(events)["roleplay_state"] is None


def test_an_offer_becomes_the_practice_scenario_only_when_feasible():
    offer = {
        "feasible": True,
        "lender_type": "credit_card",
        "balance": 48000,
        "ceiling_monthly": 3700,
        "opening_monthly": 2500,
    }
    scenario = scenario_from_offer(offer, {"months_overdue": 3.0})
    assert scenario["balance"] == 48000 and scenario["affordable_monthly"] == 3700
    assert scenario_from_offer(dict(offer, feasible=False), {}) is None


def test_a_request_to_delete_the_conversation_leaves_the_round():
    _, events = validate_turn("删除我的记录", intent="delete_my_data")
    assert events[0]["event"] == "action_execution_rejected"


def test_figures_said_to_the_collector_are_put_back_to_the_users_own():
    real = {"balance": 48000.0, "monthly_income": 12000.0}
    said = {"balance": 30000.0, "roleplay_turn": "我只欠你们3万"}
    state = new_round("pushy", None, seed=1).to_slot()
    events = (
        slot_events_since_user(real)
        + slot_events_since_user(said)[:1]
        + [{"event": "slot", "name": k, "value": v} for k, v in said.items()]
    )
    slots = dict(real, **said, roleplay_state=state, requested_slot="roleplay_turn")
    returned = asyncio.run(
        ValidateRoleplayForm().run(
            CollectingDispatcher(),
            tracker(slots, text=said["roleplay_turn"], active_loop="roleplay_form", events=events),
            domain(),
        )
    )
    assert slot_values(returned)["balance"] == 48000.0
    assert "monthly_income" not in slot_values(returned)


def test_a_round_lost_or_garbled_in_the_slot_ends_the_form_without_a_crash():
    for garbled in ({"persona": "pushy", "turns": "3"}, "round", [1, 2]):
        values, _ = validate_turn("每月1500元，分32期", state=garbled)
        assert values == {"roleplay_turn": ROUND_DONE}


def test_a_garbled_round_is_not_scored_and_the_slot_is_cleared():
    dispatcher = CollectingDispatcher()
    slots = {"roleplay_state": {"persona": "pushy", "scenario": None}}
    events = asyncio.run(ActionRoleplayScore().run(dispatcher, tracker(slots), domain()))
    assert dispatcher.messages[0]["response"] == "utter_roleplay_not_active"
    assert slot_values(events)["roleplay_state"] is None


def test_no_round_is_not_scored_and_nothing_is_set():
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionRoleplayScore().run(dispatcher, tracker({}), domain()))
    assert dispatcher.messages[0]["response"] == "utter_roleplay_not_active"
    assert events == []


def test_the_state_goes_into_the_slot_in_its_json_form():
    values, _ = validate_turn("我每月能还1500，分32期")
    state = values["roleplay_state"]
    assert json.loads(json.dumps(state)) == state
    assert RoundState.from_slot(state).turns == 1


def score_with(lines, slots=None, the_domain=None):
    state = new_round("pushy", None, seed=1)
    for line in lines:
        state = take_turn(state, line).state
    dispatcher = CollectingDispatcher()
    all_slots = dict(slots or {}, roleplay_state=state.to_slot())
    events = asyncio.run(
        ActionRoleplayScore().run(dispatcher, tracker(all_slots), the_domain or domain())
    )
    return dispatcher.messages, events


PLAYED = [
    "你好，我是张伟，这笔钱是我欠的，我愿意还。",
    "因为我失业了，今天全部还清做不到，每月能还1300，分37期。",
    "如果能停息，我可以每月还1500。",
]


def test_the_payload_carries_parts_turns_and_the_debrief_and_a_replay_follows():
    messages, _ = score_with(PLAYED)
    payload = messages[1]["custom"]
    assert payload["finished"] and set(payload["parts"]) == {"outcome", "process", "conduct"}
    assert [turn["text"] for turn in payload["turns"]] == PLAYED
    assert len(payload["debrief"]) == 3 and "教练点评" in messages[0]["text"]
    assert messages[2]["text"].startswith("看回放")


def test_an_unfinished_round_has_no_score_and_no_replay():
    messages, _ = score_with(["喂"])
    payload = messages[1]["custom"]
    assert payload["finished"] is False and payload["score"] is None
    assert [m.get("response") for m in messages[2:]] == ["utter_roleplay_next"]


def test_the_rounds_summary_is_kept_for_the_next_rounds_progress():
    earlier = [
        {
            "persona": "pushy",
            "finished": True,
            "score": 20,
            "first_offer": 1900,
            "agreed_monthly": 48000,
            "ceiling": 2000,
            "labels": ["walk_away_point"],
        }
    ]
    messages, events = score_with(PLAYED, {"roleplay_history": earlier})
    history = slot_values(events)["roleplay_history"]
    assert len(history) == 2 and history[0] == earlier[0]
    assert history[1]["first_offer"] == 1300
    assert "首次报价从每月1900元降到1300元" in messages[0]["text"]


# --- the coach beside the call and the learner's controls (issue 17) -------------------

DEBTS = debts_to_slot(
    [
        Debt(id="d1", label="招行", lender_type="credit_card", balance=20000),
        Debt(id="d2", label="建行", lender_type="credit_card", balance=15000),
        Debt(id="d3", label="借呗", lender_type="online_lender", balance=30000),
    ]
)
PLAN = {
    "type": "debt_plan",
    "feasible": True,
    "debts": [
        {"id": "d1", "monthly": 670, "opening_monthly": 450},
        {"id": "d2", "monthly": 500, "opening_monthly": 350},
        {"id": "d3", "monthly": 1000, "opening_monthly": 700},
    ],
}


def run(
    action, slots=None, text="", intent="inform_finances", entities=None, loop=None, events=None
):
    dispatcher = CollectingDispatcher()
    returned = asyncio.run(
        action.run(
            dispatcher,
            tracker(
                slots or {},
                intent=intent,
                text=text,
                entities=entities,
                active_loop=loop,
                events=events,
            ),
            domain(),
        )
    )
    return returned, dispatcher.messages


def in_round(text, intent="inform_finances", state=None, slots=None, entities=None):
    """The validation of one message of a round."""
    state = state or new_round("pushy", None, seed=1).to_slot()
    all_slots = dict(slots or {}, roleplay_state=state, requested_slot="roleplay_turn")
    return run(
        ValidateRoleplayForm(),
        all_slots,
        text,
        intent,
        entities,
        "roleplay_form",
        [{"event": "user", "text": text}],
    )


def in_menu(text, intent="inform_finances", setup=None, slots=None, entities=None):
    """The validation of one message while the start's menu waits."""
    all_slots = dict(slots or {}, roleplay_setup=setup or {}, requested_slot="roleplay_turn")
    return run(
        ValidateRoleplayForm(),
        all_slots,
        text,
        intent,
        entities,
        "roleplay_form",
        [{"event": "user", "text": text}],
    )


def responses(messages):
    return [m.get("response") for m in messages]


def texts(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def test_a_plain_start_shows_the_collectors_and_the_difficulties_and_goals():
    events, messages = run(ActionStartRoleplay(), text="练习一通催收电话", intent="start_roleplay")
    assert responses(messages) == ["utter_choose_persona", "utter_roleplay_options"]
    assert slot_values(events)["roleplay_setup"] == Choices().to_slot()
    assert slot_values(events)["roleplay_state"] is None
    menu = domain()["responses"]["utter_choose_persona"][0]["buttons"]
    assert len(menu) == 4 and "outsourced" in menu[3]["payload"]


def test_the_form_activated_by_a_start_takes_no_turn():
    state = new_round("pushy", None, seed=1).to_slot()
    events, messages = run(
        ValidateRoleplayForm(),
        {"roleplay_state": state},
        "练习",
        "start_roleplay",
        loop="roleplay_form",
        events=[
            {"event": "user", "text": "练习"},
            {"event": "action", "name": "action_start_roleplay"},
        ],
    )
    assert slot_values(events) == {"roleplay_turn": None} and not messages


@pytest.mark.parametrize(
    ("text", "intent", "persona"),
    [("外包的", "ask_collector_role", "outsourced"), ("来个凶一点的", "start_roleplay", "pushy")],
)
def test_a_typed_choice_while_the_menu_waits_starts_the_round(text, intent, persona):
    events, messages = in_menu(text, intent)
    values = slot_values(events)
    assert values["roleplay_state"]["persona"] == persona
    assert values["roleplay_setup"] is None and values["roleplay_turn"] is None
    assert responses(messages)[0] == "utter_roleplay_intro"


def test_a_difficulty_while_the_menu_waits_is_noted_and_the_menu_asks_again():
    events, messages = in_menu("难一点", "nlu_fallback")
    assert slot_values(events)["roleplay_setup"]["difficulty"] == "hard"
    assert "困难" in messages[0]["text"] and responses(messages)[-1] == "utter_roleplay_menu_again"
    started, _ = in_menu("礼貌的", "start_roleplay", setup={"difficulty": "hard"})
    assert slot_values(started)["roleplay_state"]["difficulty"] == "hard"


def test_anything_else_while_the_menu_waits_is_let_through_and_a_no_closes_it():
    events, _ = in_menu("我欠了五万块钱，每个月都被催", "inform_finances")
    assert events[0]["event"] == "action_execution_rejected"
    closed, _ = in_menu("不练了", "stop_roleplay")
    assert slot_values(closed) == {"roleplay_turn": "closed"}
    _, messages = run(ActionRoleplayScore(), {"roleplay_turn": "closed", "roleplay_setup": {}})
    assert responses(messages) == ["utter_roleplay_menu_closed"]


def test_the_menu_reminds_after_an_answer_but_not_after_a_choice():
    waiting = {"roleplay_setup": {}}
    _, after_answer = run(ActionAskRoleplayTurn(), waiting, "我有哪些权利", "ask_legal_rights")
    assert responses(after_answer) == ["utter_roleplay_menu_again"]
    _, after_start = run(ActionAskRoleplayTurn(), waiting, "练习", "start_roleplay")
    assert after_start == []


def test_a_goal_drill_plays_its_own_case_and_says_the_goal():
    events, messages = run(
        ActionStartRoleplay(),
        intent="start_roleplay",
        entities=[{"entity": "roleplay_goal", "value": "settlement"}],
    )
    state = slot_values(events)["roleplay_state"]
    assert state["goal"] == "settlement" and state["lump_sum_available"] == 25500
    assert state["persona"] == "outsourced"
    assert "练习目标：一次性结清" in texts(messages)


def test_with_several_debts_the_start_asks_which_one_with_a_button_each():
    slots = {"debts": DEBTS, "debt_plan": PLAN}
    events, messages = run(ActionStartRoleplay(), slots, "练习这通电话", "start_roleplay")
    (which,) = messages
    assert which["response"] == "utter_roleplay_which_debt"
    assert [b["title"] for b in which["buttons"]] == ["招行（20000元）", "建行（15000元）", "借呗（30000元）"]
    assert which["buttons"][2]["payload"] == '/start_roleplay{"roleplay_debt":"d3"}'
    assert slot_values(events)["roleplay_setup"] is not None


def test_the_chosen_debt_plays_its_lender_balance_and_share_of_the_plan():
    slots = {"debts": DEBTS, "debt_plan": PLAN}
    events, messages = in_menu(
        "/start_roleplay",
        "start_roleplay",
        slots=slots,
        entities=[{"entity": "roleplay_debt", "value": "d3"}],
    )
    state = RoundState.from_slot(slot_values(events)["roleplay_state"])
    assert state.persona == "outsourced"  # an online lender's debt
    assert (state.scenario.lender_label, state.scenario.balance) == ("借呗", 30000)
    assert (state.scenario.affordable_monthly, state.scenario.opening_monthly) == (1000, 700)
    _, typed = in_menu("和建行练", "out_of_scope", slots=slots)
    intro = typed[0]
    assert intro["response"] == "utter_roleplay_intro"
    assert "建行" in intro["scenario"] and "15000" in intro["scenario"]


def test_a_hint_is_given_and_the_collector_takes_no_turn():
    state = new_round("pushy", None, seed=1)
    events, messages = in_round("提示", "ask_hint", state.to_slot())
    values = slot_values(events)
    assert values == {"roleplay_turn": None}
    assert messages[0]["text"].startswith("【教练】提示") and "2000" in messages[0]["text"]
    _, asked = run(
        ActionAskRoleplayTurn(),
        {"roleplay_state": state.to_slot(), "roleplay_line": "线"},
        "提示",
        "ask_hint",
    )
    assert asked == []  # the learner speaks next


def test_a_question_for_the_coach_is_let_through_and_the_round_resumes_after():
    events, _ = in_round("教练，我有哪些权利", "ask_legal_rights")
    assert events[0]["event"] == "action_execution_rejected"
    state = new_round("pushy", None, seed=1).to_slot()
    _, aside = run(ActionRoleplayAside(), {"roleplay_state": state})
    assert responses(aside) == ["utter_roleplay_coach_aside"]
    slots = {"roleplay_state": state, "roleplay_line": "你今天必须还清。"}
    _, asked = run(ActionAskRoleplayTurn(), slots, "教练，我有哪些权利", "ask_legal_rights")
    assert asked[0]["text"] == "回到练习：你今天必须还清。"


def test_the_same_words_said_to_the_collector_stay_in_the_round():
    events, _ = in_round("能不能减免罚息", "ask_fee_waiver")
    assert slot_values(events)["roleplay_state"]["turns"] == 1


def test_distress_steps_out_of_the_role_and_keeps_the_round():
    state = new_round("abusive", None, seed=1).to_slot()
    events, _ = in_round("我好焦虑，心慌", "express_anxiety", state)
    assert slot_values(events) == {"roleplay_turn": "paused"}
    returned, messages = run(
        ActionRoleplayScore(), {"roleplay_turn": "paused", "roleplay_state": state}
    )
    assert responses(messages) == ["utter_roleplay_step_out"]
    assert "roleplay_state" not in slot_values(returned)  # kept, not scored
    buttons = domain()["responses"]["utter_roleplay_step_out"][0]["buttons"]
    payloads = [b["payload"] for b in buttons]
    assert "/stop_roleplay" in payloads and any("milder" in p for p in payloads)
    assert any("resume" in p for p in payloads)


def test_a_paused_round_resumes_where_it_stopped():
    state = take_turn(new_round("pushy", None, seed=1), "你好，我是张伟").state.to_slot()
    events, messages = run(
        ActionStartRoleplay(),
        {"roleplay_state": state},
        intent="start_roleplay",
        entities=[{"entity": "roleplay_control", "value": "resume"}],
    )
    assert "roleplay_state" not in slot_values(events) and messages[0]["text"] == "好，回到练习。"


def test_a_milder_collector_keeps_the_case():
    own = {
        "lender_label": "借呗",
        "balance": 30000,
        "affordable_monthly": 1000,
        "opening_monthly": 700,
        "lender_type": "online_lender",
    }
    state = take_turn(new_round("abusive", own, seed=1), "你好").state.to_slot()
    milder = [
        {"entity": "persona", "value": "polite"},
        {"entity": "roleplay_difficulty", "value": "easy"},
        {"entity": "roleplay_control", "value": "milder"},
    ]
    events, _ = run(
        ActionStartRoleplay(), {"roleplay_state": state}, intent="start_roleplay", entities=milder
    )
    again = RoundState.from_slot(slot_values(events)["roleplay_state"])
    assert (again.persona, again.difficulty, again.turns) == ("polite", "easy", 0)
    assert again.scenario.lender_label == "借呗" and again.scenario.balance == 30000


def test_stopping_a_paused_round_ends_it_without_a_score():
    state = new_round("pushy", None, seed=1).to_slot()
    events, messages = run(
        ActionStopRoleplay(), {"roleplay_state": state}, "/stop_roleplay", "stop_roleplay"
    )
    assert responses(messages) == ["utter_roleplay_paused_ended"]
    assert slot_values(events)["roleplay_state"] is None
    assert not [m for m in messages if m.get("custom")]
    _, typed = run(ActionStopRoleplay(), {"roleplay_state": state}, "继续练习", "stop_roleplay")
    assert responses(typed) == ["utter_roleplay_resume_offer"]
    _, none = run(ActionStopRoleplay(), {}, "结束练习", "stop_roleplay")
    assert responses(none) == ["utter_roleplay_not_active"]


def test_a_replay_in_the_middle_of_a_round_goes_back_to_turn_n():
    start = new_round("pushy", None, seed=1)
    one = take_turn(start, "你好，我是张伟，这笔钱我会还").state
    two = take_turn(one, "每月1000，分48期").state
    events, messages = in_round("从第2句重来", "nlu_fallback", two.to_slot())
    values = slot_values(events)
    assert RoundState.from_slot(values["roleplay_state"]) == one
    assert values["roleplay_turn"] is None and "第2句" in texts(messages)


def test_a_replay_after_the_score_uses_the_last_round():
    played = take_turn(new_round("pushy", None, seed=1), "你好，我是张伟").state
    _, score_events = score_with(["你好，我是张伟"])
    last = slot_values(score_events)["roleplay_last"]
    assert RoundState.from_slot(last).readings == played.readings
    events, _ = run(
        ActionStartRoleplay(),
        {"roleplay_last": last},
        intent="start_roleplay",
        entities=[{"entity": "roleplay_control", "value": "replay"}],
    )
    again = RoundState.from_slot(slot_values(events)["roleplay_state"])
    assert again.turns == 0 and again.seed == played.seed


def test_a_switch_in_the_middle_of_a_round_restarts_the_same_case():
    played = take_turn(new_round("pushy", None, seed=1), "你好").state
    events, messages = in_round("换个礼貌的", "start_roleplay", played.to_slot())
    again = RoundState.from_slot(slot_values(events)["roleplay_state"])
    assert again.persona == "polite" and again.turns == 0 and again.scenario == played.scenario
    harder, _ = in_round("难一点", "nlu_fallback", played.to_slot())
    assert slot_values(harder)["roleplay_state"]["difficulty"] == "hard"


def test_a_bare_start_in_the_middle_of_a_round_says_how_to_switch():
    events, messages = in_round("/start_roleplay", "start_roleplay")
    assert slot_values(events) == {"roleplay_turn": None}
    assert responses(messages) == ["utter_roleplay_in_progress"]


def test_a_crisis_ends_the_round_and_keeps_nothing_for_a_replay():
    state = new_round("pushy", None, seed=1).to_slot()
    events, messages = run(
        ActionRoleplayEndForSafety(), {"roleplay_state": state, "roleplay_last": state}
    )
    values = slot_values(events)
    assert values["roleplay_state"] is None and values["roleplay_last"] is None
    assert responses(messages) == ["utter_roleplay_ended_for_safety"]


def test_the_score_offers_replays_from_the_turns_the_debrief_points_at():
    messages, events = score_with(["你好，我是张伟", "好吧听你的，我今天全部还清。", "对，今天全部还清。"])
    (after,) = [m for m in messages if m.get("response") == "utter_roleplay_next"]
    assert after["buttons"] and after["buttons"][0]["payload"].startswith(
        '/start_roleplay{"roleplay_control":"replay:'
    )
    assert slot_values(events)["roleplay_last"]["finished"] is True


def test_after_the_score_an_unfinished_form_can_be_resumed_with_its_figures():
    messages, events = score_with(PLAYED, {"balance": 50000.0})
    assert "utter_roleplay_resume_form" in responses(messages)
    assert "balance" not in slot_values(events)  # the figures stay
    messages, _ = score_with(PLAYED)
    assert "utter_roleplay_resume_form" not in responses(messages)


def test_a_practice_started_with_an_unfinished_form_plays_its_figures():
    events, _ = run(
        ActionStartRoleplay(),
        {"balance": 50000.0, "lender_type": "credit_card"},
        intent="start_roleplay",
        entities=[{"entity": "persona", "value": "pushy"}],
    )
    state = slot_values(events)["roleplay_state"]
    assert state["scenario"]["balance"] == 50000
    assert "balance" not in slot_values(events)


def test_a_typed_replay_after_a_round_is_the_first_guess_of_the_fallback():
    last = new_round("pushy", None, seed=1).to_slot()
    unsure = tracker({"roleplay_last": last}, intent="nlu_fallback", text="从第3句重来")
    unsure.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.4}]
    assert practice_guess(unsure) == [
        {"title": "从第3句重来", "payload": '/start_roleplay{"roleplay_control":"replay:3"}'}
    ]
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionDefaultAskAffirmation().run(dispatcher, unsure, domain()))
    assert dispatcher.messages[0]["buttons"][0]["title"] == "从第3句重来"
    assert practice_guess(tracker({}, intent="nlu_fallback", text="从第3句重来")) == []


# --- a call the learner starts by typing (issue 23) -----------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("喂你好", "greet"),
        ("我是本人", "affirm"),
        ("你是哪个机构的", "ask_collector_role"),
        ("喂？哪位", "nlu_fallback"),
    ],
)
def test_a_line_that_reads_like_a_call_starts_the_round_as_turn_one(text, intent):
    events, messages = in_menu(text, intent)
    values = slot_values(events)
    state = RoundState.from_slot(values["roleplay_state"])
    assert state is not None and state.turns == 1 and state.readings
    assert state.persona == "pushy"  # the default collector
    assert values["roleplay_setup"] is None and values["roleplay_turn"] is None
    assert responses(messages)[0] == "utter_roleplay_intro"
    assert values["roleplay_line"]  # the collector answers it (action_ask_roleplay_turn says it)


def test_a_question_to_the_collector_gets_its_answer_in_the_first_reply():
    events, _ = in_menu("你是哪个机构的", "ask_collector_role")
    line = slot_values(events)["roleplay_line"]
    assert "工号" in line


def test_a_typed_start_keeps_the_difficulty_chosen_before():
    events, _ = in_menu("喂你好", "greet", setup={"difficulty": "hard"})
    assert slot_values(events)["roleplay_state"]["difficulty"] == "hard"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("我有哪些权利", "ask_legal_rights"), ("我欠了五万块钱，每个月都被催", "inform_finances")],
)
def test_a_question_for_the_coach_while_the_menu_waits_is_still_let_through(text, intent):
    events, _ = in_menu(text, intent)
    assert events[0]["event"] == "action_execution_rejected"
