"""Texts the channels need: their own replies (content/channel.yml) and domain.yml's.

No Rasa import: the files are read with PyYAML, once per process.
"""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from coach.paths import ROOT

CHANNEL_CONTENT = ROOT / "content" / "channel.yml"
DOMAIN_FILE = ROOT / "domain.yml"
UNAVAILABLE_RESPONSE = "utter_action_unavailable"


def _read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise TypeError(f"{path} must hold a mapping at its top level")
    return data


@cache
def channel_texts() -> dict[str, Any]:
    """The parsed content/channel.yml."""
    return _read_yaml(CHANNEL_CONTENT)


@cache
def domain_file() -> dict[str, Any]:
    """The parsed domain.yml (empty when the file is missing)."""
    return _read_yaml(DOMAIN_FILE) if DOMAIN_FILE.exists() else {}


def intent_names(intents: list[Any]) -> frozenset[str]:
    """Names from a domain's ``intents`` list (plain names or one-key mappings)."""
    names: set[Any] = set()
    for intent in intents or []:
        names.update(intent.keys() if isinstance(intent, dict) else [intent])
    return frozenset(str(name) for name in names)


@cache
def domain_intents() -> frozenset[str]:
    """The intents listed in domain.yml."""
    return intent_names(domain_file().get("intents", []))


def response_text(responses: dict[str, Any], name: str) -> str:
    """The first text variation of a response, or "" when there is none."""
    for variation in (responses or {}).get(name) or []:
        if isinstance(variation, dict) and variation.get("text"):
            return str(variation["text"]).strip()
    return ""


def unavailable_text(responses: dict[str, Any] | None = None) -> str:
    """The "please try again" text: domain's utter_action_unavailable, else channel.yml's."""
    if responses is None:
        responses = domain_file().get("responses", {})
    text = response_text(responses, UNAVAILABLE_RESPONSE)
    return text or str(channel_texts()["action_unavailable"]).strip()
