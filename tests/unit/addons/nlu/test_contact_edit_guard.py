"""A typed change to an entry of the contact log is read as show_contact_log."""

import pytest

from addons.nlu.contact_edit_guard import ContactEditGuard
from tests.support.nlu import classified_by


def classified(text, intent, confidence=0.6):
    return classified_by(ContactEditGuard(), text, intent, confidence, "show_contact_log")


@pytest.mark.parametrize(
    "text, guessed",
    [
        ("删掉第2条", "delete_my_data"),
        ("第1条时间是昨晚10点", "nlu_fallback"),
        ("把最后一条删了", "remove_debt"),
        ("第二条机构改成招商银行", "inform_finances"),
    ],
)
def test_a_change_to_an_entry_is_the_logs(text, guessed):
    message = classified(text, guessed)
    assert message.get("intent") == {"name": "show_contact_log", "confidence": 1.0}
    names = [entry["name"] for entry in message.get("intent_ranking")]
    assert names[0] == "show_contact_log" and names.count("show_contact_log") == 1


@pytest.mark.parametrize(
    "text",
    [
        "删除我的记录",
        "删掉借呗",
        "今天第二次了，上午打我媳妇",
        "第2条",
        "帮我记一下",
        "清单上第四项作废",
        "删掉第二笔欠款",
    ],
)
def test_other_messages_keep_their_intent(text):
    assert classified(text, "delete_my_data").get("intent")["name"] == "delete_my_data"


def test_a_crisis_is_never_overruled():
    message = classified("删掉第2条，我不想活了", "express_crisis", 0.95)
    assert message.get("intent")["name"] == "express_crisis"
