"""The rules catalogue: facts the coach may state, each with its source and status.

Facts live once, in ``content/facts.yml``; answers pick them by id
(``content/answers.yml``), so a reviewer changes a rule in one place.
"""

from typing import Any

from coach.content import load_content


def all_facts() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = load_content("facts")["facts"]
    return entries


def fact(fact_id: str) -> dict[str, Any]:
    for entry in all_facts():
        if entry["id"] == fact_id:
            return entry
    raise KeyError(f"no fact with id {fact_id!r} in content/facts.yml")


def rights_answer() -> dict[str, Any]:
    """The rights answer: an intro response name, the text, and follow-up buttons."""
    spec = load_content("answers")["rights"]
    rules = [f"· {fact(fact_id)['text_zh']}" for fact_id in spec["fact_ids"]]
    channels = [f"· {fact(fact_id)['text_zh']}" for fact_id in spec["channel_ids"]]
    text = "\n".join(rules + ["", spec["channels_heading"], *channels])
    return {
        "intro_response": spec["intro_response"],
        "text": text,
        "buttons": spec["buttons"],
    }


def consequence_answer(question: str) -> dict[str, Any] | None:
    """The answer to a "what will happen to me" question about jail, the credit record,
    family and work, or a home visit: text and buttons; None when no topic's cue is in it
    (the caller then explains how collection escalates)."""
    spec = load_content("answers")["consequences"]
    topic = next((t for t in spec["topics"] if any(cue in question for cue in t["cues"])), None)
    if topic is None:
        return None
    rules = [f"· {fact(fact_id)['text_zh']}" for fact_id in topic["fact_ids"]]
    return {
        "topic": topic["id"],
        "text": "\n".join([topic["intro"], *rules, topic["closing"]]),
        "buttons": spec["buttons"],
    }


def consequence_fallback_response() -> str:
    response: str = load_content("answers")["consequences"]["fallback_response"]
    return response


def topic_answer(intent: str) -> dict[str, Any] | None:
    """The answer to one of the advice questions (content/answers.yml, ``topics``):
    intro, the catalogued facts as bullets, what to do next, and buttons."""
    spec = load_content("answers").get("topics", {}).get(intent)
    if spec is None:
        return None
    rules = [f"· {fact(fact_id)['text_zh']}" for fact_id in spec["fact_ids"]]
    return {
        "text": "\n".join([spec["intro"], *rules, spec["closing"]]),
        "buttons": spec["buttons"],
    }


def topic_intents() -> list[str]:
    return list(load_content("answers").get("topics", {}))
