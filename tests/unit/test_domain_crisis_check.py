"""domain.yml: an unclear crisis signal gets one direct question with 12356 and nothing else."""

import pytest
import yaml

from coach.paths import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def variation(response: str, certainty: str | None) -> dict:
    for candidate in DOMAIN["responses"][response]:
        conditions = candidate.get("condition") or []
        values = {c["name"]: c["value"] for c in conditions}
        if values.get("crisis_certainty") == certainty:
            return candidate
    raise AssertionError(f"{response} has no variation for crisis_certainty={certainty}")


def test_the_unclear_crisis_reply_asks_directly_with_12356_and_no_buttons():
    ask = variation("utter_crisis", "unclear")
    assert "结束自己的生命" in ask["text"] and "12356" in ask["text"]
    assert not ask.get("buttons")


def test_the_unclear_variation_comes_first_so_it_wins_when_the_slot_is_set():
    first = DOMAIN["responses"]["utter_crisis"][0]
    assert first.get("condition") == [
        {"type": "slot", "name": "crisis_certainty", "value": "unclear"}
    ]


@pytest.mark.parametrize("response", ["utter_crisis_confirmed", "utter_crisis_denied"])
@pytest.mark.parametrize("certainty", ["unclear", None])
def test_every_answer_to_the_crisis_question_names_12356_and_no_plan(response, certainty):
    answer = variation(response, certainty)
    assert "12356" in answer["text"]
    payloads = {button["payload"] for button in answer.get("buttons") or []}
    assert payloads <= {"/ask_emotional_support"}


def test_the_guard_entity_fills_the_slot():
    assert "crisis_certainty" in DOMAIN["entities"]
    mapping = DOMAIN["slots"]["crisis_certainty"]["mappings"]
    assert mapping == [{"type": "from_entity", "entity": "crisis_certainty"}]
