"""The turns of one stored conversation that a person should read, and why.

Input is a conversation's events as Rasa stores them (``Event.as_dict()``), output one
``QueueItem`` per turn worth a look, its text masked (coach/review/masking.py). A turn is
queued for any of these reasons:

- ``fallback``: the classifier was unsure (``nlu_fallback``) or no rule or story fitted
  (``action_default_fallback``);
- ``two_stage_fallback``: the coach offered its two guesses and the user picked neither
  (pressed 都不是 or typed something else);
- ``low_confidence``: understood, but with a confidence below ``LOW_CONFIDENCE``;
- ``rephrased``: the user's next message says much the same again;
- ``correction``: the user's next message corrects the coach ("不是，我是问……");
- ``ended_after_miss``: a miss (the first three reasons) and the conversation ended within
  two turns of it.

Button presses (``/intent`` payloads) are never queued: their wording is the button's.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from coach.content import load_content
from coach.language.normalise import normalise
from coach.review.masking import mask

FALLBACK_INTENT = "nlu_fallback"
CORE_FALLBACK_ACTION = "action_default_fallback"
TWO_STAGE_ACTION = "action_two_stage_fallback"
NEITHER_PAYLOAD = "/out_of_scope"  # content/clarify.yml "都不是"
DELETE_ACTION = "action_delete_my_data"
LOW_CONFIDENCE = 0.6  # above the FallbackClassifier's 0.4 (config.yml), below a sure guess
SIMILAR_REPHRASE = 0.5  # share of character pairs two messages have in common
MISS_REASONS = ("fallback", "two_stage_fallback", "low_confidence")
REASONS = (*MISS_REASONS, "rephrased", "correction", "ended_after_miss")
TURNS_BEFORE_END = 2
SHORT_CUES = 2  # a cue this short (不是, 不对) corrects only with more words after it


@dataclass(frozen=True)
class Turn:
    """One user message and what the coach did in answer to it."""

    number: int  # 1 for the conversation's first user message
    text: str
    intent: str | None
    confidence: float | None
    ranking: tuple[tuple[str, float], ...]
    timestamp: float
    actions: tuple[str, ...] = ()
    replies: tuple[str, ...] = ()

    @property
    def pressed(self) -> bool:
        """A button payload, not typed wording."""
        return self.text.startswith("/")

    @property
    def guess(self) -> tuple[str | None, float | None]:
        """The classifier's best real intent (behind ``nlu_fallback`` if it fell back)."""
        if self.intent != FALLBACK_INTENT:
            return self.intent, self.confidence
        ranked = [(name, score) for name, score in self.ranking if name != FALLBACK_INTENT]
        return ranked[0] if ranked else (None, None)

    @property
    def reply(self) -> str | None:
        """The coach's reply key: its first response, else the last action it ran."""
        if self.replies:
            return self.replies[0]
        return self.actions[-1] if self.actions else None


@dataclass(frozen=True)
class QueueItem:
    conversation: str
    turn: int
    text: str
    intent: str | None
    confidence: float | None
    reasons: tuple[str, ...]
    reply: str | None
    timestamp: float
    confused_with: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The queue line; ``correct_intent`` is for the reviewer to fill in."""
        confidence = None if self.confidence is None else round(self.confidence, 3)
        return {
            "conversation": self.conversation,
            "turn": self.turn,
            "text": self.text,
            "intent": self.intent,
            "confidence": confidence,
            "reasons": list(self.reasons),
            "reply": self.reply,
            "correct_intent": None,
        }


@dataclass
class ReviewSummary:
    conversations: int = 0
    turns: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    confused: Counter[tuple[str, str]] = field(default_factory=Counter)
    queued: int = 0

    def add(self, turns_read: int, items: Sequence[QueueItem]) -> None:
        self.conversations += 1
        self.turns += turns_read
        self.queued += len(items)
        for item in items:
            self.reasons.update(item.reasons)
            if item.intent and item.confused_with and item.intent != item.confused_with:
                self.confused[(item.intent, item.confused_with)] += 1

    def lines(self, top: int = 5) -> list[str]:
        lines = [
            f"Read {self.turns} turns of {self.conversations} conversations; "
            f"queued {self.queued} for review."
        ]
        lines += [f"  {reason}: {self.reasons[reason]}" for reason in REASONS]
        pairs = self.confused.most_common(top)
        lines.append("Top confused intents (guessed -> meant or next guess):")
        lines += [f"  {guessed} -> {meant}: {count}" for (guessed, meant), count in pairs]
        if not pairs:
            lines.append("  none")
        return lines


def conversation_key(salt: bytes, sender_id: str) -> str:
    """A stable pseudonym of a conversation: nobody without the salt can find the sender."""
    return hmac.new(salt, b"review:" + sender_id.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def asked_to_delete(events: Iterable[Mapping[str, Any]]) -> bool:
    """The user confirmed deleting this conversation (its events should be gone)."""
    return any(e.get("event") == "action" and e.get("name") == DELETE_ACTION for e in events)


def user_turns(events: Iterable[Mapping[str, Any]]) -> list[Turn]:
    """The conversation's user messages with the actions and responses that answered them."""
    turns: list[Turn] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            turns.append(_turn(len(turns) + 1, event))
        elif kind == "rewind" and turns:  # UserUtteranceReverted: the turn is told again
            turns.pop()
        elif turns and kind == "action" and event.get("name") not in (None, "action_listen"):
            turns[-1] = _with(turns[-1], actions=(*turns[-1].actions, str(event["name"])))
        elif turns and kind == "bot":
            key = (event.get("metadata") or {}).get("utter_action")
            if key:
                turns[-1] = _with(turns[-1], replies=(*turns[-1].replies, str(key)))
    return turns


def _turn(number: int, event: Mapping[str, Any]) -> Turn:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    ranking = tuple(
        (str(entry["name"]), float(entry.get("confidence") or 0.0))
        for entry in parse.get("intent_ranking") or []
        if entry.get("name")
    )
    confidence = intent.get("confidence")
    return Turn(
        number=number,
        text=str(event.get("text") or ""),
        intent=intent.get("name"),
        confidence=None if confidence is None else float(confidence),
        ranking=ranking,
        timestamp=float(event.get("timestamp") or 0.0),
    )


def _with(turn: Turn, **changes: Any) -> Turn:
    values = {**turn.__dict__, **changes}
    return Turn(**values)


def turn_reasons(turns: Sequence[Turn], index: int) -> tuple[str, ...]:
    """Why ``turns[index]`` is worth a look (empty when the coach understood it)."""
    turn = turns[index]
    following = turns[index + 1] if index + 1 < len(turns) else None
    reasons = [
        reason
        for reason, applies in (
            ("fallback", _fell_back(turn)),
            ("two_stage_fallback", _guesses_refused(turn, following)),
            ("low_confidence", _unsure(turn)),
            ("rephrased", following is not None and _rephrases(turn, following)),
            ("correction", following is not None and _corrects(following)),
        )
        if applies
    ]
    if set(reasons) & set(MISS_REASONS) and len(turns) - 1 - index <= TURNS_BEFORE_END:
        reasons.append("ended_after_miss")
    return tuple(reasons)


def _fell_back(turn: Turn) -> bool:
    return turn.intent == FALLBACK_INTENT or CORE_FALLBACK_ACTION in turn.actions


def _guesses_refused(turn: Turn, following: Turn | None) -> bool:
    if turn.intent != FALLBACK_INTENT or TWO_STAGE_ACTION not in turn.actions:
        return False
    if following is None:
        return False
    return following.text == NEITHER_PAYLOAD or not following.pressed


def _unsure(turn: Turn) -> bool:
    return (
        turn.intent != FALLBACK_INTENT
        and turn.confidence is not None
        and turn.confidence < LOW_CONFIDENCE
    )


def _pairs(text: str) -> set[str]:
    plain = "".join(char for char in normalise(text) if char.isalnum())
    return {plain[i : i + 2] for i in range(len(plain) - 1)} or {plain}


def _rephrases(turn: Turn, following: Turn) -> bool:
    if following.pressed:
        return False
    first, second = _pairs(turn.text), _pairs(following.text)
    return 2 * len(first & second) / (len(first) + len(second)) >= SIMILAR_REPHRASE


@cache
def _correction_cues() -> tuple[str, ...]:
    cues = load_content("review")["correction_cues"]
    return tuple(sorted((str(cue) for cue in cues), key=len, reverse=True))


def _corrects(following: Turn) -> bool:
    if following.pressed:
        return False
    text = "".join(char for char in normalise(following.text) if char.isalnum())
    for cue in _correction_cues():
        if len(cue) > SHORT_CUES and cue in text:
            return True
        if text.startswith(cue) and len(text) > len(cue) + 1:
            return True
    return False


def _meant(turns: Sequence[Turn], index: int) -> str | None:
    """What the user meant instead, as far as the conversation shows it: the guess they
    picked or the intent of their sure rephrasing; else the classifier's second guess."""
    turn = turns[index]
    following = turns[index + 1] if index + 1 < len(turns) else None
    if following is not None and following.text != NEITHER_PAYLOAD:
        sure = following.confidence is not None and following.confidence >= LOW_CONFIDENCE
        if following.intent not in (None, FALLBACK_INTENT) and (following.pressed or sure):
            if TWO_STAGE_ACTION in turn.actions or not following.pressed:
                return following.intent
    ranked = [name for name, _ in turn.ranking if name not in (FALLBACK_INTENT, turn.guess[0])]
    return ranked[0] if ranked else None


def review_conversation(
    events: Sequence[Mapping[str, Any]],
    conversation: str,
    since: float | None = None,
    until: float | None = None,
) -> tuple[int, list[QueueItem]]:
    """(turns read in the date range, the queued ones). Nothing of a deleted conversation."""
    if asked_to_delete(events):
        return 0, []
    turns = user_turns(events)
    items, read = [], 0
    for index, turn in enumerate(turns):
        if (since is not None and turn.timestamp < since) or (
            until is not None and turn.timestamp >= until
        ):
            continue
        read += 1
        reasons = () if turn.pressed else turn_reasons(turns, index)
        if reasons:
            items.append(_item(turns, index, conversation, reasons))
    return read, items


def _item(
    turns: Sequence[Turn], index: int, conversation: str, reasons: tuple[str, ...]
) -> QueueItem:
    turn = turns[index]
    intent, confidence = turn.guess
    return QueueItem(
        conversation=conversation,
        turn=turn.number,
        text=mask(turn.text),
        intent=intent,
        confidence=confidence,
        reasons=reasons,
        reply=turn.reply,
        timestamp=turn.timestamp,
        confused_with=_meant(turns, index),
    )
