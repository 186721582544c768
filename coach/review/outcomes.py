"""What one turn of a conversation amounted to, for the server's counters (/metrics).

Read from the turn's events as Rasa stores them (``Event.as_dict()``, from the user's
message on): the intent, whether the coach fell back or the crisis net answered, and which
milestones of the outcome funnel the coach's actions and payloads reached. Nothing of the
user's words, figures or ids is kept. markers.yml states the same milestones as Rasa markers
for stored conversations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FALLBACK_INTENT = "nlu_fallback"
# Not action_two_stage_fallback: it runs again when the user picks one of its guesses.
CORE_FALLBACK_ACTION = "action_default_fallback"
CRISIS_INTENT = "express_crisis"
# milestone -> the action that reaches it, or the type of the custom payload it sends
MILESTONE_ACTIONS = {
    "practice": "action_start_roleplay",
    "contact_logged": "action_save_contact",
    "data_deleted": "action_delete_my_data",
}
MILESTONE_PAYLOADS = {
    "offer": "repayment_offer",  # coach/offer/presenter.py
    "document": "document",  # coach/casefile/documents.py
    "practice_scored": "roleplay_score",  # coach/practice/scorer.py
}
MILESTONES = tuple(sorted({*MILESTONE_ACTIONS, *MILESTONE_PAYLOADS}))


@dataclass(frozen=True)
class TurnOutcome:
    intent: str | None
    fell_back: bool
    crisis: bool
    milestones: tuple[str, ...]


def turn_outcome(events: Iterable[Mapping[str, Any]]) -> TurnOutcome | None:
    """The outcome of the turn these events are (the latest user message and after);
    None when there is no user message in them."""
    intent: str | None = None
    seen_user = False
    actions: set[str] = set()
    payloads: set[str] = set()
    for event in events:
        kind = event.get("event")
        if kind == "user":
            seen_user = True
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        elif kind == "action" and event.get("name"):
            actions.add(str(event["name"]))
        elif kind == "bot":
            custom = (event.get("data") or {}).get("custom")
            if isinstance(custom, Mapping) and isinstance(custom.get("type"), str):
                payloads.add(custom["type"])
    if not seen_user:
        return None
    reached = {name for name, action in MILESTONE_ACTIONS.items() if action in actions}
    reached |= {name for name, kind in MILESTONE_PAYLOADS.items() if kind in payloads}
    return TurnOutcome(
        intent=intent,
        fell_back=intent == FALLBACK_INTENT or CORE_FALLBACK_ACTION in actions,
        crisis=intent == CRISIS_INTENT,
        milestones=tuple(sorted(reached)),
    )
