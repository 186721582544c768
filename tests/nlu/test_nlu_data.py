"""The held-out NLU files are never trained on: no training line repeats a test line.

Lines are compared after normalisation (coach.language.normalise) without punctuation and spaces.
Very short lines (four characters or fewer, such as 谢谢, 不是, 88) are the same for
everyone who writes them and are left out of the comparison.
"""

from pathlib import Path

import yaml

from coach.language.normalise import normalise
from coach.paths import ROOT

SHORTEST_COMPARED = 5


def rasa_lines(path: Path) -> list[str]:
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    return [
        line.strip()[2:].strip()
        for block in blocks
        if "intent" in block
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


def crisis_lines(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        line for part in ("crisis", "not_crisis") for lines in data[part].values() for line in lines
    ]


def key(text: str) -> str:
    return "".join(char for char in normalise(text) if char.isalnum())


def test_no_training_line_repeats_a_held_out_line():
    held_out = {
        key(line)
        for path in sorted((ROOT / "tests/nlu").glob("outside*.yml"))
        + [ROOT / "tests/nlu/heldout.yml"]
        for line in rasa_lines(path)
    } | {
        key(line)
        for path in sorted((ROOT / "tests/nlu").glob("crisis*.yml"))
        for line in crisis_lines(path)
    }
    repeated = [
        line
        for path in sorted((ROOT / "data/nlu").glob("*.yml"))
        for line in rasa_lines(path)
        if len(key(line)) >= SHORTEST_COMPARED and key(line) in held_out
    ]
    assert repeated == []


def test_the_held_out_sets_are_as_large_as_the_issue_asks():
    outside = yaml.safe_load((ROOT / "tests/nlu/outside.yml").read_text(encoding="utf-8"))
    per_intent = {block["intent"]: block["examples"].count("\n- ") + 1 for block in outside["nlu"]}
    assert sum(per_intent.values()) >= 600 and min(per_intent.values()) >= 15
    crisis = yaml.safe_load((ROOT / "tests/nlu/crisis.yml").read_text(encoding="utf-8"))
    assert sum(len(lines) for lines in crisis["crisis"].values()) >= 150
    assert sum(len(lines) for lines in crisis["not_crisis"].values()) >= 60
