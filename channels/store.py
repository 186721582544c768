"""Reads and deletes conversations in Rasa's tracker store."""


from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered


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


async def latest_turn_actions(tracker_store: TrackerStore, sender_id: str) -> list[str]:
    """The names of the actions the bot ran in answer to the latest user message."""
    store = unwrap(tracker_store)
    if isinstance(store, SQLTrackerStore):
        return latest_turn_sql_actions(store, sender_id)
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
