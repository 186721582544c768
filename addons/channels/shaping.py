"""Applies the reply shaping of the core (coach/replies/shaping.py) to one turn's reply:
the user's text, the intent it was read as and what the bot said before come from the
conversation's stored events.

The shaped reply is what the user sees; the stored bot events keep the full texts (the
details a button asks for again). A store that cannot be read leaves the reply as it is.
"""

import logging
from collections.abc import Sequence
from typing import Any

from addons.channels.history import bot_messages
from addons.stores.conversations import unwrap
from coach.replies.shaping import Turn, shape

logger = logging.getLogger(__name__)

# The bot texts looked back on for repeats and for "太长了".
RECENT_BOT_TEXTS = 40


def turn_of(events: Sequence[dict[str, Any]], text: str) -> Turn:
    """The turn that the latest user event starts, with the bot texts said before it."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    intent = None
    if last_user >= 0:
        intent = ((events[last_user].get("parse_data") or {}).get("intent") or {}).get("name")
    earlier = [
        str(message["text"])
        for event in events[: max(last_user, 0)]
        if event.get("event") == "bot"
        for message in bot_messages(event)
        if message.get("text")
    ]
    return Turn(text, intent if isinstance(intent, str) else None, earlier[-RECENT_BOT_TEXTS:])


async def shaped_reply(
    tracker_store: Any, sender: str, text: str, messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The turn's messages shaped; as they were when the conversation cannot be read."""
    if tracker_store is None or not messages:
        return messages
    try:
        tracker = await unwrap(tracker_store).retrieve(sender)
    except Exception:
        logger.exception("Reading the conversation of %s to shape its reply failed.", sender)
        return messages
    if tracker is None:
        return messages
    events = [event.as_dict() for event in tracker.events]
    shaped = shape(turn_of(events, text), messages)
    return [{"recipient_id": sender, **message} for message in shaped]
