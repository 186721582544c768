"""The two best guesses for a message the classifier is unsure of, as button choices."""

from __future__ import annotations

from typing import Any

from coach.content import load_content

GUESSES = 2


def best_guesses(ranking: list[dict[str, Any]], count: int = GUESSES) -> list[str]:
    """The highest-ranked intents that have a guess label, best first."""
    labels = load_content("clarify")["guess_labels"]
    ordered = sorted(ranking, key=lambda entry: entry.get("confidence") or 0.0, reverse=True)
    guesses: list[str] = []
    for entry in ordered:
        name = entry.get("name")
        if name is not None and name in labels and name not in guesses:
            guesses.append(name)
        if len(guesses) == count:
            break
    return guesses


def guess_buttons(guesses: list[str]) -> list[dict[str, str]]:
    """One button per guess (its intent as the payload), then "neither"."""
    content = load_content("clarify")
    buttons = [{"title": content["guess_labels"][name], "payload": f"/{name}"} for name in guesses]
    return [*buttons, dict(content["neither"])]


def clarifying_question() -> str:
    question: str = load_content("clarify")["question"]
    return question
