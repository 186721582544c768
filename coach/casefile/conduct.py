"""Checks one recorded contact against the catalogued collection rules.

``check_conduct(entry_or_draft, at)`` gives a ``Violation`` per rule the contact likely
broke, in the order of ``content/casefile.yml`` (``rules``):

- violence_threat: threats to the user's or the family's safety (fact police_110: call 110).
- impersonating_authority: posing as police or court (banned_collection_practices), or as a
  lawyer pressing with legal consequences (banned_collection_practices,
  lawsuit_comes_from_court).
- fake_legal_document: court papers sent privately (court_notice_channels) or a 律师函 used
  as if it were a lawsuit (lawsuit_comes_from_court); not papers that came by 法院专递/EMS.
- insult_or_threat: insults, threats of arrest, threats to expose the debt
  (banned_collection_practices).
- third_party_disclosure: family, work, friends or contacts reached, or told of the debt
  (third_party_contact_limits).
- group_chat_exposure: the debt posted in a group chat, 朋友圈 or online (privacy_and_peace).
- unwanted_visit: a visitor who entered or would not leave (banned_collection_practices).
- night_call: a contact in the night window of no_contact_at_night (read from the fact's
  text: 晚上10点到次日早上8点), or said to be at night when the time is unknown.
- too_frequent: more calls in a day than call_frequency_limits allows for unanswered calls
  (read from the fact), or "打爆了" with no count.
- induced_borrowing: pushing the user to borrow to repay (banned_collection_practices).

Threats to sue or to visit are recorded as claims but are no violation: suing is the
lender's right, and saying it is not against any catalogued rule. Every text says the
breach is likely, in the wording of its fact's status, and what to do next: keep
evidence, complain to the lender, then the channel the catalogue names for the lender
type (12378 for banks, card centres and consumer-finance companies; the local financial
regulator or the NIFA platform for small-loan and online lenders; both when unknown).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any

from coach.casefile.model import ContactDraft, ContactEntry, Violation
from coach.content import load_content
from coach.guidance.routing import route_for as licence_route
from coach.guidance.rules_catalogue import fact

CHINA_TIME = timezone(timedelta(hours=8))
Contact = ContactEntry | ContactDraft


def casefile() -> dict[str, Any]:
    return load_content("casefile")


# ------------------------------------------------------------------ figures from the facts


def _fact_match(fact_id: str, pattern: str) -> re.Match[str]:
    match = re.search(pattern, fact(fact_id)["text_zh"])
    if match is None:
        raise ValueError(f"fact {fact_id} no longer states what {pattern!r} reads")
    return match


@cache
def night_hours_as_said() -> tuple[int, int]:
    """The night window as the fact says it: 晚上10点到次日早上8点 → (10, 8)."""
    spec = casefile()["fact_figures"]["night_window"]
    match = _fact_match(spec["fact"], spec["pattern"])
    return int(match.group(1)), int(match.group(2))


def night_window() -> tuple[int, int]:
    """(start hour, end hour) of the night window, 24-hour clock: (22, 8)."""
    start, end = night_hours_as_said()
    return start + int(casefile()["fact_figures"]["night_window"]["evening_offset"]), end


@cache
def call_limits() -> tuple[int, int]:
    """(unanswered attempts to one number a day, effective talks a day): (6, 3)."""
    spec = casefile()["fact_figures"]["call_limits"]
    attempts = _fact_match(spec["fact"], spec["attempts_pattern"])
    talks = _fact_match(spec["fact"], spec["talks_pattern"])
    return int(attempts.group(1)), int(talks.group(1))


def fact_numbers() -> dict[str, str]:
    """The template fields filled with a fact's hotline number ({bank_hotline} → 12378)."""
    return {name: str(fact(fact_id)["number"]) for name, fact_id in casefile()["numbers"].items()}


# ------------------------------------------------------------------ time


def clock(at: str | None) -> tuple[int, int] | None:
    """(hour, minute) in China time of an ISO time; None for a date alone or no time."""
    if not at or "T" not in at:
        return None
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(CHINA_TIME)
    return moment.hour, moment.minute


def at_night(hour: int) -> bool:
    start, end = night_window()
    return hour >= start or hour < end


# ------------------------------------------------------------------ complaint routes


def route_for(lender_type: str | None, organisation: str | None = None) -> str:
    """bank, online, private or any: by the licence of the lender named, else the lender
    type (coach/guidance/routing.py)."""
    return licence_route(lender_type, organisation)


def route_text(route: str) -> str:
    return str(casefile()["routes"][route]).format(**fact_numbers())


# ------------------------------------------------------------------ the rules

# The third-party label (content/casefile.yml reader.third_parties) of the user's contacts.
CONTACT_LIST = "通讯录"


@dataclass(frozen=True)
class _Facts:
    """What the rules look at, from an entry or a draft."""

    claims: frozenset[str]
    third_parties: tuple[str, ...]
    call_count: int | None
    documents: tuple[str, ...]
    clock: tuple[int, int] | None


def _violence(facts: _Facts) -> str | None:
    return "default" if "threat_violence" in facts.claims else None


def _impersonating(facts: _Facts) -> str | None:
    if facts.claims & {"posing_police", "posing_court"}:
        return "state"
    return "lawyer" if "posing_lawyer" in facts.claims else None


def _document(facts: _Facts) -> str | None:
    if not facts.documents or "document_official_route" in facts.claims:
        return None
    court = set(casefile()["reader"]["documents"]["court"])
    return "court" if court & set(facts.documents) else "lawyer_letter"


def _insult(facts: _Facts) -> str | None:
    for claim, variant in (("insult", "insult"), ("threat_arrest", "arrest")):
        if claim in facts.claims:
            return variant
    return "expose" if "threat_expose" in facts.claims else None


def _third_party(facts: _Facts) -> str | None:
    if not facts.third_parties:
        return None
    if CONTACT_LIST in facts.third_parties:
        return "contacts"  # 爆通讯录 is banned outright, reachable or not
    return "disclosed" if "disclosed_debt" in facts.claims else "contacted"


def _group_chat(facts: _Facts) -> str | None:
    return "default" if "group_chat" in facts.claims else None


def _visit(facts: _Facts) -> str | None:
    return "default" if "entered_home" in facts.claims else None


def _night(facts: _Facts) -> str | None:
    if facts.clock is not None:
        return "timed" if at_night(facts.clock[0]) else None
    return "untimed" if "night" in facts.claims else None


def _frequent(facts: _Facts) -> str | None:
    attempts, _ = call_limits()
    if facts.call_count is not None and facts.call_count > attempts:
        return "counted"
    if facts.call_count is None and "many_calls" in facts.claims:
        return "uncounted"
    return None


def _borrowing(facts: _Facts) -> str | None:
    return "default" if "induced_borrowing" in facts.claims else None


CHECKS: dict[str, Callable[[_Facts], str | None]] = {
    "violence_threat": _violence,
    "impersonating_authority": _impersonating,
    "fake_legal_document": _document,
    "insult_or_threat": _insult,
    "third_party_disclosure": _third_party,
    "group_chat_exposure": _group_chat,
    "unwanted_visit": _visit,
    "night_call": _night,
    "too_frequent": _frequent,
    "induced_borrowing": _borrowing,
}
CODES = tuple(CHECKS)


# ------------------------------------------------------------------ wording


def _joined(items: tuple[str, ...], quoted: bool = False) -> str:
    formats = casefile()["formats"]
    shown = [str(formats["quoted"]).format(item=item) for item in items] if quoted else items
    return str(formats["list_separator"]).join(shown)


def _who(claims: frozenset[str]) -> str:
    labels: Mapping[str, str] = casefile()["posing_labels"]
    return _joined(tuple(label for claim, label in labels.items() if claim in claims))


def rule_fields() -> dict[str, str]:
    """The fields every rule text may use: figures and numbers from the facts."""
    start, end = night_hours_as_said()
    attempts, talks = call_limits()
    return {
        **fact_numbers(),
        "night_start": str(start),
        "night_end": str(end),
        "attempts": str(attempts),
        "talks": str(talks),
    }


def _fields(facts: _Facts, route: str) -> dict[str, str]:
    hour, minute = facts.clock or (0, 0)
    return {
        **rule_fields(),
        "time": f"{hour:02d}:{minute:02d}",
        "count": str(facts.call_count or ""),
        "parties": _joined(facts.third_parties),
        "documents": _joined(facts.documents, quoted=True),
        "who": _who(facts.claims),
        "evidence": str(casefile()["evidence"]),
        "route": route_text(route),
    }


def rule_label(code: str) -> str:
    return str(casefile()["rules"][code]["label"])


def rule_basis(code: str) -> str:
    """What the rule says, worded for a letter to the lender."""
    return str(casefile()["rules"][code]["basis"]).format(**rule_fields())


def violation(code: str, variant: str, fields: Mapping[str, str]) -> Violation:
    spec = casefile()["rules"][code]["variants"][variant]
    return Violation(
        code=code,
        fact_id=spec["fact"],
        text=str(spec["text"]).format(**fields),
        see_also=tuple(spec.get("see_also") or ()),
    )


def _facts_of(contact: Contact, at: str | None) -> _Facts:
    return _Facts(
        claims=frozenset(contact.claims),
        third_parties=contact.third_parties,
        call_count=contact.call_count,
        documents=contact.documents,
        clock=clock(at),
    )


def check_conduct(
    contact: Contact, at: str | None = None, lender_type: str | None = None
) -> tuple[Violation, ...]:
    """The rules a contact likely broke. ``at`` is the contact's ISO time (an entry's own
    ``at`` when None); ``lender_type`` picks the complaint route (else the organisation's
    name, else every route)."""
    if at is None and isinstance(contact, ContactEntry):
        at = contact.at
    facts = _facts_of(contact, at)
    fields = _fields(facts, route_for(lender_type, contact.organisation))
    found = ((code, check(facts)) for code, check in CHECKS.items())
    return tuple(violation(code, variant, fields) for code, variant in found if variant)
