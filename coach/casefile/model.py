"""The values of the case file: one recorded contact and what it broke."""

from dataclasses import dataclass, field

CHANNELS = ("phone", "sms", "wechat", "visit", "letter", "other")


@dataclass(frozen=True)
class Violation:
    """A likely breach: ``code`` names the rule, ``fact_id`` the fact in content/facts.yml.

    ``see_also`` names other facts the text relies on (complaint channels aside); the
    contract's payload carries code, fact_id and text only.
    """

    code: str
    fact_id: str
    text: str
    see_also: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactEntry:
    """One contact as the user reported it.

    ``at`` is ISO 8601 local time (Asia/Shanghai), "2026-11-29T23:10", or a date alone
    ("2026-11-29") when the time is unknown, or None when the user gave no date.
    ``third_parties`` names who else was contacted ("单位", "家人", "朋友", "通讯录").
    ``claims`` are the codes of what the collector did or said, as the reader found them
    (coach/casefile/contact.py: "posing_lawyer", "threat_visit", "insult" …);
    ``call_count`` is the least number of calls in a day the user reported;
    ``documents`` the legal papers the collector sent ("律师函", "传票").
    """

    id: str
    at: str | None
    channel: str
    organisation: str | None = None
    collector: str | None = None
    summary: str = ""
    third_parties: tuple[str, ...] = ()
    violations: tuple[Violation, ...] = field(default=())
    claims: tuple[str, ...] = ()
    call_count: int | None = None
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactDraft:
    """What coach/casefile/contact.py read from a user's account, before it is dated.

    ``text`` is the account as the user wrote it (cleaned), which is what
    coach/casefile/when.py reads the date and time from; ``summary`` is it, shortened for
    the log. The other fields are as in ContactEntry.
    """

    text: str
    summary: str
    channel: str
    organisation: str | None = None
    collector: str | None = None
    third_parties: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    call_count: int | None = None
    documents: tuple[str, ...] = ()
