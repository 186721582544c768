"""Puts a plan for several debts into Chinese: the payload, a chat summary, a direct answer.

All wording comes from ``content/debt_plan.yml``; notes that restate a fact take its text
from ``content/facts.yml`` (the single offer's ``render_note`` does this), the lists'
separators and the help line come from ``content/offer_texts.yml``. Functions take the
texts as an optional argument (loaded from the content files when omitted).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from coach.content import load_content
from coach.debts.planner import HIGHEST_RATE_FIRST, DebtPlan, PlannedDebt, percent_text
from coach.debts.shares import by_rate
from coach.guidance.old_debt import OldDebtGate, held_lines, oldest_debt_gate
from coach.offer.planner import Note, positive_or_none
from coach.offer.presenter import fact_texts, join_list, offer_texts, render_note

Texts = Mapping[str, Any]


def debt_plan_texts() -> Texts:
    return load_content("debt_plan")


# ------------------------------------------------------------------ payload


def debt_plan_payload(plan: DebtPlan, texts: Texts | None = None) -> dict[str, Any]:
    """The ``debt_plan`` JSON of the contract (docs/contract.md §3), notes in Chinese."""
    return {
        "type": "debt_plan",
        "currency": "CNY",
        "method": plan.method,
        "monthly_income": _shown(plan, plan.monthly_income),
        "monthly_expenses": _shown(plan, plan.monthly_expenses),
        "disposable_monthly": positive_or_none(plan.disposable_monthly),
        "affordable_monthly": positive_or_none(plan.affordable_monthly),
        "debts": [debt_payload(item) for item in plan.debts],
        "feasible": plan.feasible,
        "notes": render_plan_notes(plan, texts),
    }


def _shown(plan: DebtPlan, amount: int) -> int | None:
    """Income and expenses as sent: null for 0 when no plan fits (as the single offer)."""
    return amount if plan.feasible else positive_or_none(amount)


def debt_payload(item: PlannedDebt) -> dict[str, Any]:
    debt = item.debt
    return {
        "id": debt.id,
        "label": debt.label,
        "lender_type": debt.lender_type,
        "balance": debt.balance,
        "months_overdue": debt.months_overdue,
        "priority": debt.priority,
        "monthly": item.monthly,
        "term_months": item.term_months,
        "opening_monthly": item.opening_monthly,
        "opening_term_months": item.opening_term_months,
        "priority_reason": item.priority_reason,
        "monthly_rate": debt.monthly_rate,
    }


# ------------------------------------------------------------------ notes


def render_plan_note(
    note: Note, texts: Texts | None = None, facts: Mapping[str, str] | None = None
) -> str:
    """The sentence(s) for one note: its fact's text, then its own text."""
    texts = texts or debt_plan_texts()
    return render_note(_worded(note, texts), texts, facts or fact_texts())


def render_plan_notes(plan: DebtPlan, texts: Texts | None = None) -> list[str]:
    texts = texts or debt_plan_texts()
    facts = fact_texts()
    return [render_plan_note(note, texts, facts) for note in plan.notes]


def _worded(note: Note, texts: Texts) -> Note:
    """The note with lists of labels joined and a range of terms put in words."""
    fields = {key: _joined(value) for key, value in note.params}
    if "shortest" in fields:
        fields["terms"] = terms_text(fields["shortest"], fields["longest"], texts)
    return Note(note.code, tuple(sorted(fields.items())))


def _joined(value: Any) -> Any:
    return join_list(list(value)) if isinstance(value, tuple) else value


def terms_text(shortest: int, longest: int, texts: Texts | None = None) -> str:
    """36, or 36到38."""
    if shortest == longest:
        return str(shortest)
    return str((texts or debt_plan_texts())["terms_range"].format(low=shortest, high=longest))


# ------------------------------------------------------------------ chat summary


def render_plan_summary(
    plan: DebtPlan, texts: Texts | None = None, gate: OldDebtGate | None = None
) -> str:
    """The chat message: one line per debt and the total, the rule; or why no plan fits.
    While the old-debt gate is not passed (decided from the debt overdue longest when not
    given), the age questions come first."""
    texts = texts or debt_plan_texts()
    gate = gate or oldest_debt_gate(item.debt.months_overdue for item in plan.debts)
    lines = _feasible_lines(plan, texts) if plan.feasible else _infeasible_lines(plan, texts)
    return "\n".join([*held_lines(gate), *lines])


def _feasible_lines(plan: DebtPlan, texts: Texts) -> list[str]:
    summary = texts["summary"]
    header = summary["header"].format(
        count=len(plan.debts), total=plan.total_monthly, affordable=plan.affordable_monthly
    )
    first = _first_by_rate(plan)
    lines = [header]
    lines.extend(_debt_line(item, item is first, summary) for item in plan.debts)
    lines.append(summary["rule"][_rule_key(plan)])
    return lines


def _debt_line(item: PlannedDebt, first: bool, summary: Texts) -> str:
    key = "debt_line_priority" if item.debt.priority else "debt_line"
    if first:
        key = "debt_line_first"
    return str(
        summary[key].format(label=item.debt.label, monthly=item.monthly, term=item.term_months)
    )


def _rule_key(plan: DebtPlan) -> str:
    return plan.method + ("_priority" if plan.priority_debts else "")


def _first_by_rate(plan: DebtPlan) -> PlannedDebt | None:
    """The debt that gets the extra money under highest-rate-first."""
    if plan.method != HIGHEST_RATE_FIRST or not plan.shared_debts:
        return None
    first = by_rate([item.debt for item in plan.shared_debts])[0]
    return next(item for item in plan.shared_debts if item.debt is first)


def _infeasible_lines(plan: DebtPlan, texts: Texts) -> list[str]:
    summary = texts["summary"]
    return [
        summary["infeasible_opening"],
        render_plan_note(plan.notes[0], texts),
        summary["what_to_do"],
        offer_texts()["summary"]["help"],
    ]


# ------------------------------------------------------------------ 先还哪个 / 怎么分


def split_answer(plan: DebtPlan, texts: Texts | None = None) -> str:
    """The direct answer to "先还哪个 / 怎么分": the rule, in the user's own figures."""
    texts = texts or debt_plan_texts()
    split = texts["split"]
    if not plan.feasible:
        return str(split["infeasible"].format(reason=render_plan_note(plan.notes[0], texts)))
    parts = [_priority_sentence(plan, texts)] if plan.priority_debts else []
    if plan.shared_debts:
        parts.append(_shared_sentence(plan, texts))
    return "".join(parts)


def _priority_sentence(plan: DebtPlan, texts: Texts) -> str:
    reasons = texts["priority_reasons"]
    items = [
        texts["split"]["priority_item"].format(
            label=item.debt.label, reason=reasons[item.priority_reason]
        )
        for item in plan.priority_debts
    ]
    total = sum(item.monthly or 0 for item in plan.priority_debts)
    return str(texts["split"]["priority"].format(priorities=join_list(items), priority_total=total))


def _shared_sentence(plan: DebtPlan, texts: Texts) -> str:
    split = texts["split"]
    first = _first_by_rate(plan)
    if first is not None:
        others = [item for item in plan.shared_debts if item is not first]
        return str(
            split["highest_rate_first"].format(
                label=first.debt.label,
                rate=percent_text(first.debt.monthly_rate or 0.0),
                monthly=first.monthly,
                term=first.term_months,
                allocation=_allocation(others, texts),
            )
        )
    return _pro_rata_sentence(plan, texts)


def _pro_rata_sentence(plan: DebtPlan, texts: Texts) -> str:
    split = texts["split"]
    shared = plan.shared_debts
    terms = [item.term_months or 0 for item in shared]
    key = "pro_rata_after_priority" if plan.priority_debts else "pro_rata"
    sentence = split[key].format(
        budget=sum(item.monthly or 0 for item in shared),
        allocation=_allocation(shared, texts),
        terms=terms_text(min(terms), max(terms), texts),
    )
    if HIGHEST_RATE_FIRST not in plan.alternatives:
        return str(sentence)
    first = by_rate([item.debt for item in shared])[0]
    return str(sentence) + str(split["alternative"].format(label=first.label))


def _allocation(items: Sequence[PlannedDebt], texts: Texts) -> str:
    item_text = texts["split"]["allocation_item"]
    return join_list(
        [item_text.format(label=item.debt.label, monthly=item.monthly) for item in items]
    )


# ------------------------------------------------------------------ what to say to each


def lender_script_lines(plan: DebtPlan, texts: Texts | None = None) -> list[str]:
    """One line per debt with its own opening and most-to-agree figures; [] when no plan fits."""
    if not plan.feasible:
        return []
    words = (texts or debt_plan_texts())["per_lender"]
    lines = [str(words["heading"])]
    for item in plan.debts:
        key = "line_priority" if item.debt.priority else "line"
        lines.append(
            str(words[key]).format(
                label=item.debt.label,
                opening=item.opening_monthly,
                opening_term=item.opening_term_months,
                monthly=item.monthly,
                term=item.term_months,
            )
        )
    lines.append(str(words["closing"]))
    return lines


def used_figures_line(plan: DebtPlan, texts: Texts | None = None) -> str:
    """The figures the plan was computed from, so a misread one can be fixed first."""
    words = texts or debt_plan_texts()
    return str(words["used_figures"]).format(
        count=len(plan.debts),
        total=sum(item.debt.balance for item in plan.debts),
        income=plan.monthly_income,
        expenses=plan.monthly_expenses,
    )
