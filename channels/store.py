"""Reads and deletes conversations in Rasa's tracker store."""


from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, TrackerStore


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


def latest_sql_intent(store: SQLTrackerStore, sender_id: str) -> str | None:
    """One indexed query instead of rebuilding the whole tracker."""
    event = store.SQLEvent
    with store.session_scope() as session:
        row = (
            session.query(event.intent_name)
            .filter(event.sender_id == sender_id, event.type_name == "user")
            .order_by(event.id.desc())
            .first()
        )
    return row[0] if row else None


async def latest_intent(tracker_store: TrackerStore, sender_id: str) -> str | None:
    """The intent of the conversation's latest user message, if any."""
    store = unwrap(tracker_store)
    if isinstance(store, SQLTrackerStore):
        return latest_sql_intent(store, sender_id)
    tracker = await store.retrieve(sender_id)
    if tracker is None:
        return None
    return (tracker.latest_message.intent or {}).get("name")
