"""Reads when a contact happened from what a user wrote: "前天夜里十一点多", "上周五下午四点".

``resolve_when(text, now)`` gives one ``WhenReading``: ``at`` in ISO 8601 local time of
mainland China ("2026-11-29T23:10", or "2026-11-29" when only the day is known),
``precision``, the span of the user's text it read, and ``in_future`` when the time it
names is later than ``now`` (a contact log entry in the future is probably a misreading:
the caller asks). The words (day words, parts of the day, weekdays, vague words) are in
``content/when.yml``; the logic is here.

How a message is read:

1. Each character is folded one for one (NFKC: full-width digits and colons to ASCII; lower
   case; traditional to simplified), so spans still point at the text as typed.
2. Pieces are found: days (今天, 前天, 3天前, 上周五, 11月28号, 这个月3号, 2026-11-02),
   parts of the day (凌晨, 下午, 半夜), clock times (三点, 九点半, 23:10, 十一点多, 3pm),
   spans back from now (半小时前, 刚才) and vague times (前几天, 最近).
3. Pieces next to each other (only spaces, commas, 的/在/大概… between) make one time.
   The first time that names a day or a clock wins; a day said alone takes the clock of
   the next piece when that has no day of its own ("昨天又打来了，晚上十一点多"). Vague
   times count only when nothing better is said.

Conventions (Chinese usage, and a debt collector's working hours):

- Days without a year or month roll back to the latest such day not after today: "周五"
  is the latest Friday (today when today is Friday), "28号" the latest 28th, "12月5号"
  said in November is last December's. Days that name their week, month or year
  (这周日, 这个月3号, 2026年12月1日) stay as said, and are flagged when in the future.
- A clock time without a day is today's, even when that is later than now.
- After-midnight hours: "昨晚1点", "前天夜里两点", "晚上12点" are the early hours after
  that evening, on the next calendar day (昨晚1点 = today 01:00). Said without a day,
  "夜里1点" is today's 01:00. 凌晨 keeps its calendar day (昨天凌晨两点 = yesterday 02:00).
- A bare hour (no part of the day): 1-7 are afternoon or evening hours (三点 = 15:00),
  8-11 morning hours, 0 and 13-24 as said; a leading zero (07:30, 03点) means a 24-hour
  clock. 十二点 is noon unless the message speaks of the night (睡觉, 半夜…): then the
  midnight that ends the day named (today's 00:00 when no day is named).
- An exact hour ("三点", "三点整") is read to the minute; 多/左右/大概 keep the time but
  make the precision "hour"; so do "N小时前" and "一个多小时前".
- Words of days to come (明天, 后天, 下周一, 下个月3号) are read as said and flagged.
- "vague": the message places the contact only roughly. ``at`` is the day it most likely
  means when there is one (上个月底 → last day of last month, 月初 → the 1st, 两周前 →
  14 days back), otherwise None (前几天, 最近, 去年12月: a month without a day).
- A part of the day without a clock (昨天晚上) gives the day alone, precision
  "part_of_day", and the part in ``part_of_day``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coach.content import load_content
from coach.language.normalise import fold
from coach.language.numerals import read_integer
from coach.language.patterns import alternation

PRECISIONS = ("minute", "hour", "day", "part_of_day", "vague", "none")


def _china_zone() -> tzinfo:
    """Asia/Shanghai from the tz database, or UTC+8 (China has no daylight saving time)."""
    try:
        return ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=8), "Asia/Shanghai")


CHINA = _china_zone()


@dataclass(frozen=True)
class WhenReading:
    """When a message says a contact happened.

    ``at``: ISO 8601 local time in China, "2026-11-29T23:10", or "2026-11-29" when only the
    day is known, or None. ``precision``: one of ``PRECISIONS`` (see the module docstring).
    ``matched``: the span of the text as typed that was read ("" when nothing was).
    ``in_future``: the time named is later than the message's time. ``part_of_day``: the
    part of the day said (晚上, 凌晨…), from content/when.yml's names.
    """

    at: str | None
    precision: str
    matched: str
    in_future: bool = False
    part_of_day: str | None = None


NOTHING = WhenReading(at=None, precision="none", matched="")


# --- numbers -------------------------------------------------------------------------------

_CN_CHARS = "零〇一二两三四五六七八九十廿卅"
NUM = rf"(?:\d{{1,2}}|[{_CN_CHARS}]{{1,3}})"


# --- words -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartOfDay:
    """A part of the day from content/when.yml: its hours and how a clock hour is read."""

    name: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class _Words:
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
def _words() -> _Words:
    content = load_content("when")
    parts = {
        name: PartOfDay(name, int(part["start"]), int(part["end"]), str(part["rule"]))
        for name, part in content["parts_of_day"].items()
    }
    positions = content["month_positions"].items()
    return _Words(
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


def _alternation(words: Iterable[str]) -> str:
    return alternation(words, whole_latin_words=False)


# --- pieces ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Day:
    start: int
    end: int
    day: date | None
    vague: bool = False
    part: str | None = None
    weekday: bool = False


@dataclass(frozen=True)
class _Part:
    start: int
    end: int
    name: str


@dataclass(frozen=True)
class _Clock:
    start: int
    end: int
    hour: int
    minute: int
    approx: bool = False
    ampm: str | None = None
    literal: bool = False


@dataclass(frozen=True)
class _Ago:
    start: int
    end: int
    moment: datetime
    precision: str


_Piece = _Day | _Part | _Clock | _Ago


@dataclass(frozen=True)
class _Found:
    """A piece, and whether it counts only next to another: "before" needs a day or part of
    the day just before it (下午3.30), "after" a part of the day or clock just after it
    (11.28晚上)."""

    piece: _Piece
    needs: str = ""


@dataclass(frozen=True)
class _Context:
    text: str
    now: datetime
    words: _Words

    @property
    def today(self) -> date:
        return self.now.date()


# --- days ------------------------------------------------------------------------------------


def _months_back(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int | None) -> date | None:
    """The date, or None when it does not exist; a day of None is the month's last day."""
    if not 1 <= month <= 12 or year < 1:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        day = last
    return date(year, month, day) if 1 <= day <= last else None


def _latest_day_of_month(today: date, day: int) -> date | None:
    """The latest date with this day of the month, not after today."""
    for back in range(13):
        year, month = _months_back(today, back)
        found = _safe_date(year, month, day)
        if found is not None and found <= today:
            return found
    return None


def _scan_relative_days(ctx: _Context) -> Iterator[_Found]:
    words = ctx.words
    pattern = _alternation([*words.relative_days, *words.day_with_part])
    for match in re.finditer(pattern, ctx.text):
        word = match.group(0)
        back, part = words.day_with_part.get(word, (words.relative_days.get(word, 0), None))
        day = ctx.today - timedelta(days=back)
        yield _Found(_Day(match.start(), match.end(), day, part=part))


_AGO = r"\s?(?:之前|以前|前)"
_DAYS_AGO = rf"(?<!\d)(?P<n>{NUM}|几|一两|两三|三四)\s?个?\s?(?P<unit>天|日|周|星期|礼拜){_AGO}"


def _scan_days_ago(ctx: _Context) -> Iterator[_Found]:
    for match in re.finditer(_DAYS_AGO, ctx.text):
        count = read_integer(match.group("n"))
        start, end = match.span()
        if count is None:
            yield _Found(_Day(start, end, None, vague=True))
        elif match.group("unit") in ("天", "日"):
            yield _Found(_Day(start, end, ctx.today - timedelta(days=count)))
        else:
            yield _Found(_Day(start, end, ctx.today - timedelta(weeks=count), vague=True))


def _weekday_pattern(words: _Words) -> str:
    modifier = _alternation(words.week_modifiers)
    prefix = _alternation(words.weekday_prefixes)
    weekday = _alternation(words.weekdays)
    return (
        rf"(?<![{_CN_CHARS}几每\d])(?P<mod>{modifier})?\s?(?:{prefix})(?P<wd>{weekday})"
        r"(?![次回遍个\d])"
    )


def _scan_weekdays(ctx: _Context) -> Iterator[_Found]:
    words = ctx.words
    for match in re.finditer(_weekday_pattern(words), ctx.text):
        weekday = words.weekdays[match.group("wd")]
        modifier = match.group("mod")
        today = ctx.today
        if modifier is None:
            day = today - timedelta(days=(today.isoweekday() - weekday) % 7)
        else:
            monday = today - timedelta(days=today.isoweekday() - 1)
            day = monday + timedelta(days=weekday - 1 - 7 * words.week_modifiers[modifier])
        yield _Found(_Day(match.start(), match.end(), day, weekday=True))


_NOT_AFTER_DAY = r"(?![\d万千百块元个天%.:点时分年])"


def _calendar_pattern(words: _Words) -> str:
    year = rf"(?:(?P<y>\d{{4}}|\d{{2}}|[〇零一二三四五六七八九]{{4}})年|(?P<yrel>{_alternation(words.year_modifiers)}))"
    month = rf"(?:(?P<mrel>{_alternation(words.month_modifiers)})|(?P<m>{NUM})月(?P<fen>份)?)"
    positions = _alternation(word.removeprefix("月") for word in words.month_positions)
    day = rf"(?:(?P<d>{NUM})(?:\s?(?P<mark>号|日)|{_NOT_AFTER_DAY})|(?P<pos>{positions}))"
    return rf"(?<![\d.]){year}?\s?{month}\s?{day}?"


def _scan_calendar_dates(ctx: _Context) -> Iterator[_Found]:
    for match in re.finditer(_calendar_pattern(ctx.words), ctx.text):
        found = _calendar_date(match, ctx)
        if found is not None:
            yield found


def _calendar_date(match: re.Match[str], ctx: _Context) -> _Found | None:
    words, today = ctx.words, ctx.today
    groups = match.groupdict()
    year, year_said = _year_of(groups, ctx)
    if groups["mrel"] is not None:
        year, month = _months_back(today, words.month_modifiers[groups["mrel"]])
        year_said = True
    else:
        month = read_integer(groups["m"]) or 0
        if not 1 <= month <= 12:
            return None
    start, end = match.span()
    if groups["d"] is None and groups["pos"] is None:
        said = year_said or groups["fen"] is not None
        return _Found(_Day(start, end, None, vague=True)) if said else None
    if groups["pos"] is not None:
        position = words.month_positions["月" + groups["pos"]]
        day = _safe_date(year, month, position)
        day = _roll_back_year(day, today, year_said)
        return _Found(_Day(start, end, day, vague=True))
    number = read_integer(groups["d"])
    day = _safe_date(year, month, number) if number is not None else None
    if day is None:
        return _Found(_Day(start, end, None, vague=True))
    return _Found(_Day(start, end, _roll_back_year(day, today, year_said)))


def _year_of(groups: dict[str, str | None], ctx: _Context) -> tuple[int, bool]:
    written, relative = groups["y"], groups["yrel"]
    if relative is not None:
        return ctx.today.year - ctx.words.year_modifiers[relative], True
    if written is None:
        return ctx.today.year, False
    year = read_integer(written) or 0
    return (year + 2000 if year < 100 else year), True


def _roll_back_year(day: date | None, today: date, year_said: bool) -> date | None:
    """A month and day without a year mean the latest such date not after today."""
    if day is None or year_said or day <= today:
        return day
    return _safe_date(day.year - 1, day.month, day.day) or _safe_date(day.year - 1, day.month, 28)


def _scan_month_positions(ctx: _Context) -> Iterator[_Found]:
    """月底, 月初 alone: this month's, or last month's when this month's is still to come."""
    for match in re.finditer(_alternation(ctx.words.month_positions), ctx.text):
        position = ctx.words.month_positions[match.group(0)]
        day = _safe_date(ctx.today.year, ctx.today.month, position)
        if day is not None and day > ctx.today:
            year, month = _months_back(ctx.today, 1)
            day = _safe_date(year, month, position)
        yield _Found(_Day(match.start(), match.end(), day, vague=True))


def _scan_bare_days(ctx: _Context) -> Iterator[_Found]:
    """28号, 3日: the latest such day of a month, not after today."""
    lists = ctx.words.lists
    pattern = rf"(?<![\d.月])(?:(?P<d>\d{{1,2}})\s?(?:号|日)|(?P<cn>[{_CN_CHARS}]{{1,3}})号)"
    for match in re.finditer(pattern, ctx.text):
        before = ctx.text[: match.start()].rstrip()
        after = ctx.text[match.end() :]
        if before.endswith(lists["day_number_before"]):
            continue
        if after.startswith(lists["day_number_after"]):
            continue
        number = read_integer(match.group("d") or match.group("cn"))
        day = _latest_day_of_month(ctx.today, number) if number else None
        if day is not None:
            yield _Found(_Day(match.start(), match.end(), day))


def _scan_numeric_dates(ctx: _Context) -> Iterator[_Found]:
    """2026-11-02, 2026/11/2, 2026.11.2; and 11/28 or 11.28 next to a time ("after")."""
    full = r"(?<![\d.])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d])"
    for match in re.finditer(full, ctx.text):
        day = _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))
        if day is not None:
            yield _Found(_Day(match.start(), match.end(), day))
    short = r"(?<![\d./:-])(?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?![\d./%])"
    for match in re.finditer(short, ctx.text):
        day = _safe_date(ctx.today.year, int(match["m"]), int(match["d"]))
        day = _roll_back_year(day, ctx.today, year_said=False)
        if day is not None:
            yield _Found(_Day(match.start(), match.end(), day), needs="after")


def _scan_vague(ctx: _Context) -> Iterator[_Found]:
    for match in re.finditer(_alternation(ctx.words.lists["vague"]), ctx.text):
        yield _Found(_Day(match.start(), match.end(), None, vague=True))


# --- parts of the day and clock times --------------------------------------------------------------


def _scan_parts(ctx: _Context) -> Iterator[_Found]:
    words = ctx.words
    for match in re.finditer(_alternation(words.part_words), ctx.text):
        name = words.part_words[match.group(0)]
        yield _Found(_Part(match.start(), match.end(), name))
    short = rf"(?:{_alternation(words.short_parts)})(?=\d)"
    for match in re.finditer(short, ctx.text):
        yield _Found(_Part(match.start(), match.end(), words.short_parts[match.group(0)]))


_CN_UNITS = "一二三四五六七八九"
_CN_MINUTE = rf"(?:零[{_CN_UNITS}]|[二三四五]?十[{_CN_UNITS}]?)(?:\s?分钟?)?|[{_CN_UNITS}两]\s?分钟?"
_AR_MINUTE = r"零?\d{2}(?:\s?分钟?)?(?!\d)|零?\d\s?分钟?|零\d(?!\d)"
_DIAN = (
    rf"(?<![\d.])(?P<h>{NUM})\s?(?P<unit>点钟|点|时)"
    rf"(?:\s?过?\s?(?:(?P<half>半)|(?P<quarter>[一三13])刻|(?P<m>{_AR_MINUTE}|{_CN_MINUTE})|(?P<sharp>整)))?"
    r"(?:\s?(?P<ampm>am|pm)(?![a-z]))?"
)
_COLON = r"(?<![\d:.])(?P<h>\d{1,2})\s?:\s?(?P<m>\d{2})(?::\d{2})?(?!\d)(?:\s?(?P<ampm>am|pm))?"
_AMPM = r"(?<![\d.:])(?P<h>\d{1,2})\s?(?P<ampm>am|pm)(?![a-z])"
_DOTTED = r"(?<![\d.])(?P<h>\d{1,2})\.(?P<m>\d{2})(?![\d.%])"


def _scan_clocks(ctx: _Context) -> Iterator[_Found]:
    approx = rf"(?P<approx>{_alternation(ctx.words.lists['approx_after'])})?(?![次个少块元万])"
    for pattern, needs in ((_COLON, ""), (_AMPM, ""), (_DOTTED, "before")):
        for match in re.finditer(pattern + approx, ctx.text):
            found = _clock(match, ctx, needs)
            if found is not None:
                yield found
    for match in re.finditer(_DIAN + approx, ctx.text):
        found = _clock(match, ctx, _dian_needs(match, ctx))
        if found is not None:
            yield found


def _clock(match: re.Match[str], ctx: _Context, needs: str) -> _Found | None:
    groups = match.groupdict()
    written_hour = match["h"]
    hour = read_integer(written_hour)
    minute = _minute(groups)
    if hour is None or minute is None or not 0 <= hour <= 24 or not 0 <= minute <= 59:
        return None
    if hour == 24 and minute:
        return None
    approx = groups.get("approx") is not None
    literal = written_hour.startswith("0") and len(written_hour) == 2
    clock = _Clock(match.start(), match.end(), hour, minute, approx, groups.get("ampm"), literal)
    return _Found(clock, needs)


def _minute(groups: dict[str, str | None]) -> int | None:
    if groups.get("half"):
        return 30
    quarter = groups.get("quarter")
    if quarter:
        return 15 if quarter in "一1" else 45
    written = groups.get("m")
    if not written:
        return 0
    return read_integer(re.sub(r"\s?分钟?$", "", written))


def _said_roughly(cluster: list[_Piece], clock: _Clock, ctx: _Context) -> bool:
    """大概/差不多… just before the time or inside it ("大概下午三点", "昨天大概十点")."""
    said = ctx.text[max(cluster[0].start - 4, 0) : clock.start]
    return clock.approx or any(word in said for word in ctx.words.lists["approx_before"])


def _dian_needs(match: re.Match[str], ctx: _Context) -> str:
    """Whether this "N点"/"N时" counts only after a day or part of the day ("before"): when it
    may not be a time, as N时 in Chinese numerals (一时半会), after a quantity word (有三点,
    快一点), or before a noun or a number (三点要求, 3点5)."""
    groups = match.groupdict()
    if groups["unit"] == "时" and not match["h"].isdigit() and "分" not in (groups["m"] or ""):
        return "before"
    said_more = any(groups[name] for name in ("half", "quarter", "m", "sharp", "ampm", "approx"))
    if said_more or groups["unit"] == "点钟":
        return ""
    lists = ctx.words.lists
    before = ctx.text[: match.start()].rstrip()
    after = ctx.text[match.end() :]
    if before.endswith(lists["approx_before"]):
        return ""
    if before.endswith(lists["quantity_before"]) or after.startswith(lists["point_nouns"]):
        return "before"
    if re.match(rf"\s?[\d{_CN_CHARS}]", after):
        return "before"
    return ""


def _scan_ago(ctx: _Context) -> Iterator[_Found]:
    """半小时前, 10分钟前, 两个小时前, 一个多小时前; and 刚才."""
    pattern = (
        rf"(?<!\d)(?P<n>{NUM}|半|几|个把)\s?个?(?P<half>半)?(?P<more>多)?\s?"
        rf"(?P<unit>小时|钟头|分钟|分)\s?(?P<more2>多)?{_AGO}"
    )
    for match in re.finditer(pattern, ctx.text):
        found = _ago(match, ctx)
        if found is not None:
            yield found
    for match in re.finditer(_alternation(ctx.words.lists["just_now"]), ctx.text):
        yield _Found(_Ago(match.start(), match.end(), ctx.now, "minute"))


def _ago(match: re.Match[str], ctx: _Context) -> _Found | None:
    written, minutes_unit = match["n"], match["unit"] in ("分钟", "分")
    start, end = match.span()
    if written == "几":
        if minutes_unit:
            return _Found(_Ago(start, end, ctx.now, "minute"))
        return _Found(_Day(start, end, None, vague=True))
    count = 0.5 if written == "半" else 1.0 if written == "个把" else read_integer(written)
    if count is None:
        return None
    count += 0.5 if match["half"] else 0.0
    minutes = count if minutes_unit else count * 60
    rough = bool(match["more"] or match["more2"]) or (not minutes_unit and minutes % 60 == 0)
    moment = ctx.now - timedelta(minutes=minutes)
    return _Found(_Ago(start, end, moment.replace(second=0), "hour" if rough else "minute"))


_SCANNERS = (
    _scan_relative_days,
    _scan_days_ago,
    _scan_weekdays,
    _scan_calendar_dates,
    _scan_month_positions,
    _scan_bare_days,
    _scan_numeric_dates,
    _scan_vague,
    _scan_parts,
    _scan_clocks,
    _scan_ago,
)


# --- choosing the pieces ---------------------------------------------------------------------------


def _rank(piece: _Piece) -> int:
    """Order of the pieces of one time: day, part of the day, clock."""
    return {_Day: 0, _Part: 1, _Clock: 2, _Ago: 3}[type(piece)]


def _without_overlaps(found: list[_Found]) -> list[_Piece]:
    """The earliest piece wins where two overlap, the longer where they start together."""
    kept: list[_Piece] = []
    for item in sorted(found, key=lambda f: (f.piece.start, f.piece.start - f.piece.end)):
        if not kept or item.piece.start >= kept[-1].end:
            kept.append(item.piece)
    return kept


def _gap_pattern(words: _Words) -> re.Pattern[str]:
    return re.compile(rf"(?:[\s,，、()（）]|{_alternation(words.lists['fillers'])})*")


def _next_to(first: _Piece, second: _Piece, ctx: _Context) -> bool:
    gap = ctx.text[first.end : second.start]
    return first.end <= second.start and _gap_pattern(ctx.words).fullmatch(gap) is not None


def _pieces(ctx: _Context) -> list[_Piece]:
    """The pieces found, without overlaps; those that need a neighbour only beside one."""
    found = [item for scanner in _SCANNERS for item in scanner(ctx)]
    strong = _without_overlaps([item for item in found if not item.needs])
    accepted: list[_Found] = [_Found(piece) for piece in strong]
    for item in found:
        if item.needs and _has_neighbour(item, strong, ctx):
            if not any(_overlap(item.piece, other.piece) for other in accepted):
                accepted.append(item)
    return sorted((item.piece for item in accepted), key=lambda piece: piece.start)


def _overlap(first: _Piece, second: _Piece) -> bool:
    return first.start < second.end and second.start < first.end


def _has_neighbour(item: _Found, strong: list[_Piece], ctx: _Context) -> bool:
    piece = item.piece
    if item.needs == "before":
        return any(_rank(other) < _rank(piece) and _next_to(other, piece, ctx) for other in strong)
    return any(
        isinstance(other, (_Part, _Clock)) and _next_to(piece, other, ctx) for other in strong
    )


def _clusters(pieces: list[_Piece], ctx: _Context) -> list[list[_Piece]]:
    """Pieces next to each other, in the order day, part of the day, clock, make one time.
    A weekday after a date (11月28号周六) is part of the date."""
    clusters: list[list[_Piece]] = []
    for piece in pieces:
        last = clusters[-1][-1] if clusters else None
        joins = last is not None and _next_to(last, piece, ctx) and not isinstance(piece, _Ago)
        ordered = last is not None and _rank(piece) > _rank(last)
        weekday_after_date = isinstance(piece, _Day) and piece.weekday and isinstance(last, _Day)
        if joins and (ordered or weekday_after_date) and not isinstance(last, _Ago):
            clusters[-1].append(piece)
        else:
            clusters.append([piece])
    return clusters


# --- reading one time --------------------------------------------------------------------------


def _first(cluster: list[_Piece], kind: type[Any]) -> Any:
    return next((piece for piece in cluster if isinstance(piece, kind)), None)


def _hour(clock: _Clock, part: PartOfDay | None, named: bool, ctx: _Context) -> tuple[int, int]:
    """The 24-hour clock hour, and days to add to the day named (after-midnight hours)."""
    hour, after_midnight = clock.hour, 1 if named else 0
    if clock.ampm is not None:
        return hour % 12 + (12 if clock.ampm == "pm" else 0), 0
    if hour == 24:
        return 0, after_midnight
    if part is None:
        return _bare_hour(clock, after_midnight, ctx)
    if part.rule == "early":
        return (0 if hour == 12 else hour), 0
    if part.rule == "noon":
        return (hour + 12 if 1 <= hour <= 5 else hour), 0
    if part.rule == "afternoon":
        return (hour + 12 if hour < 12 else hour), 0
    if part.rule == "night":
        if hour == 12 or hour < 5:
            return hour % 12, after_midnight
        return (hour + 12 if hour < 12 else hour), 0
    return hour, 0


def _bare_hour(clock: _Clock, after_midnight: int, ctx: _Context) -> tuple[int, int]:
    hour = clock.hour
    if clock.literal or hour == 0 or hour > 12:
        return hour, 0
    if hour == 12:
        night = any(word in ctx.text for word in ctx.words.lists["midnight_context"])
        return (0, after_midnight) if night else (12, 0)
    return (hour + 12 if hour <= 7 else hour), 0


def _read(cluster: list[_Piece], ctx: _Context, original: str) -> WhenReading:
    matched = original[cluster[0].start : cluster[-1].end]
    ago: _Ago | None = _first(cluster, _Ago)
    if ago is not None:
        return WhenReading(_iso_minute(ago.moment), ago.precision, matched)
    day: _Day | None = _first(cluster, _Day)
    if day is not None and day.vague:
        at = day.day.isoformat() if day.day else None
        return WhenReading(at, "vague", matched, day.day is not None and day.day > ctx.today)
    base = day.day if day is not None and day.day is not None else ctx.today
    part_piece: _Part | None = _first(cluster, _Part)
    part_name = part_piece.name if part_piece else day.part if day else None
    part = ctx.words.parts[part_name] if part_name else None
    clock: _Clock | None = _first(cluster, _Clock)
    if clock is not None:
        hour, days = _hour(clock, part, day is not None, ctx)
        moment = datetime.combine(base + timedelta(days=days), time(hour, clock.minute))
        precision = "hour" if _said_roughly(cluster, clock, ctx) else "minute"
        return WhenReading(_iso_minute(moment), precision, matched, moment > ctx.now, part_name)
    if part is not None:
        future = datetime.combine(base, time(part.start)) > ctx.now
        return WhenReading(base.isoformat(), "part_of_day", matched, future, part.name)
    return WhenReading(base.isoformat(), "day", matched, base > ctx.today)


def _iso_minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _is_specific(cluster: list[_Piece]) -> bool:
    day = _first(cluster, _Day)
    return day is None or not day.vague


def _day_alone(cluster: list[_Piece]) -> bool:
    return all(isinstance(piece, _Day) for piece in cluster)


def _time_alone(cluster: list[_Piece]) -> bool:
    return all(isinstance(piece, (_Part, _Clock)) for piece in cluster)


_FOLLOWING_CLOCK_REACH = 20


def _choose(clusters: list[list[_Piece]]) -> list[_Piece] | None:
    """The first specific time; a day alone takes the part and clock just after it."""
    for index, cluster in enumerate(clusters):
        if not _is_specific(cluster):
            continue
        following = clusters[index + 1] if index + 1 < len(clusters) else None
        if _day_alone(cluster) and following is not None and _time_alone(following):
            if following[0].start - cluster[-1].end <= _FOLLOWING_CLOCK_REACH:
                return cluster + following
        return cluster
    return clusters[0] if clusters else None


# --- folding and the entry point ---------------------------------------------------------------


def local_now(now: datetime) -> datetime:
    """``now`` as a naive wall-clock time in mainland China (a naive ``now`` is taken as one)."""
    if now.tzinfo is None:
        return now
    return now.astimezone(CHINA).replace(tzinfo=None)


def resolve_when(text: str, now: datetime) -> WhenReading:
    """When ``text`` says a contact happened, read against the message's time ``now``."""
    ctx = _Context(fold(text), local_now(now).replace(second=0, microsecond=0), _words())
    chosen = _choose(_clusters(_pieces(ctx), ctx))
    if chosen is None:
        return NOTHING
    return _read(chosen, ctx, text)
