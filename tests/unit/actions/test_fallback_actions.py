"""action_default_ask_affirmation: the first step of the two-stage fallback."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback_actions import ActionDefaultAskAffirmation
from tests.support.trackers import domain, tracker

RANKING = [
    {"name": "nlu_fallback", "confidence": 0.5},
    {"name": "ask_legal_rights", "confidence": 0.41},
    {"name": "report_abusive_collection", "confidence": 0.33},
    {"name": "ask_collector_role", "confidence": 0.1},
]


def user_event(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def unsure_tracker(ranking, crisis_care=False, before=("greet",)) -> Tracker:
    events = [user_event(intent) for intent in (*before, "nlu_fallback")]
    unsure = tracker(
        {"crisis_care": crisis_care}, intent="nlu_fallback", text="他们这样行吗", events=events
    )
    unsure.latest_message["intent_ranking"] = ranking
    return unsure


def ask(unsure: Tracker) -> list[dict]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionDefaultAskAffirmation().run(dispatcher, unsure, domain()))
    assert events == []
    return dispatcher.messages


def test_the_two_best_guesses_become_buttons_with_neither_last():
    (message,) = ask(unsure_tracker(RANKING))
    assert message["text"].startswith("我不太确定你的意思")
    assert [b["payload"] for b in message["buttons"]] == [
        "/ask_legal_rights",
        "/report_abusive_collection",
        "/out_of_scope",
    ]


def test_with_no_usable_guess_the_menu_comes_at_once():
    (message,) = ask(unsure_tracker([{"name": "greet", "confidence": 0.4}]))
    assert message["response"] == "utter_ask_rephrase"


def test_after_a_crisis_reply_no_guesses_are_offered():
    (message,) = ask(unsure_tracker(RANKING, crisis_care=True))
    assert message["response"] == "utter_ask_rephrase"


def test_the_gentle_variant_of_the_menu_has_no_plan_or_practice_button():
    gentle = [
        variation
        for variation in domain()["responses"]["utter_ask_rephrase"]
        if variation.get("condition")
    ]
    payloads = {b["payload"] for v in gentle for b in v.get("buttons", [])}
    assert gentle and not payloads & {"/request_repayment_plan", "/start_roleplay", "/ask_help"}


def test_a_known_parent_asking_what_to_say_gets_their_script_not_guesses():
    dispatcher = CollectingDispatcher()
    slots = {"user_role": "family"}
    asyncio.run(
        ActionDefaultAskAffirmation().run(
            dispatcher, tracker(slots, intent="nlu_fallback", text="电话里我该怎么说"), domain()
        )
    )
    (message,) = dispatcher.messages
    assert "不是我借的" in message["text"] and not message.get("buttons")


TOPIC_RANKING = [
    {"name": "nlu_fallback", "confidence": 0.4},
    {"name": "ask_enforcement", "confidence": 0.31},
    {"name": "ask_court_message", "confidence": 0.28},
    {"name": "ask_collection_process", "confidence": 0.2},
]


def test_an_advice_question_the_model_leans_to_is_answered_with_the_other_as_a_button():
    (message,) = ask(unsure_tracker(TOPIC_RANKING))
    assert message["text"].startswith("我理解你是在问这个")
    assert "限制" in message["text"]  # the enforcement facts, not a question back
    assert [b["payload"] for b in message["buttons"]] == ["/ask_court_message", "/out_of_scope"]


def test_a_weak_lean_to_an_advice_question_still_asks():
    weak = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "ask_court_message", "confidence": 0.21},
        {"name": "ask_enforcement", "confidence": 0.2},
    ]
    (message,) = ask(unsure_tracker(weak))
    assert message["text"].startswith("我不太确定你的意思")


def test_the_second_unclear_message_in_a_row_gets_the_stages_buttons():
    (message,) = ask(unsure_tracker(RANKING, before=("greet", "nlu_fallback")))
    assert message["response"] == "utter_fallback_stages"
    stages = domain()["responses"]["utter_fallback_stages"][0]
    assert len(stages["buttons"]) >= 6 and "没看懂" not in stages["text"]
