"""addons.patches.tracker_cache: the saved tracker comes back while the database agrees."""

import asyncio

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.patches.tracker_cache import (
    TrackerCache,
    make_cached_retrieve,
    make_remembering_save,
)
from addons.stores.conversations import delete_conversation

DOMAIN = Domain.from_yaml("slots:\n  balance:\n    type: any\n    mappings:\n    - type: custom\n")
retrieve = make_cached_retrieve(SQLTrackerStore.retrieve)
save = make_remembering_save(SQLTrackerStore.save)


def run(coroutine):
    return asyncio.run(coroutine)


def store_at(tmp_path) -> SQLTrackerStore:
    return SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))


def saved_conversation(store: SQLTrackerStore) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(
        "ann",
        [ActionExecuted("action_listen"), UserUttered("5万"), SlotSet("balance", 50000)],
        slots=DOMAIN.slots,
    )
    run(save(store, tracker))
    return tracker


def test_the_saved_tracker_comes_back_without_reading_its_events(tmp_path):
    store = store_at(tmp_path)
    tracker = saved_conversation(store)
    assert run(retrieve(store, "ann")) is tracker


def test_events_another_server_wrote_are_read_from_the_database(tmp_path):
    store = store_at(tmp_path)
    tracker = saved_conversation(store)
    other_server = store_at(tmp_path)
    theirs = run(SQLTrackerStore.retrieve(other_server, "ann"))
    theirs.update(SlotSet("balance", 60000))
    run(SQLTrackerStore.save(other_server, theirs))
    read = run(retrieve(store, "ann"))
    assert read is not tracker and read.get_slot("balance") == 60000


def test_a_tracker_changed_but_not_saved_is_read_again(tmp_path):
    store = store_at(tmp_path)
    tracker = saved_conversation(store)
    tracker.update(SlotSet("balance", 1))  # a turn that failed before saving
    read = run(retrieve(store, "ann"))
    assert read is not tracker and read.get_slot("balance") == 50000


def test_a_deleted_conversation_stays_deleted(tmp_path):
    store = store_at(tmp_path)
    saved_conversation(store)
    delete_conversation(store, "ann")
    assert run(retrieve(store, "ann")) is None


def test_the_oldest_conversations_are_dropped_beyond_the_bounds():
    cache = TrackerCache(size=2, events=5)
    trackers = [
        DialogueStateTracker.from_events(name, [ActionExecuted("action_listen")] * 2, slots=[])
        for name in ("a", "b", "c")
    ]
    for tracker in trackers:
        cache.keep(tracker, 1)
    assert list(cache.kept) == ["b", "c"]
    cache.keep(DialogueStateTracker.from_events("d", [ActionExecuted("x")] * 4, slots=[]), 1)
    assert list(cache.kept) == ["d"]


def test_a_tracker_in_which_a_new_session_began_is_read_again(tmp_path):
    store = store_at(tmp_path)
    tracker = saved_conversation(store)
    for event in (ActionExecuted("action_session_start"), SessionStarted()):
        tracker.update(event)
    tracker.update(SessionStarted())
    run(save(store, tracker))
    assert run(retrieve(store, "ann")) is not tracker
