"""The rules catalogue: one reviewed place for every fact the coach states."""

import pytest

from coach.content import load_content
from coach.guidance.rules_catalogue import all_facts, consequence_answer, fact, rights_answer


def test_every_fact_has_a_source_and_a_text():
    # Known statuses: tests/unit/coach/guidance/test_facts.py.
    for entry in all_facts():
        assert entry["source"] and entry["text_zh"]


def test_reported_and_lore_facts_are_not_phrased_as_settled_law():
    for entry in all_facts():
        if entry["status"] == "lore":
            assert any(word in entry["text_zh"] for word in ("经验", "一般", "通常", "据说"))


def test_the_hotlines_the_coach_gives_are_in_the_catalogue():
    numbers = {str(entry["number"]) for entry in all_facts() if entry.get("number")}
    for number in ("12378", "110", "120", "12356"):
        assert number in numbers


def test_the_rights_answer_names_the_night_rule_and_where_to_complain():
    answer = rights_answer()
    assert "晚上10点" in answer["text"] and "12378" in answer["text"]
    # 12378 is for banks and consumer-finance companies; small-loan companies answer to
    # the local financial regulator.
    assert "地方金融管理局" in answer["text"]
    assert answer["buttons"]
    assert fact("no_contact_at_night")["status"] == "reported"


@pytest.mark.parametrize(
    "question, topic, must_say",
    [
        ("会坐牢吗", "jail", "冒充公安、法院"),
        ("催收说我这是诈骗，要判刑", "jail", "12348"),
        ("征信会不会受影响", "credit_record", "5年"),
        ("会不会上黑名单", "credit_record", "12363"),
        ("会不会联系我家人", "family_and_work", "不得透露欠款"),
        ("会打电话到我单位吗", "family_and_work", "明确拒绝或要求不再联系"),
        ("会不会上失信名单，坐不了高铁", "judgment", "判决"),
        ("他们会上门吗", "home_visit", "110"),
    ],
)
def test_a_consequence_question_gets_the_rules_of_its_topic(question, topic, must_say):
    answer = consequence_answer(question)
    assert answer["topic"] == topic
    assert must_say in answer["text"] and answer["buttons"]


@pytest.mark.parametrize("question", ["接下来他们会起诉我吗", "逾期会有什么后果", "会转给外包公司吗", ""])
def test_other_questions_fall_back_to_how_collection_escalates(question):
    assert consequence_answer(question) is None


def test_the_jail_answer_does_not_promise_either_way():
    text = consequence_answer("会坐牢吗")["text"]
    for promise in ("不会坐牢", "一定", "肯定"):
        assert promise not in text


def test_the_jail_answer_is_honest_about_criminal_risk():
    text = consequence_answer("还不上信用卡会坐牢吗")["text"]
    # Not for being unable to pay; what matters is staying reachable.
    assert "不是坐牢的理由" in text
    for habit in ("失联", "换号", "不躲", "沟通"):
        assert habit in text, habit
    # Malicious overdraft exists, with its conditions.
    for condition in ("恶意透支", "第196条", "两次有效催收", "3个月", "5万元"):
        assert condition in text, condition
    # What happens only after a judgment.
    assert "判决" in text and "限制你高消费" in text and "第313条" in text
    # Never "先别慌" alone.
    assert "先别慌" not in text


def test_the_family_answer_does_not_promise_that_calls_stop():
    text = consequence_answer("会不会联系我家人")["text"]
    assert "你要求停止，就应当停止" not in text
    assert "不一定能让所有电话都停下" in text


def test_every_consequence_topic_uses_catalogued_facts():
    for topic in load_content("answers")["consequences"]["topics"]:
        assert topic["cues"] and topic["intro"] and topic["closing"]
        for fact_id in topic["fact_ids"]:
            assert fact(fact_id)["text_zh"]
