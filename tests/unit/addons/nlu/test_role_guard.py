"""A parent, spouse or guarantor telling their situation reaches the answer for the role."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.role_guard import RoleGuard


def classified(text, intent, confidence=0.6):
    message = Message(data={"text": text})
    guess = {"name": intent, "confidence": confidence}
    message.set("intent", guess)
    message.set("intent_ranking", [guess])
    RoleGuard().process([message])
    return message


def role_entities(message):
    return [e["value"] for e in message.get("entities") or [] if e["entity"] == "user_role"]


@pytest.mark.parametrize(
    "text, guessed, role",
    [
        ("催收天天打电话给我，说我儿子信用卡欠了三万多", "report_abusive_collection", "family"),
        ("我老公背着我借了好几个网贷，不是我借的", "report_disputed_debt", "spouse"),
        ("我给表哥的贷款做了担保，现在催收找我", "ask_collection_process", "guarantor"),
    ],
)
def test_a_third_partys_situation_is_asked_as_the_family_debt_question(text, guessed, role):
    message = classified(text, guessed)
    assert message.get("intent")["name"] == "ask_family_debt"
    assert role_entities(message) == [role]


@pytest.mark.parametrize(
    "text, intent",
    [
        ("我儿子欠的钱，电话里我该怎么说", "ask_opening_script"),
        ("我儿子欠了钱，我不想活了", "express_crisis"),
    ],
)
def test_scripts_and_a_crisis_keep_their_intent_but_carry_the_role(text, intent):
    message = classified(text, intent, 0.9)
    assert message.get("intent")["name"] == intent and role_entities(message) == ["family"]


def test_the_debtors_own_message_is_left_as_it_is():
    message = classified("我欠了招行两万，催收说要打给我家人", "report_abusive_collection")
    assert message.get("intent")["name"] == "report_abusive_collection"
    assert role_entities(message) == []
