"""The counters of /metrics (addons/patches/metrics.py), fed with a turn's stored events."""

from prometheus_client import generate_latest

from addons.patches import metrics

KNOWN = frozenset({"inform_finances", "express_crisis", "nlu_fallback"})


def value(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def user(intent: str, text: str = "我欠了五万，电话13812345678") -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def test_a_turn_moves_the_message_intent_and_milestone_counters():
    before = {
        "messages": value("coach_messages_total"),
        "intent": value("coach_intent_total", intent="inform_finances"),
        "offer": value("coach_milestone_total", milestone="offer"),
    }
    offer = {"event": "bot", "data": {"custom": {"type": "repayment_offer", "balance": 50000}}}
    metrics.count_turn([user("inform_finances"), offer], KNOWN)
    assert value("coach_messages_total") == before["messages"] + 1
    assert value("coach_intent_total", intent="inform_finances") == before["intent"] + 1
    assert value("coach_milestone_total", milestone="offer") == before["offer"] + 1


def test_an_unknown_intent_is_counted_as_other_and_no_text_or_figure_shows():
    metrics.count_turn([user("/made_up_by_a_user")], KNOWN)
    assert value("coach_intent_total", intent="other") >= 1
    text = generate_latest(metrics.REGISTRY).decode()
    assert "made_up" not in text and "13812345678" not in text and "50000" not in text


def test_fallbacks_crises_and_a_deletion_outside_a_turn():
    fallbacks, crises = value("coach_fallback_total"), value("coach_crisis_total")
    deleted = value("coach_milestone_total", milestone="data_deleted")
    metrics.count_turn([user("nlu_fallback")], KNOWN)
    metrics.count_turn([user("express_crisis")], KNOWN)
    metrics.count_milestone("data_deleted")
    metrics.count_milestone("not_a_milestone")
    assert value("coach_fallback_total") == fallbacks + 1
    assert value("coach_crisis_total") == crises + 1
    assert value("coach_milestone_total", milestone="data_deleted") == deleted + 1
    assert value("coach_milestone_total", milestone="not_a_milestone") == 0.0


def test_the_turn_is_read_from_the_latest_user_message_on():
    from collections import deque

    from rasa.shared.core.events import ActionExecuted, UserUttered

    events = deque(
        [
            UserUttered("你好", {"name": "greet"}),
            ActionExecuted("utter_greet"),
            UserUttered("帮我算算", {"name": "request_repayment_plan"}),
            ActionExecuted("repayment_form"),
        ]
    )
    turn = metrics.latest_turn_events(events)
    assert [(e["event"], e.get("name") or e.get("text")) for e in turn] == [
        ("user", "帮我算算"),
        ("action", "repayment_form"),
    ]
