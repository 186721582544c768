"""Reads the repayment figures a conversation has gathered so far."""

from typing import Any, TypeGuard

from coach.content import load_content

FIGURE_SLOTS = tuple(load_content("form")["slots"])
LENDER_TYPES = tuple(load_content("form")["lender_types"])


def slot_label(slot: str) -> str:
    label: str = load_content("form")["slots"][slot]["label"]
    return label


def slot_kind(slot: str) -> str:
    kind: str = load_content("form")["slots"][slot]["kind"]
    return kind


def known_figures(slots: dict[str, Any]) -> dict[str, Any | None]:
    """The figure slots of a tracker's slot dict, None where not given yet."""
    return {name: slots.get(name) for name in FIGURE_SLOTS}


def all_figures_known(figures: dict[str, Any | None]) -> TypeGuard[dict[str, Any]]:
    return all(figures.get(name) is not None for name in FIGURE_SLOTS)


def figures_before_latest_message(events: list[dict[str, Any]]) -> dict[str, Any | None]:
    """The figure slots as they stood before the latest user message, from the events."""
    latest_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=0)
    values: dict[str, Any | None] = {name: None for name in FIGURE_SLOTS}
    for event in events[:latest_user]:
        kind = event.get("event")
        if kind in ("restart", "reset_slots"):
            values = {name: None for name in FIGURE_SLOTS}
        elif kind == "slot" and event.get("name") in values:
            values[event["name"]] = event.get("value")
    return values
