"""The two rule-based NLU components, run on Rasa messages directly."""

from rasa.shared.nlu.training_data.message import Message

from addons.nlu.crisis_guard import CrisisGuard
from addons.nlu.figure_extractor import FigureEntityExtractor


def message(text, intent="greet"):
    msg = Message(data={"text": text})
    msg.set("intent", {"name": intent, "confidence": 0.9})
    msg.set("intent_ranking", [{"name": intent, "confidence": 0.9}])
    return msg


def test_every_figure_of_a_message_becomes_an_entity():
    msg = message("我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千")
    FigureEntityExtractor().process([msg])
    found = {e["entity"]: e["value"] for e in msg.get("entities")}
    assert found == {
        "balance": 48000,
        "lender_type": "credit_card",
        "months_overdue": 3,
        "monthly_income": 12000,
        "monthly_expenses": 7000,
    }
    assert all(e["extractor"] == "FigureEntityExtractor" for e in msg.get("entities"))


def test_a_correction_keeps_only_the_last_figure_of_a_kind():
    msg = message("收入是一万，不对，收入是八千")
    FigureEntityExtractor().process([msg])
    assert [(e["entity"], e["value"]) for e in msg.get("entities")] == [("monthly_income", 8000)]


def test_a_message_without_figures_gets_no_entities():
    msg = message("你好")
    FigureEntityExtractor().process([msg])
    assert not msg.get("entities")


def test_several_debts_become_one_balance_entity_with_its_parts():
    msg = message("招行2w 建行1.5w 广发8k 借呗3w 网贷5000，一个月只能拿出3000")
    FigureEntityExtractor().process([msg])
    [balance] = [e for e in msg.get("entities") if e["entity"] == "balance"]
    assert balance["value"] == 78000
    assert balance["parts"] == [
        {"label": "招行", "value": 20000},
        {"label": "建行", "value": 15000},
        {"label": "广发", "value": 8000},
        {"label": "借呗", "value": 30000},
        {"label": "网贷", "value": 5000},
    ]


def test_a_single_figure_has_no_parts_key():
    msg = message("欠了5万，月收入8000")
    FigureEntityExtractor().process([msg])
    assert all("parts" not in e for e in msg.get("entities"))


def test_money_received_and_hardship_are_not_entities():
    msg = message("失业半年了，借了2万实际到账只有1.4万")
    FigureEntityExtractor().process([msg])
    assert [(e["entity"], e["value"]) for e in msg.get("entities")] == [("balance", 20000)]


def test_a_discount_is_no_entity():
    msg = message("催收说可以打5折")
    FigureEntityExtractor().process([msg])
    assert not msg.get("entities")


def test_a_crisis_phrase_overrides_the_classifier():
    msg = message("活着没意思，不想活了", intent="express_stress")
    CrisisGuard().process([msg])
    assert msg.get("intent") == {"name": "express_crisis", "confidence": 1.0}
    assert msg.get("intent_ranking")[0]["name"] == "express_crisis"


def test_other_messages_keep_their_intent():
    msg = message("每月能还1500", intent="inform_finances")
    CrisisGuard().process([msg])
    assert msg.get("intent")["name"] == "inform_finances"
