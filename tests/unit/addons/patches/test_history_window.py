"""addons.patches.history_window: a long conversation's recent part stands for all of it."""

from functools import cache

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Restarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from addons.patches import history_window as window
from tests.support.chat import ROOT


@cache
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def user(text: str, intent: str, by_rule: bool = False) -> list:
    return [
        ActionExecuted("action_listen", hide_rule_turn=by_rule),
        UserUttered(text, {"name": intent, "confidence": 0.9}),
    ]


def question_turn(number: int, by_rule: bool = False) -> list:
    """A question and its answer; ``by_rule``: a rule answered (hidden from memoization)."""
    return [
        *user(f"问题{number}", "ask_collector_identity", by_rule),
        ActionExecuted("utter_collector_identity", hide_rule_turn=by_rule),
        BotUttered(f"回答{number}"),
    ]


def form_turns(balance: float) -> list:
    """The repayment form asked, one answer given: the form is still active after it."""
    return [
        *user("帮我算算怎么还", "request_repayment_plan"),
        ActionExecuted("repayment_form"),
        ActiveLoop("repayment_form"),
        SlotSet("requested_slot", "balance"),
        *user(f"{balance}", "inform_finances"),
        SlotSet("balance", balance),
        ActionExecuted("repayment_form"),
        SlotSet("requested_slot", "lender_type"),
    ]


def conversation(turns: int, tail: list | None = None) -> DialogueStateTracker:
    events: list = [ActionExecuted("action_session_start"), SlotSet("months_overdue", 3.0)]
    for number in range(turns):
        events += question_turn(number)
        if number % 7 == 0:
            events += form_turns(10000.0 + number)
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    events += tail or []
    return DialogueStateTracker.from_events("long", events, slots=domain().slots)


def states(tracker: DialogueStateTracker, **flags) -> list:
    return domain().states_for_tracker_history(tracker, **flags)


def test_a_short_conversation_is_left_as_it_is():
    tracker = conversation(10)
    assert len(tracker.events) <= window.LONG_CONVERSATION
    assert window.recent_events(tracker) is None
    assert window.recent_tracker(tracker) is tracker


def test_a_long_conversation_keeps_its_latest_messages_after_a_prefix_of_slots():
    tracker = conversation(120, tail=form_turns(52000.0))
    recent = window.recent_events(tracker)
    assert recent is not None and len(recent) < len(tracker.events) / 5
    users = [event for event in recent if isinstance(event, UserUttered)]
    assert len(users) == window.KEPT_MESSAGES
    assert users[-1].text == "52000.0"
    prefix = recent[: recent.index(users[0])]
    assert SlotSet("months_overdue", 3.0) in prefix, "set at the start, never again"


def test_the_recent_tracker_has_the_same_slots_form_and_latest_message():
    tracker = conversation(120, tail=form_turns(52000.0))
    recent = window.recent_tracker(tracker)
    assert recent.current_slot_values() == tracker.current_slot_values()
    assert recent.active_loop_name == tracker.active_loop_name == "repayment_form"
    assert recent.latest_message.text == tracker.latest_message.text
    assert recent.latest_action_name == tracker.latest_action_name


def test_the_policies_see_the_same_states_for_the_latest_turns():
    tracker = conversation(130, tail=form_turns(52000.0) + question_turn(999))
    recent = window.recent_tracker(tracker)
    for flags in ({}, {"ignore_rule_only_turns": True, "rule_only_data": {}}):
        full, short = states(tracker, **flags), states(recent, **flags)
        # every state but the window's first, whose previous action was dropped
        compared = len(short) - 1
        assert compared >= window.KEPT_MESSAGES
        assert short[-compared:] == full[-compared:]


def test_the_window_reaches_back_to_the_latest_turns_that_rules_did_not_make():
    rule_turns = [event for n in range(80) for event in question_turn(n, by_rule=True)]
    tracker = conversation(40, tail=rule_turns)
    recent = window.recent_tracker(tracker)
    memoization = {"ignore_rule_only_turns": True, "rule_only_data": {}}
    full, short = states(tracker, **memoization), states(recent, **memoization)
    assert len(short) > 5 and short[-5:] == full[-5:]


def test_nothing_before_a_restart_comes_back():
    events = list(conversation(120).events)
    restart_at = len(events) - 30
    events.insert(restart_at, Restarted())
    tracker = DialogueStateTracker.from_events("long", events, slots=domain().slots)
    recent = window.recent_tracker(tracker)
    assert recent.get_slot("months_overdue") is None
    assert recent.current_slot_values() == tracker.current_slot_values()


def test_a_follow_up_action_is_carried_over():
    tracker = conversation(120)
    tracker.followup_action = "utter_greet"
    assert window.recent_tracker(tracker).followup_action == "utter_greet"


def test_the_action_server_gets_the_recent_events_and_every_slot():
    tracker = conversation(120, tail=form_turns(52000.0))

    def original(_action, given, _domain):
        return {"tracker": given.current_state(None), "sender_id": given.sender_id}

    call = window.make_action_call_on_recent(original)(None, tracker, domain())
    state = call["tracker"]
    assert call["sender_id"] == "long"
    assert state["slots"] == tracker.current_slot_values()
    assert state["latest_message"]["text"] == "52000.0"
    assert len(state["events"]) == len(window.recent_events(tracker))
    assert state["events"][-1] == tracker.events[-1].as_dict()


def test_reading_on_from_the_previous_window_start_gives_what_reading_back_gives():
    tracker = conversation(120)
    window.recent_events(tracker)  # remembers where this window started
    for event in form_turns(70000.0) + [ActiveLoop(None)] + list(conversation(30).events)[2:]:
        tracker.update(event)
    read_on = window.recent_events(tracker)
    window._starts.clear()
    assert read_on == window.recent_events(tracker)
