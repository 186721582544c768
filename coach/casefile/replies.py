"""What the coach says about the case file in the chat: what it understood of an account,
the saved entry with its likely breaches (each with its fact's source), the log, the
result of a correction or a removal, and the words around a document.

Every text is a template in ``content/casefile_chat.yml``; the breaches and complaint
routes are worded in ``content/casefile.yml`` (coach/casefile/conduct.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from coach.casefile.conduct import casefile, check_conduct, route_for, route_text, rule_label
from coach.casefile.documents import listed
from coach.casefile.model import ContactEntry, Violation
from coach.casefile.slot import Draft
from coach.content import load_content
from coach.guidance.rules_catalogue import fact

Button = dict[str, str]


def chat_texts() -> dict[str, Any]:
    return load_content("casefile_chat")


def _section(name: str) -> dict[str, Any]:
    section: dict[str, Any] = chat_texts()[name]
    return section


# ------------------------------------------------------------------ times and fields


def _moment(at: str) -> datetime | None:
    try:
        return datetime.fromisoformat(at)
    except ValueError:
        return None


def when_text(at: str | None, precision: str = "minute", part_of_day: str | None = None) -> str:
    """How a contact's time reads in the chat: "11月29日 23:10", "11月29日晚上（几点没说）"."""
    spec = _section("understood")
    if not at:
        return str(spec["unknown"])
    moment = _moment(at)
    if moment is None:
        return str(spec["unknown"])
    day = str(spec["day"]).format(month=moment.month, day=moment.day)
    if "T" not in at:
        if part_of_day:
            return str(spec["part_of_day"]).format(day=day, part=part_of_day)
        return str(spec["day_only"]).format(day=day)
    template = spec["hour"] if precision == "hour" else spec["minute"]
    return str(template).format(day=day, hour=moment.hour, minute=moment.minute)


def day_text(at: str, part_of_day: str | None = None) -> str:
    """The day of a time, and the part of the day when said: "11月29日晚上"."""
    moment = _moment(at)
    if moment is None:
        return str(_section("understood")["unknown"])
    day = str(_section("understood")["day"]).format(month=moment.month, day=moment.day)
    return day + (part_of_day or "")


def channel_label(channel: str) -> str:
    labels: Mapping[str, str] = casefile()["channel_labels"]
    return labels.get(channel, labels["other"])


def _or_unknown(value: str | None) -> str:
    return value if value else str(_section("understood")["unknown"])


def labels_of(violations: Sequence[Violation]) -> str:
    return listed(list(dict.fromkeys(rule_label(v.code) for v in violations)))


# ------------------------------------------------------------------ what was understood


def draft_violations(draft: Draft, lender_type: str | None) -> tuple[Violation, ...]:
    return check_conduct(draft.contact, draft.at, lender_type)


def understood_text(draft: Draft, lender_type: str | None) -> str:
    """The account as read: time, channel, organisation, collector, parties, breaches,
    and how to confirm or correct it."""
    spec = _section("understood")
    contact = draft.contact
    violations = draft_violations(draft, lender_type)
    lines = [
        spec["heading"],
        str(spec["when"]).format(when=when_text(draft.at, draft.precision, draft.part_of_day)),
        str(spec["channel"]).format(channel=channel_label(contact.channel)),
        str(spec["organisation"]).format(organisation=_or_unknown(contact.organisation)),
        str(spec["collector"]).format(collector=_or_unknown(contact.collector)),
    ]
    if contact.third_parties:
        lines.append(str(spec["parties"]).format(parties=listed(contact.third_parties)))
    if violations:
        lines.append(str(spec["breaches"]).format(labels=labels_of(violations)))
    else:
        lines.append(spec["no_breach"])
    lines.extend(["", spec["question"]])
    return "\n".join(str(line) for line in lines)


def confirm_buttons() -> list[Button]:
    spec = _section("understood")
    return [
        {"title": str(spec["confirm_button"]), "payload": "/affirm"},
        {"title": str(spec["cancel_button"]), "payload": "/stop_form"},
    ]


# ------------------------------------------------------------------ a saved entry


def source_line(violation: Violation) -> str:
    """Where a breach's rule comes from: the fact's source and status."""
    entry = fact(violation.fact_id)
    status: str = load_content("facts")["status_labels"][entry["status"]]
    return str(_section("saved")["source"]).format(source=entry["source"], status=status)


def without_next_steps(text: str) -> str:
    """A breach's text without the evidence and complaint-route sentences it ends with:
    the chat says those once, after the list."""
    for said in [str(casefile()["evidence"]), *map(route_text, casefile()["routes"])]:
        text = text.replace(said, "")
    return text.strip()


def breach_lines(violations: Sequence[Violation]) -> list[str]:
    spec = _section("saved")
    lines = [str(spec["breaches_heading"]).format(count=len(violations))]
    for number, violation in enumerate(violations, start=1):
        label = rule_label(violation.code)
        text = without_next_steps(violation.text)
        lines.append(str(spec["breach"]).format(number=number, label=label, text=text))
        lines.append(source_line(violation))
    return lines


def saved_texts(entry: ContactEntry, number: int, lender_type: str | None) -> list[str]:
    """The messages after an entry is saved: the entry and its breaches, then the next step."""
    spec = _section("saved")
    heading = str(spec["heading"]).format(number=number)
    if entry.violations:
        body = "\n".join([heading, *breach_lines(entry.violations)])
        route = route_text(route_for(lender_type, entry.organisation))
        evidence = str(casefile()["evidence"])
        next_step = str(spec["next_breach"]).format(evidence=evidence, route=route)
    else:
        body = "\n".join([heading, str(spec["no_breach"])])
        next_step = str(spec["next_no_breach"])
    return [body, next_step]


def saved_buttons() -> list[Button]:
    titles = _section("saved")["buttons"]
    return [
        {"title": str(titles["complaint"]), "payload": "/request_complaint_letter"},
        {"title": str(titles["log"]), "payload": "/show_contact_log"},
    ]


# ------------------------------------------------------------------ the log


def entry_lines(number: int, entry: ContactEntry) -> list[str]:
    spec = _section("log")
    lines = [
        str(spec["entry"]).format(
            number=number,
            when=when_text(entry.at),
            channel=channel_label(entry.channel),
            organisation=_or_unknown(entry.organisation),
            collector=_or_unknown(entry.collector),
        )
    ]
    if entry.third_parties:
        lines.append(str(spec["parties"]).format(parties=listed(entry.third_parties)))
    if entry.violations:
        lines.append(str(spec["breaches"]).format(labels=labels_of(entry.violations)))
    else:
        lines.append(str(spec["no_breach"]))
    return lines


def log_text(entries: Sequence[ContactEntry]) -> str:
    """The whole log, numbered, with how to correct or remove an entry."""
    spec = _section("log")
    lines = [str(spec["heading"]).format(count=len(entries))]
    for number, entry in enumerate(entries, start=1):
        lines.extend(entry_lines(number, entry))
    lines.extend(["", str(spec["edit_hint"])])
    return "\n".join(lines)


REMOVE_BUTTONS_UP_TO = 5


def log_buttons(entries: Sequence[ContactEntry]) -> list[Button]:
    """Write the letter; and a removal button per entry while the log is short."""
    spec = _section("log")
    buttons = [{"title": str(spec["buttons"]["complaint"]), "payload": "/request_complaint_letter"}]
    if len(entries) <= REMOVE_BUTTONS_UP_TO:
        for number, entry in enumerate(entries, start=1):
            buttons.append(
                {
                    "title": str(spec["remove_button"]).format(number=number),
                    "payload": f'/show_contact_log{{"contact_remove":"{entry.id}"}}',
                }
            )
    return buttons


def removed_text(number: int, entry: ContactEntry, left: int) -> str:
    spec = _section("log")
    template = spec["removed"] if left else spec["removed_last"]
    return str(template).format(
        number=number, when=when_text(entry.at), summary=entry.summary, count=left
    )


def corrected_text(number: int, entry: ContactEntry) -> str:
    spec = _section("log")
    lines = [str(spec["corrected"]).format(number=number), *entry_lines(number, entry)]
    if entry.violations:
        lines.extend(breach_lines(entry.violations))
    return "\n".join(lines)


def no_such_entry_text(number: int, count: int) -> str:
    spec = _section("log")
    if not count:
        return str(spec["empty_for_edit"])
    return str(spec["no_such_entry"]).format(number=number, count=count)


def edit_unclear_text(number: int) -> str:
    return str(_section("log")["edit_unclear"]).format(number=number)


# ------------------------------------------------------------------ documents


def ready_text(title: str, has_blanks: bool) -> str:
    spec = _section("documents")
    text = str(spec["ready"]).format(title=title)
    return text + str(spec["blanks"]) if has_blanks else text


def complaint_guidance(lender_type: str | None, organisation: str | None) -> str:
    route = route_text(route_for(lender_type, organisation))
    return "\n".join(
        str(line).format(route=route) for line in _section("documents")["complaint_guidance"]
    )


def document_text(name: str) -> str:
    return str(_section("documents")[name])


def document_buttons(group: str) -> list[Button]:
    titles: Mapping[str, str] = _section("documents")[group]
    payloads = {
        "log": "/log_contact",
        "show": "/show_contact_log",
        "plan": "/request_repayment_plan",
        "script": "/ask_negotiation_script",
        "practice": "/start_roleplay",
    }
    return [{"title": str(title), "payload": payloads[key]} for key, title in titles.items()]
