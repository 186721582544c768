"""A reviewed queue back into training data (`make review-apply`, scripts/review_apply.py).

A reviewer writes the intent the user meant into a queue line's ``correct_intent``. Each
such line becomes a training example of that intent, unless it would teach the coach the
held-out tests (a line that repeats one of tests/nlu, compared as tests/nlu/test_nlu_data.py
does), is already in the training data, names an intent the domain does not have, or is
only masks. Lines without ``correct_intent`` are skipped: not reviewed yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from coach.language.normalise import normalise
from coach.review.masking import MASK

SHORTEST_COMPARED = 5  # as tests/nlu/test_nlu_data.py: shorter lines are everybody's


def comparison_key(text: str) -> str:
    return "".join(char for char in normalise(text) if char.isalnum())


@dataclass
class Annotations:
    accepted: dict[str, list[str]] = field(default_factory=dict)  # intent -> new lines
    refused: list[tuple[str, str]] = field(default_factory=list)  # (text, why)
    unreviewed: int = 0


def sort_annotations(
    lines: Iterable[Mapping[str, Any]],
    intents: frozenset[str],
    held_out: Iterable[str],
    trained: Iterable[str],
) -> Annotations:
    """Which reviewed lines may become training examples, and why the others may not."""
    held = {comparison_key(line) for line in held_out}
    held = {key for key in held if len(key) >= SHORTEST_COMPARED}
    seen = {comparison_key(line) for line in trained}
    result = Annotations()
    for line in lines:
        intent, text = line.get("correct_intent"), str(line.get("text") or "").strip()
        if not intent:
            result.unreviewed += 1
            continue
        key = comparison_key(text)
        why = refusal(str(intent), text, key, intents, held, seen)
        if why:
            result.refused.append((text, why))
            continue
        seen.add(key)
        result.accepted.setdefault(str(intent), []).append(text)
    return result


def refusal(
    intent: str, text: str, key: str, intents: frozenset[str], held: set[str], seen: set[str]
) -> str | None:
    if intent not in intents:
        return f"no intent {intent!r} in domain.yml"
    if not text.replace(MASK, "").strip():
        return "nothing but masks"
    if key in held:
        return "repeats a held-out test line (tests/nlu)"
    if key in seen:
        return "already in the training data"
    return None
