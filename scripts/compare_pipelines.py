"""Trains NLU pipeline variants on data/nlu and measures each on the held-out files.

Usage: python scripts/compare_pipelines.py [VARIANT ...]   (default: all)

Each variant is config.yml with some pipeline steps changed. For each: NLU training
time, outside-style accuracy and fallback rate, old held-out accuracy, crisis recall
and false alarms. Prints a Markdown table (the README's "Pipeline comparison").
"""

from __future__ import annotations

import asyncio
import copy
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import nlu_eval  # noqa: E402

Pipeline = list[dict[str, Any]]


CLASSIFIER = "addons.nlu.intent_classifier.LinearIntentClassifier"
# The features Rasa's own classifiers need (the pipeline before this project's classifier).
RASA_FEATURES: Pipeline = [
    {"name": "SpacyNLP", "model": "var/spacy_zh"},
    {"name": "SpacyTokenizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 3},
]


def _step(pipeline: Pipeline, name: str) -> dict[str, Any]:
    return next(step for step in pipeline if step["name"] == name)


def _replace_classifier(pipeline: Pipeline, steps: Pipeline) -> None:
    index = pipeline.index(_step(pipeline, CLASSIFIER))
    pipeline[index : index + 1] = copy.deepcopy(steps)


def current(pipeline: Pipeline) -> None:
    """config.yml as it is: TF-IDF char 1-3 + words, logistic regression (C=30)."""


def longer_ngrams(pipeline: Pipeline) -> None:
    _step(pipeline, CLASSIFIER).update(longest_character_ngram=4, longest_word_ngram=2)


def weaker_regularisation_off(pipeline: Pipeline) -> None:
    _step(pipeline, CLASSIFIER)["strength"] = 3


def fallback_at_04(pipeline: Pipeline) -> None:
    _step(pipeline, "FallbackClassifier")["threshold"] = 0.4


def rasa_logistic_regression(pipeline: Pipeline) -> None:
    classifier = {"name": "LogisticRegressionClassifier", "max_iter": 300, "random_state": 42}
    _replace_classifier(pipeline, [*RASA_FEATURES, classifier])


def rasa_diet(pipeline: Pipeline) -> None:
    diet = {
        "name": "DIETClassifier",
        "epochs": 40,
        "number_of_transformer_layers": 1,
        "transformer_size": 128,
        "random_seed": 42,
        "entity_recognition": False,
        "constrain_similarities": True,
    }
    _replace_classifier(pipeline, [*RASA_FEATURES, diet])


VARIANTS: dict[str, Callable[[Pipeline], None]] = {
    "current": current,
    "longer_ngrams": longer_ngrams,
    "strength_3": weaker_regularisation_off,
    "fallback_0.4": fallback_at_04,
    "rasa_logistic_regression": rasa_logistic_regression,
    "rasa_diet": rasa_diet,
}


def variant_config(change: Callable[[Pipeline], None]) -> dict[str, Any]:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config = copy.deepcopy(config)
    change(config["pipeline"])
    return config


def train(name: str, config: dict[str, Any], out: Path) -> float:
    config_path = out / f"{name}.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    started = time.monotonic()
    with (out / f"{name}.log").open("w") as log:
        subprocess.run(
            [str(ROOT / ".venv/bin/rasa"), "train", "nlu", "-c", str(config_path), "--nlu",
             str(ROOT / "data/nlu"), "--out", str(out), "--fixed-model-name", name],
            cwd=ROOT, check=True, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return time.monotonic() - started


def measure(model: Path) -> dict[str, float]:
    outside_examples = nlu_eval.outside_set()
    heldout_examples = nlu_eval.rasa_examples(nlu_eval.HELDOUT)
    crisis_lines = [
        line for path in nlu_eval.CRISIS_FILES for line in nlu_eval.crisis_examples(path)
    ]
    parsed = asyncio.run(
        nlu_eval.parse_all(str(model), outside_examples + heldout_examples + crisis_lines)
    )
    outside = parsed[: len(outside_examples)]
    heldout = parsed[len(outside_examples) : len(outside_examples) + len(heldout_examples)]
    crisis = parsed[len(outside_examples) + len(heldout_examples) :]
    positives, negatives, _ = nlu_eval.split_crisis(crisis, outside)
    return {
        "outside": sum(p.correct for p in outside) / len(outside),
        "fallback": sum(p.intent == nlu_eval.FALLBACK for p in outside) / len(outside),
        "heldout": sum(p.correct for p in heldout) / len(heldout),
        "recall": sum(map(nlu_eval.caught, positives)) / len(positives),
        "false_alarms": sum(map(nlu_eval.caught, negatives)) / len(negatives),
    }


def main(names: list[str]) -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="nlu-compare-") as workdir:
        for name in names or list(VARIANTS):
            seconds = train(name, variant_config(VARIANTS[name]), Path(workdir))
            result = measure(Path(workdir) / f"{name}.tar.gz")
            rows.append((name, seconds, result))
            print(f"{name}: {seconds:.0f} s, {result}", flush=True)
    print("\n| variant | NLU training s | outside-style | fallback rate | old held-out "
          "| crisis recall | false alarms |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, seconds, r in rows:
        print(
            f"| {name} | {seconds:.0f} | {r['outside']:.1%} | {r['fallback']:.1%} "
            f"| {r['heldout']:.1%} | {r['recall']:.1%} | {r['false_alarms']:.1%} |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
