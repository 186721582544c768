"""The pause button's words typed are the button: stop_form."""

import pytest

from addons.nlu.pause_words_guard import PauseWordsGuard
from tests.support.nlu import classified_by
from tests.support.trackers import domain


def classified(text, intent, confidence=0.43):
    return classified_by(PauseWordsGuard(), text, intent, confidence, "stop_form")


def pause_button_titles():
    return {
        button["title"]
        for variations in domain()["responses"].values()
        for variation in variations
        for button in variation.get("buttons") or []
        if button.get("payload") == "/stop_form"
    }


@pytest.mark.parametrize("text", sorted(pause_button_titles()) + ["先停一下。", "暂停"])
def test_the_pause_buttons_words_typed_are_stop_form(text):
    message = classified(text, "stop_roleplay")
    assert message.get("intent") == {"name": "stop_form", "confidence": 1.0}
    names = [entry["name"] for entry in message.get("intent_ranking")]
    assert names[0] == "stop_form" and names.count("stop_form") == 1


@pytest.mark.parametrize("text", ["先停一下催收电话怎么办", "停一下再打给我吗", "我想停止还款"])
def test_longer_lines_keep_their_intent(text):
    assert classified(text, "ask_stay_calm").get("intent")["name"] == "ask_stay_calm"


def test_a_crisis_is_never_overruled():
    assert classified("先停一下", "express_crisis", 0.95).get("intent")["name"] == "express_crisis"
