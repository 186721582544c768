"""Helpers for reading the bot's REST replies in end-to-end tests."""

import re
from functools import cache

import yaml

from coach.paths import ROOT


@cache
def responses() -> dict[str, list[dict]]:
    with (ROOT / "domain.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["responses"]


def variation_texts(response_name: str) -> list[str]:
    return [variation["text"].strip() for variation in responses()[response_name]]


def texts(messages: list[dict]) -> list[str]:
    return [message["text"].strip() for message in messages if message.get("text")]


def payloads(messages: list[dict]) -> list[str]:
    return [button["payload"] for message in messages for button in message.get("buttons", [])]


def customs(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == kind]


def template_pattern(template: str) -> "re.Pattern[str]":
    """A variation's text as a regex: each {slot} or {variable} matches any text."""
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile("^" + "(.+?)".join(re.escape(part) for part in parts) + "$", re.S)


def answered_with(messages: list[dict], response_name: str) -> bool:
    patterns = [template_pattern(text) for text in variation_texts(response_name)]
    return any(pattern.match(text) for pattern in patterns for text in texts(messages))


# The stage menu's buttons, in the guide's order.
STAGE_FIRST_INTENTS = [
    "/ask_collector_role",
    "/ask_stay_calm",
    "/ask_debt_details",
    "/request_repayment_plan",
    "/ask_negotiation_script",
    "/ask_legal_rights",
    "/ask_emotional_support",
    "/ask_future_planning",
]
