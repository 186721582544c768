"""addons.nlu.normaliser: every later step of the pipeline reads normalised text."""

from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.nlu.normaliser import TextNormaliser


def test_a_message_is_normalised_in_place():
    message = Message(data={"text": "我欠xyk兩萬！！！"})
    TextNormaliser().process([message])
    assert message.get("text") == "我欠信用卡两万!"


def test_training_examples_are_normalised_the_same_way():
    example = Message(data={"text": "俺咋整😭", "intent": "express_anxiety"})
    TextNormaliser().process_training_data(TrainingData([example]))
    assert example.get("text") == "我怎么办哭"


def test_malformed_text_gives_no_error():
    messages = [Message(data={"text": "\ud800" * 5}), Message(data={"text": "欠" * 1_000_000})]
    TextNormaliser().process(messages)
    assert messages[0].get("text") == ""
    assert len(messages[1].get("text")) == 1000


def test_a_message_without_text_is_left_alone():
    message = Message(data={})
    TextNormaliser().process([message])
    assert message.get("text") is None


def test_a_button_payload_reaches_rasa_exactly_as_sent():
    payload = '/inform_finances{"lender_type":"bank_loan"}'
    message = Message(data={"text": payload})
    TextNormaliser().process([message])
    assert message.get("text") == payload
