"""The reply of one turn, shaped before the user sees it (content/reply_shaping.yml).

One place for what every answer owes a frightened reader on a phone:

- an emergency (someone at the door, violence) gets the safety line (110) first and the
  rest cut to one screen, with the details one button away (详细说说);
- "太长了 看不完" gets the last answer again, cut to one screen;
- the same long answer a second time is not repeated verbatim: its first lines and a
  question about what is unclear;
- a goodbye ("谢谢 晚安") gets a goodbye, not a menu (never when the reply carries a
  crisis line: that reply stands as it is);
- an angry or lost user gets a human word before any menu;
- after a crisis reply, "我好点了，那这个钱怎么还" gets a gentle check and the task, not
  the crisis reply again.

A button's payload ("/ask_legal_rights") is left as it is: that is how the details are
asked for. Messages are the REST channel's dicts (``text``, ``buttons``, ...). Pure: no
Rasa import.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coach.content import load_content
from coach.language.normalise import normalise

Message = dict[str, Any]
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
CRISIS_LINE = "12356"
# Shorter than this, a repeated text is a short prompt ("接下来想做什么？"), not an answer.
REPEAT_MIN_CHARS = 60
# A goodbye is a short message; a long one that ends in 晚安 may be more than that.
GOODBYE_MAX_CHARS = 12


@dataclass(frozen=True)
class Turn:
    """What the channel knows of the turn: the user's text, the intent it was read as,
    and the texts the bot said earlier in the conversation (oldest first)."""

    text: str
    intent: str | None = None
    earlier: Sequence[str] = ()


def _spec() -> Mapping[str, Any]:
    spec: Mapping[str, Any] = load_content("reply_shaping")
    return spec


def screen_chars() -> int:
    return int(_spec()["screen_chars"])


def _has(plain: str, words: Sequence[str]) -> bool:
    return any(normalise(str(word)) in plain for word in words)


def before_first_button(messages: Sequence[Message]) -> str:
    """The text a user reads before the first button (what must fit one screen)."""
    texts = []
    for message in messages:
        texts.append(str(message.get("text") or ""))
        if message.get("buttons"):
            break
    return "\n".join(text for text in texts if text)


def cut(text: str, budget: int) -> str:
    """The text's first lines (or sentences) that fit ``budget`` characters."""
    if len(text) <= budget:
        return text
    kept: list[str] = []
    for line in text.split("\n"):
        if len("\n".join([*kept, line])) > budget:
            break
        kept.append(line)
    if kept:
        return "\n".join(kept)
    sentences = [s for s in SENTENCE_END.split(text) if s]
    head = ""
    for sentence in sentences:
        if len(head + sentence) > budget:
            break
        head += sentence
    return head or text[:budget]


def _details(turn: Turn) -> list[dict[str, str]]:
    if not turn.intent:
        return []
    title = str(_spec()["emergency"]["details_title"])
    return [{"title": title, "payload": "/" + turn.intent}]


def _texts(messages: Sequence[Message]) -> list[str]:
    return [str(m["text"]) for m in messages if m.get("text")]


def _emergency(turn: Turn, messages: list[Message]) -> list[Message] | None:
    spec = _spec()["emergency"]
    if not _has(normalise(turn.text), spec["cues"]):
        return None
    first = before_first_button(messages)
    if "110" in first[: screen_chars() // 2]:
        return None
    line = str(spec["safety_line"])
    rest = cut("\n".join(_texts(messages)), screen_chars() - len(line) - 1)
    return [{"text": line}, {"text": rest, "buttons": _details(turn)}]


def _short_version(turn: Turn) -> list[Message] | None:
    spec = _spec()["short_request"]
    if not _has(normalise(turn.text), spec["cues"]):
        return None
    longest = next((t for t in reversed(turn.earlier) if len(t) > screen_chars()), None)
    if longest is None:
        return None
    lead = str(spec["lead"])
    return [{"text": lead + "\n" + cut(longest, screen_chars() - len(lead) - 1)}]


def _goodbye(turn: Turn, messages: list[Message]) -> list[Message] | None:
    spec = _spec()["goodbye"]
    plain = normalise(turn.text)
    if len(plain) > GOODBYE_MAX_CHARS or not _has(plain, spec["cues"]):
        return None
    if any(CRISIS_LINE in text for text in _texts(messages)):
        return None
    if not any(m.get("buttons") for m in messages):
        return None
    return [{"text": str(spec["text"])}]


def _recovering(turn: Turn, messages: list[Message]) -> list[Message] | None:
    """Better now and asking to go on, yet given the crisis reply again: a gentle check
    and the task, one button away (the crisis line stays in the check)."""
    spec = _spec()["recovering"]
    plain = normalise(turn.text)
    if not (_has(plain, spec["better"]) and _has(plain, spec["task"])):
        return None
    crisis_before = any(CRISIS_LINE in text for text in turn.earlier[-6:])
    if not crisis_before or not any(CRISIS_LINE in text for text in _texts(messages)):
        return None
    return [{"text": str(spec["text"]), "buttons": [dict(b) for b in spec["buttons"]]}]


def _unrepeated(turn: Turn, messages: list[Message]) -> list[Message]:
    if any(message.get("custom") for message in messages):
        return messages  # a new card or document: the words around it frame something new
    spec = _spec()["repeat"]
    said = set(turn.earlier)
    shaped = []
    for message in messages:
        text = str(message.get("text") or "")
        if len(text) >= REPEAT_MIN_CHARS and text in said and CRISIS_LINE not in text:
            lead, ask = str(spec["lead"]), str(spec["ask"])
            head = cut(text, screen_chars() // 2)
            message = {**message, "text": "\n".join([lead, head, ask])}
        shaped.append(message)
    return shaped


def _acknowledged(turn: Turn, messages: list[Message]) -> list[Message]:
    if not any(m.get("buttons") for m in messages):
        return messages
    plain = normalise(turn.text)
    for mood in ("angry", "lost"):
        spec = _spec()["acknowledge"][mood]
        if _has(plain, spec["cues"]):
            return [{"text": str(spec["text"])}, *messages]
    return messages


def shape(turn: Turn, messages: Sequence[Message]) -> list[Message]:
    """The turn's messages as the user should see them (see the module docstring)."""
    replies = [dict(m) for m in messages]
    if turn.text.startswith("/") or not replies:
        return replies
    emergency = _emergency(turn, replies)
    if emergency is not None:
        return emergency
    special = _recovering(turn, replies) or _short_version(turn) or _goodbye(turn, replies)
    if special is not None:
        return special
    return _acknowledged(turn, _unrepeated(turn, replies))
