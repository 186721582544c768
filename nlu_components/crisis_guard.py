"""Makes sure a message about suicide or self-harm is classified ``express_crisis``.

The intent classifier is statistical; for these messages a miss is too costly, so a
phrase list (content/safety.yml, checked by actions/safety.py) overrides it.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.safety import mentions_crisis
from nlu_components.rule_based import RuleBasedComponent

CRISIS_INTENT = "express_crisis"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(RuleBasedComponent):
    def process_message(self, message: Message) -> None:
        if mentions_crisis(message.get(TEXT) or ""):
            flag_crisis(message)


def flag_crisis(message: Message) -> None:
    crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
    message.set(INTENT, crisis, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [crisis, *ranking], add_to_output=True)
