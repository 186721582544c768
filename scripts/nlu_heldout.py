"""Intent accuracy of the newest model on a held-out NLU file (never trained on).

Usage: python scripts/nlu_heldout.py tests/nlu/heldout.yml 0.90 [model.tar.gz]
Prints the accuracy and every miss; exits 1 below the threshold. `nlu_fallback`
counts as `out_of_scope` (CONTRACT.md section 2).
"""

import asyncio
import glob
import os
import sys
from collections import Counter
from pathlib import Path

import yaml

# The pipeline's custom components are imported from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

EQUIVALENT = {("out_of_scope", "nlu_fallback")}


def load_examples(path):
    with open(path, encoding="utf-8") as handle:
        blocks = yaml.safe_load(handle)["nlu"]
    for block in blocks:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                yield block["intent"], line.strip()[2:].strip()


async def predict_all(model_path, examples):
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    agent = Agent.load(model_path)
    predictions = []
    for _, text in examples:
        parsed = await agent.parse_message(text)
        predictions.append(parsed["intent"]["name"])
    return predictions


def main(path, threshold, model=None):
    model = model or max(glob.glob("models/*.tar.gz"), key=os.path.getmtime)
    examples = list(load_examples(path))
    predictions = asyncio.run(predict_all(model, examples))
    misses = [
        (gold, predicted, text)
        for (gold, text), predicted in zip(examples, predictions, strict=True)
        if gold != predicted and (gold, predicted) not in EQUIVALENT
    ]
    accuracy = 1 - len(misses) / len(examples)
    for gold, predicted, text in misses:
        print(f"  miss: {text!r}: expected {gold}, got {predicted}")
    confused = Counter((gold, predicted) for gold, predicted, _ in misses)
    if confused:
        print("  most confused:", confused.most_common(5))
    print(
        f"Held-out intent accuracy: {accuracy:.1%} on {len(examples)} examples "
        f"({len(set(g for g, _ in examples))} intents; threshold {threshold:.0%})"
    )
    return 0 if accuracy >= threshold else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2]), *sys.argv[3:4]))
