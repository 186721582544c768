"""Reads what a user says about a contact already read or recorded: a correction
("时间是昨晚10点", "机构是招商银行", "对方工号1234", "没有联系我家人", "他还骂我了"), a
removal ("删掉第 2 条"), a yes or a no, or "I don't remember when".

``read_fix(text, now, known_at)`` gives a ``Fix`` with the fields it understood;
``read_entry_edit(text, now, count)`` an ``EntryEdit`` when the text names an entry of the
log ("第 2 条", "最后一条"). ``apply_to_draft`` and ``apply_to_entry`` make the change, and
an entry's likely breaches are checked again. The words are in
``content/casefile_chat.yml`` (``edits``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from coach.casefile.conduct import check_conduct
from coach.casefile.contact import (
    read_channel,
    read_collector,
    read_contact,
    read_organisation,
    read_third_parties,
    summarise,
)
from coach.casefile.model import ContactDraft, ContactEntry
from coach.casefile.slot import Draft
from coach.casefile.when import WhenReading, local_now, resolve_when
from coach.content import load_content
from coach.language.normalise import clean, normalise
from coach.language.numerals import read_integer
from coach.language.patterns import alternation


def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = load_content("casefile_chat")["edits"]
    return spec


@dataclass(frozen=True)
class _Patterns:
    entry: re.Pattern[str]
    last_entry: re.Pattern[str]
    remove: re.Pattern[str]
    confirm: re.Pattern[str]
    deny: re.Pattern[str]
    cancel: re.Pattern[str]
    unknown_time: re.Pattern[str]
    day_marks: re.Pattern[str]
    field_cues: tuple[tuple[str, re.Pattern[str]], ...]
    parties_negated: re.Pattern[str]
    edit_words: re.Pattern[str]
    debt_words: re.Pattern[str]


_NUMERAL = r"(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})"
_PUNCTUATION = r"[\s,，。.!！?？~～、;；]*"


@cache
def _patterns() -> _Patterns:
    spec = _spec()
    setters = alternation(spec["setters"])
    return _Patterns(
        entry=re.compile(rf"第\s*{_NUMERAL}\s*(?:条|(?:次|个)的?(?=记录|联系))"),
        last_entry=re.compile(alternation(spec["last_entry"])),
        remove=re.compile(alternation(spec["remove"])),
        confirm=re.compile(rf"{_PUNCTUATION}(?:{alternation(spec['confirm'])}{_PUNCTUATION})+"),
        deny=re.compile(alternation(spec["deny"])),
        cancel=re.compile(alternation(spec["cancel"])),
        unknown_time=re.compile(alternation(spec["unknown_time"])),
        day_marks=re.compile(alternation(spec["day_marks"])),
        field_cues=tuple(
            (name, re.compile(alternation(words) + rf"\s*(?P<setter>{setters})?\s*"))
            for name, words in spec["fields"].items()
        ),
        parties_negated=re.compile(alternation(spec["parties_negated"])),
        edit_words=re.compile(alternation(spec["edit_words"])),
        debt_words=re.compile(alternation(spec["debt_words"])),
    )


# ------------------------------------------------------------------ yes, no, cancel, unknown


def says_yes(text: str) -> bool:
    """The whole message is a yes: "对", "对的，记下来", "ok"."""
    return _patterns().confirm.fullmatch(normalise(clean(text))) is not None


def says_no(text: str) -> bool:
    return _patterns().deny.search(normalise(clean(text))) is not None


def says_cancel(text: str) -> bool:
    return _patterns().cancel.search(normalise(clean(text))) is not None


def says_time_unknown(text: str) -> bool:
    return _patterns().unknown_time.search(normalise(clean(text))) is not None


# ------------------------------------------------------------------ time


def names_a_day(text: str) -> bool:
    """Whether a time answer names its own day ("今晚十点", "28号") or only a clock."""
    return _patterns().day_marks.search(normalise(clean(text))) is not None


def read_time(
    text: str, now: datetime, known_at: str | None = None, known_part: str | None = None
) -> WhenReading:
    """When ``text`` says the contact was. A clock alone ("晚上10点") belongs to the day
    already known (``known_at``; "十一点" to its part of the day, ``known_part``, when it
    names none), else to the latest such time not after ``now``."""
    known_day = _day_of(known_at)
    if known_day is not None and not names_a_day(text):
        prefix = f"{known_day.year}年{known_day.month}月{known_day.day}日"
        if known_part and resolve_when(text, now).part_of_day is None:
            prefix += known_part
        dated = resolve_when(prefix + text, now)
        if dated.at is not None and "T" in dated.at:
            return replace(dated, matched=dated.matched[len(prefix) :] or dated.matched)
    reading = resolve_when(text, now)
    if reading.in_future and reading.at and "T" in reading.at and not names_a_day(text):
        earlier = datetime.fromisoformat(reading.at) - timedelta(days=1)
        if earlier <= local_now(now):
            return replace(reading, at=earlier.strftime("%Y-%m-%dT%H:%M"), in_future=False)
    return reading


def _day_of(at: str | None) -> date | None:
    if not at:
        return None
    try:
        return date.fromisoformat(at[:10])
    except ValueError:
        return None


# ------------------------------------------------------------------ corrections


@dataclass(frozen=True)
class Fix:
    """What a correction changes; None (or empty) where it says nothing."""

    time: WhenReading | None = None
    channel: str | None = None
    organisation: str | None = None
    collector: str | None = None
    add_parties: tuple[str, ...] = ()
    drop_parties: tuple[str, ...] = ()
    addition: ContactDraft | None = None

    @property
    def empty(self) -> bool:
        return self == Fix()


def _value_after(text: str, pattern: re.Pattern[str]) -> tuple[str, bool] | None:
    """The words after a field's cue, up to the end of the clause, and whether a setter
    (是, 改成 …) came between them."""
    match = pattern.search(text)
    if match is None:
        return None
    value = re.split(r"[,，。;；!！?？\n]", text[match.end() :])[0].strip()
    return (value, match.group("setter") is not None) if value else None


def _last_setter_segment(text: str) -> str:
    """ "不是下午三点，是晚上十点" → "晚上十点": what comes after the last setter word."""
    setters = alternation([w for w in _spec()["setters"] if w not in (":", "：")])
    parts = re.split(setters, text)
    tail = parts[-1].strip() if len(parts) > 1 else ""
    return tail or text


def _cued_fields(
    original: str, read: str, now: datetime, known_at: str | None, known_part: str | None
) -> Fix:
    found: dict[str, Any] = {}
    for name, pattern in _patterns().field_cues:
        after = _value_after(read, pattern)
        if after is None:
            continue
        value, set_to = after
        if name == "at":
            reading = _time_in(value, now, known_at, known_part)
            if reading.at is not None:
                found["time"] = reading
        elif name == "channel":
            channel = read_channel(value)
            if channel != "other":
                found["channel"] = channel
        elif name == "organisation":
            organisation = read_organisation(value) or (_plain(original, value) if set_to else None)
            if organisation:
                found["organisation"] = organisation
        elif name == "collector":
            cue = pattern.search(read)
            whole = read[cue.start() :] if cue else value
            collector = read_collector(whole, original) or (
                _plain(original, value) if set_to else None
            )
            if collector:
                found["collector"] = collector
    return Fix(**found)


def _time_in(
    text: str, now: datetime, known_at: str | None, known_part: str | None = None
) -> WhenReading:
    """The time a correction gives: after its last setter first ("不是下午三点，是晚上十点"),
    else anywhere in it."""
    reading = read_time(_last_setter_segment(text), now, known_at, known_part)
    if reading.at is None or reading.precision == "vague":
        reading = read_time(text, now, known_at, known_part)
    return reading


def _plain(original: str, value: str) -> str | None:
    """A value as the user typed it, cut to a name's length."""
    value = value.strip(" ：:「」\"'")
    if not value or len(value) > 30:
        return None
    folded = normalise(original)
    index = folded.find(value)
    return original[index : index + len(value)] if index >= 0 else value


def _dropped_parties(read: str) -> tuple[str, ...]:
    """Parties the user says were not contacted ("没有联系我家人")."""
    labels = load_content("casefile")["reader"]["third_parties"]
    dropped = []
    for match in _patterns().parties_negated.finditer(read):
        window = read[match.end() : match.end() + 8]
        for label, words in labels.items():
            if any(word in window for word in words) and label not in dropped:
                dropped.append(label)
    return tuple(dropped)


def read_fix(
    text: str, now: datetime, known_at: str | None = None, known_part: str | None = None
) -> Fix:
    """The corrections in ``text`` (see the module docstring). Fields named by a cue win;
    without cues, a time, an organisation, a collector or a channel said on their own
    count, and new claims or parties are an addition to the account."""
    original = clean(text).strip()
    read = normalise(original)
    fix = _cued_fields(original, read, now, known_at, known_part)
    if fix.time is None:
        reading = _time_in(read, now, known_at, known_part)
        if reading.at is not None and reading.precision != "vague":
            fix = replace(fix, time=reading)
    if fix.organisation is None and (organisation := read_organisation(read)):
        fix = replace(fix, organisation=organisation)
    if fix.collector is None and (collector := read_collector(read, original)):
        fix = replace(fix, collector=collector)
    dropped = _dropped_parties(read)
    added = tuple(p for p in read_third_parties(read) if p not in dropped)
    addition = read_contact(original)
    adds_facts = bool(addition.claims or addition.call_count or addition.documents)
    # Without a cue, a channel counts only when the message says nothing else
    # ("是短信"); "还打给了我妈" adds a party and leaves the channel alone.
    alone = not (added or dropped or adds_facts)
    if fix.channel is None and alone and (channel := read_channel(read)) != "other":
        fix = replace(fix, channel=channel)
    return replace(
        fix,
        add_parties=added,
        drop_parties=dropped,
        addition=addition if adds_facts else None,
    )


def _merged_parties(current: Sequence[str], fix: Fix) -> tuple[str, ...]:
    merged = [p for p in current if p not in fix.drop_parties]
    merged += [p for p in fix.add_parties if p not in merged]
    return tuple(merged)


def merged_collector(current: str | None, new: str | None) -> str | None:
    """A staff number or calling number said alone is added to the name already known
    ("自称律师" + "工号1234" → "自称律师，工号1234"); a name replaces the old one."""
    if not new or not current:
        return new or current
    formats = load_content("casefile")["reader"]["collector_formats"]
    parts = [str(formats[key]).split("{")[0] for key in ("id", "number")]
    separator = str(formats["separator"])
    if new.startswith(tuple(parts)):
        kept = [part for part in current.split(separator) if not part.startswith(tuple(parts))]
        return separator.join([*kept, new]) if kept else new
    return new


def _merged_contact(contact: ContactDraft, fix: Fix) -> ContactDraft:
    addition = fix.addition
    claims = list(contact.claims)
    documents = list(contact.documents)
    text, summary, count = contact.text, contact.summary, contact.call_count
    if addition is not None:
        claims += [c for c in addition.claims if c not in claims]
        documents += [d for d in addition.documents if d not in documents]
        if addition.call_count is not None:
            count = max(count or 0, addition.call_count)
        text = f"{contact.text}；{addition.text}"
        summary = summarise(text)
    return replace(
        contact,
        text=text,
        summary=summary,
        channel=fix.channel or contact.channel,
        organisation=fix.organisation or contact.organisation,
        collector=merged_collector(contact.collector, fix.collector),
        third_parties=_merged_parties(contact.third_parties, fix),
        claims=tuple(claims),
        call_count=count,
        documents=tuple(documents),
    )


def apply_to_draft(draft: Draft, fix: Fix) -> Draft:
    """The draft with the correction made."""
    changed = draft.with_contact(_merged_contact(draft.contact, fix))
    if fix.time is not None and fix.time.at is not None and not fix.time.in_future:
        changed = replace(
            changed,
            at=fix.time.at,
            precision=fix.time.precision,
            part_of_day=fix.time.part_of_day,
            when_asked=True,
            future_time_said=False,
        )
    return changed


def apply_to_entry(entry: ContactEntry, fix: Fix, lender_type: str | None = None) -> ContactEntry:
    """The entry with the correction made and its likely breaches checked again."""
    contact = ContactDraft(
        text=entry.summary,
        summary=entry.summary,
        channel=entry.channel,
        organisation=entry.organisation,
        collector=entry.collector,
        third_parties=entry.third_parties,
        claims=entry.claims,
        call_count=entry.call_count,
        documents=entry.documents,
    )
    merged = _merged_contact(contact, fix)
    at = entry.at
    if fix.time is not None and fix.time.at is not None and not fix.time.in_future:
        at = fix.time.at
    changed = replace(
        entry,
        at=at,
        channel=merged.channel,
        organisation=merged.organisation,
        collector=merged.collector,
        summary=merged.summary,
        third_parties=merged.third_parties,
        claims=merged.claims,
        call_count=merged.call_count,
        documents=merged.documents,
    )
    return replace(changed, violations=check_conduct(changed, at, lender_type))


# ------------------------------------------------------------------ edits of the log


@dataclass(frozen=True)
class EntryEdit:
    """ "删掉第 2 条" / "第 1 条时间是昨晚10点": ``number`` is the entry's place in the log
    (1 is the first), ``remove`` a removal, else ``fix`` the correction."""

    number: int
    remove: bool
    fix: Fix


def entry_number(text: str, count: int) -> int | None:
    """The entry a text names: "第 2 条" → 2, "最后一条" → ``count``; None when none."""
    read = normalise(clean(text))
    match = _patterns().entry.search(read)
    if match is not None:
        written = match.group("n")
        return read_integer(written)
    if _patterns().last_entry.search(read) and count:
        return count
    return None


def asks_log_edit(text: str) -> bool:
    """Whether a message asks to change an entry of the log: it names one ("第 2 条",
    "最后一条") and says to remove it or what to change ("时间是…", "改成…")."""
    read = normalise(clean(text))
    patterns = _patterns()
    names_entry = patterns.entry.search(read) or patterns.last_entry.search(read)
    if not names_entry or patterns.debt_words.search(read):
        return False
    if patterns.remove.search(read) or patterns.edit_words.search(read):
        return True
    return any(pattern.search(read) for _, pattern in patterns.field_cues)


def read_entry_edit(
    text: str, now: datetime, count: int, known_at: str | None = None
) -> EntryEdit | None:
    """The edit a message asks of the log, or None when it names no entry."""
    number = entry_number(text, count)
    if number is None:
        return None
    read = normalise(clean(text))
    without_reference = _patterns().entry.sub(" ", read)
    without_reference = _patterns().last_entry.sub(" ", without_reference)
    if _patterns().remove.search(without_reference):
        return EntryEdit(number, True, Fix())
    return EntryEdit(number, False, read_fix(without_reference, now, known_at))


# ------------------------------------------------------------------ a new account


def reads_as_account(contact: ContactDraft, reading: WhenReading) -> bool:
    """Whether a message tells of a contact: a channel, who, whom else, what was done,
    or when."""
    return bool(
        contact.channel != "other"
        or contact.organisation
        or contact.collector
        or contact.third_parties
        or contact.claims
        or contact.call_count
        or contact.documents
        or reading.at
    )


def without_commands(text: str) -> str:
    """The account without the words that ask to record it, at its start or end."""
    words = alternation(_spec()["account_commands"])
    edge = r"[\s,，。.:：;；!！~～、]*"
    original = clean(text).strip()
    folded = normalise(original)
    start = re.match(rf"^{edge}(?:{words}{edge})+", folded)
    end = re.search(rf"{edge}(?:{words}{edge})+$", folded)
    begin = start.end() if start else 0
    stop = end.start() if end and end.start() > begin else len(original)
    if len(folded) != len(original):  # spans of the folded text are not the original's
        return original
    return original[begin:stop].strip() or original


def read_account(text: str, now: datetime, said_at: str | None = None) -> Draft | None:
    """The draft of a contact a message tells of, dated against the message's time
    ``now``; None when the message tells of none ("记一笔")."""
    if not text.strip() or text.lstrip().startswith("/"):
        return None
    contact = read_contact(without_commands(text))
    reading = resolve_when(contact.text, now)
    if not reads_as_account(contact, reading):
        return None
    usable = reading.at is not None and not reading.in_future
    return Draft(
        contact=contact,
        at=reading.at if usable else None,
        precision=reading.precision if usable else "none",
        part_of_day=reading.part_of_day if usable else None,
        said_at=said_at,
        future_time_said=reading.in_future,
    )


def needs_when(draft: Draft) -> bool:
    """The form asks when it happened (once) while the time of day is unknown."""
    return not draft.when_asked and (draft.at is None or "T" not in draft.at)
