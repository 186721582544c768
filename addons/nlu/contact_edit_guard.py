"""Makes a typed change to an entry of the contact log read as ``show_contact_log``.

"删掉第 2 条" or "第 1 条时间是昨晚10点" name an entry of the log and say what to do with
it; no statistical guess should send them elsewhere (the classifier knows "删除" from
``delete_my_data`` and "删掉借呗" from ``remove_debt``). The test is
``coach.casefile.edits.asks_log_edit``: an entry named ("第 N 条", "最后一条") and a
removal or a correction said. ``action_show_contact_log`` then makes the change, or says
the log has no such entry. A crisis is never overruled: this runs before the crisis guard.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.rule_based import RuleBasedComponent
from coach.casefile.edits import asks_log_edit

LOG_INTENT = "show_contact_log"
KEPT_INTENTS = frozenset({"express_crisis"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ContactEditGuard(RuleBasedComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def process_message(self, message: Message) -> None:
        current = (message.get(INTENT) or {}).get("name")
        if current in KEPT_INTENTS or not asks_log_edit(message.get(TEXT) or ""):
            return
        chosen = {"name": LOG_INTENT, "confidence": 1.0}
        ranking = message.get(INTENT_RANKING_KEY) or []
        rest = [entry for entry in ranking if entry.get("name") != LOG_INTENT]
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen, *rest], add_to_output=True)
