"""The vocabulary and pieces ``coach.casefile.when`` reads a time from: the numeral pattern,
the time words of ``content`` (weekdays, parts of the day, vague words, gaps), and the
pieces a scan finds in a text (a day, a part of the day, a clock time, a span ago) with
the context a scan runs in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from coach.content import load_content
from coach.language.patterns import alternation

CN_CHARS = "零〇一二两三四五六七八九十廿卅"

NUM = rf"(?:\d{{1,2}}|[{CN_CHARS}]{{1,3}})"


@dataclass(frozen=True)
class PartOfDay:
    """A part of the day from content/when.yml: its hours and how a clock hour is read."""

    name: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class TimeWords:
    relative_days: dict[str, int]
    day_with_part: dict[str, tuple[int, str]]
    parts: dict[str, PartOfDay]
    part_words: dict[str, str]
    short_parts: dict[str, str]
    weekday_prefixes: tuple[str, ...]
    weekdays: dict[str, int]
    week_modifiers: dict[str, int]
    month_modifiers: dict[str, int]
    year_modifiers: dict[str, int]
    month_positions: dict[str, int | None]
    lists: dict[str, tuple[str, ...]]


_LISTS = (
    "just_now",
    "vague",
    "approx_after",
    "approx_before",
    "fillers",
    "midnight_context",
    "quantity_before",
    "point_nouns",
    "day_number_after",
    "day_number_before",
)


def _by_word(groups: dict[Any, list[Any]]) -> dict[str, int]:
    return {str(word): int(key) for key, words in groups.items() for word in words}


@cache
def time_words() -> TimeWords:
    content = load_content("when")
    parts = {
        name: PartOfDay(name, int(part["start"]), int(part["end"]), str(part["rule"]))
        for name, part in content["parts_of_day"].items()
    }
    positions = content["month_positions"].items()
    return TimeWords(
        relative_days=_by_word(content["relative_days"]),
        day_with_part={w: (int(v[0]), str(v[1])) for w, v in content["day_with_part"].items()},
        parts=parts,
        part_words={w: n for n, p in content["parts_of_day"].items() for w in p["words"]},
        short_parts={str(k): str(v) for k, v in content["short_parts"].items()},
        weekday_prefixes=tuple(content["weekday_prefixes"]),
        weekdays=_by_word(content["weekdays"]),
        week_modifiers=_by_word(content["week_modifiers"]),
        month_modifiers=_by_word(content["month_modifiers"]),
        year_modifiers=_by_word(content["year_modifiers"]),
        month_positions={w: None if d == "last" else int(d) for w, d in positions},
        lists={name: tuple(str(word) for word in content[name]) for name in _LISTS},
    )


def word_alternation(words: Iterable[str]) -> str:
    return alternation(words, whole_latin_words=False)


@dataclass(frozen=True)
class DayPiece:
    start: int
    end: int
    day: date | None
    vague: bool = False
    part: str | None = None
    weekday: bool = False


@dataclass(frozen=True)
class PartPiece:
    start: int
    end: int
    name: str


@dataclass(frozen=True)
class ClockPiece:
    start: int
    end: int
    hour: int
    minute: int
    approx: bool = False
    ampm: str | None = None
    literal: bool = False


@dataclass(frozen=True)
class AgoPiece:
    start: int
    end: int
    moment: datetime
    precision: str


Piece = DayPiece | PartPiece | ClockPiece | AgoPiece


@dataclass(frozen=True)
class Found:
    """A piece, and whether it counts only next to another: "before" needs a day or part of
    the day just before it (下午3.30), "after" a part of the day or clock just after it
    (11.28晚上)."""

    piece: Piece
    needs: str = ""


@dataclass(frozen=True)
class ScanContext:
    text: str
    now: datetime
    words: TimeWords

    @property
    def today(self) -> date:
        return self.now.date()
