"""Makes a message that says who is asking, when that is not the debtor, reach the answer
for that role (issue 23): "催收天天打给我，说我儿子信用卡欠钱" is a mother's question about
her son's debt, whatever words of abuse or consequences it shares with the debtor's.

The test is ``coach.guidance.roles.read_role``: a family member, a spouse or a guarantor
named with a debt. Such a message, read as one of the situation intents below, becomes
``ask_family_debt`` (answered for the role by ``action_answer_topic``) and carries the
role as the ``user_role`` entity (kept in the slot). Script requests, a crisis and every
other intent stand: ``action_script`` reads the role itself. Runs after the crisis guard.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.rule_based import RuleBasedComponent, current_intent, put_first
from coach.guidance.roles import THIRD_PARTIES, read_role

ROLE_INTENT = "ask_family_debt"
ROLE_ENTITY = "user_role"
# What a third party's account of their situation is often read as.
SITUATION_INTENTS = frozenset(
    {
        "ask_family_debt",
        "report_disputed_debt",
        "report_abusive_collection",
        "ask_collection_process",
        "report_collector_demand",
        "ask_collector_role",
        "ask_legal_rights",
        "ask_debt_details",
        "inform_finances",
        "ask_help",
        "out_of_scope",
        "nlu_fallback",
    }
)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RoleGuard(RuleBasedComponent):
    def process_message(self, message: Message) -> None:
        role = read_role(message.get(TEXT) or "")
        if role not in THIRD_PARTIES:
            return
        entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != ROLE_ENTITY]
        entities.append({"entity": ROLE_ENTITY, "value": role, "extractor": type(self).__name__})
        message.set(ENTITIES, entities, add_to_output=True)
        current = current_intent(message)
        if current not in SITUATION_INTENTS or current == ROLE_INTENT:
            return
        put_first(message, ROLE_INTENT)
