"""What to say to the collector (guide stage 5), filled with the user's own figures.

The sentences live in ``content/scripts.yml``. Without figures the templates keep
their placeholders (【每月金额】…) and a hint offers to compute the plan first.
"""

from collections.abc import Mapping
from typing import Any

from coach.content import load_content
from coach.guidance.old_debt import OldDebtGate, gate_text, hold_lines, old_debt_gate

SECTIONS_FOR_INTENT = {
    "ask_opening_script": ("opening", "verify", "debt_age"),
    "ask_negotiation_script": ("attitude", "proposal"),
    "ask_fee_waiver": ("waiver",),
}


def _scripts() -> dict[str, Any]:
    return load_content("scripts")


def plain_number(value: Any) -> str:
    number = float(value)
    return str(int(round(number))) if abs(number - round(number)) < 0.05 else f"{number:.1f}"


def script_fields(
    figures: Mapping[str, Any], offer: Mapping[str, Any] | None, lender_label: str
) -> tuple[dict[str, str], bool]:
    """Template fields from the figures and offer; (fields, personalised)."""
    fields = dict(_scripts()["placeholders"])
    known = {
        "balance": figures.get("balance"),
        "months_overdue": figures.get("months_overdue"),
    }
    if offer and offer.get("feasible"):
        known.update(
            opening_monthly=offer.get("opening_monthly"),
            opening_term=offer.get("opening_term_months"),
            ceiling_monthly=offer.get("ceiling_monthly"),
            ceiling_term=offer.get("ceiling_term_months"),
        )
        lump = offer.get("lump_sum") or {}
        known["lump_sum_offer"] = lump.get("suggested_opening")
    fields.update({name: plain_number(v) for name, v in known.items() if v is not None})
    if figures.get("lender_type"):
        fields["lender"] = lender_label
    personalised = offer is not None and bool(offer.get("feasible"))
    return fields, personalised


def _say(entry: Mapping[str, Any], fields: Mapping[str, str]) -> str:
    lump_known = fields["lump_sum_offer"] != _scripts()["placeholders"]["lump_sum_offer"]
    template: str | None = entry.get("say_with_lump_sum") if lump_known else None
    say: str = template or entry["say"]
    return say.format(**fields)


def render_sections(names: tuple[str, ...], fields: Mapping[str, str]) -> str:
    blocks = []
    for name in names:
        entry = _scripts()[name]
        lines = [f"【{entry['title']}】", f"「{_say(entry, fields)}」"]
        if entry.get("tip"):
            lines.append(f"提示：{entry['tip'].format(**fields)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def detect_collector_move(report: str) -> str | None:
    """The collector move a user's report points to, by its cue words."""
    moves: dict[str, dict[str, Any]] = _scripts()["collector_moves"]
    for move, entry in moves.items():
        if any(cue in report for cue in entry.get("cues", [])):
            return move
    return None


def render_collector_move(move: str, fields: Mapping[str, str]) -> str:
    entry = _scripts()["collector_moves"][move]
    return "\n".join(
        [
            f"【{entry['title']}】",
            entry["explain"].format(**fields),
            f"你可以说：「{_say(entry, fields)}」",
        ]
    )


def render_move_menu() -> str:
    titles = [f"· {entry['title']}" for entry in _scripts()["collector_moves"].values()]
    return "\n".join([_scripts()["unknown_move_intro"], *titles])


def sections_for(intent: str) -> tuple[str, ...]:
    """The script sections for an intent whose debt may be admitted."""
    return SECTIONS_FOR_INTENT.get(intent, ("opening",))


def render_hold(gate: OldDebtGate, intent: str, user_text: str, fields: Mapping[str, str]) -> str:
    """The old-debt gate is not passed: its reasons and the age questions, no admission.
    The opening keeps its neutral first sentences; a collector move keeps its explanation."""
    blocks = ["\n".join([f"【{gate_text('title')}】", *hold_lines(gate)])]
    if intent == "ask_opening_script":
        blocks.append(render_sections(("opening", "verify"), fields))
    if intent == "report_collector_demand":
        move = detect_collector_move(user_text)
        if move:
            entry = _scripts()["collector_moves"][move]
            blocks.append("\n".join([f"【{entry['title']}】", entry["explain"].format(**fields)]))
    blocks.append(render_sections(("debt_age",), fields))
    blocks.append(gate_text("confirm"))
    return "\n\n".join(blocks)


def render_script(
    intent: str,
    user_text: str,
    fields: Mapping[str, str],
    personalised: bool,
    gate: OldDebtGate | None = None,
) -> str:
    """The reply for one of the stage-5 intents. ``gate`` is the old-debt gate over the
    whole conversation; without it, it is decided from the figures and this message."""
    gate = gate or old_debt_gate(fields.get("months_overdue"), [user_text])
    if not gate.passed:
        return render_hold(gate, intent, user_text, fields)
    if intent == "report_collector_demand":
        move = detect_collector_move(user_text)
        body = render_collector_move(move, fields) if move else render_move_menu()
    else:
        body = render_sections(sections_for(intent), fields)
    parts: list[str] = [body]
    if not personalised:
        parts.append(_scripts()["no_figures_hint"])
    return "\n\n".join(parts)
