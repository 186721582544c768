"""Reads the repayment figures a conversation has gathered so far."""

from typing import Any, Dict

from actions.content import load_content

FIGURE_SLOTS = tuple(load_content("form")["slots"])
LENDER_TYPES = tuple(load_content("form")["lender_types"])


def slot_label(slot: str) -> str:
    return load_content("form")["slots"][slot]["label"]


def slot_kind(slot: str) -> str:
    return load_content("form")["slots"][slot]["kind"]


def known_figures(slots: Dict[str, Any]) -> Dict[str, Any | None]:
    """The figure slots of a tracker's slot dict, None where not given yet."""
    return {name: slots.get(name) for name in FIGURE_SLOTS}


def all_figures_known(figures: Dict[str, Any | None]) -> bool:
    return all(figures.get(name) is not None for name in FIGURE_SLOTS)
