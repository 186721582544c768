"""Base for the project's NLU components that learn nothing and only process messages."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# A crisis is never overruled by a guard that reads other words.
KEPT_INTENTS = frozenset({"express_crisis"})


def put_first(message: Message, intent: str) -> None:
    """Makes ``intent`` the message's intent, sure, and first in its ranking."""
    chosen = {"name": intent, "confidence": 1.0}
    ranking = message.get(INTENT_RANKING_KEY) or []
    rest = [entry for entry in ranking if entry.get("name") != intent]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *rest], add_to_output=True)


def current_intent(message: Message) -> Any:
    return (message.get(INTENT) or {}).get("name")


class RuleBasedComponent(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.component_config = {**self.get_default_config(), **(config or {})}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleBasedComponent:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.process_message(message)
        return messages

    def process_message(self, message: Message) -> None:
        raise NotImplementedError


class WordsGuard(RuleBasedComponent):
    """Sets ``intent`` for a text that ``says`` reads as it, unless a kept intent stands."""

    intent: str

    def says(self, text: str) -> bool:
        raise NotImplementedError

    def process_message(self, message: Message) -> None:
        if current_intent(message) in KEPT_INTENTS or not self.says(message.get(TEXT) or ""):
            return
        put_first(message, self.intent)
