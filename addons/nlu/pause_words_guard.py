"""Reads the pause button's words typed ("先停一下") as the button: ``stop_form``.

Every question of the repayment form shows a 「先停一下」 button (/stop_form). People type
those words too, and the classifier, which knows 停 from ``stop_roleplay``, then sends them
elsewhere and the form asks again. The words are ``coach.figures.form_answers.says_pause``
(content/form.yml, answers.pause_words). The practice round reads both stop intents as a
stop (actions/roleplay_actions.py). A crisis is never overruled.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from addons.nlu.rule_based import WordsGuard
from coach.figures.form_answers import says_pause

PAUSE_INTENT = "stop_form"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PauseWordsGuard(WordsGuard):
    intent = PAUSE_INTENT

    def says(self, text: str) -> bool:
        return says_pause(text)
