"""The documents of the case file, written from the user's own facts as plain text.

- ``complaint_letter``: to the lender's complaint department; it states facts without
  admitting any debt, identifies the user by the ID's last four digits, cites the binding
  rules first for banks and consumer-finance companies, asks the lender to name its
  collection agency and its authorisation and to answer in writing within 15 days, and
  names where the complaint goes next (coach/guidance/routing.py: 12378, the local
  regulator and NIFA, or the police and the court). It copies nobody: 抄送 files nothing.
  The log entries are the evidence, each with date, time, collector and the rules it
  likely broke, then what those rules say and what the user asks for.
- ``instalment_application``: for cards, a request for a personalised instalment
  agreement under the article fact cc_personalised_instalment cites (the bank may agree;
  the user asks, and has no right to it); for other lenders a hardship request. Both
  carry the user's own figures and the proposed monthly amount and term.
- ``action_plan``: the situation, the offer or several-debts plan, what to say, the
  rights that matter (fact texts), next steps with dates, the hotlines (fact texts).
- ``contact_log_document``: the log itself.

``document_payload`` and ``contact_log_payload`` give the contract's JSON (docs/contract.md
§3); ``download`` is added by the web channel. Every wording is a template in
``content/casefile.yml``; what the user never gave stays a visible blank (【姓名】), never a
``{placeholder}`` or "None".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime
from typing import Any

from coach.casefile.conduct import (
    CHINA_TIME,
    casefile,
    fact_numbers,
    route_for,
    rule_basis,
    rule_fields,
    rule_label,
)
from coach.casefile.model import ContactEntry, Violation
from coach.content import load_content
from coach.guidance.rules_catalogue import fact
from coach.offer.planner import Figures, Offer
from coach.offer.presenter import join_list, offer_payload, waiver_label

KINDS = (
    "complaint_letter",
    "instalment_application",
    "action_plan",
    "contact_log",
    "escalation_complaint",  # coach/casefile/followup.py
)
OfferOrPlan = Offer | Mapping[str, Any] | None


@dataclass(frozen=True)
class Document:
    """One document: ``kind`` (see KINDS), ``title`` and the whole ``text``."""

    kind: str
    title: str
    text: str


@dataclass(frozen=True)
class Step:
    """A next step of the action plan: what to do, and the ISO date to do it on."""

    what: str
    on: str | None = None


# ------------------------------------------------------------------ filling templates


def _spec(section: str) -> dict[str, Any]:
    spec: dict[str, Any] = casefile()[section]
    return spec


def blank(name: str) -> str:
    return str(casefile()["blanks"][name])


def shown(value: Any, blank_name: str) -> str:
    """A value as text, or its visible blank when unknown. Braces in the user's words are
    dropped so no text ever shows a {placeholder}."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return blank(blank_name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return money(value)
    return re.sub(r"[{}]", "", str(value)).strip() or blank(blank_name)


def money(value: float) -> str:
    """12000 → "12000", 1234.5 → "1234.5"."""
    number = float(value)
    return str(int(round(number))) if abs(number - round(number)) < 0.05 else f"{number:.1f}"


def _line(template: str, **fields: str) -> str:
    return template.format(**fields)


def sections(*parts: tuple[str, Sequence[str]]) -> list[str]:
    """Numbered sections (一、经过 …), each its heading then its lines, a blank line before."""
    formats = casefile()["formats"]
    lines: list[str] = []
    for number, (title, body) in zip(formats["section_numbers"], parts, strict=False):
        lines.extend(["", str(formats["section"]).format(number=number, title=title), *body])
    return lines


def bullet(item: str) -> str:
    return str(casefile()["formats"]["bullet"]).format(item=item)


def numbered(number: int, item: str) -> str:
    return str(casefile()["formats"]["numbered"]).format(number=number, item=item)


def indented(item: str) -> str:
    return str(casefile()["formats"]["indent"]) + item


def listed(items: Sequence[str]) -> str:
    return str(casefile()["formats"]["list_separator"]).join(items)


def date_text(value: str | date | datetime | None) -> str:
    """ "2026-11-29T23:10" → 2026年11月29日; 【日期】 when unknown."""
    if value is None:
        return blank("date")
    day = _as_datetime(value)
    if day is None:
        return blank("date")
    template = str(casefile()["formats"]["date"])
    return template.format(year=day.year, month=day.month, day=day.day)


def time_text(at: str | None) -> str:
    """ "2026-11-29T23:10" → 23:10; 【时间】 for a date alone or no date."""
    if not at or "T" not in at:
        return blank("time")
    moment = _as_datetime(at)
    return blank("time") if moment is None else f"{moment.hour:02d}:{moment.minute:02d}"


def _as_datetime(value: str | date | datetime) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    return moment.astimezone(CHINA_TIME) if moment.tzinfo is not None else moment


def local_iso(now: datetime) -> str:
    """ISO local time of mainland China to the minute: "2026-11-30T10:00"."""
    moment = now.astimezone(CHINA_TIME) if now.tzinfo is not None else now
    return moment.strftime("%Y-%m-%dT%H:%M")


def _user_fields(user: Mapping[str, Any] | None) -> dict[str, str]:
    """The user's details for a letter; the ID number only by its last four characters."""
    user = user or {}
    names = ("name", "phone", "account", "city")
    fields = {name: shown(user.get(name), name) for name in names}
    id_number = str(user.get("id_last4") or user.get("id_number") or "").strip()
    fields["id_last4"] = shown(id_number[-4:] or None, "id_last4")
    return fields


def _signed_date(now: datetime | None) -> str:
    return date_text(now) if now is not None else blank("date")


# ------------------------------------------------------------------ the log


def _entry_heading(entry: ContactEntry, template: str) -> str:
    labels: Mapping[str, str] = casefile()["channel_labels"]
    return template.format(
        date=date_text(entry.at),
        time=time_text(entry.at),
        channel=labels.get(entry.channel, labels["other"]),
        organisation=shown(entry.organisation, "organisation"),
        collector=shown(entry.collector, "collector"),
        summary=shown(entry.summary, "summary"),
    )


def _labels(violations: Sequence[Violation]) -> str:
    return listed(list(dict.fromkeys(rule_label(v.code) for v in violations)))


def _log_entry_lines(number: int, entry: ContactEntry) -> list[str]:
    spec = _spec("contact_log")
    lines = [numbered(number, _entry_heading(entry, spec["entry"]))]
    lines.append(indented(_entry_heading(entry, spec["summary"])))
    if entry.third_parties:
        lines.append(indented(_line(spec["parties"], parties=listed(entry.third_parties))))
    if entry.violations:
        lines.append(indented(_line(spec["breaches"], labels=_labels(entry.violations))))
    else:
        lines.append(indented(spec["no_breach"]))
    return lines


def contact_log_document(entries: Sequence[ContactEntry], now: datetime | None = None) -> Document:
    """The log as a document: every contact with its date, time, who, what and breaches."""
    spec = _spec("contact_log")
    lines = [_title("contact_log"), _line(spec["created"], date=_signed_date(now)), ""]
    if not entries:
        lines.append(spec["empty"])
    else:
        lines.append(_line(spec["count"], count=str(len(entries))))
        for number, entry in enumerate(entries, start=1):
            lines.extend(["", *_log_entry_lines(number, entry)])
    lines.extend(["", _line(spec["tip"], tip=fact(spec["tip_fact"])["text_zh"])])
    return Document("contact_log", _title("contact_log"), "\n".join(lines))


def _title(name: str) -> str:
    return str(casefile()["titles"][name])


# ------------------------------------------------------------------ the complaint letter


def _escalation(lender_label: str | None, lender_type: str | None, city: str) -> str:
    """Where the complaint goes next if the lender does not answer in time."""
    route = route_for(lender_type, lender_label)
    template = str(casefile()["escalation"][route])
    return template.format(city=city, **fact_numbers())


def _binding_lines(lender_label: str | None, lender_type: str | None) -> list[str]:
    """The binding rules for banks and consumer-finance companies, cards first."""
    if route_for(lender_type, lender_label) != "bank":
        return []
    rules: Mapping[str, list[str]] = casefile()["binding_rules"]
    fact_ids = rules["credit_card"] if lender_type == "credit_card" else rules["bank"]
    spec = _spec("complaint_letter")
    return [spec["binding_heading"], *[bullet(str(fact(i)["text_zh"])) for i in fact_ids]]


def _answer_request(lender_label: str | None, lender_type: str | None) -> str:
    answers: Mapping[str, str] = _spec("complaint_letter")["request_answer"]
    regulated = route_for(lender_type, lender_label) == "bank"
    return answers["bank" if regulated else "other"]


def _evidence_lines(entries: Sequence[ContactEntry]) -> tuple[list[str], list[str]]:
    """The numbered evidence, and the codes of every breach in it (first seen first)."""
    spec = _spec("complaint_letter")
    if not entries:
        entries = [ContactEntry(id="", at=None, channel="other")]
    lines: list[str] = []
    codes: list[str] = []
    for number, entry in enumerate(entries, start=1):
        violations = entry.violations
        lines.append(numbered(number, _entry_heading(entry, spec["entry"])))
        breach = spec["entry_breach"] if violations else spec["entry_no_breach"]
        lines.append(indented(_line(breach, labels=_labels(violations))))
        codes.extend(v.code for v in violations if v.code not in codes)
    return lines, codes


def _basis_lines(codes: Sequence[str], binding: Sequence[str]) -> list[str]:
    spec = _spec("complaint_letter")
    ordered = [code for code in casefile()["rules"] if code in codes]
    return [
        *binding,
        *[
            bullet(_line(spec["basis_line"], label=rule_label(c), basis=rule_basis(c)))
            for c in ordered
        ],
    ]


def _request_lines(entries: Sequence[ContactEntry], codes: Sequence[str], answer: str) -> list[str]:
    spec = _spec("complaint_letter")
    requests = [str(request).format(**rule_fields()) for request in spec["requests"]]
    requests.append(answer)
    third = any(entry.third_parties for entry in entries)
    if third or {"third_party_disclosure", "group_chat_exposure"} & set(codes):
        requests.insert(1, spec["request_third_party"])
    return [numbered(number, item) for number, item in enumerate(requests, start=1)]


def complaint_letter(
    entries: Sequence[ContactEntry],
    lender_label: str | None,
    lender_type: str | None,
    user: Mapping[str, Any] | None,
    now: datetime | None = None,
) -> Document:
    """A complaint about the logged contacts, from the user's own record."""
    spec = _spec("complaint_letter")
    who = _user_fields(user)
    kinds: Mapping[str, str] = casefile()["debt_kinds"]
    evidence, codes = _evidence_lines(entries)
    binding = _binding_lines(lender_label, lender_type)
    parts = [(spec["facts_heading"], evidence)]
    if codes or binding:
        parts.append((spec["basis_heading"], _basis_lines(codes, binding)))
    answer = _answer_request(lender_label, lender_type)
    parts.append((spec["requests_heading"], _request_lines(entries, codes, answer)))
    signed = {**who, "date": _signed_date(now)}
    escalation = _escalation(lender_label, lender_type, who["city"])
    lines = [
        _title("complaint_letter"),
        "",
        _line(spec["to"], lender=shown(lender_label, "lender")),
        "",
        *[str(line).format(**who) for line in spec["applicant"]],
        "",
        _line(spec["opening"], debt_kind=kinds.get(lender_type or "other", kinds["other"])),
        *sections(*parts),
        "",
        _line(spec["reserve"], escalation=escalation),
        _line(spec["attachments"], attachments=blank("attachments")),
        "",
        *[str(line).format(**signed) for line in spec["signature"]],
    ]
    return Document("complaint_letter", _title("complaint_letter"), "\n".join(lines))


# ------------------------------------------------------------------ offers and plans


def plan_payload(offer_or_plan: OfferOrPlan) -> dict[str, Any] | None:
    """A repayment_offer or debt_plan payload, from an Offer or a payload dict."""
    if offer_or_plan is None:
        return None
    if isinstance(offer_or_plan, Offer):
        return offer_payload(offer_or_plan)
    return dict(offer_or_plan)


def _figures_dict(figures: Figures | Mapping[str, Any] | None) -> dict[str, Any]:
    if figures is None:
        return {}
    if is_dataclass(figures) and not isinstance(figures, type):
        return asdict(figures)
    return dict(figures) if isinstance(figures, Mapping) else {}


_PLAN_FIGURES = ("balance", "lender_type", "monthly_income", "monthly_expenses")


def _with_plan_figures(known: Mapping[str, Any], plan: Mapping[str, Any] | None) -> dict[str, Any]:
    """The user's figures, completed from the offer or plan payload where they are missing."""
    merged = dict(known)
    for name in _PLAN_FIGURES:
        if merged.get(name) is None and (plan or {}).get(name) is not None:
            merged[name] = (plan or {})[name]
    if merged.get("balance") is None and (plan or {}).get("debts"):
        merged["balance"] = sum(float(d.get("balance") or 0) for d in (plan or {})["debts"])
    return merged


def _debt_for(plan: Mapping[str, Any], lender_type: str | None, debt_id: str | None) -> Any:
    debts: list[Mapping[str, Any]] = list(plan.get("debts") or [])
    for wanted in (
        lambda d: d.get("id") == debt_id,
        lambda d: d.get("lender_type") == lender_type,
        lambda d: True,
    ):
        found = next((d for d in debts if wanted(d)), None)
        if found is not None:
            return found
    return None


def _waivers(plan: Mapping[str, Any] | None) -> str:
    codes = list((plan or {}).get("waiver_request") or [])
    if not codes:
        return str(_spec("instalment_application")["waivers_other"])
    return join_list([waiver_label(code) for code in codes])


# ------------------------------------------------------------------ the instalment application


@dataclass(frozen=True)
class _Proposal:
    """What the application asks for: figures of the debt it is about."""

    balance: Any
    months_overdue: Any
    monthly: Any
    term: Any
    disposable: Any
    others: int = 0
    feasible: bool = True


def _proposal(
    figures: Mapping[str, Any], plan: Mapping[str, Any] | None, debt_id: str | None
) -> _Proposal:
    income, expenses = figures.get("monthly_income"), figures.get("monthly_expenses")
    disposable = income - expenses if income is not None and expenses is not None else None
    overdue = figures.get("months_overdue")
    if plan is None:
        return _Proposal(figures.get("balance"), overdue, None, None, disposable)
    disposable = plan.get("disposable_monthly") or disposable
    feasible = bool(plan.get("feasible"))
    if plan.get("type") == "debt_plan":
        debt = _debt_for(plan, figures.get("lender_type"), debt_id) or {}
        return _Proposal(
            balance=debt.get("balance", figures.get("balance")),
            months_overdue=debt.get("months_overdue", overdue),
            monthly=debt.get("monthly"),
            term=debt.get("term_months"),
            disposable=disposable,
            others=max(len(plan.get("debts") or []) - 1, 0),
            feasible=feasible,
        )
    monthly, term = plan.get("opening_monthly"), plan.get("opening_term_months")
    return _Proposal(figures.get("balance"), overdue, monthly, term, disposable, 0, feasible)


def _card_basis() -> str:
    spec = casefile()["fact_figures"]["card_basis"]
    match = re.search(str(spec["pattern"]), str(fact(spec["fact"])["text_zh"]))
    if match is None:
        raise ValueError(f"fact {spec['fact']} no longer names its article")
    return match.group(0)


def _plan_lines(proposal: _Proposal, plan: Mapping[str, Any] | None) -> list[str]:
    spec = _spec("instalment_application")
    fields = {
        "monthly": shown(proposal.monthly, "amount"),
        "term": shown(proposal.term, "term"),
    }
    template = spec["plan"] if proposal.feasible else spec["plan_infeasible"]
    lines = [bullet(template.format(**fields))]
    if proposal.others:
        lines.append(bullet(_line(spec["plan_share"], others=str(proposal.others), **fields)))
    lines.append(bullet(_line(spec["freeze"], waivers=_waivers(plan))))
    return lines


def _application_opening(
    known: Mapping[str, Any], proposal: _Proposal, reason: str | None
) -> list[str]:
    """Who owes what and why, and what the request rests on (Art. 70 for cards)."""
    spec = _spec("instalment_application")
    lender_type = known.get("lender_type")
    kinds: Mapping[str, str] = casefile()["debt_kinds"]
    situation = spec["situation"].format(
        debt_kind=kinds.get(lender_type or "other", kinds["other"]),
        balance=shown(proposal.balance, "amount"),
        months_overdue=shown(proposal.months_overdue, "months"),
        reason=shown(reason, "reason"),
    )
    card = lender_type == "credit_card"
    basis = spec["basis_card"].format(card_basis=_card_basis()) if card else spec["basis_other"]
    return [situation, basis]


def _money_lines(known: Mapping[str, Any], proposal: _Proposal) -> list[str]:
    spec = _spec("instalment_application")
    fields = {
        "income": shown(known.get("monthly_income"), "amount"),
        "expenses": shown(known.get("monthly_expenses"), "amount"),
        "disposable": shown(proposal.disposable, "amount"),
        "offered": shown(proposal.monthly, "amount"),
    }
    lines = spec["money"] if proposal.feasible else spec["money_infeasible"]
    return [spec["money_heading"], *[bullet(str(line).format(**fields)) for line in lines]]


def instalment_application(
    figures: Figures | Mapping[str, Any] | None,
    offer_or_plan: OfferOrPlan,
    reason: str | None,
    user: Mapping[str, Any] | None = None,
    lender_label: str | None = None,
    now: datetime | None = None,
    debt_id: str | None = None,
) -> Document:
    """A written request to pay by instalments, with the user's own figures. For a
    several-debts plan, ``debt_id`` picks the debt (else the first of the figures'
    lender type)."""
    spec = _spec("instalment_application")
    plan = plan_payload(offer_or_plan)
    known = _with_plan_figures(_figures_dict(figures), plan)
    proposal = _proposal(known, plan, debt_id)
    card = known.get("lender_type") == "credit_card"
    title = _title("instalment_application_card" if card else "instalment_application_other")
    who = _user_fields(user)
    lines = [
        title,
        "",
        _line(spec["to"], lender=shown(lender_label, "lender")),
        "",
        *[str(line).format(**who) for line in spec["applicant"]],
        "",
        *_application_opening(known, proposal, reason),
        "",
        *_money_lines(known, proposal),
        "",
        spec["plan_heading"],
        *_plan_lines(proposal, plan),
        "",
        spec["written"],
        "",
        *[str(line).format(**who, date=_signed_date(now)) for line in spec["signature"]],
    ]
    return Document("instalment_application", title, "\n".join(lines))


# ------------------------------------------------------------------ the action plan


def _situation_lines(
    situation: Mapping[str, Any] | str | None, plan: Mapping[str, Any] | None
) -> list[str]:
    spec = _spec("action_plan")
    if isinstance(situation, str):
        return [bullet(shown(situation, "summary"))]
    known = _with_plan_figures(situation or {}, plan)
    kinds: Mapping[str, str] = casefile()["debt_kinds"]
    income, expenses = known.get("monthly_income"), known.get("monthly_expenses")
    disposable = income - expenses if income is not None and expenses is not None else None
    debt = spec["situation_debt"].format(
        debt_kind=kinds.get(known.get("lender_type") or "other", kinds["other"]),
        balance=shown(known.get("balance"), "amount"),
        months_overdue=shown(known.get("months_overdue"), "months"),
    )
    money_line = spec["situation_money"].format(
        income=shown(income, "amount"),
        expenses=shown(expenses, "amount"),
        disposable=shown(disposable, "amount"),
    )
    return [bullet(debt), bullet(money_line)]


def _offer_lines(plan: Mapping[str, Any]) -> list[str]:
    spec = _spec("action_plan")
    if not plan.get("feasible"):
        return [bullet(shown(note, "summary")) for note in plan.get("notes") or []]
    fields = {
        "opening": shown(plan.get("opening_monthly"), "amount"),
        "opening_term": shown(plan.get("opening_term_months"), "term"),
        "ceiling": shown(plan.get("ceiling_monthly"), "amount"),
        "ceiling_term": shown(plan.get("ceiling_term_months"), "term"),
    }
    if plan.get("opening_monthly") == plan.get("ceiling_monthly"):
        lines = [bullet(spec["offer_fixed"].format(**fields))]
    else:
        lines = [bullet(spec["offer_plan"].format(**fields))]
        lines.append(bullet(spec["offer_ceiling"].format(**fields)))
    if plan.get("waiver_request"):
        lines.append(bullet(_line(spec["offer_waivers"], waivers=_waivers(plan))))
    lump = plan.get("lump_sum")
    if lump:
        lump_fields = {
            "available": shown(lump.get("available"), "amount"),
            "suggested": shown(lump.get("suggested_opening"), "amount"),
        }
        lines.append(bullet(spec["offer_lump_sum"].format(**lump_fields)))
    return lines


def _debt_plan_lines(plan: Mapping[str, Any]) -> list[str]:
    spec = _spec("action_plan")
    lines = []
    debts: list[Mapping[str, Any]] = list(plan.get("debts") or [])
    for debt in debts if plan.get("feasible") else []:
        template = spec["plan_priority" if debt.get("priority") else "plan_debt"]
        lines.append(
            bullet(
                template.format(
                    label=shown(debt.get("label"), "lender"),
                    monthly=shown(debt.get("monthly"), "amount"),
                    term=shown(debt.get("term_months"), "term"),
                )
            )
        )
    if plan.get("feasible"):
        total = sum(float(debt.get("monthly") or 0) for debt in debts)
        affordable = shown(plan.get("affordable_monthly"), "amount")
        lines.append(bullet(_line(spec["plan_total"], total=money(total), affordable=affordable)))
    lines.extend(bullet(shown(note, "summary")) for note in plan.get("notes") or [])
    return lines


def _plan_section(offer_or_plan: OfferOrPlan) -> list[str]:
    spec = _spec("action_plan")
    plan = plan_payload(offer_or_plan)
    if plan is None:
        return [bullet(_line(spec["no_offer"], amount=blank("amount"), term=blank("term")))]
    if plan.get("type") == "debt_plan":
        return _debt_plan_lines(plan)
    return _offer_lines(plan)


def _fact_lines(fact_ids: Sequence[str], default_key: str) -> list[str]:
    ids = list(fact_ids) or list(_answers_rights()[default_key])
    return [bullet(fact(fact_id)["text_zh"]) for fact_id in ids]


def _answers_rights() -> Mapping[str, Any]:
    rights: Mapping[str, Any] = load_content("answers")["rights"]
    return rights


def _step_lines(next_steps: Sequence[Step | Mapping[str, Any]]) -> list[str]:
    spec = _spec("action_plan")
    lines = []
    for step in next_steps:
        what, on = (
            (step.what, step.on) if isinstance(step, Step) else (step.get("what"), step.get("on"))
        )
        lines.append(bullet(_line(spec["step"], date=date_text(on), what=shown(what, "summary"))))
    if not lines:
        lines.append(bullet(_line(spec["step"], date=blank("date"), what=spec["no_steps_what"])))
    return lines


def action_plan(
    situation: Mapping[str, Any] | str | None,
    offer_or_plan: OfferOrPlan,
    script_lines: Sequence[str],
    rights: Sequence[str],
    next_steps: Sequence[Step | Mapping[str, Any]],
    hotlines: Sequence[str],
    now: datetime | None = None,
) -> Document:
    """The user's plan on one page. ``rights`` and ``hotlines`` are fact ids (the rights
    answer's facts and channels of content/answers.yml when empty)."""
    spec = _spec("action_plan")
    scripts = [bullet(shown(line, "summary")) for line in script_lines if line.strip()]
    lines = [
        _title("action_plan"),
        _line(spec["created"], date=_signed_date(now)),
        *sections(
            (spec["situation_heading"], _situation_lines(situation, plan_payload(offer_or_plan))),
            (spec["offer_heading"], _plan_section(offer_or_plan)),
            (spec["script_heading"], scripts or [bullet(spec["no_script"])]),
            (spec["rights_heading"], _fact_lines(rights, "fact_ids")),
            (spec["steps_heading"], _step_lines(next_steps)),
            (spec["hotlines_heading"], _fact_lines(hotlines, "channel_ids")),
        ),
    ]
    return Document("action_plan", _title("action_plan"), "\n".join(lines))


# ------------------------------------------------------------------ payloads


def document_payload(document: Document, now: datetime) -> dict[str, Any]:
    """The contract's ``document`` JSON; the web channel adds ``download``."""
    return {
        "type": "document",
        "kind": document.kind,
        "title": document.title,
        "text": document.text,
        "created_at": local_iso(now),
    }


def violation_payload(violation: Violation) -> dict[str, str]:
    return {"code": violation.code, "fact_id": violation.fact_id, "text": violation.text}


def contact_log_payload(entries: Sequence[ContactEntry]) -> dict[str, Any]:
    """The contract's ``contact_log`` JSON."""
    return {
        "type": "contact_log",
        "entries": [
            {
                "id": entry.id,
                "at": entry.at,
                "channel": entry.channel,
                "organisation": entry.organisation,
                "collector": entry.collector,
                "summary": entry.summary,
                "violations": [violation_payload(v) for v in entry.violations],
            }
            for entry in entries
        ],
    }
