"""Rebuilds a conversation for the widget from tracker events (as dicts). No Rasa import.

Bot messages come out in the shape the REST channel sends them (text with its buttons,
then the custom payload, image, attachment), so the widget draws history and live
replies with the same code. A user message that was a button payload is shown with the
button's title: the ``display_text`` metadata the widget sends, else the title of the
matching button in the bot's latest buttons. ``history_times`` gives each message's time
(seconds since the epoch) for the widget's timestamps, as a list beside the messages.
"""

from collections.abc import Iterable
from typing import Any

MAX_DISPLAY_TEXT = 200


def bot_messages(event: dict[str, Any]) -> list[dict[str, Any]]:
    """One ``bot`` event as the messages the REST channel would have sent."""
    data = event.get("data") or {}
    text = (event.get("text") or "").strip()
    buttons = data.get("buttons") or data.get("quick_replies")
    messages: list[dict[str, Any]] = []
    if text and buttons:
        messages.append({"role": "bot", "text": text, "buttons": buttons})
    elif text:
        messages.extend({"role": "bot", "text": part} for part in text.split("\n\n"))
    for key in ("custom", "image", "attachment"):
        if data.get(key):
            messages.append({"role": "bot", key: data[key]})
    return messages


def shown_text(event: dict[str, Any], last_buttons: list[dict[str, Any]]) -> str:
    """What the user saw as their own bubble for a ``user`` event."""
    text = event.get("text") or ""
    display = (event.get("metadata") or {}).get("display_text")
    if isinstance(display, str) and display.strip():
        return display.strip()[:MAX_DISPLAY_TEXT]
    for button in last_buttons:
        if text and button.get("payload") == text and button.get("title"):
            return str(button["title"])
    return text


def user_message(event: dict[str, Any], last_buttons: list[dict[str, Any]]) -> dict | None:
    text = shown_text(event, last_buttons)
    return {"role": "user", "text": text} if text else None


def history_messages(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """User texts and bot messages (with buttons and custom payloads), in order."""
    return [message for message, _ in timed_messages(events)]


def history_times(events: Iterable[dict[str, Any]]) -> list[float | None]:
    """The time of each message of ``history_messages`` (epoch seconds), None if unknown."""
    return [at for _, at in timed_messages(events)]


def event_time(event: dict[str, Any]) -> float | None:
    at = event.get("timestamp")
    return float(at) if isinstance(at, (int, float)) and not isinstance(at, bool) else None


def timed_messages(events: Iterable[dict[str, Any]]) -> list[tuple[dict[str, Any], float | None]]:
    """The messages of ``history_messages``, each with its event's time."""
    messages: list[tuple[dict[str, Any], float | None]] = []
    last_buttons: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            message = user_message(event, last_buttons)
            messages.extend([(message, event_time(event))] if message else [])
        elif kind == "bot":
            new = bot_messages(event)
            last_buttons = next((m["buttons"] for m in new if m.get("buttons")), last_buttons)
            messages.extend((m, event_time(event)) for m in new)
    return messages
