"""Makes sure a message about suicide or self-harm is classified ``express_crisis``.

Two layers over the statistical classifier, because a miss is too costly:

1. the reviewed crisis lexicon (``content/safety.yml``, read by ``coach/crisis.py``);
2. the ranking rule: when ``express_crisis`` is among the classifier's top
   ``ranking_depth`` intents with at least ``ranking_threshold`` confidence, the message
   is treated as a crisis. A false alarm costs a sentence; a miss can cost a life. The
   threshold is chosen by measurement (README, "Crisis safety net").
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from coach.crisis import mentions_crisis
from nlu_components.rule_based import RuleBasedComponent

CRISIS_INTENT = "express_crisis"
FALLBACK_INTENT = "nlu_fallback"
# Output key: why the guard acted, and where the classifier had put express_crisis (the
# crisis evaluation reads it to choose the threshold).
GUARD_KEY = "crisis_guard"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(RuleBasedComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"ranking_threshold": 0.2, "ranking_depth": 3}

    def process_message(self, message: Message) -> None:
        rank, confidence = classifier_rank(message)
        by_lexicon = mentions_crisis(message.get(TEXT) or "")
        by_ranking = (
            rank is not None
            and rank < self.component_config["ranking_depth"]
            and confidence >= self.component_config["ranking_threshold"]
        )
        reason = "lexicon" if by_lexicon else "ranking" if by_ranking else None
        report = {"reason": reason, "classifier_rank": rank, "classifier_confidence": confidence}
        message.set(GUARD_KEY, report, add_to_output=True)
        if reason:
            flag_crisis(message)


def classifier_rank(message: Message) -> tuple[int | None, float]:
    """Where the classifier put express_crisis (0 = first), ignoring nlu_fallback."""
    ranking = [
        entry
        for entry in message.get(INTENT_RANKING_KEY) or []
        if entry.get("name") != FALLBACK_INTENT
    ]
    for rank, entry in enumerate(ranking):
        if entry.get("name") == CRISIS_INTENT:
            return rank, float(entry.get("confidence") or 0.0)
    return None, 0.0


def flag_crisis(message: Message) -> None:
    crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
    ranking = message.get(INTENT_RANKING_KEY) or []
    rest = [entry for entry in ranking if entry.get("name") != CRISIS_INTENT]
    message.set(INTENT, crisis, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [crisis, *rest], add_to_output=True)
