"""Rasa shell of the intent classifier in ``coach/understanding/intent_model.py``.

It reads the normalised text (the pipeline's first step), so it needs no tokenizer or
featurizer of Rasa's, and sets ``intent`` and ``intent_ranking`` as Rasa's classifiers do.
The model is stored in Rasa's model storage as JSON and NumPy arrays.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from coach.understanding.intent_model import IntentModel

logger = logging.getLogger(__name__)


def with_fast_scoring(model: IntentModel) -> IntentModel:
    """The same model, its weights stored column-major.

    scikit-learn scores a message as ``features @ coef_.T``; with ``coef_`` row-major
    (as loaded) that transpose is not contiguous and SciPy copies all the weights (intents
    x features, several MB) for every message: 11 of the 13 ms a parse spent in the
    classifier (measured, bench/parse_timing.py). Column-major, the transpose is the
    contiguous array SciPy wants; the arithmetic and so every probability are unchanged.
    """
    model.classifier.coef_ = np.asfortranarray(model.classifier.coef_)
    return model


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "strength": 30.0,
            "max_iter": 2000,
            "random_seed": 42,
            "longest_character_ngram": 3,
            "longest_word_ngram": 1,
            "placeholders": "add",
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: IntentModel | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.warning("No intent examples: the intent classifier was not trained.")
            return self._resource
        self.model = IntentModel.fit(
            [example.get(TEXT) for example in examples],
            [example.get(INTENT) for example in examples],
            strength=self.config["strength"],
            max_iter=self.config["max_iter"],
            seed=self.config["random_seed"],
            longest_characters=self.config["longest_character_ngram"],
            longest_words=self.config["longest_word_ngram"],
            placeholders=self.config["placeholders"],
        )
        with self._model_storage.write_to(self._resource) as folder:
            self.model.save(folder)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        try:
            with model_storage.read_from(resource) as folder:
                model = IntentModel.load(folder)
        except (ValueError, FileNotFoundError):
            logger.warning("No trained intent classifier in the model; every intent is None.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, with_fast_scoring(model))

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        rankings = self.model.rank([message.get(TEXT) or "" for message in messages])
        for message, ranking in zip(messages, rankings, strict=True):
            entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
            message.set(INTENT, entries[0], add_to_output=True)
            message.set(
                INTENT_RANKING_KEY, entries[: self.config["ranking_length"]], add_to_output=True
            )
        return messages
