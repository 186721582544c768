"""Reads and deletes conversations in Rasa's tracker store.

Deleting while a turn of the same conversation runs would lose the deletion: the turn
saves its tracker afterwards, and Rasa's SQL store, finding no stored events, writes
the whole conversation back. So every deletion from outside a turn goes through
``delete_conversation_locked``, which takes the conversation's lock from Rasa's lock
store first (the lock every message takes; ``agent.lock_store``).
"""

import asyncio
import json
import logging
from functools import partial

import sqlalchemy as sa
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)


class UnsupportedTrackerStore(Exception):
    """Deleting a conversation is implemented for the SQL and in-memory stores only."""


def unwrap(tracker_store: TrackerStore) -> TrackerStore:
    """The real store behind Rasa's FailSafeTrackerStore / AwaitableTrackerStore."""
    while hasattr(tracker_store, "_tracker_store"):
        tracker_store = tracker_store._tracker_store
    return tracker_store


def delete_sql_events(store: SQLTrackerStore, sender_id: str) -> int:
    with store.session_scope() as session:
        query = session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender_id)
        deleted = query.delete(synchronize_session=False)
        session.commit()
    return deleted


def delete_conversation(tracker_store: TrackerStore, sender_id: str) -> bool:
    """Removes every stored event of ``sender_id``; True when there was something."""
    store = unwrap(tracker_store)
    if isinstance(store, SQLTrackerStore):
        return delete_sql_events(store, sender_id) > 0
    if isinstance(store, InMemoryTrackerStore):
        return store.store.pop(sender_id, None) is not None
    raise UnsupportedTrackerStore(
        f"Deleting conversations is not implemented for {type(store).__name__}; "
        "use the SQL or in-memory tracker store."
    )


async def delete_conversation_locked(
    lock_store: LockStore, tracker_store: TrackerStore, sender_id: str
) -> bool:
    """``delete_conversation`` under the conversation's lock (``agent.lock_store``).

    A message of the conversation that is being handled is finished first; one that
    arrives meanwhile waits and then starts a new, empty conversation. The database
    work runs in a thread, so other conversations' replies go on.
    """
    async with lock_store.lock(sender_id):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, delete_conversation, tracker_store, sender_id)


async def conversation_events(tracker_store: TrackerStore, sender_id: str) -> list[dict]:
    """All stored events of a conversation, across sessions, as dicts."""
    store = unwrap(tracker_store)
    tracker = await store.retrieve_full_tracker(sender_id)
    return [event.as_dict() for event in tracker.events] if tracker else []


def latest_turn_sql_actions(store: SQLTrackerStore, sender_id: str) -> list[str]:
    """The actions run since the latest user message, from two indexed queries."""
    event = store.SQLEvent
    with store.session_scope() as session:
        latest_user = (
            session.query(event.id)
            .filter(event.sender_id == sender_id, event.type_name == "user")
            .order_by(event.id.desc())
            .first()
        )
        if latest_user is None:
            return []
        rows = (
            session.query(event.action_name)
            .filter(
                event.sender_id == sender_id,
                event.type_name == "action",
                event.id > latest_user[0],
            )
            .all()
        )
    return [row[0] for row in rows]


def latest_turn_memory_actions(store: InMemoryTrackerStore, sender_id: str) -> list[str]:
    """The same from the stored JSON, read from its end: rebuilding the tracker to look
    at one turn cost more the longer the conversation (measured, docs/benchmark.md)."""
    serialised = store.store.get(sender_id)
    if serialised is None:
        return []
    actions: list[str] = []
    for event in reversed(json.loads(serialised).get("events") or []):
        if event.get("event") == "user":
            break
        if event.get("event") == "action" and event.get("name"):
            actions.append(event["name"])
    return actions[::-1]


async def latest_turn_actions(tracker_store: TrackerStore, sender_id: str) -> list[str]:
    """The names of the actions the bot ran in answer to the latest user message."""
    store = unwrap(tracker_store)
    if isinstance(store, SQLTrackerStore):
        return latest_turn_sql_actions(store, sender_id)
    if isinstance(store, InMemoryTrackerStore):
        return latest_turn_memory_actions(store, sender_id)
    tracker = await store.retrieve(sender_id)
    if tracker is None:
        return []
    actions: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name:
            actions.append(event.action_name)
    return actions[::-1]


# --- Retention: conversations idle for too long (addons/stores/retention.py) ----------------


def idle_sql_senders(store: SQLTrackerStore, cutoff: float) -> list[str]:
    """The conversations whose latest event is older than ``cutoff`` (epoch seconds)."""
    event = store.SQLEvent
    with store.session_scope() as session:
        rows = (
            session.query(event.sender_id)
            .group_by(event.sender_id)
            .having(sa.func.max(event.timestamp) < cutoff)
            .all()
        )
    return [row[0] for row in rows]


def delete_sql_events_if_idle(store: SQLTrackerStore, sender_id: str, cutoff: float) -> int:
    """Deletes the conversation in one statement, unless it has an event since ``cutoff``."""
    event = store.SQLEvent
    newer = sa.orm.aliased(event)
    recent = sa.exists().where(newer.sender_id == sender_id, newer.timestamp >= cutoff)
    with store.session_scope() as session:
        query = session.query(event).filter(event.sender_id == sender_id, ~recent)
        deleted = query.delete(synchronize_session=False)
        session.commit()
    return deleted


def latest_timestamp(tracker: DialogueStateTracker) -> float | None:
    return max((e.timestamp for e in tracker.events if e.timestamp), default=None)


async def idle_memory_senders(
    store: InMemoryTrackerStore, cutoff: float, sender_ids: list[str] | None = None
) -> list[str]:
    idle = []
    for sender_id in list(store.store) if sender_ids is None else sender_ids:
        tracker = await store.retrieve_full_tracker(sender_id)
        latest = latest_timestamp(tracker) if tracker else None
        if latest is not None and latest < cutoff:
            idle.append(sender_id)
    return idle


async def purge_idle_conversations(
    lock_store: LockStore, tracker_store: TrackerStore, cutoff: float
) -> list[str]:
    """Deletes every conversation with no event since ``cutoff``; returns their ids.

    Each one is checked again and deleted under its lock, so a user coming back at
    that moment either finds the old conversation (the purge then skips it) or a new
    one, never half of it. The database work runs in a thread.
    """
    store = unwrap(tracker_store)
    loop = asyncio.get_running_loop()
    if isinstance(store, SQLTrackerStore):
        candidates = await loop.run_in_executor(None, idle_sql_senders, store, cutoff)
    elif isinstance(store, InMemoryTrackerStore):
        candidates = await idle_memory_senders(store, cutoff)
    else:
        raise UnsupportedTrackerStore(
            f"Expiring conversations is not implemented for {type(store).__name__}; "
            "use the SQL or in-memory tracker store."
        )
    deleted, failures = [], 0
    for sender_id in candidates:
        try:
            if await delete_if_still_idle(lock_store, store, sender_id, cutoff):
                deleted.append(sender_id)
        except Exception:  # e.g. the lock store is away: the next purge tries again
            failures += 1
            logger.exception("Deleting an idle conversation failed.")
    if failures:
        logger.error("%d of %d idle conversations were not deleted.", failures, len(candidates))
    return deleted


async def delete_if_still_idle(
    lock_store: LockStore, store: TrackerStore, sender_id: str, cutoff: float
) -> bool:
    async with lock_store.lock(sender_id):
        if isinstance(store, SQLTrackerStore):
            loop = asyncio.get_running_loop()
            delete = partial(delete_sql_events_if_idle, store, sender_id, cutoff)
            return await loop.run_in_executor(None, delete) > 0
        if not await idle_memory_senders(store, cutoff, [sender_id]):
            return False
        return store.store.pop(sender_id, None) is not None


# --- Review (scripts/review.py): which conversations a reviewer may read --------------------


def sql_senders_to_review(
    store: SQLTrackerStore, since: float | None, until: float | None, deleted_action: str
) -> list[str]:
    """Conversations with an event in [since, until), except any whose user confirmed a
    deletion (``deleted_action`` ran: the channel should have removed it; it is never read)."""
    event = store.SQLEvent
    deleted = (
        sa.select(event.sender_id)
        .where(event.type_name == "action", event.action_name == deleted_action)
        .scalar_subquery()
    )
    with store.session_scope() as session:
        query = session.query(event.sender_id).filter(~event.sender_id.in_(deleted))
        if since is not None:
            query = query.filter(event.timestamp >= since)
        if until is not None:
            query = query.filter(event.timestamp < until)
        rows = query.distinct().order_by(event.sender_id).all()
    return [row[0] for row in rows]


async def senders_to_review(
    tracker_store: TrackerStore, since: float | None, until: float | None, deleted_action: str
) -> list[str]:
    store = unwrap(tracker_store)
    if isinstance(store, SQLTrackerStore):
        loop = asyncio.get_running_loop()
        query = partial(sql_senders_to_review, store, since, until, deleted_action)
        return await loop.run_in_executor(None, query)
    return sorted(await store.keys())
