"""How the simulated collector negotiates: each persona's ``Style`` (``STYLES``: its concession
step, whether it refuses the first offer, crosses legal lines or grants a waiver) and what a
difficulty (``difficulties`` in content/roleplay.yml, ``DifficultySettings``) changes in it;
``negotiating_style`` is a round's persona at its difficulty.
"""

from dataclasses import dataclass, replace

from coach.content import load_content
from coach.practice.state import (
    STANDARD,
    Persona,
    RoundState,
    as_difficulty,
)

MAX_STEP = 0.9


@dataclass(frozen=True)
class Style:
    """How a persona negotiates."""

    step: float  # share of the gap to the learner's offer conceded per concession
    refuses_first_offer: bool
    crosses_line: bool
    grants_waiver: bool  # once a plan is on the table (anyone may on the hardship path)


STYLES: dict[Persona, Style] = {
    "polite": Style(step=0.5, refuses_first_offer=False, crosses_line=False, grants_waiver=True),
    "pushy": Style(step=0.35, refuses_first_offer=True, crosses_line=False, grants_waiver=False),
    "abusive": Style(step=0.35, refuses_first_offer=True, crosses_line=True, grants_waiver=False),
    "outsourced": Style(
        step=0.4, refuses_first_offer=False, crosses_line=False, grants_waiver=True
    ),
}

PERSONAS: tuple[Persona, ...] = tuple(STYLES)


@dataclass(frozen=True)
class DifficultySettings:
    """What a difficulty changes in the engine (``difficulties`` in content/roleplay.yml)."""

    label: str
    concession_factor: float  # times the persona's concession step
    first_demand_factor: float  # times its first instalment demand
    holds_out: bool | None  # refuses the first offer whatever it is (None: the persona's way)
    insists_on_full: bool  # pressure escalates: a first no to the full balance is not enough


def difficulty_settings(difficulty: str | None) -> DifficultySettings:
    """The settings of a difficulty; an unknown name gets the standard ones."""
    table = load_content("roleplay")["difficulties"]
    entry = table[as_difficulty(difficulty) or STANDARD]
    holds_out = entry.get("holds_out")
    return DifficultySettings(
        label=str(entry["label"]),
        concession_factor=float(entry["concession_factor"]),
        first_demand_factor=float(entry["first_demand_factor"]),
        holds_out=None if holds_out is None else bool(holds_out),
        insists_on_full=bool(entry["insists_on_full"]),
    )


def negotiating_style(state: RoundState) -> Style:
    """The persona's way of negotiating, at the round's difficulty."""
    style = STYLES[state.persona]
    if state.difficulty == STANDARD:
        return style
    settings = difficulty_settings(state.difficulty)
    refuses = style.refuses_first_offer if settings.holds_out is None else settings.holds_out
    return replace(
        style,
        step=min(MAX_STEP, style.step * settings.concession_factor),
        refuses_first_offer=refuses,
    )
