"""Rasa NLU component that turns the figures in a message into entities.

The rules live in ``actions/figures.py`` (plain Python, unit-tested); this class only
adapts them to Rasa so that slot mappings can fill the repayment figures from any
message, the first one of a conversation included.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.figures import extract_figures, last_of_each_kind


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class FigureEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds balance, income, expenses, savings, overdue and lender entities."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FigureEntityExtractor:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = [as_entity(figure) for figure in figures_in(message)]
            if entities:
                entities = self.add_extractor_name(entities)
                message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages


def figures_in(message: Message) -> List[Any]:
    # A correction ("不对，收入是八千") may name a kind twice: the last one stands.
    return last_of_each_kind(extract_figures(message.get(TEXT) or ""))


def as_entity(figure: Any) -> Dict[str, Any]:
    return {
        "entity": figure.kind,
        "value": figure.value,
        "start": figure.start,
        "end": figure.end,
        "confidence_entity": 1.0,
    }
