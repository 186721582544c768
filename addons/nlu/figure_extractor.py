"""Rasa NLU component that turns the figures in a message into entities.

The rules live in ``coach/figures/extract.py`` (plain Python, unit-tested); this class only
adapts them to Rasa so that slot mappings can fill the repayment figures from any
message, the first one of a conversation included.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.rule_based import RuleBasedComponent
from coach.figures.extract import ENTITY_KINDS, extract_figures, last_of_each_kind


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class FigureEntityExtractor(RuleBasedComponent, EntityExtractorMixin):
    """Adds balance, income, expenses, savings, overdue and lender entities."""

    def process_message(self, message: Message) -> None:
        entities = [as_entity(figure) for figure in figures_in(message)]
        if entities:
            entities = self.add_extractor_name(entities)
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)


def figures_in(message: Message) -> list[Any]:
    # A correction ("不对，收入是八千") may name a kind twice: the last one stands.
    # Kinds the domain does not declare (money received, hardship) stay out of the NLU.
    figures = last_of_each_kind(extract_figures(message.get(TEXT) or ""))
    return [figure for figure in figures if figure.kind in ENTITY_KINDS]


def as_entity(figure: Any) -> dict[str, Any]:
    entity = {
        "entity": figure.kind,
        "value": figure.value,
        "start": figure.start,
        "end": figure.end,
        "confidence_entity": 1.0,
    }
    if figure.parts:  # several debts summed: 招行 2万 + 借呗 3万
        entity["parts"] = [{"label": label, "value": value} for label, value in figure.parts]
    return entity
