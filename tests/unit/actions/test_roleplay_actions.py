"""The practice call's Rasa shell: start, each turn, stop, crisis, score."""

import asyncio
import json

from rasa_sdk.executor import CollectingDispatcher

from actions.roleplay_actions import (
    ROUND_DONE,
    ActionRoleplayScore,
    ActionStartRoleplay,
    ValidateRoleplayForm,
    scenario_from_offer,
)
from coach.practice.collector import new_round, take_turn
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
    events = asyncio.run(
        ActionStartRoleplay().run(dispatcher, tracker({"persona": "polite"}), domain())
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
    assert len(messages) == 2


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
