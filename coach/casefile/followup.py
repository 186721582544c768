"""A complaint the user has sent, its 15-day answer period, and what to do once it passed.

``says_sent(text)`` tells whether a message says the complaint went out ("投诉信已经寄出去了",
"我昨天打电话投诉了招行"); ``sent_on(text, now)`` reads the day (coach/casefile/when.py), or
None when the message gives none. A ``SentComplaint`` (the day, the organisation, its
route) is kept in the case file's slots; ``recorded_text`` says back the day and the
deadline (fact complaint_answer_within_15_days: 15 days from receipt), ``followup`` tells,
at a later message, the days left or that the deadline passed, and with the passed deadline
the escalation document for the lender's route (coach/guidance/routing.py): 12378 for banks
and consumer-finance companies, the local regulator and NIFA for small-loan companies;
private lenders have no regulator, an unknown lender first needs its name. Texts are in
``content/complaint_followup.yml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from coach.casefile.conduct import CHINA_TIME
from coach.casefile.documents import Document, blank, date_text
from coach.casefile.when import resolve_when
from coach.content import load_content
from coach.guidance.routing import route_for
from coach.language.normalise import normalise

ESCALATION_KIND = "escalation_complaint"
REGULATED_ROUTES = ("bank", "online")


def _spec() -> dict[str, Any]:
    return load_content("complaint_followup")


@dataclass(frozen=True)
class SentComplaint:
    """The day a complaint went out, to whom (None: not said) and its route."""

    sent_on: date
    organisation: str | None
    route: str
    posted: bool = False

    @property
    def deadline(self) -> date:
        return answer_deadline(self.sent_on)


@dataclass(frozen=True)
class Followup:
    """Where a sent complaint stands on ``today``: its text, and the escalation document
    once the deadline passed and a regulator can be named."""

    text: str
    overdue: bool
    document: Document | None = None


def answer_deadline(sent_on: date) -> date:
    return sent_on + timedelta(days=int(_spec()["answer_days"]))


def says_sent(text: str) -> bool:
    folded = normalise(text)
    return any(normalise(word) in folded for word in _spec()["sent_words"])


def says_posted(text: str) -> bool:
    folded = normalise(text)
    return any(normalise(word) in folded for word in _spec()["posted_words"])


def sent_on(text: str, now: datetime) -> date | None:
    """The day the message says the complaint went out; None when it names none or a day
    still to come."""
    reading = resolve_when(text, now)
    if reading.at is None or reading.in_future:
        return None
    return date.fromisoformat(reading.at[:10])


def sent_complaint(
    day: date, organisation: str | None, lender_type: str | None, posted: bool = False
) -> SentComplaint:
    return SentComplaint(day, organisation, route_for(lender_type, organisation), posted)


def today_in_china(now: datetime) -> date:
    return (now.astimezone(CHINA_TIME) if now.tzinfo is not None else now).date()


def short_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _fields(sent: SentComplaint, today: date) -> dict[str, str | int]:
    texts = _spec()["texts"]
    return {
        "sent": short_date(sent.sent_on),
        "deadline": short_date(sent.deadline),
        "organisation": sent.organisation or str(texts["unknown_organisation"]),
        "days_left": (sent.deadline - today).days,
        "days_over": (today - sent.deadline).days,
    }


def recorded_text(sent: SentComplaint, today: date) -> str:
    texts = _spec()["texts"]
    key = "recorded" if sent.route in ("bank", "any") else "recorded_unregulated"
    lines = [str(texts[key]).format(**_fields(sent, today))]
    if sent.posted:
        lines.append(str(texts["recorded_posted"]))
    return "\n".join(lines)


def not_recorded_text() -> str:
    return str(_spec()["texts"]["not_recorded"])


def button_title(name: str) -> str:
    return str(_spec()["buttons"][name])


def followup(sent: SentComplaint, today: date, city: str | None = None) -> Followup:
    """Days left, the last day, or the passed deadline with the escalation for the route."""
    texts = _spec()["texts"]
    fields = _fields(sent, today)
    if today < sent.deadline:
        return Followup(str(texts["waiting"]).format(**fields), overdue=False)
    if today == sent.deadline:
        return Followup(str(texts["due_today"]).format(**fields), overdue=False)
    if sent.route == "private":
        return Followup(str(texts["passed_no_regulator"]).format(**fields), overdue=True)
    if sent.route not in REGULATED_ROUTES:
        return Followup(str(texts["passed_find_lender"]).format(**fields), overdue=True)
    route = regulator(sent.route, city)
    text = str(texts["passed"]).format(route=route, **fields)
    return Followup(text, overdue=True, document=escalation_document(sent, today, city))


def regulator(route: str, city: str | None = None, key: str = "routes") -> str:
    routes: Mapping[str, str] = _spec()[key]
    return routes[route].format(city=city or blank("city"))


def escalation_document(sent: SentComplaint, today: date, city: str | None = None) -> Document:
    """The complaint to the regulator, with the days and the organisation filled in."""
    spec = _spec()["escalation"]
    organisation = sent.organisation or blank("lender")
    fields = {
        "organisation": organisation,
        "sent": date_text(sent.sent_on),
        "deadline": date_text(sent.deadline),
        "today": date_text(today),
        "route": regulator(sent.route, city, "letter_to"),
    }
    title = str(spec["title"]).format(**fields)
    overdue = [str(spec["overdue_line"]).format(**fields)]
    if sent.route == "bank":
        overdue.insert(0, str(spec["rule_line"]))
    requests = [
        f"{number}. {str(item).format(**fields)}"
        for number, item in enumerate(spec["requests"], start=1)
    ]
    lines = [
        title,
        "",
        str(spec["to"]).format(**fields),
        "",
        *[str(line) for line in spec["applicant"]],
        "",
        str(spec["opening"]).format(**fields),
        *overdue,
        "",
        str(spec["requests_heading"]),
        *requests,
        "",
        str(spec["attachments"]),
        "",
        *[str(line).format(**fields) for line in spec["signature"]],
    ]
    return Document(ESCALATION_KIND, title, "\n".join(lines))


# ------------------------------------------------------------------ the slot


def to_slot(sent: SentComplaint) -> dict[str, Any]:
    return {
        "sent_on": sent.sent_on.isoformat(),
        "organisation": sent.organisation,
        "route": sent.route,
        "posted": sent.posted,
    }


def from_slot(value: object) -> SentComplaint | None:
    """The kept complaint; None for anything unusable (never raises)."""
    if not isinstance(value, Mapping):
        return None
    try:
        day = date.fromisoformat(str(value.get("sent_on")))
    except ValueError:
        return None
    organisation = value.get("organisation")
    route = value.get("route")
    return SentComplaint(
        day,
        organisation if isinstance(organisation, str) and organisation else None,
        route if isinstance(route, str) and route else "any",
        value.get("posted") is True,
    )
