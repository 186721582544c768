"""addons.nlu.intent_classifier: trains, stores, loads and classifies like Rasa's own."""

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.nlu.intent_classifier import LinearIntentClassifier

EXAMPLES = [
    ("你好", "greet"),
    ("您好", "greet"),
    ("在吗你好", "greet"),
    ("帮我算还款方案", "request_repayment_plan"),
    ("算一下每月还多少", "request_repayment_plan"),
    ("做个还款计划", "request_repayment_plan"),
]


def trained(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("intent_classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    component = LinearIntentClassifier.create({}, storage, resource, context)
    data = TrainingData([Message(data={"text": t, "intent": i}) for t, i in EXAMPLES])
    component.train(data)
    return storage, resource, context


def test_a_trained_and_reloaded_classifier_sets_intent_and_ranking(tmp_path):
    storage, resource, context = trained(tmp_path)
    loaded = LinearIntentClassifier.load({}, storage, resource, context)
    message = Message(data={"text": "帮我算算方案"})
    loaded.process([message])
    assert message.get("intent")["name"] == "request_repayment_plan"
    ranking = message.get("intent_ranking")
    assert [entry["name"] for entry in ranking] == ["request_repayment_plan", "greet"]
    assert 0.5 < message.get("intent")["confidence"] <= 1.0


def test_a_model_without_a_trained_classifier_leaves_messages_alone(tmp_path):
    context = ExecutionContext(GraphSchema({}), "test")
    empty = LinearIntentClassifier.load(
        {}, LocalModelStorage(tmp_path), Resource("missing"), context
    )
    message = Message(data={"text": "你好"})
    empty.process([message])
    assert message.get("intent") is None


def test_a_reloaded_classifier_scores_from_column_major_weights_with_the_same_probabilities(
    tmp_path,
):
    storage, resource, context = trained(tmp_path)
    loaded = LinearIntentClassifier.load({}, storage, resource, context)
    texts = ["帮我算算方案", "你好呀", "在吗"]
    assert loaded.model.classifier.coef_.flags.f_contiguous
    row_major = loaded.model.classifier.coef_.copy(order="C")
    fast = loaded.model.rank(texts)
    loaded.model.classifier.coef_ = row_major
    assert loaded.model.rank(texts) == fast
