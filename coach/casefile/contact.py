"""Reads a user's own account of a contact with a collector.

"今天下午三点有人自称律师打到我单位，说再不还就上门，还把我欠钱的事告诉了同事" reads as:
channel phone, third parties 单位, claims posing_lawyer, threat_visit, disclosed_debt.

``read_contact(text)`` finds, in the normalised text (coach/language/normalise.py):

- ``channel``: the first cue of a channel (打电话, 短信, 微信, 上门, 寄 …); a visit or a letter
  only threatened ("再不还就上门") is not how the contact came.
- ``organisation``: a lender named by itself (招行, 借呗 …) or a name ending in 资产管理公司,
  银行, 平台 …, cut back to where the name starts.
- ``collector``: 自称张律师, 王某, 叫王强, 姓李 (李某), 工号1234, the caller's number.
- ``third_parties``: 家人, 单位, 朋友, 邻居, 通讯录, when the collector contacted them: a
  contact verb before the word (打到我单位), a preposition (给我老婆打电话) or a receiving
  verb after it (我妈接到电话); not the user's own doing (我告诉了同事).
- ``claims``: what the collector did or said (``CLAIMS``), each unless negated (没骂我).
- ``call_count``: the most calls in a day the user reported (一天打了二十多个 → 20).
- ``documents``: legal papers the collector sent (律师函, 传票); only threatened
  (说要发律师函) they count as ``threat_sue``.

The date and time are left to coach/casefile/when.py, which reads ``ContactDraft.text``.
All words are in ``content/casefile.yml`` (``reader``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from coach.casefile.conduct import check_conduct
from coach.casefile.model import CHANNELS, ContactDraft, ContactEntry
from coach.content import load_content
from coach.language.normalise import clean, normalise
from coach.language.numerals import read_integer
from coach.language.patterns import alternation

SUMMARY_LIMIT = 300
ELLIPSIS = "…"

CLAIMS = (
    "insult",
    "threat_violence",
    "threat_arrest",
    "threat_sue",
    "threat_visit",
    "threat_expose",
    "posing_police",
    "posing_court",
    "posing_lawyer",
    "legal_document",
    "document_official_route",
    "group_chat",
    "disclosed_debt",
    "entered_home",
    "induced_borrowing",
    "night",
    "many_calls",
)
# Claims read from a word list alone (content/casefile.yml, reader.claims).
_WORD_CLAIMS: tuple[str, ...] = ("insult", "threat_violence", "threat_arrest", "threat_sue")
_WORD_CLAIMS += ("night", "many_calls", "entered_home")
_MODAL_CLAIMS = frozenset({"entered_home"})  # "要去单位闹" is a threat, not a visit
_HAN = "\u4e00-\u9fff"


def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = load_content("casefile")["reader"]
    return spec


@dataclass(frozen=True)
class _Patterns:
    clause_split: re.Pattern[str]
    negated: re.Pattern[str]
    after_modal: re.Pattern[str]
    channels: tuple[tuple[str, re.Pattern[str]], ...]
    threat_channels: frozenset[str]
    known_lender: re.Pattern[str]
    suffixed: re.Pattern[str]
    not_alone: frozenset[str]
    prefix_stop: re.Pattern[str]
    claims: dict[str, re.Pattern[str]]
    threat_visit: re.Pattern[str]
    exposure: re.Pattern[str]
    induced: re.Pattern[str]
    posing: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def _patterns() -> _Patterns:
    spec = _spec()
    modals = alternation(spec["modals"])
    org = spec["organisations"]
    extension = alternation(org["extensions"])
    posing = spec["posing"]
    channels = spec["channels"]
    return _Patterns(
        clause_split=re.compile("[" + re.escape(spec["clause_marks"]) + "]+"),
        negated=re.compile(
            alternation(spec["negators"]) + alternation(spec["negation_fillers"]) + "?$"
        ),
        after_modal=re.compile(modals + r"[^,。]{0,2}$"),
        channels=tuple((name, re.compile(alternation(channels[name]))) for name in CHANNELS),
        threat_channels=frozenset(spec["threat_channels"]),
        known_lender=re.compile(alternation(org["known"]) + extension + "?"),
        suffixed=re.compile(
            rf"(?P<prefix>[{_HAN}a-z0-9]{{0,12}}?)(?P<suffix>{alternation(org['suffixes'])})"
            rf"{extension}?"
        ),
        not_alone=frozenset(org["not_alone"]),
        prefix_stop=re.compile(alternation(org["prefix_stops"])),
        claims={code: re.compile(alternation(spec["claims"][code])) for code in _WORD_CLAIMS},
        threat_visit=re.compile(modals + r"[^,。]{0,2}?" + alternation(channels["visit"])),
        exposure=re.compile(alternation(spec["claims"]["exposure"])),
        induced=re.compile(
            alternation(spec["induced_borrowing"]["who"])
            + r"[^,。]{0,6}?"
            + alternation(spec["induced_borrowing"]["borrow"])
        ),
        posing=tuple(
            (code, re.compile(alternation(posing["cues"]) + r"[^,。]{0,8}?" + alternation(roles)))
            for code, roles in posing["roles"].items()
        ),
    )


# ------------------------------------------------------------------ helpers


def clauses(read: str) -> list[str]:
    """The text cut at punctuation and spaces."""
    return [part for part in _patterns().clause_split.split(read) if part]


def negated(text: str, start: int) -> bool:
    """Whether a negator (没, 没有, 不是 …) comes right before position ``start``."""
    return bool(_patterns().negated.search(text[:start]))


def after_modal(text: str, start: int) -> bool:
    """Whether a modal word (要, 就, 准备 …) comes just before ``start``: a threat."""
    return bool(_patterns().after_modal.search(text[:start]))


def hits(text: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` in ``text`` that are not negated."""
    return (match for match in pattern.finditer(text) if not negated(text, match.start()))


def _restore_case(original: str, value: str) -> str:
    """The value as the user typed it (XX银行, not xx银行), when it can be found."""
    folded = unicodedata.normalize("NFKC", original)
    index = folded.lower().find(value)
    if index < 0 or len(folded) != len(folded.lower()):
        return value
    return folded[index : index + len(value)]


# ------------------------------------------------------------------ channel


def read_channel(read: str) -> str:
    """The channel of the first cue that is not a threat; "other" when none."""
    found: list[tuple[int, str]] = []
    patterns = _patterns()
    for name, pattern in patterns.channels:
        for match in hits(read, pattern):
            if name in patterns.threat_channels and after_modal(read, match.start()):
                continue
            found.append((match.start(), name))
            break
    return min(found)[1] if found else "other"


# ------------------------------------------------------------------ organisation


def read_organisation(read: str) -> str | None:
    """A lender named by itself, else the first name ending in a suffix (资产管理公司 …)."""
    patterns = _patterns()
    known = patterns.known_lender.search(read)
    if known:
        return known.group(0)
    for match in patterns.suffixed.finditer(read):
        prefix = match.group("prefix")
        stops = list(patterns.prefix_stop.finditer(prefix))
        if stops:
            prefix = prefix[stops[-1].end() :]
        name = prefix + match.group(0)[len(match.group("prefix")) :]
        if name not in patterns.not_alone:
            return name
    return None


# ------------------------------------------------------------------ collector


@dataclass(frozen=True)
class _CollectorPatterns:
    self_styled: re.Pattern[str]
    self_styled_role: re.Pattern[str]
    titled: re.Pattern[str]
    named: re.Pattern[str]
    surname: re.Pattern[str]
    staff_id: re.Pattern[str]
    number: re.Pattern[str]


@cache
def _collector_patterns() -> _CollectorPatterns:
    spec = _spec()["collector"]
    surname = "(?:" + alternation(spec["compound_surnames"]) + "|[" + spec["surnames"] + "])"
    titled = surname + alternation(spec["titles"])
    return _CollectorPatterns(
        self_styled=re.compile(
            alternation(spec["self_styled_cues"])
            + alternation(spec["self_styled_joiners"])
            + f"?(?P<name>{titled})"
        ),
        self_styled_role=re.compile(
            alternation(spec["self_styled_cues"])
            + alternation(spec["self_styled_joiners"])
            + f"?(?P<name>{alternation(spec['roles'])})"
        ),
        titled=re.compile(f"(?P<name>{titled})"),
        named=re.compile(
            alternation(spec["name_cues"])
            + rf"(?P<name>{surname}[{_HAN}]{{1,2}}?)(?=[{re.escape(spec['name_ends'])}\s]|$)"
        ),
        surname=re.compile(alternation(spec["surname_cues"]) + f"(?P<name>{surname})"),
        staff_id=re.compile(
            alternation(spec["id_cues"])
            + alternation(spec["id_joiners"])
            + r"?\s*(?P<value>[a-z0-9]{2,})"
        ),
        number=re.compile(
            r"(?<!\d)(?P<value>1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|95\d{3,6}|400-?\d{3}-?\d{4})(?!\d)"
        ),
    )


def _collector_name(read: str) -> str | None:
    patterns = _collector_patterns()
    formats = _spec()["collector_formats"]
    styled = patterns.self_styled.search(read) or patterns.self_styled_role.search(read)
    if styled:
        return str(formats["self_styled"]).format(name=styled.group("name"))
    for pattern in (patterns.titled, patterns.named):
        match = pattern.search(read)
        if match:
            return match.group("name")
    surname = patterns.surname.search(read)
    if surname:
        return str(formats["surname_only"]).format(surname=surname.group("name"))
    return None


def read_collector(read: str, original: str = "") -> str | None:
    """The collector's name, staff number and calling number, joined ("王某，工号1234")."""
    patterns = _collector_patterns()
    formats = _spec()["collector_formats"]
    parts = [name] if (name := _collector_name(read)) else []
    staff = patterns.staff_id.search(read)
    if staff:
        value = _restore_case(original, staff.group("value")) if original else staff.group("value")
        parts.append(str(formats["id"]).format(value=value))
    number = patterns.number.search(read)
    if number:
        parts.append(str(formats["number"]).format(value=number.group("value")))
    return str(formats["separator"]).join(parts) or None


# ------------------------------------------------------------------ third parties


@dataclass(frozen=True)
class _PartyPatterns:
    own: re.Pattern[str]
    words: re.Pattern[str]
    label_of: dict[str, str]
    labels: tuple[str, ...]
    verb_before: re.Pattern[str]
    preposition: re.Pattern[str]
    verb_after: re.Pattern[str]
    following: re.Pattern[str]
    window: int


@cache
def _party_patterns() -> _PartyPatterns:
    spec = _spec()
    own = alternation(spec["self_words"])
    groups: dict[str, list[str]] = spec["third_parties"]
    label_of = {word: label for label, words in groups.items() for word in words}
    return _PartyPatterns(
        own=re.compile(own + "$"),
        words=re.compile(alternation(label_of)),
        label_of=label_of,
        labels=tuple(groups),
        verb_before=re.compile(alternation(spec["party_verbs_before"])),
        preposition=re.compile(
            alternation(spec["party_prepositions"]) + f"{own}?{alternation(spec['possessives'])}?$"
        ),
        verb_after=re.compile(alternation(spec["party_verbs_after"])),
        following=re.compile(alternation(spec["party_verbs_following"])),
        window=int(spec["party_window"]),
    )


def _by_collector(clause: str, start: int) -> bool:
    """A contact verb at ``start`` the collector did: not negated, not the user's own
    (我告诉了同事), not a threat (要打给你家人)."""
    own = _party_patterns().own.search(clause[:start]) is not None
    return not (own or negated(clause, start) or after_modal(clause, start))


def _contacted(clause: str, word: re.Match[str]) -> bool:
    """Whether the party word in the clause was contacted by the collector."""
    patterns = _party_patterns()
    start, end = word.start(), word.end()
    before_at = max(0, start - patterns.window)
    before = clause[before_at:start]
    verbs = patterns.verb_before.finditer(before)
    if any(_by_collector(clause, before_at + verb.start()) for verb in verbs):
        return True
    preposition = patterns.preposition.search(before)
    if preposition and patterns.following.search(clause[end : end + 6]):
        # "给我老婆打电话", but not the user's own "我跟我老婆说"
        return patterns.own.search(clause[: before_at + preposition.start()]) is None
    after = patterns.verb_after.search(clause[end : end + 6])
    return after is not None and not negated(clause, end + after.start())


def _threatened(clause: str, word: re.Match[str]) -> bool:
    """A contact with the party only threatened: "要打给你家人"."""
    patterns = _party_patterns()
    before_at = max(0, word.start() - patterns.window)
    return any(
        after_modal(clause, before_at + verb.start())
        and not negated(clause, before_at + verb.start())
        for verb in patterns.verb_before.finditer(clause[before_at : word.start()])
    )


def threatens_parties(read: str) -> bool:
    """Whether the collector threatened to contact someone else (要打给你老婆)."""
    words = _party_patterns().words
    return any(
        _threatened(clause, word) and not _contacted(clause, word)
        for clause in clauses(read)
        for word in words.finditer(clause)
    )


def _party_hits(read: str) -> Iterator[tuple[str, int]]:
    """(label, clause index) for every party the collector contacted."""
    patterns = _party_patterns()
    for index, clause in enumerate(clauses(read)):
        for word in patterns.words.finditer(clause):
            if _contacted(clause, word):
                yield patterns.label_of[word.group(0)], index


def read_third_parties(read: str) -> tuple[str, ...]:
    """Who else the collector contacted, in the order of content/casefile.yml."""
    found = {label for label, _ in _party_hits(read)}
    return tuple(label for label in _party_patterns().labels if label in found)


def _disclosed(read: str) -> bool:
    """The clause where a party was contacted, or the next one, speaks of the debt and of
    telling it ("打给我老婆，说我欠钱不还")."""
    spec = _spec()
    debt = re.compile(alternation(spec["debt_words"]))
    telling = re.compile(alternation(spec["telling_words"]))
    parts = clauses(read)
    for _, index in _party_hits(read):
        nearby = "".join(parts[index : index + 2])
        if debt.search(nearby) and telling.search(nearby):
            return True
    return False


# ------------------------------------------------------------------ documents


@dataclass(frozen=True)
class _DocumentReading:
    received: tuple[str, ...]
    threatened: bool
    official_route: bool


def read_documents(read: str) -> _DocumentReading:
    """Legal papers the collector sent, and whether some were only threatened."""
    spec = _spec()["documents"]
    kinds = alternation([*spec["court"], *spec["lawyer_letter"]])
    received_word = re.compile(alternation(spec["received"]))
    official = re.compile(alternation(spec["official_route"]))
    threat_send = re.compile(
        alternation(_spec()["modals"])
        + alternation(spec["to_whom"])
        + "?"
        + alternation(spec["send_verbs"])
    )
    received: list[str] = []
    threatened = routed = False
    for clause in clauses(read):
        for match in hits(clause, re.compile(kinds)):
            if received_word.search(clause) and not threat_send.search(clause):
                received.append(match.group(0))
                routed = routed or bool(official.search(clause))
            else:
                threatened = True
    return _DocumentReading(tuple(dict.fromkeys(received)), threatened, routed)


# ------------------------------------------------------------------ claims


def _said(read: str, code: str, pattern: re.Pattern[str]) -> bool:
    """A claim's word is there, not negated; a visit's doings not merely threatened."""
    for match in hits(read, pattern):
        if code not in _MODAL_CLAIMS or not after_modal(read, match.start()):
            return True
    return False


def _posing(read: str) -> list[str]:
    return [code for code, pattern in _patterns().posing if any(hits(read, pattern))]


def _exposure(read: str) -> list[str]:
    found = []
    for match in hits(read, _patterns().exposure):
        found.append("threat_expose" if after_modal(read, match.start()) else "group_chat")
    return found


def read_claims(read: str, documents: _DocumentReading | None = None) -> tuple[str, ...]:
    """The codes of what the collector did or said, in the order of ``CLAIMS``."""
    patterns = _patterns()
    documents = documents or read_documents(read)
    found = {code for code, pattern in patterns.claims.items() if _said(read, code, pattern)}
    found.update(_posing(read), _exposure(read))
    if threatens_parties(read):
        found.add("threat_expose")
    if any(hits(read, patterns.threat_visit)):
        found.add("threat_visit")
    if any(hits(read, patterns.induced)):
        found.add("induced_borrowing")
    if documents.received:
        found.add("legal_document")
    if documents.official_route:
        found.add("document_official_route")
    if documents.threatened:
        found.add("threat_sue")
    if _disclosed(read):
        found.add("disclosed_debt")
    return tuple(code for code in CLAIMS if code in found)


# ------------------------------------------------------------------ counting calls


@dataclass(frozen=True)
class _CountPatterns:
    count: re.Pattern[str]
    call_word: re.Pattern[str]
    longer: re.Pattern[str]
    vague: dict[str, int]
    approx: str
    range_digits: str


@cache
def _count_patterns() -> _CountPatterns:
    spec = _spec()["calls"]
    vague = {str(word): int(value) for word, value in spec["vague"].items()}
    number = alternation(vague) + r"|[\d" + spec["numerals"] + "]+"
    return _CountPatterns(
        count=re.compile(
            rf"(?<!{spec['ordinal']})(?P<num>{number})(?P<approx>[{spec['approx_suffixes']}])?"
            rf"{alternation(spec['units'])}(?!{alternation(spec['not_after_unit'])})"
        ),
        call_word=re.compile(alternation(spec["call_words"])),
        longer=re.compile(alternation(spec["longer_periods"])),
        vague=vague,
        approx=spec["approx_suffixes"],
        range_digits=spec["range_digits"],
    )


def count_value(text: str) -> int | None:
    """二十多 → 20, 十几 → 11, 几十 → 20, 七八 → 7, 15 → 15; None when unreadable."""
    patterns = _count_patterns()
    if text.isdigit():
        return int(text)
    if text in patterns.vague:
        return patterns.vague[text]
    core = text.rstrip(patterns.approx)
    if len(core) == 2 and all(char in patterns.range_digits for char in core):
        core = core[0]
    return read_integer(core)


def read_call_count(read: str) -> int | None:
    """The most calls in one day the user reported, at least; None when no count."""
    patterns = _count_patterns()
    counts: list[int] = []
    for clause in clauses(read):
        if not patterns.call_word.search(clause) or patterns.longer.search(clause):
            continue
        for match in patterns.count.finditer(clause):
            value = count_value(match.group("num"))
            if value is not None:
                counts.append(value)
    return max(counts) if counts else None


# ------------------------------------------------------------------ the account


def summarise(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """The user's own words, on one line, at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + ELLIPSIS


def read_contact(text: str) -> ContactDraft:
    """What the user's account says about one contact (see the module docstring)."""
    original = clean(text).strip()
    read = normalise(original)
    documents = read_documents(read)
    organisation = read_organisation(read)
    return ContactDraft(
        text=original,
        summary=summarise(original),
        channel=read_channel(read),
        organisation=_restore_case(original, organisation) if organisation else None,
        collector=read_collector(read, original),
        third_parties=read_third_parties(read),
        claims=read_claims(read, documents),
        call_count=read_call_count(read),
        documents=documents.received,
    )


def to_entry(
    draft: ContactDraft, entry_id: str, at: str | None, lender_type: str | None = None
) -> ContactEntry:
    """The log entry for a draft dated ``at``, with the rules it likely broke."""
    return ContactEntry(
        id=entry_id,
        at=at,
        channel=draft.channel,
        organisation=draft.organisation,
        collector=draft.collector,
        summary=draft.summary,
        third_parties=draft.third_parties,
        violations=check_conduct(draft, at, lender_type),
        claims=draft.claims,
        call_count=draft.call_count,
        documents=draft.documents,
    )


def next_entry_id(entries: Sequence[ContactEntry]) -> str:
    """The next free id for a log: c1, c2 …"""
    taken = {entry.id for entry in entries}
    number = len(entries) + 1
    while f"c{number}" in taken:
        number += 1
    return f"c{number}"
