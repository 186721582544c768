"""Reads the pause button's words typed ("先停一下") as the button: ``stop_form``.

Every question of the repayment form shows a 「先停一下」 button (/stop_form). People type
those words too, and the classifier, which knows 停 from ``stop_roleplay``, then sends them
elsewhere and the form asks again. The words are ``coach.figures.form_answers.says_pause``
(content/form.yml, answers.pause_words). The practice round reads both stop intents as a
stop (actions/roleplay_actions.py). A crisis is never overruled.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.rule_based import RuleBasedComponent
from coach.figures.form_answers import says_pause

PAUSE_INTENT = "stop_form"
KEPT_INTENTS = frozenset({"express_crisis"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PauseWordsGuard(RuleBasedComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def process_message(self, message: Message) -> None:
        current = (message.get(INTENT) or {}).get("name")
        if current in KEPT_INTENTS or not says_pause(message.get(TEXT) or ""):
            return
        chosen = {"name": PAUSE_INTENT, "confidence": 1.0}
        ranking = message.get(INTENT_RANKING_KEY) or []
        rest = [entry for entry in ranking if entry.get("name") != PAUSE_INTENT]
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen, *rest], add_to_output=True)
