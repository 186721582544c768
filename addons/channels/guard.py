"""Checks a chat request before anything reaches Rasa's NLU. No Rasa import.

``check_message(body)`` returns ``(text, None)`` for a message to send to the bot, or
``(None, GuardError)``: status 400 for a malformed request (a clear JSON error for the
client), status 200 for a message the channel answers itself (empty, longer than
``MAX_MESSAGE_LENGTH``: it is not cut, the user is asked for the key point instead; or one
of Rasa's own commands such as ``/restart``, which are not for users).

A message may carry the client's ``message_id`` (``MESSAGE_ID``: 8 to 64 letters, digits,
``_`` or ``-``): the channel answers a repeat of it with the earlier reply
(addons/channels/replies.py).
"""

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from addons.channels.texts import channel_texts, domain_intents

MAX_SENDER_LENGTH = 128
MAX_MESSAGE_LENGTH = 1000
# Zero-width (non-)joiners are format characters that emoji sequences need.
KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d"}
COMMAND = re.compile(r"/(?P<intent>[A-Za-z_][A-Za-z0-9_-]*)(?P<entities>\{.*\})?", re.DOTALL)
MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


@dataclass(frozen=True)
class GuardError:
    """Why a message is not sent to the bot, and what to answer instead."""

    status: int
    code: str
    text: str

    @property
    def is_reply(self) -> bool:
        """True when the user gets ``text`` as a normal bot reply (not an HTTP error)."""
        return self.status == 200

    def as_json(self) -> dict:
        return {"status": self.status, "error": self.code, "message": self.text}


def bad_request(code: str) -> GuardError:
    return GuardError(400, code, channel_texts()["errors"][code])


def reply(code: str, **values: Any) -> GuardError:
    return GuardError(200, code, channel_texts()[code].format(**values).strip())


def parse_body(body: Any) -> tuple[Any, GuardError | None]:
    """Raw bytes or text to a JSON value; an already-parsed value passes as it is."""
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body).decode("utf-8", errors="replace")
    if body is None or isinstance(body, str) and not body.strip():
        return None, bad_request("not_json")
    if not isinstance(body, str):
        return body, None
    try:
        return json.loads(body), None
    except ValueError:
        return None, bad_request("not_json")


def fix_surrogates(text: str) -> str:
    """Joins valid surrogate pairs and replaces lone surrogates with U+FFFD."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def is_dropped(character: str) -> bool:
    """Control and invisible format characters, except the newline and the joiners."""
    category = unicodedata.category(character)
    if category == "Cf":
        return character not in KEPT_FORMAT_CHARACTERS
    return category == "Cc" and character != "\n"


def clean_text(text: str) -> str:
    """Surrogates fixed, CR/LF and tabs normalised, control characters removed, trimmed."""
    text = fix_surrogates(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(c for c in text if not is_dropped(c)).strip()


def is_valid_sender(sender: Any) -> bool:
    if not isinstance(sender, str) or not sender.strip():
        return False
    return len(sender) <= MAX_SENDER_LENGTH and clean_text(sender) == sender


def is_button_payload(text: str, known_intents: Iterable[str]) -> bool:
    """``/intent`` or ``/intent{json object}`` with an intent the domain knows."""
    match = COMMAND.fullmatch(text)
    if not match or match.group("intent") not in set(known_intents):
        return False
    entities = match.group("entities")
    if entities is None:
        return True
    try:
        return isinstance(json.loads(entities), dict)
    except ValueError:
        return False


def names_refused_intent(text: str, refused_intents: Iterable[str]) -> bool:
    """``/restart``, ``/session_start{...}`` and the like: a command naming a refused intent."""
    match = COMMAND.match(text)
    return match is not None and match.group("intent") in set(refused_intents)


def neutralise_command(text: str, known_intents: Iterable[str]) -> str:
    """A text starting with "/" that is no known button payload loses its slashes."""
    if not text.startswith("/") or is_button_payload(text, known_intents):
        return text
    return text.lstrip("/").strip()


def check_fields(body: Any) -> GuardError | None:
    if not isinstance(body, dict):
        return bad_request("not_object")
    if not is_valid_sender(body.get("sender")):
        return bad_request("bad_sender")
    if not isinstance(body.get("message"), str):
        return bad_request("bad_message")
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        return bad_request("bad_metadata")
    message_id = body.get("message_id")
    if message_id is not None and not (
        isinstance(message_id, str) and MESSAGE_ID.fullmatch(message_id)
    ):
        return bad_request("bad_message_id")
    return None


def client_message_id(body: Any) -> str | None:
    """The ``message_id`` of a checked body, or None when the client sent none."""
    message_id = body.get("message_id") if isinstance(body, dict) else None
    return message_id if isinstance(message_id, str) and MESSAGE_ID.fullmatch(message_id) else None


def check_message(
    body: Any,
    known_intents: Iterable[str] | None = None,
    refused_intents: Iterable[str] = (),
) -> tuple[str | None, GuardError | None]:
    """The text to send to the bot, or why not (see the module's docstring).

    ``refused_intents`` are Rasa's own intents (``restart``, ``back``, ``session_start``…)
    that the domain does not declare: a command naming one gets a friendly reply instead
    of resetting the conversation.
    """
    body, error = parse_body(body)
    error = error or check_fields(body)
    if error:
        return None, error
    text = clean_text(body["message"])
    if len(text) > MAX_MESSAGE_LENGTH:
        return None, reply("too_long", limit=MAX_MESSAGE_LENGTH)
    if names_refused_intent(text, refused_intents):
        return None, reply("builtin_command")
    intents = domain_intents() if known_intents is None else known_intents
    text = neutralise_command(text, intents)
    if not text:
        return None, reply("empty_message")
    return text, None
