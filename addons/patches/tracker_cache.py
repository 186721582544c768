"""The SQL tracker store keeps the conversations it saved last, rebuilt, in memory.

Rasa's ``SQLTrackerStore.retrieve`` reads every event of the conversation's session from
the database, decodes each one and replays them all into a new tracker, at every message:
in one conversation of 300 turns, 57% of the Rasa server's time by turn 300 (measured,
docs/benchmark.md). Here the tracker a turn saved is kept, and the next ``retrieve`` of
that conversation returns it when the database still holds exactly what was saved: the
same number of events in the session and the same latest event id (one indexed query).

Anything else falls back to Rasa's own reading: another server wrote to the conversation
(scale-out), it was deleted or purged, a turn changed the tracker without saving it (its
event count differs from the one saved), or the conversation is not among the
``KEPT_CONVERSATIONS`` saved last.
"""

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

KEPT_CONVERSATIONS = 200
Stamp = tuple[int, int | None]


@dataclass
class Kept:
    tracker: DialogueStateTracker
    events: int
    stamp: Stamp


class TrackerCache:
    """The trackers a store saved last, by conversation, oldest dropped first."""

    def __init__(self, size: int = KEPT_CONVERSATIONS) -> None:
        self.size = size
        self.kept: OrderedDict[str, Kept] = OrderedDict()

    def keep(self, tracker: DialogueStateTracker, stamp: Stamp) -> None:
        self.kept[tracker.sender_id] = Kept(tracker, len(tracker.events), stamp)
        self.kept.move_to_end(tracker.sender_id)
        while len(self.kept) > self.size:
            self.kept.popitem(last=False)

    def find(self, sender_id: str, stamp: Stamp) -> DialogueStateTracker | None:
        kept = self.kept.get(sender_id)
        if kept is None or kept.stamp != stamp or len(kept.tracker.events) != kept.events:
            self.kept.pop(sender_id, None)
            return None
        return kept.tracker


def stored_stamp(store: SQLTrackerStore, sender_id: str) -> Stamp:
    """(number of events in the latest session, the latest event id) in the database."""
    event = store.SQLEvent
    with store.session_scope() as session:
        query = store._event_query(session, sender_id, fetch_events_from_all_sessions=False)
        count, latest = (
            query.order_by(None).with_entities(sa.func.count(event.id), sa.func.max(event.id)).one()
        )
    return int(count), latest


def cache_of(store: SQLTrackerStore) -> TrackerCache:
    cache = getattr(store, "_coach_tracker_cache", None)
    if cache is None:
        cache = TrackerCache()
        store._coach_tracker_cache = cache
    return cache


def make_cached_retrieve(original: Callable[..., Any]) -> Callable[..., Any]:
    async def retrieve(store: SQLTrackerStore, sender_id: str) -> DialogueStateTracker | None:
        kept = cache_of(store).find(sender_id, stored_stamp(store, sender_id))
        if kept is not None:
            return kept
        tracker: DialogueStateTracker | None = await original(store, sender_id)
        return tracker

    return retrieve


def make_remembering_save(original: Callable[..., Any]) -> Callable[..., Any]:
    async def save(store: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
        await original(store, tracker)
        cache_of(store).keep(tracker, stored_stamp(store, tracker.sender_id))

    return save
