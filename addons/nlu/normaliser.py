"""The first step of the NLU pipeline: every reader sees the normalised text.

The rules live in ``coach/language/normalise.py`` (plain Python, unit-tested): input cleaning
(lone surrogates, control characters, length cap), full-width to half-width, traditional
to simplified Chinese (OpenCC), the reviewed slang, typo and dialect lexicon, emoji and
repeated punctuation. Training examples go through the same step, so the classifier
learns from what it will see. The conversation keeps the user's own words: Rasa stores
the text the channel received, not this one.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.nlu.rule_based import RuleBasedComponent
from coach.language.normalise import normalise


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class TextNormaliser(RuleBasedComponent):
    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self.process_message(example)
        return training_data

    def process_message(self, message: Message) -> None:
        text = message.get(TEXT)
        # A button's payload (/inform_finances{"lender_type":"bank_loan"}) is read later by
        # Rasa's RegexMessageHandler and must reach it exactly as sent.
        if isinstance(text, str) and not text.startswith(INTENT_MESSAGE_PREFIX):
            message.set(TEXT, normalise(text))
