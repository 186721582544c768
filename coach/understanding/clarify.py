"""The two best guesses for a message the classifier is unsure of, as button choices."""

from __future__ import annotations

from typing import Any

from coach.content import load_content

GUESSES = 2
FALLBACK_INTENT = "nlu_fallback"


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


def likelier_topic(ranking: list[dict[str, Any]], answerable: set[str]) -> list[str] | None:
    """The guesses, best first, when the best one is a question the coach answers from its
    facts and is at least ``answer_likelier_from`` sure (content/clarify.yml): the coach
    then answers it and offers the others as buttons. None otherwise."""
    guesses = best_guesses(ranking)
    if not guesses or guesses[0] not in answerable:
        return None
    confidence = max(
        float(entry.get("confidence") or 0.0)
        for entry in ranking
        if entry.get("name") == guesses[0]
    )
    floor = float(load_content("clarify")["answer_likelier_from"])
    return guesses if confidence >= floor else None


def answer_lead() -> str:
    lead: str = load_content("clarify")["answer_lead"]
    return lead


def unclear_turns_in_a_row(intents: list[str]) -> int:
    """How many of the latest user messages, counting back from the last, were unclear."""
    count = 0
    for intent in reversed(intents):
        if intent != FALLBACK_INTENT:
            break
        count += 1
    return count
