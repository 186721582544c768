"""Makes sure a message about suicide or self-harm is classified ``express_crisis``.

Two layers over the statistical classifier, because a miss is too costly:

1. the reviewed crisis lexicon (``content/safety.yml``, read by ``coach/safety/crisis.py``);
2. the ranking rule: when ``express_crisis`` is among the classifier's top
   ``ranking_depth`` intents with at least ``ranking_threshold`` confidence, the message
   is treated as a crisis. A false alarm costs a sentence; a miss can cost a life. The
   threshold is chosen by measurement (README, "Crisis safety net").

A crisis guess of the classifier alone, below ``overrule_below`` confidence, is overruled
when the lexicon's exclusions explain the crisis-like words away (累死了, 你们去死,
催收说让我去死, 新闻里有人跳楼, 我不想放弃): the domain facts say those must not get the
crisis reply. The next intent then stands. A surer guess stands whatever the exclusions
say: on the hard negatives the overruled guesses reached 0.85 at most.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.rule_based import RuleBasedComponent
from coach.safety.crisis import explained_away, mentions_crisis, unclear_signal

CRISIS_INTENT = "express_crisis"
FALLBACK_INTENT = "nlu_fallback"
# Output key: why the guard acted, and where the classifier had put express_crisis (the
# crisis evaluation reads it to choose the threshold).
GUARD_KEY = "crisis_guard"
# Entity (and slot) that tells a clear signal from one that may be a signal but is not
# clear (a farewell read as thanks): utter_crisis then asks directly first (domain.yml).
CERTAINTY_ENTITY = "crisis_certainty"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(RuleBasedComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # overrule_below: a classifier crisis guess this sure or surer is never overruled.
        # fallback_threshold: the FallbackClassifier's, for a crisis guess explained away.
        return {
            "ranking_threshold": 0.2,
            "ranking_depth": 3,
            "overrule_below": 0.9,
            "fallback_threshold": 0.5,
        }

    def process_message(self, message: Message) -> None:
        rank, confidence = classifier_rank(message)
        text = message.get(TEXT) or ""
        by_lexicon = mentions_crisis(text)
        by_ranking = (
            rank is not None
            and rank < self.component_config["ranking_depth"]
            and confidence >= self.component_config["ranking_threshold"]
        )
        excluded = (
            not by_lexicon
            and rank is not None
            and confidence < self.component_config["overrule_below"]
            and explained_away(text)
        )
        reason = "lexicon" if by_lexicon else None
        if not reason and by_ranking and not excluded:
            reason = "ranking"
        report = {
            "reason": reason,
            "excluded": excluded,
            "classifier_rank": rank,
            "classifier_confidence": confidence,
        }
        message.set(GUARD_KEY, report, add_to_output=True)
        if reason:
            flag_crisis(message)
            sure = rank == 0 and confidence >= self.component_config["overrule_below"]
            unclear = by_lexicon and not sure and unclear_signal(text)
            set_certainty(message, "unclear" if unclear else "clear")
        elif excluded and rank == 0:
            drop_crisis(message, self.component_config["fallback_threshold"])


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


def set_certainty(message: Message, certainty: str) -> None:
    entity = {"entity": CERTAINTY_ENTITY, "value": certainty, "extractor": "CrisisGuard"}
    entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != CERTAINTY_ENTITY]
    message.set(ENTITIES, [*entities, entity], add_to_output=True)


def drop_crisis(message: Message, fallback_threshold: float) -> None:
    """The classifier's crisis guess was explained away: the next intent stands if it is
    confident enough, else the message is unclear (the two-stage fallback asks)."""
    rest = [
        entry
        for entry in message.get(INTENT_RANKING_KEY) or []
        if entry.get("name") not in (CRISIS_INTENT, FALLBACK_INTENT)
    ]
    if rest and float(rest[0].get("confidence") or 0.0) >= fallback_threshold:
        message.set(INTENT, rest[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, rest, add_to_output=True)
        return
    unclear = {"name": FALLBACK_INTENT, "confidence": fallback_threshold}
    message.set(INTENT, unclear, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [unclear, *rest], add_to_output=True)
