"""Which facts stand behind the coach's texts, and where each fact is used.

A user-facing text that states a law article (第196条, 第一百九十六条, Art. 70), a hotline
number (12378, 110, 96110 …) or a percentage (90%, 百分之九十) must name the facts of
``content/facts.yml`` it relies on, in ``content/fact_refs.yml``; every such claim in the
text must occur in one of those facts (its ``number``, ``text_zh`` or ``cites``).
``tests/unit/coach/guidance/test_facts.py`` checks this (the claims are found by
``tests/support/fact_claims.py``) and ``scripts/make_facts.py`` lists, for each fact, where
it is used. Plain pyyaml, no Rasa import.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from coach.paths import ROOT

CONTENT_DIR = ROOT / "content"
FACTS_FILE = CONTENT_DIR / "facts.yml"
REFS_FILE = CONTENT_DIR / "fact_refs.yml"
# Content files that are not texts shown to users as such: the catalogue itself and the
# map of references.
NOT_SCANNED = {"facts.yml", "fact_refs.yml"}


def _load(path: Path) -> Any:
    """The parsed YAML file, read again only when it changed on disk."""
    return _load_version(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _load_version(path: Path, mtime_ns: int) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def facts() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = _load(FACTS_FILE)["facts"]
    return entries


def facts_by_id() -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in facts()}


def refs() -> dict[str, Any]:
    loaded: dict[str, Any] = _load(REFS_FILE)
    return loaded


def _walk(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every leaf of a YAML tree with its dotted path. A list item that is a mapping with
    an ``id`` is named by that id (topics.jail.intro), others by their index."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, path + (str(key),))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = value.get("id") if isinstance(value, dict) and "id" in value else index
            yield from _walk(value, path + (str(name),))
    else:
        yield ".".join(path), node


def content_files() -> list[Path]:
    return sorted(p for p in CONTENT_DIR.glob("*.yml") if p.name not in NOT_SCANNED)


def fact_usage() -> dict[str, list[str]]:
    """Where each fact is used: every place a content file names its id (answers, offer
    notes, safety resources …) and every text fact_refs.yml puts it behind."""
    known = facts_by_id()
    usage: dict[str, list[str]] = {fact_id: [] for fact_id in known}

    def add(fact_id: str, place: str) -> None:
        if fact_id in usage and place not in usage[fact_id]:
            usage[fact_id].append(place)

    for path in content_files():
        for key, value in _walk(_load(path)):
            if isinstance(value, str) and value in known:
                owner = key.rsplit(".", 1)[0] if key.rsplit(".", 1)[-1].isdigit() else key
                add(value, f"{path.name}: {owner}")
    spec = refs()
    for name, ids in (spec.get("responses") or {}).items():
        for fact_id in ids or []:
            add(fact_id, f"domain.yml: {name}")
    for file_name, entries in (spec.get("content") or {}).items():
        for key, ids in (entries or {}).items():
            for fact_id in ids or []:
                add(fact_id, f"{file_name}: {key}")
    return usage
