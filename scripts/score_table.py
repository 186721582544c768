"""Play the scripted practice rounds and write docs/practice-scores.md.

The rounds (persona x learner type, with the score expected from the rubric, worked out by
hand) are in tests/unit/coach/practice/round_table.yml; each is played through the real
engine (round_start.new_round, collector.take_turn / finish_round) and scored by
coach.practice.scorer. The document states the scoring formula with its weights, taken from
the scorer, and the table of expected against given scores.

    .venv/bin/python scripts/score_table.py           # write docs/practice-scores.md
    .venv/bin/python scripts/score_table.py --check   # exit 1 when the file is stale
    .venv/bin/python scripts/score_table.py --print   # print the table only
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.practice import scorer  # noqa: E402
from coach.practice.collector import finish_round, take_turn  # noqa: E402
from coach.practice.round_facts import MIN_SUBSTANTIVE_TURNS  # noqa: E402
from coach.practice.round_start import new_round  # noqa: E402
from coach.practice.state import RoundState  # noqa: E402

TABLE = ROOT / "tests" / "unit" / "coach" / "practice" / "round_table.yml"
OUTPUT = ROOT / "docs" / "practice-scores.md"
TOLERANCE = 10


@dataclass(frozen=True)
class Row:
    """One scripted round: what the rubric leads one to expect, and what it got."""

    persona: str
    learner: str
    kind: str  # good, poor or middle
    expected: int | None
    given: int | None
    deal_expected: str  # none, within or over (the learner's ceiling)
    deal_given: str
    agreed: str  # the agreed plan, as the table shows it
    parts: dict[str, int | None]

    @property
    def name(self) -> str:
        return f"{self.persona}/{self.learner}"

    @property
    def difference(self) -> int | None:
        if self.expected is None or self.given is None:
            return None
        return self.given - self.expected

    @property
    def close(self) -> bool:
        """Within the tolerance; an unfinished round must be expected unfinished."""
        if self.expected is None or self.given is None:
            return self.expected is None and self.given is None
        return abs(self.given - self.expected) <= TOLERANCE


def load_table(path: Path = TABLE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        table: dict[str, Any] = yaml.safe_load(handle)
    return table


def lines_for(learner: dict[str, Any], persona: str) -> list[str]:
    return [str(line) for line in learner.get(persona) or learner["lines"]]


def play(persona: str, lines: list[str], seed: int = 0) -> RoundState:
    """The round after the learner's lines (it may end sooner), stopped like 结束练习."""
    state = new_round(persona, seed=seed)
    for line in lines:
        result = take_turn(state, line)
        state = result.state
        if result.finished:
            break
    return finish_round(state)


def deal_kind(state: RoundState) -> str:
    if state.agreement is None:
        return "none"
    return "over" if state.agreement.monthly > state.scenario.affordable_monthly else "within"


def _agreed(state: RoundState) -> str:
    plan = state.agreement
    return "—" if plan is None else f"{plan.monthly} × {plan.term}"


def play_row(entry: dict[str, Any], learners: dict[str, Any]) -> Row:
    persona, learner = str(entry["persona"]), str(entry["learner"])
    state = play(persona, lines_for(learners[learner], persona), int(entry.get("seed", 0)))
    payload = scorer.score_round(state)
    return Row(
        persona=persona,
        learner=learner,
        kind=str(entry["kind"]),
        expected=entry["expected"],
        given=payload["score"],
        deal_expected=str(entry["deal"]),
        deal_given=deal_kind(state),
        agreed=_agreed(state),
        parts=payload["parts"],
    )


def table_rows(path: Path = TABLE) -> list[Row]:
    table = load_table(path)
    return [play_row(entry, table["learners"]) for entry in table["rounds"]]


def _cell(value: object) -> str:
    return "—" if value is None else str(value)


def render_table(rows: list[Row]) -> str:
    head = [
        "| round | kind | expected | given | diff | deal expected | deal given | agreed"
        " (monthly × months) | outcome | process | conduct |",
        "| --- | --- | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | ---: |",
    ]
    body = [
        f"| {row.name} | {row.kind} | {_cell(row.expected)} | {_cell(row.given)} | "
        f"{_cell(row.difference)}{'' if row.close else ' ⚠'} | {row.deal_expected} | "
        f"{row.deal_given} | {row.agreed} | {_cell(row.parts['outcome'])} | "
        f"{_cell(row.parts['process'])} | {_cell(row.parts['conduct'])} |"
        for row in rows
    ]
    return "\n".join(head + body)


def summary(rows: list[Row]) -> str:
    close = sum(row.close for row in rows)
    deals = sum(row.deal_given == row.deal_expected for row in rows)
    good = [row.given for row in rows if row.kind == "good" and row.given is not None]
    poor = [row.given for row in rows if row.kind == "poor" and row.given is not None]
    margin = min(good) - max(poor) if good and poor else None
    return (
        f"{close} of {len(rows)} rounds within {TOLERANCE} points of the expected score; "
        f"the kind of deal as expected in {deals} of {len(rows)}; the weakest well-run round "
        f"beats the best poor one by {_cell(margin)} points."
    )


def _weights(weights: dict[str, int]) -> str:
    return ", ".join(f"{name} {weight}" for name, weight in weights.items())


def _paragraph(text: str, bullet: bool = False) -> str:
    """One paragraph (or bullet) of prose, wrapped at 95 characters."""
    words = " ".join(text.split())
    indent = "  " if bullet else ""
    return textwrap.fill(
        words, width=95, initial_indent="- " if bullet else "", subsequent_indent=indent
    )


def formula() -> str:
    s = scorer
    rest = f"{1 - s.OUTCOME_WEIGHT:.1f}"
    outcome = f"""**Outcome** (null without a deal): the agreed monthly amount between the collector's
        floor (100) and the learner's ceiling ({s.OUTCOME_AT_CEILING}); above the ceiling
        {s.OUTCOME_JUST_OVER} less {s.OVERSHOOT_PENALTY} points per 100 % of overshoot (10 %
        over scores 0). A one-off payment counts as that month's amount."""
    process = f"""**Process**: the weighted share of the items met ({_weights(s.PROCESS_WEIGHTS)}).
        First offer: 1 from {s.CREDIBLE:.0%} to {s.AMBITIOUS:.0%} of the ceiling (and never
        below the balance over the longest term), 0.7 up to {s.CLOSE_TO_CEILING:.0%}, 0.4 up
        to the ceiling, 0 above; lower offers 0.6, or 0.3 when they cannot clear the debt in the
        longest term. Concessions: per concession half for a reason (or a condition) in that
        turn or the one before and half for being smaller than the one before; 0 above the
        ceiling; with none, 0 for taking a figure above the ceiling or for never moving without
        a deal. Conditional trade: 1 for a trade (if you freeze the interest, I can pay ...), 0.5 for a bare
        waiver request. An
        item that did not arise is left out."""
    conduct = f"""**Conduct**: the weighted share of {_weights(s.CONDUCT_WEIGHTS)}. Calm loses
        half per rude turn; rights count only once the collector broke a rule, and only when
        named after."""
    score = f"""**Score** = negotiation × ({s.CONDUCT_FLOOR} + {1 - s.CONDUCT_FLOOR:.1f} × conduct
        / 100), where negotiation = {s.OUTCOME_WEIGHT} × outcome + {rest} × process with a deal.
        Without a deal only the process counts: negotiation = {s.OUTCOME_WEIGHT} × min(process,
        {s.OUTCOME_AT_CEILING}) + {rest} × process, so a round without a deal never beats the
        same round closed within the ceiling. A deal above the ceiling caps the negotiation
        score at {s.OVER_CEILING_CAP} less {s.OVER_CEILING_CAP_SLOPE} per 100 % of overshoot,
        never below {s.OVER_CEILING_CAP_MIN}. A criterion is credited once per round and only
        from a real sentence (the turn reader credits no bare keyword). A round with no deal
        and fewer than {MIN_SUBSTANTIVE_TURNS} substantive turns (a filler or a lone question mark is none) is
        unfinished: `finished` false, `score` and `parts` null."""
    intro = (
        "Three parts, each 0-100 (`parts` in the `roleplay_score` payload, docs/contract.md §3):"
    )
    bullets = "\n".join(_paragraph(text, bullet=True) for text in (outcome, process, conduct))
    return f"## The score\n\n{intro}\n\n{bullets}\n\n{_paragraph(score)}\n"


def render_document(rows: list[Row]) -> str:
    return f"""# How a practice round is scored

Generated by `scripts/score_table.py` from `coach/practice/scorer.py` (the formula and its
weights) and `tests/unit/coach/practice/round_table.yml` (the scripted rounds). Do not edit
this file: change those and run the script again.

{formula()}
## Scripted rounds

Each round is a persona of the collector and a type of learner, played through the real
engine with a fixed seed. "expected" is the score worked out by hand from the rubric before
the scorer was run; "given" is the scorer's. ⚠ marks a round more than {TOLERANCE} points
apart. The test (`tests/unit/coach/practice/test_round_table.py`) asks for at least 90 %
within {TOLERANCE} points and every well-run round 25 points above every poor one.

{summary(rows)}

{render_table(rows)}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    parser.add_argument("--print", action="store_true", help="print the table only")
    args = parser.parse_args()
    rows = table_rows()
    if args.print:
        print(render_table(rows))
        print(summary(rows))
        return 0
    text = render_document(rows)
    if args.check:
        stale = not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text
        print(f"{OUTPUT.relative_to(ROOT)} is {'stale' if stale else 'up to date'}")
        return 1 if stale else 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {summary(rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
