"""The crisis lexicon: does a message carry a sign of suicide or self-harm risk?

The lexicon and its exclusions live in ``content/safety.yml``. A message is normalised
(``coach.language.normalise``), split into clauses, and in each clause:

1. everyday uses of the same characters are blanked out across the whole message
   (累死了, 跳槽, 结束分期, 还清了，一了百了);
2. abuse aimed at someone else is blanked out (你们怎么不去死);
3. a collector's threat is blanked out when a quoting frame stands before it in the same
   clause (催收说让我去死), unless the user's own wish leads into it (还不如去死);
4. a clause that only tells someone else's story (新闻说有人跳楼), or names research or
   fiction (论文, 电视剧), is left out;
5. the clauses left are joined again and searched for every category of the lexicon, so
   an expression may run across a comma (没有我，他们会过得更好).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from coach.content import load_content
from coach.language.normalise import normalise

_CLAUSE_END = re.compile(r"[,.!?;:。，！？；：、…\n]+")
_BLANK = "_"


@dataclass(frozen=True)
class CrisisSignal:
    category: str
    phrase: str


@dataclass(frozen=True)
class _Lexicon:
    categories: dict[str, re.Pattern[str]]
    everyday: re.Pattern[str]
    insults: re.Pattern[str]
    threats: re.Pattern[str]
    self_wish: re.Pattern[str]
    quote_frame: re.Pattern[str]
    third_party: re.Pattern[str]
    topic: re.Pattern[str]
    protective: re.Pattern[str]
    self_marker: re.Pattern[str]
    unclear_categories: frozenset[str]


def mentions_crisis(text: str) -> bool:
    return bool(crisis_signals(text))


def unclear_signal(text: str) -> bool:
    """True when every signal found is of a category that may be a signal but is not clear
    (a farewell read as a goodbye, something given away): the coach asks directly first."""
    signals = crisis_signals(text)
    unclear = _lexicon().unclear_categories
    return bool(signals) and all(signal.category in unclear for signal in signals)


def crisis_signals(text: str) -> list[CrisisSignal]:
    """Every lexicon match in the message, by category."""
    lexicon = _lexicon()
    compact = _blank(lexicon.everyday, "".join(normalise(text).split()))
    readable = ",".join(
        _blank_harmless(clause, lexicon)
        for clause in _CLAUSE_END.split(compact)
        if clause and not _tells_someone_elses_story(clause, lexicon)
    )
    return [
        CrisisSignal(category, match.group(0))
        for category, pattern in lexicon.categories.items()
        for match in pattern.finditer(readable)
    ]


def explained_away(text: str) -> bool:
    """True when the message shows why a crisis-like word is not the user's crisis.

    An everyday 死 (累死了), abuse aimed at someone else, a quoted threat, someone else's
    story or a protective statement (我不想放弃). The crisis guard uses it to overrule a
    classifier-only crisis guess; a lexicon match is never overruled.
    """
    lexicon = _lexicon()
    compact = "".join(normalise(text).split())
    if lexicon.everyday.search(compact) or lexicon.protective.search(compact):
        return True
    return any(
        _tells_someone_elses_story(clause, lexicon) or _blank_harmless(clause, lexicon) != clause
        for clause in _CLAUSE_END.split(compact)
        if clause
    )


def _blank_harmless(clause: str, lexicon: _Lexicon) -> str:
    clause = _blank(lexicon.insults, clause)
    return _blank_quoted_threats(clause, lexicon)


def _blank(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda match: _BLANK * len(match.group(0)), text)


def _blank_quoted_threats(clause: str, lexicon: _Lexicon) -> str:
    def replace(match: re.Match[str]) -> str:
        before = clause[: match.start()]
        if lexicon.quote_frame.search(before) and not lexicon.self_wish.search(before):
            return _BLANK * len(match.group(0))
        return match.group(0)

    return lexicon.threats.sub(replace, clause)


def _tells_someone_elses_story(clause: str, lexicon: _Lexicon) -> bool:
    if lexicon.topic.search(clause):
        return True
    return bool(lexicon.third_party.search(clause)) and not lexicon.self_marker.search(clause)


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


@cache
def _lexicon() -> _Lexicon:
    content = load_content("safety")
    exclusions = content["exclusions"]
    return _Lexicon(
        categories={name: _any_of(items) for name, items in content["crisis_lexicon"].items()},
        everyday=_any_of(exclusions["intensifiers"] + exclusions["harmless_words"]),
        insults=_any_of(exclusions["insults_to_others"]),
        threats=_any_of(exclusions["threat_shapes"]),
        self_wish=re.compile(exclusions["self_wish_before_threat"]),
        quote_frame=_any_of(exclusions["quote_frames"]),
        # 送给朋友, 拜托表姐: the other person receives something; the story is the user's.
        third_party=re.compile(
            f"(?<![给托])(?:{_any_of(exclusions['third_party_markers']).pattern})"
        ),
        topic=re.compile(exclusions["topic_markers"]),
        protective=_any_of(exclusions["protective_statements"]),
        self_marker=re.compile(f"我(?!{exclusions['relation_after_self']})|自己"),
        unclear_categories=frozenset(content["unclear_categories"]),
    )
