"""The documents of the case file, from what the conversation knows: the figures, the
offer or several-debts plan, the debts, the contact log and the request's own words.

``Known`` gathers them (actions/_casefile.py reads it from the slots); ``complaint``,
``instalment`` and ``plan`` call coach/casefile/documents.py with the right facts, the
lender's name where one is known, the reason the user gave, the scripts, rights, next
steps with dates and hotlines. Nothing is guessed: what is unknown stays a visible
blank, written by the document templates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from coach.casefile.conduct import casefile, route_for, route_text
from coach.casefile.contact import read_contact, read_organisation, to_entry
from coach.casefile.documents import (
    Document,
    Step,
    action_plan,
    complaint_letter,
    contact_log_document,
    instalment_application,
    money,
)
from coach.casefile.model import ContactEntry
from coach.casefile.when import local_now, resolve_when
from coach.content import load_content
from coach.debts.model import Debt
from coach.debts.slot import main_lender_type
from coach.guidance.old_debt import OldDebtGate, gate_text, held_lines, oldest_debt_gate
from coach.guidance.scripts import render_sections, script_fields
from coach.language.normalise import clean, normalise
from coach.language.patterns import alternation
from coach.offer.presenter import lender_label
from coach.practice.deal import PracticeDeal, with_practice_deal

BLANK_MARK = "【"


@dataclass(frozen=True)
class Known:
    """What the conversation knows. ``figures``: balance, lender_type, months_overdue,
    monthly_income, monthly_expenses, lump_sum (None where not given); ``offer`` the
    repayment_offer payload, ``debt_plan`` the debt_plan payload; ``now`` the message's
    time."""

    now: datetime
    figures: Mapping[str, Any] = field(default_factory=dict)
    offer: Mapping[str, Any] | None = None
    debt_plan: Mapping[str, Any] | None = None
    debts: Sequence[Debt] = ()
    entries: Sequence[ContactEntry] = ()
    practice: PracticeDeal | None = None  # what the last practice round agreed
    said: Sequence[str] = ()  # the user's messages, oldest first (the old-debt gate)

    @property
    def lender_type(self) -> str | None:
        given = self.figures.get("lender_type")
        if isinstance(given, str) and given:
            return given
        return main_lender_type(self.debts) if self.debts else None

    @property
    def gate(self) -> OldDebtGate:
        """The old-debt gate: no signed acknowledgement of the debt until it is passed."""
        months = [self.figures.get("months_overdue"), *(d.months_overdue for d in self.debts)]
        return oldest_debt_gate(months, self.said)

    @property
    def plan(self) -> Mapping[str, Any] | None:
        """The several-debts plan when there are several debts, else the offer."""
        if self.debt_plan and len(self.debt_plan.get("debts") or []) >= 2:
            return self.debt_plan
        return self.offer


def _chat() -> dict[str, Any]:
    return load_content("casefile_chat")


def has_blanks(document: Document) -> bool:
    return BLANK_MARK in document.text


# ------------------------------------------------------------------ whose lender


def _looks_like_lender(name: str | None) -> bool:
    """A name the route hints place at a bank or an online lender, not an agency."""
    return bool(name) and route_for(None, name) != "any"


def lender_name(known: Known, request_text: str = "") -> str | None:
    """The lender the document is for: named in the request ("给招行写…"), else the only
    debt's label, else a lender named in the log (not a collection agency)."""
    named = read_organisation(normalise(clean(request_text))) if request_text else None
    if _looks_like_lender(named):
        return named
    if len(known.debts) == 1:
        return known.debts[0].label
    lenders = [e.organisation for e in known.entries if _looks_like_lender(e.organisation)]
    return lenders[0] if lenders and len(set(lenders)) == 1 else None


# ------------------------------------------------------------------ the complaint letter


def entry_from_message(text: str, said: datetime, known: Known) -> ContactEntry | None:
    """The contact a message tells of ("投诉他们冒充法院发短信"), dated against the time it
    was said, when it names a likely breach."""
    if not text.strip() or text.lstrip().startswith("/"):
        return None
    draft = read_contact(text)
    reading = resolve_when(draft.text, said)
    at = None if reading.in_future else reading.at
    entry = to_entry(draft, "c0", at, known.lender_type)
    return entry if entry.violations else None


@dataclass(frozen=True)
class Complaint:
    document: Document
    from_message: bool
    organisation: str | None


def complaint(
    known: Known, request_text: str = "", earlier: Sequence[tuple[str, datetime]] = ()
) -> Complaint:
    """The complaint letter: the log entries are the evidence. With no log, the contact
    the request tells of, or else the latest ``earlier`` message (newest first, with the
    time it was said) that tells of a likely breach: a report not recorded yet."""
    entries = list(known.entries)
    from_message = False
    if not entries:
        for text, said in [(request_text, known.now), *earlier]:
            told = entry_from_message(text, said, known)
            if told is not None:
                entries, from_message = [told], True
                break
    lender = lender_name(known, request_text)
    document = complaint_letter(entries, lender, known.lender_type, None, known.now)
    organisation = next((e.organisation for e in entries if e.organisation), None)
    return Complaint(document, from_message, lender or organisation)


# ------------------------------------------------------------------ the instalment application


def reason_in(text: str) -> str | None:
    """The hardship the user gives, in their own words: "因为失业了" → "失业了"."""
    spec = _chat()["reasons"]
    original = clean(text).strip()
    if not original:
        return None
    clauses = [c.strip() for c in re.split(r"[,，。;；!！?？\n]", original) if c.strip()]
    cue = re.compile(alternation(spec["cues"]))
    for clause in clauses:
        match = cue.search(clause)
        if match and clause[match.end() :].strip():
            return _short(clause[match.end() :], int(spec["longest"]))
    hardship = re.compile(alternation(spec["hardship"]))
    for clause in clauses:
        if hardship.search(normalise(clause)):
            return _short(clause, int(spec["longest"]))
    return None


def _short(clause: str, longest: int) -> str:
    clause = clause.strip()
    return clause if len(clause) <= longest else clause[: longest - 1] + "…"


@dataclass(frozen=True)
class Application:
    document: Document
    reason_given: bool
    plan_known: bool


def _debt_id(known: Known, lender: str | None) -> str | None:
    """The debt of a several-debts plan the application is for: the one the request names."""
    debts = (known.debt_plan or {}).get("debts") or []
    for debt in debts:
        label = str(debt.get("label") or "")
        if lender and label and (lender in label or label in lender):
            return str(debt.get("id"))
    return None


def instalment_held(known: Known) -> str | None:
    """Why no instalment application is written yet (it admits the debt), with the age
    questions; None when the old-debt gate is passed."""
    gate = known.gate
    if gate.passed:
        return None
    fields, _ = script_fields(known.figures, None, "")
    questions = render_sections(("debt_age",), fields)
    return "\n\n".join([gate_text("document_held"), "\n".join(held_lines(gate)), questions])


def instalment(known: Known, request_text: str = "") -> Application:
    """The instalment application (Art. 70 for cards, a hardship request otherwise) with
    the user's figures, the plan's monthly amount and term, and the reason they gave."""
    reason = reason_in(request_text)
    lender = lender_name(known, request_text)
    figures = dict(known.figures)
    if figures.get("lender_type") is None and known.lender_type:
        figures["lender_type"] = known.lender_type
    plan = known.plan
    document = instalment_application(
        figures,
        with_practice_deal(dict(plan) if plan else None, known.practice),
        reason,
        None,
        lender,
        known.now,
        _debt_id(known, lender),
    )
    has_plan = known.plan is not None or known.practice is not None
    return Application(document, reason is not None, has_plan)


# ------------------------------------------------------------------ the action plan


def _lender_words(known: Known) -> str:
    return lender_name(known) or str(_chat()["plan_steps"]["lender_unknown"])


def script_lines(known: Known) -> list[str]:
    """What to say: the opening and the proposal, with the user's figures where known."""
    scripts = load_content("scripts")
    plan = known.plan
    if not known.gate.passed:
        fields = script_fields(known.figures, None, "")[0]
        return [str(scripts[name]["say"]).format(**fields) for name in ("opening", "debt_age")]
    if plan is not None and plan.get("type") == "debt_plan":
        template = str(_chat()["plan_scripts"]["debt"])
        lines = [scripts["opening"]["say"].format(**script_fields(known.figures, None, "")[0])]
        for debt in plan.get("debts") or [] if plan.get("feasible") else []:
            lines.append(
                template.format(
                    label=debt.get("label") or "",
                    monthly=money(float(debt.get("monthly") or 0)),
                    term=debt.get("term_months") or "",
                )
            )
        return lines
    label = lender_label(known.lender_type) if known.lender_type else ""
    fields, _ = script_fields(known.figures, plan, label)
    names = ["opening", "attitude", "proposal"]
    if plan and plan.get("waiver_request"):
        names.append("waiver")

    lump_known = fields["lump_sum_offer"] != scripts["placeholders"]["lump_sum_offer"]
    lines = []
    for name in names:
        entry = scripts[name]
        with_lump_sum = entry.get("say_with_lump_sum") if lump_known else None
        lines.append(str(with_lump_sum or entry["say"]).format(**fields))
    return lines


def _violation_facts(entries: Sequence[ContactEntry]) -> list[str]:
    return list(dict.fromkeys(v.fact_id for e in entries for v in e.violations))


def rights_facts(known: Known) -> list[str]:
    """The breaches' facts first, then the rights answer's, and the card rules for cards."""
    defaults = list(load_content("answers")["rights"]["fact_ids"])
    card = list(_chat()["plan_facts"]["rights_card"]) if known.lender_type == "credit_card" else []
    return list(dict.fromkeys(_violation_facts(known.entries) + defaults + card))


def hotline_facts(known: Known) -> list[str]:
    """The complaint channels of the lender type's route, then police, legal aid, 12356."""
    route = route_for(known.lender_type)
    channels = list(casefile()["route_facts"][route])
    return list(dict.fromkeys(channels + list(_chat()["plan_facts"]["hotlines_extra"])))


def _day(now: datetime, after: int) -> str:
    return (local_now(now) + timedelta(days=int(after))).date().isoformat()


def next_steps(known: Known) -> list[Step]:
    """Dated steps: check the debt, make or put the plan, confirm it in writing; complain
    when the log shows breaches; keep logging."""
    spec = _chat()["plan_steps"]
    plan = known.plan
    if plan is not None and plan.get("type") == "debt_plan" and plan.get("feasible"):
        total = sum(float(d.get("monthly") or 0) for d in plan.get("debts") or [])
        fields = {"total": money(total)}
        group = spec["debt_plan"]
    elif plan is not None and plan.get("feasible"):
        fields = {
            "lender": _lender_words(known),
            "opening": money(float(plan.get("opening_monthly") or 0)),
            "ceiling": money(float(plan.get("ceiling_monthly") or 0)),
        }
        group = spec["offer"]
    else:
        fields, group = {}, spec["no_offer"]
    steps = [Step(str(s["what"]).format(**fields), _day(known.now, s["after"])) for s in group]
    if any(entry.violations for entry in known.entries):
        route = route_text(route_for(known.lender_type))
        complain = spec["complaint"]
        steps.append(
            Step(str(complain["what"]).format(route=route), _day(known.now, complain["after"]))
        )
    keep = spec["keep_log"]
    steps.append(Step(str(keep["what"]), _day(known.now, keep["after"])))
    return sorted(steps, key=lambda step: step.on or "")


def _situation(known: Known) -> dict[str, Any]:
    situation = dict(known.figures)
    if situation.get("lender_type") is None and known.lender_type:
        situation["lender_type"] = known.lender_type
    return situation


def plan(known: Known) -> Document:
    """The action plan: situation, offer or plan, what to say, rights, dated steps, hotlines."""
    return action_plan(
        _situation(known),
        known.plan,
        script_lines(known),
        rights_facts(known),
        next_steps(known),
        hotline_facts(known),
        known.now,
    )


def log_document(known: Known) -> Document:
    return contact_log_document(known.entries, known.now)
