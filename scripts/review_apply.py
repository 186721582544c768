"""Reviewed queue lines into training data (`make review-apply`).

Reads a queue written by `make review` (``REVIEW_IN``, default ``var/review/queue.jsonl``) in
which a reviewer has filled in ``correct_intent``, and adds the accepted lines to
``data/nlu/reviewed.yml`` (``REVIEW_NLU`` overrides; never a file under tests/), each intent's
block marked ``source: review queue``. Refused lines (a repeat of a held-out test line,
already trained, unknown intent, only masks) are listed with the reason. Retrain afterwards.

    .venv/bin/python scripts/review_apply.py [--queue F] [--nlu data/nlu/reviewed.yml]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.review.annotations import sort_annotations  # noqa: E402

SOURCE = "review queue (make review-apply)"
HEADER = (
    "# Real wording from the review queue: lines the coach misunderstood, with the intent a\n"
    "# reviewer gave them (`make review-apply`, docs/operations.md). Masks (#) stand for\n"
    "# numbers, figures and names.\n"
)


def nlu_lines(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    lines = []
    for block in data.get("nlu") or []:
        examples = block.get("examples") if isinstance(block, dict) else None
        if isinstance(examples, str):
            lines += [
                line.strip()[2:].strip()
                for line in examples.splitlines()
                if line.strip().startswith("- ")
            ]
    return lines


def held_out_lines() -> list[str]:
    """Every line of tests/nlu: the Rasa NLU files, the crisis set and the real questions."""
    lines: list[str] = []
    for path in sorted((ROOT / "tests" / "nlu").glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            lines += [
                row["text"] for row in csv.DictReader(handle, delimiter="\t") if row.get("text")
            ]
    for path in sorted((ROOT / "tests" / "nlu").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "nlu" in data:
            lines += nlu_lines(path)
        for part in ("crisis", "not_crisis"):
            for group in (data.get(part) or {}).values():
                lines += [str(line) for line in group]
    return lines


def domain_intents() -> frozenset[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    names = [next(iter(i)) if isinstance(i, dict) else i for i in domain["intents"]]
    return frozenset(str(name) for name in names)


def existing_blocks(path: Path) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    blocks: dict[str, list[str]] = {}
    for block in data.get("nlu") or []:
        examples = str(block.get("examples") or "")
        blocks[block["intent"]] = [
            line.strip()[2:].strip() for line in examples.splitlines() if line.strip()
        ]
    return blocks


def render(blocks: dict[str, list[str]]) -> str:
    parts = [HEADER, 'version: "3.1"\n', "nlu:\n"]
    for intent in sorted(blocks):
        parts.append(f"- intent: {intent}\n  metadata:\n    source: {SOURCE}\n  examples: |\n")
        parts += [f"    - {line}\n" for line in blocks[intent]]
    return "".join(parts)


def read_queue(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--queue", type=Path, default=os.environ.get("REVIEW_IN", "var/review/queue.jsonl")
    )
    parser.add_argument(
        "--nlu", type=Path, default=os.environ.get("REVIEW_NLU", "data/nlu/reviewed.yml")
    )
    args = parser.parse_args(argv)
    target = args.nlu.resolve()
    if (ROOT / "tests") in target.parents:
        parser.error("reviewed lines never go into tests/: they would no longer be held out")
    if not args.queue.is_file():
        parser.error(f"no queue {args.queue} (run `make review` first)")
    trained = [
        line for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) for line in nlu_lines(path)
    ]
    blocks = existing_blocks(target)
    trained += [line for lines in blocks.values() for line in lines]
    result = sort_annotations(read_queue(args.queue), domain_intents(), held_out_lines(), trained)
    for intent, lines in result.accepted.items():
        blocks.setdefault(intent, []).extend(lines)
    added = sum(len(lines) for lines in result.accepted.values())
    if added:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(blocks), encoding="utf-8")
    print(f"Added {added} line(s) to {args.nlu}; {result.unreviewed} not reviewed yet.")
    for text, why in result.refused:
        print(f"  refused: {text} ({why})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
