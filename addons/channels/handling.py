"""The request handling both chat channels share: guard, bot, fallback, deletion.

The "please try again" reply (utter_action_unavailable) is added when the bot said
nothing, and also when an action failed during the turn (the user may then have had
only the first part of the answer, e.g. a form's intro without its question).

A turn and the deletion it confirms run under one hold of the conversation's lock
(what Rasa's ``Agent.handle_message`` does, plus the deletion): a message sent at the
same moment waits, then starts a new conversation; it never writes into the deleted
one or brings its events back. The answer to a turn that deleted the conversation has
the header ``X-Conversation-Deleted: true`` (both channels) and, for the web chat, a
last message ``{"custom": {"type": "conversation_deleted"}}``: the widget then clears
the screen as its delete button does.

A message with the client's ``message_id`` is handled once: a repeat gets the earlier
reply (addons/channels/replies.py) with the header ``X-Message-Repeat: true``.

Rasa's own intents that the domain does not declare (``/restart``, ``/back``,
``/session_start``, ``/nlu_fallback``) are refused with a friendly reply: typed by a
user they would wipe the conversation's figures. The domain's intents still work as
button payloads.
"""

import asyncio
import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.constants import DEFAULT_INTENTS
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.failures import watch_turn
from addons.channels.guard import (
    GuardError,
    check_message,
    clean_text,
    client_message_id,
    parse_body,
)
from addons.channels.history import MAX_DISPLAY_TEXT
from addons.channels.replies import REPLIES, Reply, earlier_reply
from addons.channels.shaping import shaped_reply
from addons.channels.texts import domain_intents, unavailable_text
from addons.stores.conversations import (
    UnsupportedTrackerStore,
    delete_conversation,
    latest_turn_actions,
)

logger = logging.getLogger(__name__)

# The action that confirms a deletion the user asked for and then confirmed.
DELETE_ACTION = "action_delete_my_data"
DELETED_HEADER = "X-Conversation-Deleted"
REPEAT_HEADER = "X-Message-Repeat"
DELETED_PAYLOAD = {"type": "conversation_deleted"}
# Rasa's own bookkeeping intent: no button of ours sends it.
INTERNAL_INTENTS = frozenset({"session_start"})

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def known_intents(agent: Any) -> frozenset[str]:
    """Intents a button payload may name: the loaded model's, else domain.yml's."""
    domain = getattr(agent, "domain", None)
    if domain is None or not domain.intents:
        return domain_intents()
    return frozenset(domain.intents) - INTERNAL_INTENTS


def refused_intents() -> frozenset[str]:
    """Rasa's built-in intents the domain does not declare itself (``out_of_scope`` is ours)."""
    return frozenset(DEFAULT_INTENTS) - domain_intents()


def fallback_text(agent: Any) -> str:
    domain = getattr(agent, "domain", None)
    return unavailable_text(domain.responses if domain is not None else None)


def with_fallback(messages: list[dict], sender: str, text: str, failed: bool = False) -> list[dict]:
    """The bot's messages, then "please try again" if it said nothing or failed."""
    if messages and not failed:
        return messages
    return [*messages, {"recipient_id": sender, "text": text}]


def guard_reply(sender: str | None, error: GuardError) -> HTTPResponse:
    if error.is_reply:
        return response.json([{"recipient_id": sender, "text": error.text}])
    return response.json(error.as_json(), status=error.status)


def message_metadata(body: dict[str, Any]) -> dict[str, Any] | None:
    """The client's metadata, with ``display_text`` (a button's title) cleaned."""
    metadata = dict(body.get("metadata") or {})
    display = metadata.get("display_text")
    if display is not None:
        display = clean_text(display)[:MAX_DISPLAY_TEXT] if isinstance(display, str) else ""
        metadata["display_text"] = display
    return metadata or None


async def ask_bot(on_new_message: OnNewMessage, message: UserMessage) -> bool:
    """Runs the bot; False when it or one of its actions failed (errors are logged)."""
    with watch_turn() as failures:
        try:
            await on_new_message(message)
        except CancelledError:
            logger.error("Handling the message of %s timed out.", message.sender_id)
            return False
        except Exception:
            logger.exception("Handling the message of %s failed.", message.sender_id)
            return False
    return not failures


async def delete_if_asked(agent: Any, sender: str) -> bool:
    """Deletes the conversation when the bot has just confirmed a deletion.

    Call it with the conversation's lock held (``run_turn`` does).
    """
    store = getattr(agent, "tracker_store", None)
    try:
        if store is None or DELETE_ACTION not in await latest_turn_actions(store, sender):
            return False
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, delete_conversation, store, sender)
        return True
    except UnsupportedTrackerStore as error:
        logger.warning("Could not delete the conversation of %s: %s", sender, error)
    except Exception:
        logger.exception("Deleting the conversation of %s failed.", sender)
    return False


def is_ready(agent: Any) -> bool:
    """An agent with a model, a lock store and a processor (else Rasa ignores messages)."""
    ready = getattr(agent, "is_ready", None)
    return bool(ready and ready()) and getattr(agent, "lock_store", None) is not None


async def run_turn(
    agent: Any, on_new_message: OnNewMessage, message: UserMessage
) -> tuple[bool, bool]:
    """(the bot succeeded, the conversation was deleted), turn and deletion under one lock."""
    succeeded, deleted, _ = await take_turn(agent, on_new_message, message)
    return succeeded, deleted


async def take_turn(
    agent: Any, on_new_message: OnNewMessage, message: UserMessage, message_id: str | None = None
) -> tuple[bool, bool, list[dict] | None]:
    """``run_turn``, and with a client ``message_id`` first, under the same lock, the
    reply a server already gave to it (then the bot is not asked again)."""
    if not is_ready(agent):
        return await ask_bot(on_new_message, message), False, None
    succeeded = deleted = False
    try:
        async with agent.lock_store.lock(message.sender_id):
            if message_id is not None:
                earlier = await earlier_reply(agent.tracker_store, message.sender_id, message_id)
                if earlier is not None:
                    return True, False, earlier
            succeeded = await ask_bot(agent.processor.handle_message, message)
            deleted = await delete_if_asked(agent, message.sender_id)
    except Exception:  # the lock store (e.g. Redis) failed
        logger.exception("Locking the conversation of %s failed.", message.sender_id)
    return succeeded, deleted, None


async def answer_message(
    agent: Any,
    on_new_message: OnNewMessage,
    message: UserMessage,
    message_id: str | None,
) -> Reply:
    """The turn of one message as the reply the channel sends (and may send again)."""
    sender = message.sender_id
    collector = message.output_channel
    succeeded, deleted, earlier = await take_turn(agent, on_new_message, message, message_id)
    text = fallback_text(agent)
    if earlier is not None:
        return Reply(with_fallback(earlier, sender, text), repeated=True)
    said = collector.messages if isinstance(collector, CollectingOutputChannel) else []
    if deleted:  # nothing of the deleted conversation stays in memory either
        REPLIES.forget(sender, keep=message_id)
    messages = with_fallback(said, sender, text, failed=not succeeded)
    if succeeded and not deleted:
        store = getattr(agent, "tracker_store", None)
        messages = await shaped_reply(store, sender, message.text or "", messages)
    return Reply(messages, deleted=deleted, succeeded=succeeded)


def reply_response(reply: Reply, sender: str, signal_in_body: bool) -> HTTPResponse:
    headers = {}
    messages = list(reply.messages)
    if reply.deleted:
        headers[DELETED_HEADER] = "true"
        if signal_in_body:
            messages.append({"recipient_id": sender, "custom": dict(DELETED_PAYLOAD)})
    if reply.repeated:
        headers[REPEAT_HEADER] = "true"
    return response.json(messages, headers=headers or None)


async def handle_chat(
    request: Request,
    on_new_message: OnNewMessage,
    channel_name: str,
    signal_deletion_in_body: bool = False,
) -> HTTPResponse:
    """POST webhook: ``{"sender", "message"[, "metadata"][, "message_id"]}`` to the bot's
    messages; ``signal_deletion_in_body`` adds the ``conversation_deleted`` payload."""
    agent = request.app.ctx.agent
    text, error = check_message(request.body, known_intents(agent), refused_intents())
    body, _ = parse_body(request.body)
    if error:
        return guard_reply(body.get("sender") if isinstance(body, dict) else None, error)
    sender = body["sender"]
    message_id = client_message_id(body)
    message = UserMessage(
        text,
        CollectingOutputChannel(),
        sender,
        input_channel=channel_name,
        message_id=message_id,
        metadata=message_metadata(body),
    )

    def handle() -> Awaitable[Reply]:
        return answer_message(agent, on_new_message, message, message_id)

    if message_id is None:
        reply = await handle()
    else:  # a resend of a message being handled or handled already gets its reply
        reply = await REPLIES.answer((sender, message_id), handle)
    return reply_response(reply, sender, signal_deletion_in_body)
