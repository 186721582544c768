"""Reads when a contact happened from what a user wrote: "前天夜里十一点多", "上周五下午四点".

``resolve_when(text, now)`` gives one ``WhenReading``: ``at`` in ISO 8601 local time of
mainland China ("2026-11-29T23:10", or "2026-11-29" when only the day is known),
``precision``, the span of the user's text it read, and ``in_future`` when the time it
names is later than ``now`` (a contact log entry in the future is probably a misreading:
the caller asks). The words (day words, parts of the day, weekdays, vague words) are in
``content/when.yml``; the numeral pattern, the words and the pieces a scan finds are in
``coach.casefile.when_pieces``, the scans and the reading here.

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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coach.casefile.when_pieces import (
    CN_CHARS,
    NUM,
    AgoPiece,
    ClockPiece,
    DayPiece,
    Found,
    PartOfDay,
    PartPiece,
    Piece,
    ScanContext,
    TimeWords,
    time_words,
    word_alternation,
)
from coach.language.normalise import fold
from coach.language.numerals import read_integer

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


def _scan_relative_days(ctx: ScanContext) -> Iterator[Found]:
    words = ctx.words
    pattern = word_alternation([*words.relative_days, *words.day_with_part])
    for match in re.finditer(pattern, ctx.text):
        word = match.group(0)
        back, part = words.day_with_part.get(word, (words.relative_days.get(word, 0), None))
        day = ctx.today - timedelta(days=back)
        yield Found(DayPiece(match.start(), match.end(), day, part=part))


_AGO = r"\s?(?:之前|以前|前)"
_DAYS_AGO = rf"(?<!\d)(?P<n>{NUM}|几|一两|两三|三四)\s?个?\s?(?P<unit>天|日|周|星期|礼拜){_AGO}"


def _scan_days_ago(ctx: ScanContext) -> Iterator[Found]:
    for match in re.finditer(_DAYS_AGO, ctx.text):
        count = read_integer(match.group("n"))
        start, end = match.span()
        if count is None:
            yield Found(DayPiece(start, end, None, vague=True))
        elif match.group("unit") in ("天", "日"):
            yield Found(DayPiece(start, end, ctx.today - timedelta(days=count)))
        else:
            yield Found(DayPiece(start, end, ctx.today - timedelta(weeks=count), vague=True))


def _weekday_pattern(words: TimeWords) -> str:
    modifier = word_alternation(words.week_modifiers)
    prefix = word_alternation(words.weekday_prefixes)
    weekday = word_alternation(words.weekdays)
    return (
        rf"(?<![{CN_CHARS}几每\d])(?P<mod>{modifier})?\s?(?:{prefix})(?P<wd>{weekday})"
        r"(?![次回遍个\d])"
    )


def _scan_weekdays(ctx: ScanContext) -> Iterator[Found]:
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
        yield Found(DayPiece(match.start(), match.end(), day, weekday=True))


_NOT_AFTER_DAY = r"(?![\d万千百块元个天%.:点时分年])"


def _calendar_pattern(words: TimeWords) -> str:
    year = rf"(?:(?P<y>\d{{4}}|\d{{2}}|[〇零一二三四五六七八九]{{4}})年|(?P<yrel>{word_alternation(words.year_modifiers)}))"
    month = rf"(?:(?P<mrel>{word_alternation(words.month_modifiers)})|(?P<m>{NUM})月(?P<fen>份)?)"
    positions = word_alternation(word.removeprefix("月") for word in words.month_positions)
    day = rf"(?:(?P<d>{NUM})(?:\s?(?P<mark>号|日)|{_NOT_AFTER_DAY})|(?P<pos>{positions}))"
    return rf"(?<![\d.]){year}?\s?{month}\s?{day}?"


def _scan_calendar_dates(ctx: ScanContext) -> Iterator[Found]:
    for match in re.finditer(_calendar_pattern(ctx.words), ctx.text):
        found = _calendar_date(match, ctx)
        if found is not None:
            yield found


def _calendar_date(match: re.Match[str], ctx: ScanContext) -> Found | None:
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
        return Found(DayPiece(start, end, None, vague=True)) if said else None
    if groups["pos"] is not None:
        position = words.month_positions["月" + groups["pos"]]
        day = _safe_date(year, month, position)
        day = _roll_back_year(day, today, year_said)
        return Found(DayPiece(start, end, day, vague=True))
    number = read_integer(groups["d"])
    day = _safe_date(year, month, number) if number is not None else None
    if day is None:
        return Found(DayPiece(start, end, None, vague=True))
    return Found(DayPiece(start, end, _roll_back_year(day, today, year_said)))


def _year_of(groups: dict[str, str | None], ctx: ScanContext) -> tuple[int, bool]:
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


def _scan_month_positions(ctx: ScanContext) -> Iterator[Found]:
    """月底, 月初 alone: this month's, or last month's when this month's is still to come."""
    for match in re.finditer(word_alternation(ctx.words.month_positions), ctx.text):
        position = ctx.words.month_positions[match.group(0)]
        day = _safe_date(ctx.today.year, ctx.today.month, position)
        if day is not None and day > ctx.today:
            year, month = _months_back(ctx.today, 1)
            day = _safe_date(year, month, position)
        yield Found(DayPiece(match.start(), match.end(), day, vague=True))


def _scan_bare_days(ctx: ScanContext) -> Iterator[Found]:
    """28号, 3日: the latest such day of a month, not after today."""
    lists = ctx.words.lists
    pattern = rf"(?<![\d.月])(?:(?P<d>\d{{1,2}})\s?(?:号|日)|(?P<cn>[{CN_CHARS}]{{1,3}})号)"
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
            yield Found(DayPiece(match.start(), match.end(), day))


def _scan_numeric_dates(ctx: ScanContext) -> Iterator[Found]:
    """2026-11-02, 2026/11/2, 2026.11.2; and 11/28 or 11.28 next to a time ("after")."""
    full = r"(?<![\d.])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d])"
    for match in re.finditer(full, ctx.text):
        day = _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))
        if day is not None:
            yield Found(DayPiece(match.start(), match.end(), day))
    short = r"(?<![\d./:-])(?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?![\d./%])"
    for match in re.finditer(short, ctx.text):
        day = _safe_date(ctx.today.year, int(match["m"]), int(match["d"]))
        day = _roll_back_year(day, ctx.today, year_said=False)
        if day is not None:
            yield Found(DayPiece(match.start(), match.end(), day), needs="after")


def _scan_vague(ctx: ScanContext) -> Iterator[Found]:
    for match in re.finditer(word_alternation(ctx.words.lists["vague"]), ctx.text):
        yield Found(DayPiece(match.start(), match.end(), None, vague=True))


# --- parts of the day and clock times --------------------------------------------------------------


def _scan_parts(ctx: ScanContext) -> Iterator[Found]:
    words = ctx.words
    for match in re.finditer(word_alternation(words.part_words), ctx.text):
        name = words.part_words[match.group(0)]
        yield Found(PartPiece(match.start(), match.end(), name))
    short = rf"(?:{word_alternation(words.short_parts)})(?=\d)"
    for match in re.finditer(short, ctx.text):
        yield Found(PartPiece(match.start(), match.end(), words.short_parts[match.group(0)]))


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


def _scan_clocks(ctx: ScanContext) -> Iterator[Found]:
    approx = rf"(?P<approx>{word_alternation(ctx.words.lists['approx_after'])})?(?![次个少块元万])"
    for pattern, needs in ((_COLON, ""), (_AMPM, ""), (_DOTTED, "before")):
        for match in re.finditer(pattern + approx, ctx.text):
            found = _clock(match, ctx, needs)
            if found is not None:
                yield found
    for match in re.finditer(_DIAN + approx, ctx.text):
        found = _clock(match, ctx, _dian_needs(match, ctx))
        if found is not None:
            yield found


def _clock(match: re.Match[str], ctx: ScanContext, needs: str) -> Found | None:
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
    clock = ClockPiece(
        match.start(), match.end(), hour, minute, approx, groups.get("ampm"), literal
    )
    return Found(clock, needs)


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


def _said_roughly(cluster: list[Piece], clock: ClockPiece, ctx: ScanContext) -> bool:
    """大概/差不多… just before the time or inside it ("大概下午三点", "昨天大概十点")."""
    said = ctx.text[max(cluster[0].start - 4, 0) : clock.start]
    return clock.approx or any(word in said for word in ctx.words.lists["approx_before"])


def _dian_needs(match: re.Match[str], ctx: ScanContext) -> str:
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
    if re.match(rf"\s?[\d{CN_CHARS}]", after):
        return "before"
    return ""


def _scan_ago(ctx: ScanContext) -> Iterator[Found]:
    """半小时前, 10分钟前, 两个小时前, 一个多小时前; and 刚才."""
    pattern = (
        rf"(?<!\d)(?P<n>{NUM}|半|几|个把)\s?个?(?P<half>半)?(?P<more>多)?\s?"
        rf"(?P<unit>小时|钟头|分钟|分)\s?(?P<more2>多)?{_AGO}"
    )
    for match in re.finditer(pattern, ctx.text):
        found = _ago(match, ctx)
        if found is not None:
            yield found
    for match in re.finditer(word_alternation(ctx.words.lists["just_now"]), ctx.text):
        yield Found(AgoPiece(match.start(), match.end(), ctx.now, "minute"))


def _ago(match: re.Match[str], ctx: ScanContext) -> Found | None:
    written, minutes_unit = match["n"], match["unit"] in ("分钟", "分")
    start, end = match.span()
    if written == "几":
        if minutes_unit:
            return Found(AgoPiece(start, end, ctx.now, "minute"))
        return Found(DayPiece(start, end, None, vague=True))
    count = 0.5 if written == "半" else 1.0 if written == "个把" else read_integer(written)
    if count is None:
        return None
    count += 0.5 if match["half"] else 0.0
    minutes = count if minutes_unit else count * 60
    rough = bool(match["more"] or match["more2"]) or (not minutes_unit and minutes % 60 == 0)
    moment = ctx.now - timedelta(minutes=minutes)
    return Found(AgoPiece(start, end, moment.replace(second=0), "hour" if rough else "minute"))


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


def _rank(piece: Piece) -> int:
    """Order of the pieces of one time: day, part of the day, clock."""
    return {DayPiece: 0, PartPiece: 1, ClockPiece: 2, AgoPiece: 3}[type(piece)]


def _without_overlaps(found: list[Found]) -> list[Piece]:
    """The earliest piece wins where two overlap, the longer where they start together."""
    kept: list[Piece] = []
    for item in sorted(found, key=lambda f: (f.piece.start, f.piece.start - f.piece.end)):
        if not kept or item.piece.start >= kept[-1].end:
            kept.append(item.piece)
    return kept


def _gap_pattern(words: TimeWords) -> re.Pattern[str]:
    return re.compile(rf"(?:[\s,，、()（）]|{word_alternation(words.lists['fillers'])})*")


def _next_to(first: Piece, second: Piece, ctx: ScanContext) -> bool:
    gap = ctx.text[first.end : second.start]
    return first.end <= second.start and _gap_pattern(ctx.words).fullmatch(gap) is not None


def _pieces(ctx: ScanContext) -> list[Piece]:
    """The pieces found, without overlaps; those that need a neighbour only beside one."""
    found = [item for scanner in _SCANNERS for item in scanner(ctx)]
    strong = _without_overlaps([item for item in found if not item.needs])
    accepted: list[Found] = [Found(piece) for piece in strong]
    for item in found:
        if item.needs and _has_neighbour(item, strong, ctx):
            if not any(_overlap(item.piece, other.piece) for other in accepted):
                accepted.append(item)
    return sorted((item.piece for item in accepted), key=lambda piece: piece.start)


def _overlap(first: Piece, second: Piece) -> bool:
    return first.start < second.end and second.start < first.end


def _has_neighbour(item: Found, strong: list[Piece], ctx: ScanContext) -> bool:
    piece = item.piece
    if item.needs == "before":
        return any(_rank(other) < _rank(piece) and _next_to(other, piece, ctx) for other in strong)
    return any(
        isinstance(other, (PartPiece, ClockPiece)) and _next_to(piece, other, ctx)
        for other in strong
    )


def _clusters(pieces: list[Piece], ctx: ScanContext) -> list[list[Piece]]:
    """Pieces next to each other, in the order day, part of the day, clock, make one time.
    A weekday after a date (11月28号周六) is part of the date."""
    clusters: list[list[Piece]] = []
    for piece in pieces:
        last = clusters[-1][-1] if clusters else None
        joins = last is not None and _next_to(last, piece, ctx) and not isinstance(piece, AgoPiece)
        ordered = last is not None and _rank(piece) > _rank(last)
        weekday_after_date = (
            isinstance(piece, DayPiece) and piece.weekday and isinstance(last, DayPiece)
        )
        if joins and (ordered or weekday_after_date) and not isinstance(last, AgoPiece):
            clusters[-1].append(piece)
        else:
            clusters.append([piece])
    return clusters


# --- reading one time --------------------------------------------------------------------------


def _first(cluster: list[Piece], kind: type[Any]) -> Any:
    return next((piece for piece in cluster if isinstance(piece, kind)), None)


def _hour(
    clock: ClockPiece, part: PartOfDay | None, named: bool, ctx: ScanContext
) -> tuple[int, int]:
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


def _bare_hour(clock: ClockPiece, after_midnight: int, ctx: ScanContext) -> tuple[int, int]:
    hour = clock.hour
    if clock.literal or hour == 0 or hour > 12:
        return hour, 0
    if hour == 12:
        night = any(word in ctx.text for word in ctx.words.lists["midnight_context"])
        return (0, after_midnight) if night else (12, 0)
    return (hour + 12 if hour <= 7 else hour), 0


def _read(cluster: list[Piece], ctx: ScanContext, original: str) -> WhenReading:
    matched = original[cluster[0].start : cluster[-1].end]
    ago: AgoPiece | None = _first(cluster, AgoPiece)
    if ago is not None:
        return WhenReading(_iso_minute(ago.moment), ago.precision, matched)
    day: DayPiece | None = _first(cluster, DayPiece)
    if day is not None and day.vague:
        at = day.day.isoformat() if day.day else None
        return WhenReading(at, "vague", matched, day.day is not None and day.day > ctx.today)
    base = day.day if day is not None and day.day is not None else ctx.today
    part_piece: PartPiece | None = _first(cluster, PartPiece)
    part_name = part_piece.name if part_piece else day.part if day else None
    part = ctx.words.parts[part_name] if part_name else None
    clock: ClockPiece | None = _first(cluster, ClockPiece)
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


def _is_specific(cluster: list[Piece]) -> bool:
    day = _first(cluster, DayPiece)
    return day is None or not day.vague


def _day_alone(cluster: list[Piece]) -> bool:
    return all(isinstance(piece, DayPiece) for piece in cluster)


def _time_alone(cluster: list[Piece]) -> bool:
    return all(isinstance(piece, (PartPiece, ClockPiece)) for piece in cluster)


_FOLLOWING_CLOCK_REACH = 20


def _choose(clusters: list[list[Piece]]) -> list[Piece] | None:
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
    ctx = ScanContext(fold(text), local_now(now).replace(second=0, microsecond=0), time_words())
    chosen = _choose(_clusters(_pieces(ctx), ctx))
    if chosen is None:
        return NOTHING
    return _read(chosen, ctx, text)
