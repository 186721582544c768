"""Builds rasa_sdk Trackers for action tests, the way Rasa's financial-demo does."""

from typing import Any

import yaml
from rasa_sdk import Tracker

from tests.support.chat import ROOT


def domain() -> dict[str, Any]:
    with (ROOT / "domain.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def tracker(
    slots: dict[str, Any] | None = None,
    intent: str = "inform_finances",
    text: str = "",
    entities: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    all_slots = {name: None for name in domain()["slots"]}
    all_slots.update(slots or {})
    return Tracker(
        sender_id="test-user",
        slots=all_slots,
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities or [],
        },
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def slot_events_since_user(slots: dict[str, Any]) -> list[dict[str, Any]]:
    """Events as Rasa stores them: a user message, then the slots it filled."""
    return [{"event": "user", "text": "x"}] + [
        {"event": "slot", "name": name, "value": value} for name, value in slots.items()
    ]
