"""Puts a repayment offer into Chinese: a chat-sized summary and one sentence per note.

All wording comes from ``content/offer_texts.yml``; notes that restate a fact take its
text from ``content/facts.yml``, so every fact is worded in one place. Functions take
the texts as an optional argument (loaded from the content files when omitted), which
keeps them pure for tests.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from coach.content import load_content
from coach.guidance.old_debt import OldDebtGate, held_lines, old_debt_gate
from coach.offer.planner import LumpSumOption, Note, Offer, positive_or_none

Texts = Mapping[str, Any]


def offer_texts() -> Texts:
    return load_content("offer_texts")


def fact_texts() -> dict[str, str]:
    """text_zh of every fact in content/facts.yml, by id."""
    return {fact["id"]: fact["text_zh"] for fact in load_content("facts")["facts"]}


def lender_label(lender_type: str, texts: Texts | None = None) -> str:
    labels: Mapping[str, str] = (texts or offer_texts())["lender_labels"]
    return labels.get(lender_type, labels["other"])


def waiver_label(code: str, texts: Texts | None = None) -> str:
    label: str = (texts or offer_texts())["waiver_labels"][code]
    return label


def join_list(items: Sequence[str], texts: Texts | None = None) -> str:
    """罚息、违约金和其他费用."""
    words: Mapping[str, str] = (texts or offer_texts())["list_words"]
    if len(items) <= 1:
        return "".join(items)
    return words["separator"].join(items[:-1]) + words["last_separator"] + items[-1]


def render_note(
    note: Note, texts: Texts | None = None, facts: Mapping[str, str] | None = None
) -> str:
    """The sentence(s) for one note: its fact's text, then its own text."""
    entry = (texts or offer_texts())["notes"][note.code]
    parts = []
    if "fact" in entry:
        parts.append((facts or fact_texts())[entry["fact"]])
    if "text" in entry:
        parts.append(entry["text"].format(**note.fields))
    return "".join(parts)


def render_notes(offer: Offer, texts: Texts | None = None) -> list[str]:
    texts = texts or offer_texts()
    facts = fact_texts()
    return [render_note(note, texts, facts) for note in offer.notes]


def render_offer_summary(
    offer: Offer, texts: Texts | None = None, gate: OldDebtGate | None = None
) -> str:
    """The chat message: the plan (or why there is none), waivers, lump sum, help. While
    the conversation's old-debt gate is not passed, the age questions come first."""
    texts = texts or offer_texts()
    gate = gate or old_debt_gate()
    lines = _feasible_lines(offer, texts) if offer.feasible else _infeasible_lines(offer, texts)
    return "\n".join([*held_lines(gate), *lines])


def _feasible_lines(offer: Offer, texts: Texts) -> list[str]:
    summary = texts["summary"]
    lines = [_plan_line(offer, summary), _basis_line(offer, texts)]
    lines.extend(_long_plan_lines(offer, texts))
    if offer.waiver_request:
        lines.append(summary["waiver"].format(waivers=_waivers(offer, texts)))
    if offer.lump_sum is not None:
        lines.append(summary["lump_sum"].format(**_lump_fields(offer.lump_sum)))
    return lines


def _plan_line(offer: Offer, summary: Texts) -> str:
    fields = {
        "opening": offer.opening_monthly,
        "opening_term": offer.opening_term_months,
        "ceiling": offer.ceiling_monthly,
        "ceiling_term": offer.ceiling_term_months,
    }
    same = offer.opening_monthly == offer.ceiling_monthly
    template: str = summary["plan_fixed" if same else "plan"]
    return template.format(**fields)


def _basis_line(offer: Offer, texts: Texts) -> str:
    raised = _note(offer, "raised_to_cap")
    if raised is None:
        basis: str = texts["summary"]["basis"]
        return basis.format(disposable=offer.disposable_monthly)
    basis_raised: str = texts["summary"]["basis_raised"]
    return basis_raised.format(lender=lender_label(offer.lender_type, texts), **raised.fields)


def _long_plan_lines(offer: Offer, texts: Texts) -> list[str]:
    codes = ("long_plan", "long_plan_beyond_buffer")
    return [render_note(note, texts) for note in offer.notes if note.code in codes]


def _infeasible_lines(offer: Offer, texts: Texts) -> list[str]:
    summary = texts["summary"]
    reason = offer.notes[0]
    because = summary["infeasible"][reason.code].format(**reason.fields)
    if reason.code == "balance_not_positive":
        return [because]
    lines = [summary["infeasible_opening"], because, summary["what_to_do"]]
    if offer.lump_sum is not None:
        lump = _lump_fields(offer.lump_sum)
        lines.append(summary["lump_sum_when_infeasible"].format(**lump))
    lines.append(summary["help"])
    return lines


def _waivers(offer: Offer, texts: Texts) -> str:
    labels = [waiver_label(code, texts) for code in offer.waiver_request]
    return join_list(labels, texts)


def _lump_fields(lump: LumpSumOption) -> dict[str, int]:
    return {
        "available": lump.available,
        "suggested": lump.suggested_opening,
        "low": lump.typical_low,
        "high": lump.typical_high,
    }


def _note(offer: Offer, code: str) -> Note | None:
    return next((note for note in offer.notes if note.code == code), None)


def offer_payload(offer: Offer, texts: Texts | None = None) -> dict[str, Any]:
    """The ``repayment_offer`` JSON of the contract (docs/contract.md §3), notes in Chinese."""
    return {
        "type": "repayment_offer",
        "currency": "CNY",
        "balance": offer.balance,
        "lender_type": offer.lender_type,
        "monthly_income": offer.shown_monthly(offer.monthly_income),
        "monthly_expenses": offer.shown_monthly(offer.monthly_expenses),
        "disposable_monthly": positive_or_none(offer.disposable_monthly),
        "opening_monthly": offer.opening_monthly,
        "ceiling_monthly": offer.ceiling_monthly,
        "opening_term_months": offer.opening_term_months,
        "ceiling_term_months": offer.ceiling_term_months,
        "max_term_months": offer.max_term_months,
        "lump_sum": lump_sum_payload(offer.lump_sum) if offer.lump_sum else None,
        "waiver_request": list(offer.waiver_request),
        "feasible": offer.feasible,
        "notes": render_notes(offer, texts),
    }


def lump_sum_payload(lump: LumpSumOption) -> dict[str, Any]:
    return {
        "available": lump.available,
        "suggested_opening": lump.suggested_opening,
        "typical_range": [lump.typical_low, lump.typical_high],
        "status": "lore",
    }
