"""A message the channel has already handled is answered again, not handled twice.

The widget gives every message a ``message_id`` and sends the same id again when it
resends (after a timeout the first request may well have arrived). Two layers:

* ``ReplyCache``, per process: the replies of the latest messages per (sender,
  message_id), bounded in number and age, and the turns still running. A repeat that
  arrives while its first request is being handled waits for that turn and gets its
  reply; the turn itself is shielded from the first client going away, so it finishes
  and its reply is kept for the resend.
* ``earlier_reply``, across servers (the scale-out profile: several Rasa servers share
  PostgreSQL and a Redis lock store): Rasa stores the client's id in the user event
  (``UserUttered.message_id``), so under the conversation's lock the channel looks for a
  user event with that id and rebuilds the bot's reply from the events that follow it.

A deletion forgets the sender's cached replies; the reply of the message that asked for
the deletion stays (it says only that the records were deleted).
"""

import asyncio
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, TrackerStore

from addons.channels.history import bot_messages
from addons.stores.conversations import unwrap

logger = logging.getLogger(__name__)

MAX_REPLIES = 2000
MAX_AGE_SECONDS = 15 * 60
# The user events searched for the id: a resend follows its message closely.
RECENT_USER_EVENTS = 50

Key = tuple[str, str]


@dataclass
class Reply:
    """What the channel answered to one message."""

    messages: list[dict[str, Any]]
    deleted: bool = False
    repeated: bool = False
    # False when the bot or the lock store failed: such a reply is not kept, so a resend
    # is handled again (or answered from the tracker if the message did reach the bot).
    succeeded: bool = True
    at: float = field(default_factory=time.monotonic)

    def again(self) -> "Reply":
        return Reply(self.messages, self.deleted, True, self.succeeded, self.at)


class ReplyCache:
    """The recent replies and the running turns of this process, by (sender, message_id)."""

    def __init__(self, size: int = MAX_REPLIES, max_age: float = MAX_AGE_SECONDS):
        self.size, self.max_age = size, max_age
        self.done: OrderedDict[Key, Reply] = OrderedDict()
        self.running: dict[Key, asyncio.Future[Reply]] = {}

    def get(self, key: Key) -> Reply | None:
        reply = self.done.get(key)
        if reply is None:
            return None
        if time.monotonic() - reply.at > self.max_age:
            del self.done[key]
            return None
        return reply

    def put(self, key: Key, reply: Reply) -> None:
        self.done[key] = reply
        self.done.move_to_end(key)
        while len(self.done) > self.size:
            self.done.popitem(last=False)

    def forget(self, sender: str, keep: str | None = None) -> None:
        """Drops the sender's replies (a deletion), except the one of message ``keep``."""
        for key in [k for k in self.done if k[0] == sender and k[1] != keep]:
            del self.done[key]

    def _finished(self, key: Key, task: "asyncio.Future[Reply]") -> None:
        if self.running.get(key) is task:
            del self.running[key]
        if not task.cancelled() and task.exception() is None and task.result().succeeded:
            self.put(key, task.result())

    async def answer(self, key: Key, handle: Callable[[], Awaitable[Reply]]) -> Reply:
        """The cached reply to ``key``, the running turn's, or ``handle()``'s (once)."""
        cached = self.get(key)
        if cached is not None:
            return cached.again()
        task = self.running.get(key)
        repeated = task is not None
        if task is None:
            task = asyncio.ensure_future(handle())
            self.running[key] = task
            task.add_done_callback(partial(self._finished, key))
        reply = await asyncio.shield(task)
        return reply.again() if repeated else reply

    def clear(self) -> None:
        self.done.clear()
        self.running.clear()


REPLIES = ReplyCache()


# --- Across servers: the tracker's own events -------------------------------------------


def reply_after(
    events: Iterable[dict[str, Any]], message_id: str, sender_id: str
) -> list[dict] | None:
    """The bot messages that answered the user event ``message_id``, in the REST shape;
    None when no user event has that id."""
    found, messages = False, []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            if found:
                break
            found = event.get("message_id") == message_id
        elif found and kind == "bot":
            messages.extend(bot_messages(event))
    if not found:
        return None
    return [
        {"recipient_id": sender_id, **{k: v for k, v in m.items() if k != "role"}} for m in messages
    ]


def sql_events_from(store: SQLTrackerStore, sender_id: str, message_id: str) -> list[dict]:
    """The user event with ``message_id`` among the latest ones and every event after it."""
    event = store.SQLEvent
    with store.session_scope() as session:
        candidates = (
            session.query(event.id, event.data)
            .filter(event.sender_id == sender_id, event.type_name == "user")
            .order_by(event.id.desc())
            .limit(RECENT_USER_EVENTS)
            .all()
        )
        first = next(
            (row.id for row in candidates if message_id in (row.data or "")), None
        )  # a cheap test; reply_after compares the parsed id
        if first is None:
            return []
        rows = (
            session.query(event.data)
            .filter(event.sender_id == sender_id, event.id >= first)
            .order_by(event.id)
            .all()
        )
    return [json.loads(row.data) for row in rows if row.data]


async def stored_events(store: TrackerStore, sender_id: str, message_id: str) -> list[dict]:
    """Events of the conversation that may hold the user event ``message_id``."""
    if isinstance(store, SQLTrackerStore):
        loop = asyncio.get_running_loop()
        read = partial(sql_events_from, store, sender_id, message_id)
        return await loop.run_in_executor(None, read)
    if isinstance(store, InMemoryTrackerStore):
        serialised = store.store.get(sender_id)
        if serialised is None or message_id not in str(serialised):
            return []  # most messages are new: no tracker to deserialise
    tracker = await store.retrieve(sender_id)
    return [event.as_dict() for event in tracker.events] if tracker else []


async def earlier_reply(
    tracker_store: Any, sender_id: str, message_id: str
) -> list[dict[str, Any]] | None:
    """The reply the bot gave to ``message_id`` on any server, or None if it has none.

    Call it with the conversation's lock held. A store that cannot be read counts as
    "no earlier reply" (logged): the message is then handled.
    """
    if tracker_store is None:
        return None
    try:
        events = await stored_events(unwrap(tracker_store), sender_id, message_id)
    except Exception:
        logger.exception("Looking for an earlier reply of %s failed.", sender_id)
        return None
    return reply_after(events, message_id, sender_id)
