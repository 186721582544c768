"""How long each NLU pipeline component takes per message, and what the pipeline predicts.

Run from the repo root: `.venv/bin/python bench/parse_timing.py [--save F | --check F]`.
Loads the newest model in this process (no server), parses every line of tests/nlu/*.yml,
and times each graph node of the parse (``GraphNode.__call__``) by CPU time of this
thread, so other load on the machine hardly changes the figures.

``--save F`` writes what the pipeline predicts for every line (intent, ranking, entities,
confidences to 9 places); ``--check F`` compares with such a file and exits 1 on any
difference: a speed-up must not change a single prediction.
"""

import argparse
import asyncio
import json
import logging
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devtools.servers import newest_model  # noqa: E402

HELD_OUT = ROOT / "tests" / "nlu"
DIGITS = 9


def lines_of(path: Path) -> list[str]:
    """The example lines of a Rasa NLU file, or of the crisis set (a mapping of lists)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if "nlu" in data:
        return [
            line.strip()[2:].strip()
            for block in data["nlu"]
            if "intent" in block
            for line in block["examples"].splitlines()
            if line.strip().startswith("- ")
        ]
    return [
        line
        for part in data.values()
        if isinstance(part, dict)
        for lines in part.values()
        for line in lines
    ]


def held_out_lines() -> list[str]:
    return [line for path in sorted(HELD_OUT.glob("*.yml")) for line in lines_of(path)]


@contextmanager
def node_timer() -> Iterator[dict[str, list[float]]]:
    """CPU ms of every graph node call while inside, by node name."""
    from rasa.engine.graph import GraphNode

    spent: dict[str, list[float]] = defaultdict(list)
    original: Callable[..., Any] = GraphNode.__call__

    def timed(node: GraphNode, *inputs: Any) -> Any:
        started = time.thread_time()
        try:
            return original(node, *inputs)
        finally:
            spent[node._node_name].append((time.thread_time() - started) * 1000)

    GraphNode.__call__ = timed
    try:
        yield spent
    finally:
        GraphNode.__call__ = original


def load_agent(model: str) -> Any:
    """The model's agent, logging at WARNING as a server does at INFO: no per-parse lines."""
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    return Agent.load(model)


def parse(agent: Any, text: str) -> dict[str, Any]:
    result: dict[str, Any] = asyncio.run(agent.parse_message(text))
    return result


def prediction(parsed: dict[str, Any]) -> dict[str, Any]:
    def rounded(entry: dict[str, Any]) -> list[Any]:
        return [entry.get("name"), round(float(entry.get("confidence") or 0.0), DIGITS)]

    return {
        "intent": rounded(parsed.get("intent") or {}),
        "ranking": [rounded(entry) for entry in parsed.get("intent_ranking") or []],
        "entities": [
            {k: v for k, v in entity.items() if k != "extractor"}
            for entity in parsed.get("entities") or []
        ],
    }


def component_times(agent: Any, lines: list[str]) -> tuple[dict[str, float], float]:
    """(mean CPU ms per message of each node, mean CPU ms per whole parse)."""
    for line in lines[:20]:  # warm caches (jieba's dictionary, OpenCC) before timing
        parse(agent, line)
    totals = []
    with node_timer() as spent:
        for line in lines:
            started = time.thread_time()
            parse(agent, line)
            totals.append((time.thread_time() - started) * 1000)
    means = {name: statistics.fmean(times) for name, times in spent.items()}
    return means, statistics.fmean(totals)


def short_name(node: str) -> str:
    """run_addons.nlu.normaliser.TextNormaliser0 -> TextNormaliser."""
    name = node.removeprefix("run_").rstrip("0123456789")
    return name.rsplit(".", 1)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model file (default: the newest)")
    parser.add_argument("--save", type=Path, help="write the predictions to this JSON file")
    parser.add_argument("--check", type=Path, help="compare the predictions with this file")
    args = parser.parse_args()
    agent = load_agent(args.model or newest_model())
    lines = held_out_lines()
    means, total = component_times(agent, lines)
    print(f"{len(lines)} messages; CPU ms per message, mean:")
    for node, ms in sorted(means.items(), key=lambda item: -item[1]):
        print(f"  {short_name(node):32} {ms:7.3f}")
    print(f"  {'whole parse (agent.parse_message)':32} {total:7.3f}")
    predicted = {line: prediction(parse(agent, line)) for line in lines}
    if args.save:
        args.save.write_text(json.dumps(predicted, ensure_ascii=False, indent=0))
        print(f"predictions of {len(predicted)} lines written to {args.save}")
    if args.check:
        expected = json.loads(args.check.read_text())
        changed = [line for line in expected if predicted.get(line) != expected[line]]
        print(f"{len(changed)} of {len(expected)} predictions differ from {args.check}")
        for line in changed[:20]:
            print(f"  {line!r}: {expected[line]} -> {predicted.get(line)}")
        return 1 if changed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
