"""What the user's latest message was read as: its intent and entities, from a tracker."""

from typing import Any


def latest_intent(tracker: Any) -> str:
    """The intent name, or "" when the message has none (e.g. before any message)."""
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def latest_entities(tracker: Any) -> dict[str, Any]:
    """Entity name -> value; when an entity appears twice, the later value wins."""
    return {e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities") or []}


def latest_balance_parts(tracker: Any) -> list[dict[str, Any]]:
    """The debts a summed balance was made of ("招行2w 借呗3w"), as the extractor gave them."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "balance" and entity.get("parts"):
            return list(entity["parts"])
    return []


def resuming(tracker: Any) -> bool:
    """Whether the form runs again after a rule answered a question inside it: the latest
    message was then already handed on, and is no answer to the form's question."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action_execution_rejected":
            return True
    return False
