from coach.review.turns import (
    ReviewSummary,
    conversation_key,
    review_conversation,
    turn_reasons,
    user_turns,
)


def said(text: str, intent: str, confidence: float, *ranking: tuple[str, float], at: float = 100.0):
    ranked = [{"name": name, "confidence": score} for name, score in ranking]
    parse = {"intent": {"name": intent, "confidence": confidence}, "intent_ranking": ranked}
    return {"event": "user", "text": text, "parse_data": parse, "timestamp": at}


def ran(name: str) -> dict:
    return {"event": "action", "name": name}


def uttered(key: str) -> dict:
    return {"event": "bot", "text": "…", "metadata": {"utter_action": key}}


UNSURE = said(
    "那个催的说要来我家找我妈13812345678",
    "nlu_fallback",
    0.4,
    ("nlu_fallback", 0.4),
    ("report_collector_demand", 0.31),
    ("ask_collection_process", 0.2),
)
SURE = said("我想知道怎么跟他们谈", "ask_negotiation_script", 0.93)
LATER = said("催收一般是什么流程", "ask_collection_process", 0.95)


def test_a_fallback_turn_is_queued_masked_with_its_guess_and_reply():
    events = [
        SURE,
        ran("utter_negotiation"),
        UNSURE,
        ran("action_two_stage_fallback"),
        said("/out_of_scope", "out_of_scope", 1.0),
    ]
    read, items = review_conversation(events, "c1")
    assert read == 3
    assert [item.turn for item in items] == [2]
    item = items[0]
    assert item.text == "那个催的说要来我家找我妈#"
    assert (item.intent, item.confidence) == ("report_collector_demand", 0.31)
    assert item.reasons == ("fallback", "two_stage_fallback", "ended_after_miss")
    assert item.reply == "action_two_stage_fallback"
    assert item.as_json()["correct_intent"] is None


def test_understood_turns_and_button_presses_are_not_queued():
    events = [SURE, uttered("utter_negotiation"), said("/affirm", "affirm", 1.0), SURE]
    assert review_conversation(events, "c1")[1] == []


def test_a_sure_turn_the_user_rephrases_or_corrects_is_queued():
    rephrased = [SURE, said("我想知道怎么和他们谈啊", "ask_negotiation_script", 0.9)]
    corrected = [SURE, said("不是，我是问利息能不能减", "ask_fee_waiver", 0.8)]
    assert turn_reasons(user_turns(rephrased), 0) == ("rephrased",)
    assert turn_reasons(user_turns(corrected), 0) == ("correction",)
    assert turn_reasons(user_turns([SURE, said("不是", "deny", 0.99)]), 0) == ()


def test_low_confidence_and_a_conversation_that_ends_soon_after():
    unsure = said("他们说要爆通讯录", "report_collector_demand", 0.5)
    turns = user_turns([unsure, SURE, LATER, SURE])
    assert turn_reasons(turns, 0) == ("low_confidence",)
    assert turn_reasons(user_turns([unsure, SURE, LATER]), 0) == (
        "low_confidence",
        "ended_after_miss",
    )


def test_a_conversation_whose_user_confirmed_deletion_is_not_read():
    events = [
        UNSURE,
        ran("action_two_stage_fallback"),
        said("删掉我的记录", "delete_my_data", 0.99),
        ran("action_delete_my_data"),
    ]
    assert review_conversation(events, "c1") == (0, [])


def test_the_date_range_limits_the_turns_read():
    events = [said("我想知道怎么跟他们谈", "greet", 0.3, at=50.0), said("他们说要爆通讯录", "greet", 0.3, at=150.0)]
    read, items = review_conversation(events, "c1", since=100.0, until=200.0)
    assert read == 1 and [item.turn for item in items] == [2]


def test_conversation_keys_are_salted_and_stable():
    assert conversation_key(b"a", "13812345678") == conversation_key(b"a", "13812345678")
    assert conversation_key(b"a", "13812345678") != conversation_key(b"b", "13812345678")
    assert "138" not in conversation_key(b"a", "13812345678")


def test_the_summary_counts_reasons_and_what_the_user_meant_instead():
    picked = said("/ask_collection_process", "ask_collection_process", 1.0)
    events = [UNSURE, ran("action_two_stage_fallback"), picked, SURE, LATER]
    summary = ReviewSummary()
    summary.add(*review_conversation(events, "c1"))
    assert summary.turns == 4 and summary.queued == 1
    assert summary.reasons == {"fallback": 1}
    assert summary.confused == {("report_collector_demand", "ask_collection_process"): 1}
    assert "  report_collector_demand -> ask_collection_process: 1" in summary.lines()


def test_a_turn_rasa_reverted_and_took_again_counts_once():
    thanks = said("谢谢你", "thank", 1.0)
    events = [UNSURE, ran("action_two_stage_fallback"), thanks, ran("action_two_stage_fallback")]
    events += [{"event": "rewind"}, thanks, ran("utter_thank"), SURE, LATER]
    turns = user_turns(events)
    assert [turn.text for turn in turns] == [UNSURE["text"], "谢谢你", SURE["text"], LATER["text"]]
    assert review_conversation(events, "c1")[1][0].reasons == ("fallback", "two_stage_fallback")
    assert [item.turn for item in review_conversation(events, "c1")[1]] == [1]
