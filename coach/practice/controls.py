"""The learner's controls around the practice call, read from what they type or click.

- ``read_choices``: a start of practice names a collector (来个凶一点的, 外包的), a
  difficulty (难一点), a goal drill (练停息挂账) or one of the user's debts (和借呗练);
  buttons send the same choices as entities (``choices_from_entities``).
- ``read_switch``, ``read_replay``, ``reads_resume``: inside a round, a short message that is
  a control and nothing else (换个礼貌的, 难一点, 重来, 从第3句重来, 继续练习); anything
  longer or shaped otherwise is a line for the pretend collector.
- ``read_aside``: whether a message in a round is for the coach beside the call (a hint, a
  coaching question, distress) or the learner's turn.
- ``next_step``: what a start does with the choices made so far: ask which debt, show the
  collector menu, or start.

Words are in ``content/roleplay.yml`` (``controls``); the text is normalised as the NLU
normalises it. Pure: no Rasa import.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from coach.content import load_content
from coach.debts.intake import read_debts
from coach.debts.model import Debt
from coach.guidance.rules_catalogue import topic_intents
from coach.language.normalise import normalise
from coach.language.numerals import read_integer
from coach.practice.learner_moves import clauses
from coach.practice.state import (
    Difficulty,
    Goal,
    Persona,
    as_difficulty,
    as_goal,
    as_persona,
)
from coach.practice.turn_reader import read_turn

Aside = Literal["hint", "coach_question", "distress", "turn"]
Step = Literal["ask_debt", "ask_persona", "start"]

# Questions the coach answers in the middle of a round (the round pauses, a rule answers,
# the round resumes: data/rules/practice.yml). A test keeps the two in step.
COACH_INTENTS = frozenset(
    {
        "ask_collector_role",
        "ask_collection_process",
        "ask_stay_calm",
        "ask_debt_details",
        "ask_record_keeping",
        "ask_opening_script",
        "ask_negotiation_script",
        "ask_fee_waiver",
        "report_collector_demand",
        "ask_legal_rights",
        "report_abusive_collection",
        "ask_emotional_support",
        "ask_future_planning",
        "ask_privacy",
    }
) | frozenset(topic_intents())
DISTRESS_INTENTS = frozenset({"express_anxiety", "express_stress"})
HINT_INTENT = "ask_hint"
# 练习 and its fillers around a choice: 我想练一下停息挂账 -> 停息挂账.
FILLERS = re.compile(
    r"^(我想|我要|想|要|那|那就|就|请|麻烦|能不能|可以|可不可以|帮我|给我|咱们|我们)+|" r"(吧|啊|呀|呢|哈|一下|好吗|可以吗|行吗|行不行|好不好)+$"
)
REPLAY_FROM = re.compile(
    r"^(?P<back>从|回到|退回到?)?第?(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,3})(句|步|个回合)"
    r"(?P<start>开始|那里|那儿)?(?P<again>重来|重新来|再来|重练|重新练|开始|练)?(一次|一遍)?$"
)


def _controls() -> Mapping[str, Any]:
    controls: Mapping[str, Any] = load_content("roleplay")["controls"]
    return controls


def _bare(text: str) -> str:
    """The normalised text without punctuation, spaces and fillers."""
    joined = "".join(clauses(text or ""))
    previous = None
    while previous != joined:
        previous, joined = joined, FILLERS.sub("", joined)
    return joined


def _longest(text: str, table: Mapping[str, Iterable[str]]) -> str | None:
    """The key whose phrase found in ``text`` is longest (the earliest of equal ones)."""
    best: tuple[int, int, str] | None = None
    for key, phrases in table.items():
        for phrase in map(str, phrases):
            at = text.find(phrase)
            if at >= 0 and (best is None or (-len(phrase), at) < best[:2]):
                best = (-len(phrase), at, key)
    return None if best is None else best[2]


# --- choices ------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What the learner chose for the next round; None where nothing was chosen."""

    persona: Persona | None = None
    difficulty: Difficulty | None = None
    goal: Goal | None = None
    debt: str | None = None  # the id of one of the user's debts

    def merged(self, newer: "Choices") -> "Choices":
        """These choices with ``newer``'s made choices on top."""
        made = {f.name: getattr(newer, f.name) for f in fields(self) if getattr(newer, f.name)}
        return replace(self, **made)

    @property
    def any(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def to_slot(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_slot(cls, value: object) -> "Choices":
        data = value if isinstance(value, Mapping) else {}
        debt = data.get("debt")
        return cls(
            persona=as_persona(data.get("persona")),
            difficulty=as_difficulty(data.get("difficulty")),
            goal=as_goal(data.get("goal")),
            debt=debt if isinstance(debt, str) and debt else None,
        )


def read_persona(text: str) -> Persona | None:
    return as_persona(_longest(normalise(text or ""), _controls()["personas"]))


def read_difficulty(text: str) -> Difficulty | None:
    return as_difficulty(_longest(normalise(text or ""), _controls()["difficulties"]))


def read_goal(text: str) -> Goal | None:
    return as_goal(_longest(normalise(text or ""), _controls()["goals"]))


def read_debt(text: str, debts: Sequence[Debt]) -> str | None:
    """The id of the debt ``text`` names (和借呗练, 招商那笔), if it names exactly one."""
    plain = normalise(text or "")
    if not plain or not debts:
        return None
    named = [debt.id for debt in debts if normalise(debt.label) and normalise(debt.label) in plain]
    if len(named) == 1:
        return named[0]
    lenders = {mention.lender for mention in read_debts(text) if mention.lender}
    matching = [debt.id for debt in debts if lenders & _lenders_of(debt)]
    return matching[0] if len(matching) == 1 else None


def _lenders_of(debt: Debt) -> set[str]:
    return {mention.lender for mention in read_debts(debt.label) if mention.lender}


def read_choices(text: str, debts: Sequence[Debt] = ()) -> Choices:
    """Every choice a start of practice names, anywhere in the message."""
    return Choices(
        persona=read_persona(text),
        difficulty=read_difficulty(text),
        goal=read_goal(text),
        debt=read_debt(text, debts),
    )


def short(text: str) -> bool:
    """Short enough to be a control rather than a line of the call."""
    return 0 < len(_bare(text)) <= int(_controls()["max_chars"])


def choices_from_entities(entities: Mapping[str, Any], debts: Sequence[Debt] = ()) -> Choices:
    """The choices a button sends (``persona``, ``roleplay_difficulty``, ``roleplay_goal``,
    ``roleplay_debt``); a debt id the list does not hold is no choice."""
    debt = entities.get("roleplay_debt")
    known = {item.id for item in debts}
    return Choices(
        persona=as_persona(entities.get("persona")) or _alias(entities.get("persona")),
        difficulty=as_difficulty(entities.get("roleplay_difficulty")),
        goal=as_goal(entities.get("roleplay_goal")),
        debt=debt if isinstance(debt, str) and debt in known else None,
    )


def _alias(value: object) -> Persona | None:
    """A persona slot value under another name (roleplay.yml persona_aliases)."""
    if not isinstance(value, str):
        return None
    aliases: Mapping[str, str] = load_content("roleplay")["persona_aliases"]
    return as_persona(aliases.get(value.strip(), aliases.get(value.strip().lower())))


# --- controls inside a round --------------------------------------------------------------


def _has_any(text: str, key: str) -> bool:
    return any(str(word) in text for word in _controls()[key])


def read_switch(text: str) -> Choices | None:
    """换个礼貌的, 来个凶一点的, 难一点: another collector or difficulty for this case."""
    if not short(text):
        return None
    bare = _bare(text)
    persona, difficulty = read_persona(bare), read_difficulty(bare)
    switching = _has_any(bare, "switch_words")
    if switching and (persona or difficulty):
        return Choices(persona=persona, difficulty=difficulty)
    difficulty_words = {
        str(word) for words in _controls()["difficulties"].values() for word in words
    }
    if bare in difficulty_words:
        return Choices(difficulty=difficulty)
    return None


def read_replay(text: str) -> int | None:
    """The turn to replay from: 重来 -> 1, 从第3句重来 -> 3; None for no replay."""
    bare = _bare(text)
    if not bare or len(bare) > int(_controls()["max_chars"]):
        return None
    if bare in {str(word) for word in _controls()["replay_words"]}:
        return 1
    match = REPLAY_FROM.match(bare)
    if match is None or not (match["back"] or match["start"] or match["again"]):
        return None
    number = read_integer(match.group("n"))
    return number if number and number > 0 else None


def replay_control(value: object) -> int | None:
    """The turn a button's ``roleplay_control`` replays from: "replay" -> 1, "replay:3" -> 3."""
    if not isinstance(value, str):
        return None
    kind, _, number = value.partition(":")
    if kind != "replay":
        return None
    if not number:
        return 1
    return int(number) if number.isdigit() and int(number) > 0 else None


def replay_payload(turn: int) -> str:
    """The button payload that replays the last round from ``turn``."""
    control = "replay" if turn <= 1 else f"replay:{turn}"
    return '/start_roleplay{"roleplay_control":"' + control + '"}'


def reads_resume(text: str) -> bool:
    """继续练习: go on with the round."""
    return _bare(text) in {str(word) for word in _controls()["resume_words"]}


def read_aside(text: str, intent: str, confidence: float = 1.0) -> Aside:
    """Whom a message in a round is for: the coach (a hint, a coaching question, or a sign
    of distress) or the pretend collector (``turn``).

    A coaching intent alone is no question for the coach: 能不能减免罚息 is said to the
    collector. It needs the coach addressed (教练, 暂停一下) or a question about what to do
    (我该怎么办, 怎么请求减免). A hint is asked for (提示) or a question about what to say now
    (我该怎么说, 这时候怎么回).
    """
    plain = normalise(text or "")
    addressed = _has_any(plain, "coach_address")
    hint_cue = _has_any(plain, "hint_cues")
    if intent == HINT_INTENT and (hint_cue or addressed or confidence >= 0.5):
        return "hint"
    if hint_cue and (addressed or intent in COACH_INTENTS or intent == HINT_INTENT):
        return "hint"
    if intent in COACH_INTENTS and (addressed or _has_any(plain, "coach_cues")):
        return "coach_question"
    if _distressed(plain, intent, confidence):
        return "distress"
    return "hint" if addressed else "turn"


def reads_like_a_call(text: str, intent: str, confidence: float = 1.0) -> bool:
    """A typed line while the start's menu waits that is the learner's first line of the
    call (喂你好, 我是本人, 你是哪个机构的, 我每月能还1500), not a choice, a control or
    something for the coach (我有哪些权利, 我欠了五万块钱，每个月都被催)."""
    plain = normalise(text or "")
    if not plain or read_aside(text, intent, confidence) != "turn":
        return False
    if _has_any(plain, "call_openers"):
        return True
    reading = read_turn(text)
    offered = reading.offered_monthly is not None or reading.offered_term is not None
    return reading.introduced_self or reading.asked_identity or offered


def _distressed(plain: str, intent: str, confidence: float) -> bool:
    if intent in DISTRESS_INTENTS and confidence >= float(_controls()["distress_confidence"]):
        return True
    cues = load_content("collector_lines")["learner_cues"]["distress"]
    return any(str(cue) in plain for cue in cues)


# --- what a start does ------------------------------------------------------------------


def next_step(choices: Choices, debts: Sequence[Debt]) -> Step:
    """A goal drill or a chosen collector starts; with two or more debts and none chosen,
    the learner first picks a debt; a debt chosen starts with its lender's collector;
    otherwise the collector menu."""
    if choices.goal:
        return "start"
    if len(debts) >= 2 and choices.debt is None:
        return "ask_debt"
    if choices.persona or choices.debt:
        return "start"
    return "ask_persona"


def persona_for_lender(lender_type: str) -> Persona:
    """The collector a lender's debt gets when none is chosen: an online lender's is the
    outsourced agency, a bank's the pushy collector."""
    return "outsourced" if lender_type == "online_lender" else "pushy"
