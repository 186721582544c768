"""addons.nlu.crisis_guard: the lexicon and the ranking rule over the classifier."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.crisis_guard import CrisisGuard


def message(text, ranking):
    msg = Message(data={"text": text})
    names = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    msg.set("intent", names[0])
    msg.set("intent_ranking", names)
    return msg


def guard(**config):
    return CrisisGuard({"ranking_threshold": 0.2, "ranking_depth": 3, **config})


def test_a_lexicon_phrase_overrides_the_classifier():
    msg = message("活着没意思，不想活了", [("express_stress", 0.9)])
    guard().process([msg])
    assert msg.get("intent") == {"name": "express_crisis", "confidence": 1.0}
    assert msg.get("intent_ranking")[0]["name"] == "express_crisis"
    assert msg.get("crisis_guard")["reason"] == "lexicon"


@pytest.mark.parametrize(
    "ranking",
    [
        # second behind another intent, above the threshold
        [("express_stress", 0.55), ("express_crisis", 0.25), ("greet", 0.1)],
        # third, with the fallback intent on top (it does not count as a place)
        [
            ("nlu_fallback", 0.5),
            ("express_stress", 0.3),
            ("ask_help", 0.25),
            ("express_crisis", 0.2),
        ],
    ],
)
def test_the_ranking_rule_treats_a_close_crisis_guess_as_a_crisis(ranking):
    msg = message("我也不知道还能撑多久", ranking)
    guard().process([msg])
    assert msg.get("intent")["name"] == "express_crisis"
    assert msg.get("crisis_guard")["reason"] == "ranking"


@pytest.mark.parametrize(
    "ranking",
    [
        [("express_stress", 0.7), ("express_crisis", 0.19), ("greet", 0.11)],  # below
        [("a", 0.4), ("b", 0.2), ("c", 0.2), ("express_crisis", 0.2)],  # fourth
        [("express_stress", 0.8), ("greet", 0.2)],  # absent
    ],
)
def test_a_distant_crisis_guess_leaves_the_intent_alone(ranking):
    msg = message("最近压力好大", ranking)
    guard().process([msg])
    assert msg.get("intent")["name"] == ranking[0][0]
    assert msg.get("crisis_guard")["reason"] is None


def test_the_report_says_where_the_classifier_put_the_crisis_intent():
    msg = message("最近压力好大", [("express_stress", 0.7), ("express_crisis", 0.12)])
    guard().process([msg])
    assert msg.get("crisis_guard") == {
        "reason": None,
        "excluded": False,
        "classifier_rank": 1,
        "classifier_confidence": 0.12,
    }


@pytest.mark.parametrize(
    "text",
    [
        "最近忙死了，能不能下周再谈",  # an everyday 死
        "你们公司的人都去死，别再打了",  # abuse aimed at someone else
        "新闻里说有人被逼得喝农药",  # someone else's story
        "我真的很绝望，但我不想放弃",  # a protective statement
    ],
)
def test_a_classifier_guess_that_the_exclusions_explain_away_is_overruled(text):
    msg = message(text, [("express_crisis", 0.7), ("ask_negotiation_script", 0.6)])
    guard().process([msg])
    assert msg.get("intent")["name"] == "ask_negotiation_script"
    assert msg.get("crisis_guard")["excluded"] is True


def test_a_very_sure_classifier_guess_is_never_overruled():
    msg = message("累死了，真想一觉睡过去", [("express_crisis", 0.95), ("express_stress", 0.04)])
    guard().process([msg])
    assert msg.get("intent")["name"] == "express_crisis"
    assert msg.get("crisis_guard") == {
        "reason": "ranking",
        "excluded": False,
        "classifier_rank": 0,
        "classifier_confidence": 0.95,
    }


def test_an_overruled_guess_with_no_confident_alternative_is_an_unclear_message():
    msg = message("今天热死了", [("express_crisis", 0.6), ("greet", 0.2)])
    guard().process([msg])
    assert msg.get("intent") == {"name": "nlu_fallback", "confidence": 0.5}
    assert [r["name"] for r in msg.get("intent_ranking")] == ["nlu_fallback", "greet"]


def test_a_lexicon_match_is_never_overruled():
    msg = message("累死了，真的不想活了", [("express_stress", 0.8)])
    guard().process([msg])
    assert msg.get("intent")["name"] == "express_crisis"


def test_the_defaults_match_the_measured_settings():
    assert CrisisGuard().component_config == {
        "ranking_threshold": 0.2,
        "ranking_depth": 3,
        "overrule_below": 0.9,
        "fallback_threshold": 0.5,
    }


def certainty(msg):
    return [e["value"] for e in msg.get("entities") or [] if e["entity"] == "crisis_certainty"]


def test_a_farewell_read_as_thanks_is_a_crisis_marked_unclear():
    msg = message("谢谢你陪我这么久，以后就不麻烦你了", [("thank", 0.8), ("goodbye", 0.1)])
    guard().process([msg])
    assert msg.get("intent")["name"] == "express_crisis"
    assert certainty(msg) == ["unclear"]


def test_a_clear_signal_is_marked_clear():
    msg = message("我不想活了", [("express_stress", 0.6)])
    guard().process([msg])
    assert certainty(msg) == ["clear"]


def test_a_farewell_the_classifier_is_sure_of_is_clear():
    msg = message("以后不会再麻烦任何人了", [("express_crisis", 0.95)])
    guard().process([msg])
    assert certainty(msg) == ["clear"]


def test_an_ordinary_goodbye_carries_no_certainty():
    msg = message("谢谢 晚安", [("goodbye", 0.9)])
    guard().process([msg])
    assert msg.get("intent")["name"] == "goodbye"
    assert certainty(msg) == []
