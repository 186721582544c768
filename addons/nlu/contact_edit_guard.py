"""Makes a typed change to an entry of the contact log read as ``show_contact_log``.

"删掉第 2 条" or "第 1 条时间是昨晚10点" name an entry of the log and say what to do with
it; no statistical guess should send them elsewhere (the classifier knows "删除" from
``delete_my_data`` and "删掉借呗" from ``remove_debt``). The test is
``coach.casefile.edits.asks_log_edit``: an entry named ("第 N 条", "最后一条") and a
removal or a correction said. ``action_show_contact_log`` then makes the change, or says
the log has no such entry. A crisis is never overruled: this runs before the crisis guard.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from addons.nlu.rule_based import WordsGuard
from coach.casefile.edits import asks_log_edit

LOG_INTENT = "show_contact_log"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ContactEditGuard(WordsGuard):
    intent = LOG_INTENT

    def says(self, text: str) -> bool:
        return asks_log_edit(text)
