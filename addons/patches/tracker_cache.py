"""The SQL tracker store keeps the conversations it saved last, rebuilt, in memory.

Rasa's ``SQLTrackerStore.retrieve`` reads every event of the conversation's session from
the database, decodes each one and replays them all into a new tracker, at every message:
in one conversation of 300 turns, 57% of the Rasa server's time by turn 300 (measured,
docs/benchmark.md). Here the tracker a turn saved is kept, and the next ``retrieve`` of
that conversation returns it when the database still holds exactly what was saved: the
same latest event id of the conversation (one indexed lookup).

A tracker in which a new session began is not kept. Anything else falls back to Rasa's own reading: another server wrote to the conversation
(scale-out), it was deleted or purged, a turn changed the tracker without saving it (its
event count differs from the one saved), or the conversation is not among the
``KEPT_CONVERSATIONS`` saved last (and within ``KEPT_EVENTS`` events in all).
"""

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

KEPT_CONVERSATIONS = 200
# A bound on memory too: about 1-2 KB an event, so some 100 MB at most.
KEPT_EVENTS = 60_000
Stamp = int | None


@dataclass
class Kept:
    tracker: DialogueStateTracker
    events: int
    stamp: Stamp


class TrackerCache:
    """The trackers a store saved last, by conversation, oldest dropped first."""

    def __init__(self, size: int = KEPT_CONVERSATIONS, events: int = KEPT_EVENTS) -> None:
        self.size, self.max_events = size, events
        self.kept: OrderedDict[str, Kept] = OrderedDict()

    def keep(self, tracker: DialogueStateTracker, stamp: Stamp) -> None:
        self.kept[tracker.sender_id] = Kept(tracker, len(tracker.events), stamp)
        self.kept.move_to_end(tracker.sender_id)
        while len(self.kept) > self.size or (
            len(self.kept) > 1 and sum(k.events for k in self.kept.values()) > self.max_events
        ):
            self.kept.popitem(last=False)

    def find(self, sender_id: str, stamp: Stamp) -> DialogueStateTracker | None:
        kept = self.kept.get(sender_id)
        if kept is None or kept.stamp != stamp or len(kept.tracker.events) != kept.events:
            self.kept.pop(sender_id, None)
            return None
        return kept.tracker


def stored_stamp(store: SQLTrackerStore, sender_id: str) -> Stamp:
    """The conversation's latest event id in the database (None: no events): any write,
    by any server, and any deletion changes it. One lookup in the sender's index."""
    event = store.SQLEvent
    with store.session_scope() as session:
        latest = session.query(sa.func.max(event.id)).filter(event.sender_id == sender_id)
        return latest.scalar()


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


def one_session(tracker: DialogueStateTracker) -> bool:
    """Whether the tracker is what Rasa's ``retrieve`` would read: one session's events.
    A tracker in which a new session began holds the old one too, and Rasa's next
    ``save`` counts only the new session's stored events."""
    return sum(isinstance(event, SessionStarted) for event in tracker.events) <= 1


def make_remembering_save(original: Callable[..., Any]) -> Callable[..., Any]:
    async def save(store: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
        await original(store, tracker)
        cache = cache_of(store)
        if one_session(tracker):
            cache.keep(tracker, stored_stamp(store, tracker.sender_id))
        else:
            cache.kept.pop(tracker.sender_id, None)

    return save
