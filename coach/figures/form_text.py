"""What the repayment form says besides its questions: the figures it kept and will use."""

from typing import Any

from coach.content import load_content
from coach.figures.slots import FIGURE_SLOTS, slot_kind, slot_label
from coach.offer.presenter import lender_label


def plain_number(value: float) -> str:
    """5000.0 -> "5000", 1.5 -> "1.5": the way the user would write it."""
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:.2f}".rstrip("0")


def describe_figure(slot: str, value: Any) -> str:
    """每月收入5000元 / 逾期时长3个月 / 借款类型：信用卡."""
    kind = slot_kind(slot)
    shown = lender_label(value) if kind == "lender" else plain_number(value)
    template: str = load_content("form")["value_formats"][kind]
    return template.format(label=slot_label(slot), value=shown)


def noted_figures(values: dict[str, Any]) -> str | None:
    """One line naming the kept figures in the form's order; None when there are none."""
    kept = [name for name in FIGURE_SLOTS if values.get(name) is not None]
    if not kept:
        return None
    form = load_content("form")
    items = form["noted_separator"].join(describe_figure(name, values[name]) for name in kept)
    noted: str = form["noted"]
    return noted.format(items=items)


def changed_figures(values: dict[str, Any]) -> str | None:
    """ "改成：欠款总额48000元。" for figures the user corrected; None when there are none."""
    kept = [name for name in FIGURE_SLOTS if values.get(name) is not None]
    if not kept:
        return None
    form = load_content("form")
    items = form["noted_separator"].join(describe_figure(name, values[name]) for name in kept)
    changed: str = load_content("debt_changes")["lines"]["figure_changed"]
    return changed.format(items=items)


def debts_line(parts: list[dict[str, Any]], total: float) -> str:
    """Several debts in one message: each is named, and the total the plan will use."""
    form = load_content("form")
    items = form["noted_separator"].join(
        form["debt_item"].format(label=part["label"], value=plain_number(part["value"]))
        for part in parts
    )
    several: str = form["several_debts"]
    return several.format(count=len(parts), items=items, total=plain_number(total))


def used_figures_line(values: dict[str, Any], parts: list[dict[str, Any]] | None) -> str:
    """Every figure the offer is computed from, so a misread one can be fixed first."""
    form = load_content("form")
    described = []
    for name in FIGURE_SLOTS:
        text = describe_figure(name, values[name])
        if name == "balance" and parts:
            text += form["parts_suffix"].format(
                parts=form["parts_joiner"].join(
                    form["debt_item"].format(label=p["label"], value=plain_number(p["value"]))
                    for p in parts
                )
            )
        described.append(text)
    used: str = form["used_figures"]
    return used.format(items=form["noted_separator"].join(described))
