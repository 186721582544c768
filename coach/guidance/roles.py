"""Who is asking: the debtor, a family member the collector calls, a spouse, or a
guarantor (content/roles.yml), and what each is told and given to say.

``read_role`` infers the role from a message; ``role_answer`` and ``role_script`` are the
answer and the script for a non-debtor role. The debtor's own answers and scripts are
elsewhere (answers.yml, scripts.yml): a non-debtor never gets the debtor's admission.
Pure: no Rasa import.
"""

from collections.abc import Mapping
from typing import Any, Literal

from coach.content import load_content
from coach.guidance.rules_catalogue import fact
from coach.language.normalise import normalise

Role = Literal["debtor", "family", "spouse", "guarantor"]
ROLES: tuple[Role, ...] = ("debtor", "family", "spouse", "guarantor")
THIRD_PARTIES = frozenset({"family", "spouse", "guarantor"})
NEGATIONS = "不没非"


def _roles() -> Mapping[str, Any]:
    content: Mapping[str, Any] = load_content("roles")
    return content


def as_role(value: object) -> Role | None:
    return next((role for role in ROLES if role == value), None)


def _has(text: str, words: list[str]) -> bool:
    return any(normalise(str(word)) in text for word in words)


def _says(text: str, words: list[str]) -> bool:
    """One of ``words`` stands in ``text`` without a 不/没 just before it (不是我借的 is
    no 是我借的)."""
    for word in map(normalise, map(str, words)):
        at = text.find(word)
        while at >= 0:
            if not set(text[max(0, at - 2) : at]) & set(NEGATIONS):
                return True
            at = text.find(word, at + 1)
    return False


def read_role(text: str) -> Role | None:
    """The role a message names (我是担保人, 我老公背着我借了网贷, 催收打给我说我儿子欠钱),
    None when it names none."""
    plain = normalise(text or "")
    if not plain:
        return None
    content = _roles()
    cues = content["cues"]
    if _has(plain, cues["guarantor"]):
        return "guarantor"
    if _says(plain, content["debtor"]):
        return "debtor"
    if _has(plain, cues["spouse"]) and _has(plain, content["debt_words"]):
        return "spouse"
    if _has(plain, cues["family"]) and _has(plain, content["debt_words"]):
        return "family"
    return None


def role_answer(role: Role) -> str | None:
    """The answer for a non-debtor role: intro, the catalogued facts, the script, closing."""
    spec = _roles()["answers"].get(role)
    if spec is None:
        return None
    rules = [f"· {fact(fact_id)['text_zh']}" for fact_id in spec["fact_ids"]]
    return "\n".join([spec["intro"], *rules, role_script(role) or "", spec["closing"]])


def role_script(role: Role) -> str | None:
    """What a non-debtor role says to the collector (None for the debtor)."""
    spec = _roles()["scripts"].get(role)
    if spec is None:
        return None
    return "\n".join([spec["title"], *(f"「{line}」" for line in spec["lines"])])


def asks_for_script(text: str) -> bool:
    """The message asks what to say to the collector (电话里我该怎么说)."""
    return _has(normalise(text or ""), list(_roles()["script_requests"]))


def role_question() -> tuple[str, list[dict[str, str]]]:
    """Who borrowed? with one button per role (a payload that carries the role)."""
    ask = _roles()["ask"]
    buttons = [
        {"title": b["title"], "payload": '/ask_family_debt{"user_role":"' + b["role"] + '"}'}
        for b in ask["buttons"]
    ]
    return str(ask["text"]), buttons
