"""Helpers for reading the bot's REST replies in end-to-end tests."""

from functools import cache
from pathlib import Path
from typing import Dict, List

import yaml

ROOT = Path(__file__).resolve().parents[2]


@cache
def responses() -> Dict[str, List[dict]]:
    with (ROOT / "domain.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["responses"]


def variation_texts(response_name: str) -> List[str]:
    return [variation["text"].strip() for variation in responses()[response_name]]


def texts(messages: List[dict]) -> List[str]:
    return [message["text"].strip() for message in messages if message.get("text")]


def payloads(messages: List[dict]) -> List[str]:
    return [button["payload"] for message in messages for button in message.get("buttons", [])]


def customs(messages: List[dict], kind: str) -> List[dict]:
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == kind]


def answered_with(messages: List[dict], response_name: str) -> bool:
    return any(text in variation_texts(response_name) for text in texts(messages))
