"""Measures the newest model's NLU on the held-out files, which are never trained on.

Usage:
  python scripts/nlu_eval.py [--model M] [--sweep]

Prints, and fails (exit 1) when a gate is not met:
- the outside-style sets (tests/nlu/outside*.yml, each written before the training lines
  of its intents): intent accuracy (gate 93 %), the fallback rate, per-intent F1 with the
  weakest first, and every miss;
- the old held-out set (tests/nlu/heldout.yml): intent accuracy (second figure);
- the crisis sets (tests/nlu/crisis*.yml: the first set, and the farewells, self-injury
  relief, method research and urges of issue 22) and the crisis lines of the outside set:
  recall (gate 100 %) and the false-alarm rate on the hard negatives (gate 2 %), by category,
  with what caught each line (lexicon, ranking rule or classifier);
- the real questions of the test sites (tests/nlu/real_questions.tsv, written by people in debt
  on sites whose lines are never trained on): accuracy where the top intent is any acceptable
  one (gate below), the fallback rate (gate), accuracy by intent, and apart from those, the
  lines only an intent the model lacks yet can answer and the lines no intent answers (topics);
- with --sweep, recall and false alarms of the ranking rule for a range of thresholds.

``nlu_fallback`` counts as ``out_of_scope`` (the contract allows it there).
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the pipeline's custom components

import real_wording  # noqa: E402  (scripts/ is on the path when this file runs)

if TYPE_CHECKING:
    from rasa.core.agent import Agent

# The outside-style sets: tests/nlu/outside.yml and the later ones for new intents.
OUTSIDE_FILES = sorted((ROOT / "tests/nlu").glob("outside*.yml"))
HELDOUT = ROOT / "tests/nlu/heldout.yml"
CRISIS_FILES = sorted((ROOT / "tests/nlu").glob("crisis*.yml"))
MIN_ACCURACY = 0.93
MAX_FALSE_ALARMS = 0.02
CRISIS_INTENT = "express_crisis"
FALLBACK = "nlu_fallback"
EQUIVALENT = {("out_of_scope", FALLBACK)}
SWEEP = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
REAL = real_wording.TEST
# Measured on 2026-12-08 with every change of that day (the train side of the corpus, the new
# intents, the fallback at 0.2; docs/understanding.md): 72.1 % understood, 12.2 % fallback (45.5 %
# and 42.2 % at the start of the day). The gates leave five points. Raise them as it improves.
MIN_REAL_ACCURACY = 0.67
MAX_REAL_FALLBACK = 0.17


@dataclass(frozen=True)
class Parsed:
    gold: str
    text: str
    intent: str
    guard: dict

    @property
    def correct(self) -> bool:
        return self.gold == self.intent or (self.gold, self.intent) in EQUIVALENT


def rasa_examples(path: Path) -> list[tuple[str, str]]:
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    return [
        (block["intent"], line.strip()[2:].strip())
        for block in blocks
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


def outside_set() -> list[tuple[str, str]]:
    return [example for path in OUTSIDE_FILES for example in rasa_examples(path)]


def crisis_examples(path: Path) -> list[tuple[str, str]]:
    """(category, text), with ``not_crisis:`` categories prefixed ``not:``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = [(c, t) for c, lines in data["crisis"].items() for t in lines]
    return found + [(f"not:{c}", t) for c, lines in data["not_crisis"].items() for t in lines]


def load_agent(model: str) -> Agent:  # rasa is imported here, late: it is slow to import
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    return Agent.load(model)


async def parse_all(model: str, examples: list[tuple[str, str]]) -> list[Parsed]:
    return await parse_with(load_agent(model), examples)


async def parse_with(agent: Agent, examples: list[tuple[str, str]]) -> list[Parsed]:
    parsed = []
    for gold, text in examples:
        result = await agent.parse_message(text)
        guard = result.get("crisis_guard") or {}
        parsed.append(Parsed(gold, text, result["intent"]["name"], guard))
    return parsed


def f1_by_intent(parsed: list[Parsed]) -> dict[str, float]:
    scores = {}
    for intent in sorted({p.gold for p in parsed}):
        true_positive = sum(p.gold == intent and p.correct for p in parsed)
        predicted = sum(_as_gold(p.intent) == intent for p in parsed)
        actual = sum(p.gold == intent for p in parsed)
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / actual if actual else 0.0
        total = precision + recall
        scores[intent] = 2 * precision * recall / total if total else 0.0
    return scores


def _as_gold(intent: str) -> str:
    return "out_of_scope" if intent == FALLBACK else intent


def report_intents(name: str, parsed: list[Parsed], show_misses: bool) -> float:
    accuracy = sum(p.correct for p in parsed) / len(parsed)
    fallback_rate = sum(p.intent == FALLBACK for p in parsed) / len(parsed)
    if show_misses:
        for p in parsed:
            if not p.correct:
                print(f"  miss: {p.text!r}: expected {p.gold}, got {p.intent}")
    confused = Counter((p.gold, p.intent) for p in parsed if not p.correct)
    print(f"  most confused: {confused.most_common(6)}")
    print(
        f"{name}: intent accuracy {accuracy:.1%} on {len(parsed)} examples "
        f"({len({p.gold for p in parsed})} intents), fallback rate {fallback_rate:.1%}"
    )
    return accuracy


def report_f1(parsed: list[Parsed]) -> None:
    scores = sorted(f1_by_intent(parsed).items(), key=lambda item: item[1])
    print("  per-intent F1, weakest first:")
    for intent, score in scores:
        print(f"    {intent:28s} {score:.2f}")


def caught(p: Parsed) -> bool:
    return p.intent == CRISIS_INTENT


def split_crisis(
    crisis: list[Parsed], outside: list[Parsed]
) -> tuple[list[Parsed], list[Parsed], list[Parsed]]:
    """Crisis lines of both sets, the hard negatives, and the outside set's other lines."""
    positives = [p for p in crisis if not p.gold.startswith("not:")]
    positives += [p for p in outside if p.gold == CRISIS_INTENT]
    negatives = [p for p in crisis if p.gold.startswith("not:")]
    others = [p for p in outside if p.gold != CRISIS_INTENT]
    return positives, negatives, others


def report_crisis(crisis: list[Parsed], outside: list[Parsed]) -> tuple[float, float]:
    positives, negatives, others = split_crisis(crisis, outside)
    recall = sum(map(caught, positives)) / len(positives)
    false_alarms = sum(map(caught, negatives)) / len(negatives)
    by_category = Counter((p.gold, caught(p)) for p in crisis)
    for category in sorted({p.gold for p in crisis}):
        hits = by_category[(category, True)]
        total = hits + by_category[(category, False)]
        print(f"    {category:34s} flagged {hits}/{total}")
    reasons = Counter(p.guard.get("reason") or "classifier" for p in positives if caught(p))
    print(f"  what caught the crisis lines: {dict(reasons)}")
    for p in positives:
        if not caught(p):
            print(f"  MISSED crisis line: {p.text!r} (got {p.intent})")
    for p in negatives + others:
        if caught(p):
            print(f"  false alarm: {p.text!r} ({p.gold}, {p.guard.get('reason')})")
    other_alarms = sum(map(caught, others))
    print(
        f"Crisis recall {recall:.1%} on {len(positives)} lines (crisis set + outside set); "
        f"false alarms {false_alarms:.1%} on {len(negatives)} hard negatives, "
        f"{other_alarms} on the outside set's {len(others)} other lines"
    )
    return recall, false_alarms


def report_crisis_files(crisis: list[Parsed]) -> None:
    start = 0
    for path in CRISIS_FILES:
        part = crisis[start : start + len(crisis_examples(path))]
        start += len(part)
        positives = [p for p in part if not p.gold.startswith("not:")]
        negatives = [p for p in part if p.gold.startswith("not:")]
        print(
            f"  {path.name}: recall {sum(map(caught, positives))}/{len(positives)}, "
            f"false alarms {sum(map(caught, negatives))}/{len(negatives)}"
        )


def report_sweep(crisis: list[Parsed], outside: list[Parsed], depth: int = 3) -> None:
    """What recall and false alarms would be at other thresholds of the ranking rule."""
    positives, negatives, others = split_crisis(crisis, outside)
    print(f"  ranking-rule sweep, top {depth}: threshold, recall, false alarms, outside alarms")
    for threshold in SWEEP:
        recall = sum(_flagged_at(p, threshold, depth) for p in positives) / len(positives)
        alarms = sum(_flagged_at(p, threshold, depth) for p in negatives) / len(negatives)
        other_alarms = sum(_flagged_at(p, threshold, depth) for p in others)
        print(f"    {threshold:.2f}  {recall:.1%}  {alarms:.1%}  {other_alarms}")


def _flagged_at(p: Parsed, threshold: float, depth: int) -> bool:
    if p.guard.get("reason") == "lexicon":
        return True
    if p.guard.get("excluded"):
        return False
    rank, confidence = p.guard.get("classifier_rank"), p.guard.get("classifier_confidence", 0)
    if rank == 0 and confidence >= 0.5:  # the classifier's own answer, above the fallback
        return True
    return rank is not None and rank < depth and confidence >= threshold


@dataclass(frozen=True)
class RealAnswer:
    line: real_wording.Line
    intent: str

    @property
    def correct(self) -> bool:
        return self.intent in self.line.answerable or (
            self.intent == FALLBACK and "out_of_scope" in self.line.answerable
        )


def real_groups(
    answers: list[RealAnswer], known: set[str]
) -> tuple[list[RealAnswer], list[RealAnswer], list[RealAnswer]]:
    """Lines an intent of the model answers (gated), lines only a missing intent answers, topics."""
    gated = [a for a in answers if set(a.line.answerable) & known]
    pending = [a for a in answers if a.line.answerable and not set(a.line.answerable) & known]
    topics = [a for a in answers if not a.line.answerable]
    return gated, pending, topics


def share(answers: list[RealAnswer], test: Callable[[RealAnswer], bool]) -> float:
    return sum(map(test, answers)) / len(answers) if answers else 0.0


def report_real(
    answers: list[RealAnswer], known: set[str], show_misses: bool
) -> tuple[float, float]:
    gated, pending, topics = real_groups(answers, known)
    by_intent: dict[str, list[RealAnswer]] = {}
    for answer in gated:
        first = next(name for name in answer.line.answerable if name in known)
        by_intent.setdefault(first, []).append(answer)
    print("  accuracy by intent (first acceptable intent the model has):")
    for intent, group in sorted(by_intent.items(), key=lambda item: (-len(item[1]), item[0])):
        print(f"    {intent:28s} {share(group, lambda a: a.correct):6.1%} of {len(group)}")
    if show_misses:
        for answer in gated:
            if not answer.correct:
                print(
                    f"  miss: {answer.line.text!r}: expected {'|'.join(answer.line.answerable)}, "
                    f"got {answer.intent}"
                )
    confused = Counter((a.line.answerable[0], a.intent) for a in gated if not a.correct)
    print(f"  most confused: {confused.most_common(6)}")
    for name, group in (
        ("only intents the model lacks yet", pending),
        ("no intent (topics)", topics),
    ):
        fallback = share(group, lambda a: a.intent == FALLBACK)
        print(
            f"  {len(group)} lines {name}: fallback {fallback:.1%}; "
            f"answered {Counter(a.intent for a in group).most_common(4)}"
        )
    alarms = [a for a in answers if a.intent == CRISIS_INTENT]
    accuracy = share(gated, lambda a: a.correct)
    fallback_rate = share(gated, lambda a: a.intent == FALLBACK)
    sites = len({a.line.site for a in answers})
    print(
        f"Real questions (test sites): intent accuracy {accuracy:.1%} on {len(gated)} of "
        f"{len(answers)} lines from {sites} sites, fallback rate {fallback_rate:.1%}, "
        f"{len(alarms)} read as crisis"
    )
    return accuracy, fallback_rate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="do not list every miss")
    args = parser.parse_args()
    model = args.model or max(glob.glob(str(ROOT / "models/*.tar.gz")), key=os.path.getmtime)

    outside_examples = outside_set()
    heldout_examples = rasa_examples(HELDOUT)
    crisis_lines = [line for path in CRISIS_FILES for line in crisis_examples(path)]
    real_lines = real_wording.read_lines(REAL)
    everything = outside_examples + heldout_examples + crisis_lines
    agent = load_agent(model)
    parsed = asyncio.run(parse_with(agent, everything + [("", line.text) for line in real_lines]))
    outside = parsed[: len(outside_examples)]
    heldout = parsed[len(outside_examples) : len(outside_examples) + len(heldout_examples)]
    crisis = parsed[len(outside_examples) + len(heldout_examples) : len(everything)]
    real = [
        RealAnswer(line, p.intent)
        for line, p in zip(real_lines, parsed[len(everything) :], strict=True)
    ]

    accuracy = report_intents("Outside-style sets", outside, show_misses=not args.quiet)
    report_f1(outside)
    start = 0
    for path in OUTSIDE_FILES:
        part = outside[start : start + len(rasa_examples(path))]
        start += len(part)
        share = sum(p.correct for p in part) / len(part)
        print(f"  {path.name}: {share:.1%} on {len(part)} examples")
    report_intents("Old held-out set", heldout, show_misses=False)
    recall, false_alarms = report_crisis(crisis, outside)
    report_crisis_files(crisis)
    if args.sweep:
        report_sweep(crisis, outside)
    real_accuracy, real_fallback = report_real(real, set(agent.domain.intents), not args.quiet)

    failures = []
    if accuracy < MIN_ACCURACY:
        failures.append(f"outside-style accuracy {accuracy:.1%} < {MIN_ACCURACY:.0%}")
    if recall < 1.0:
        failures.append(f"crisis recall {recall:.1%} < 100 %")
    if false_alarms > MAX_FALSE_ALARMS:
        failures.append(f"crisis false alarms {false_alarms:.1%} > {MAX_FALSE_ALARMS:.0%}")
    if real_accuracy < MIN_REAL_ACCURACY:
        failures.append(f"real-question accuracy {real_accuracy:.1%} < {MIN_REAL_ACCURACY:.0%}")
    if real_fallback > MAX_REAL_FALLBACK:
        failures.append(f"real-question fallback {real_fallback:.1%} > {MAX_REAL_FALLBACK:.0%}")
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
