"""What the repayment form says besides its questions: which extra figures it kept."""

from typing import Any, Dict

from actions.content import load_content
from actions.offer_text import lender_label
from actions.slots import FIGURE_SLOTS, slot_kind, slot_label


def plain_number(value: float) -> str:
    """5000.0 -> "5000", 1.5 -> "1.5": the way the user would write it."""
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:.2f}".rstrip("0")


def describe_figure(slot: str, value: Any) -> str:
    """每月收入5000元 / 逾期时长3个月 / 借款类型：信用卡."""
    kind = slot_kind(slot)
    shown = lender_label(value) if kind == "lender" else plain_number(value)
    template = load_content("form")["value_formats"][kind]
    return template.format(label=slot_label(slot), value=shown)


def noted_figures(values: Dict[str, Any]) -> str | None:
    """One line naming the kept figures in the form's order; None when there are none."""
    kept = [name for name in FIGURE_SLOTS if values.get(name) is not None]
    if not kept:
        return None
    form = load_content("form")
    items = form["noted_separator"].join(describe_figure(name, values[name]) for name in kept)
    return form["noted"].format(items=items)
