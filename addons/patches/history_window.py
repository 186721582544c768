"""The recent part of a long conversation, for the two readers that walked all of it.

Measured on one conversation of 300 turns (docs/benchmark.md, "Where a long conversation's
time goes"): the policies rebuilt a dialogue state for every action of the whole history
at every prediction (``past_states``), and every custom action sent every event to the
action server as JSON. Both grew with the conversation; neither needs its beginning.
MemoizationPolicy looks at the last 5 states, the project's rules at fewer, and the
project's actions read the latest few messages (audited in docs/benchmark.md).

So once a conversation holds more than ``LONG_CONVERSATION`` events, both get a *window*:
the events from the ``KEPT_MESSAGES``-th latest user message on (further back if fewer than
``KEPT_STORY_ACTIONS`` actions since then were not rule turns), after a prefix that puts
back what the dropped events left behind - one ``SlotSet`` per slot whose value at that
point differs from its initial value, and the form that was active then. Replaying the
window gives the same slots, form and latest message as the whole history, and the same
dialogue states for the last ``KEPT_MESSAGES`` turns. Shorter conversations (every story
test and e2e journey) are left exactly as they were. The stored conversation is never
changed: the window is a view made for one prediction or one action call.
"""

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

LONG_CONVERSATION = 200
KEPT_MESSAGES = 12
KEPT_STORY_ACTIONS = 8  # MemoizationPolicy's max_history is 5
# Events after which nothing earlier counts for the slots and the form.
_FRESH_START = (Restarted, AllSlotsReset, SessionStarted)


def window_start(
    events: Sequence[Event],
    kept_messages: int = KEPT_MESSAGES,
    kept_story_actions: int = KEPT_STORY_ACTIONS,
) -> int:
    """Index of the latest user message with at least ``kept_messages`` user messages and
    ``kept_story_actions`` actions not hidden as rule turns from it on; 0 if none.

    MemoizationPolicy skips the turns that rules made (``hide_rule_turn``) and looks at the
    last states of the others, however far back they are: the window has to reach them.
    """
    messages = story_actions = 0
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, ActionExecuted) and not event.hide_rule_turn:
            story_actions += 1
        elif isinstance(event, UserUttered):
            messages += 1
            if messages >= kept_messages and story_actions >= kept_story_actions:
                return index
    return 0


@dataclass
class _Before:
    """The slots and form just before ``anchor`` (an event of one conversation)."""

    anchor: Event
    values: dict[str, Any]
    loop: str | None


# The latest window start of each conversation: the next one is found by reading on from
# it, not back through the whole history (a restart is rare).
_starts: OrderedDict[str, tuple[int, _Before]] = OrderedDict()
KEPT_STARTS = 1000


def _read_back(events: Sequence[Event], start: int, names: set[str]) -> _Before:
    values: dict[str, Any] = {}
    loop: str | None = None
    loop_found = False
    for event in reversed(events[:start]):
        if isinstance(event, _FRESH_START):
            break
        if isinstance(event, SlotSet) and event.key in names and event.key not in values:
            values[event.key] = event.value
        elif isinstance(event, ActiveLoop) and not loop_found:
            loop, loop_found = event.name, True
    return _Before(events[start], values, loop)


def _read_on(before: _Before, events: Sequence[Event], names: set[str]) -> tuple[dict, Any]:
    values, loop = dict(before.values), before.loop
    for event in events:
        if isinstance(event, _FRESH_START):
            values, loop = {}, None
        elif isinstance(event, SlotSet) and event.key in names:
            values[event.key] = event.value
        elif isinstance(event, ActiveLoop):
            loop = event.name
    return values, loop


def state_before(
    events: Sequence[Event], start: int, slots: Iterable[Any], sender_id: str = ""
) -> tuple[dict[str, Any], str | None]:
    """(slot values that differ from their initial ones, the active form) just before
    ``events[start]``: read back to the latest restart, slot reset or new session, or on
    from this conversation's previous window start."""
    initial = {slot.name: slot.initial_value for slot in slots}
    names = set(initial)
    kept = _starts.get(sender_id)
    if kept is not None and kept[0] <= start and events[kept[0]] is kept[1].anchor:
        values, loop = _read_on(kept[1], events[kept[0] : start], names)
        before = _Before(events[start], values, loop)
    else:
        before = _read_back(events, start, names)
    _starts[sender_id] = (start, before)
    _starts.move_to_end(sender_id)
    if len(_starts) > KEPT_STARTS:
        _starts.popitem(last=False)
    changed = {name: value for name, value in before.values.items() if value != initial[name]}
    return changed, before.loop


def prefix_events(values: dict[str, Any], loop: str | None, timestamp: float) -> list[Event]:
    events: list[Event] = [
        SlotSet(name, value, timestamp=timestamp) for name, value in values.items()
    ]
    if loop:
        events.append(ActiveLoop(loop, timestamp=timestamp))
    return events


def recent_events(tracker: DialogueStateTracker) -> list[Event] | None:
    """The window's events (prefix first), or None when the whole history is short."""
    events = list(tracker.events)
    if len(events) <= LONG_CONVERSATION:
        return None
    start = window_start(events)
    if start == 0:
        return None
    values, loop = state_before(events, start, tracker.slots.values(), tracker.sender_id)
    return prefix_events(values, loop, events[start].timestamp) + events[start:]


def recent_tracker(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A tracker of the window (see the module docstring), or ``tracker`` itself."""
    window = recent_events(tracker)
    if window is None:
        return tracker
    recent = DialogueStateTracker.from_events(
        tracker.sender_id, window, slots=list(tracker.slots.values())
    )
    recent.followup_action = tracker.followup_action
    return recent


# --- the two patched readers (installed by addons.patches.speedups.install) -------------


def make_prediction_on_recent(original: Any) -> Any:
    """``MessageProcessor._predict_next_with_tracker`` that lets the policies see the
    window. A follow-up action is not predicted: it is left to Rasa, which clears it on
    the real tracker."""

    def predict_next_with_tracker(processor: Any, tracker: DialogueStateTracker) -> Any:
        if tracker.followup_action:
            return original(processor, tracker)
        return original(processor, recent_tracker(tracker))

    return predict_next_with_tracker


class _WithRecentEvents:
    """The tracker as ``_action_call_format`` reads it, its events those of the window."""

    def __init__(self, tracker: DialogueStateTracker, window: list[Event]) -> None:
        self._tracker, self._window = tracker, window

    def current_state(self, _verbosity: EventVerbosity) -> dict[str, Any]:
        state = self._tracker.current_state(EventVerbosity.NONE)
        state["events"] = [event.as_dict() for event in self._window]
        return state

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tracker, name)


def make_action_call_on_recent(original: Any) -> Any:
    """``RemoteAction._action_call_format`` that sends the action server the window's
    events (the slots, latest message and form are the real ones, as before)."""

    def action_call_format(action: Any, tracker: DialogueStateTracker, domain: Any) -> Any:
        window = recent_events(tracker)
        if window is None:
            return original(action, tracker, domain)
        return original(action, _WithRecentEvents(tracker, window), domain)

    return action_call_format
