"""Unit tests of the chat channels' plain functions: no server, no model."""

import asyncio
import json
import logging

import pytest
from rasa.core.tracker_store import (
    FailSafeTrackerStore,
    InMemoryTrackerStore,
    SQLTrackerStore,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.failures import WATCHED_LOGGER, watch_turn
from channels.guard import MAX_MESSAGE_LENGTH, check_message, clean_text
from channels.handling import message_metadata, with_fallback
from channels.history import history_messages
from channels.store import (
    UnsupportedTrackerStore,
    delete_conversation,
    latest_turn_actions,
    unwrap,
)
from channels.texts import channel_texts, domain_intents, unavailable_text

INTENTS = {"greet", "start_roleplay", "inform_finances", "delete_my_data"}
EMPTY_REPLY = channel_texts()["empty_message"].strip()


def body(message, sender="user-1", **extra):
    return json.dumps({"sender": sender, "message": message, **extra})


BAD_BODIES = [
    ("empty bytes", b"", "not_json"),
    ("whitespace", b"  \n", "not_json"),
    ("none", None, "not_json"),
    ("not json", b"hello", "not_json"),
    ("broken json", b'{"sender": "a", "message": ', "not_json"),
    ("array", b'[{"sender": "a", "message": "hi"}]', "not_object"),
    ("bare string", b'"hi"', "not_object"),
    ("number", b"42", "not_object"),
    ("null", b"null", "not_object"),
    ("missing sender", b'{"message": "hi"}', "bad_sender"),
    ("empty sender", b'{"sender": "", "message": "hi"}', "bad_sender"),
    ("blank sender", b'{"sender": "  ", "message": "hi"}', "bad_sender"),
    ("number sender", b'{"sender": 7, "message": "hi"}', "bad_sender"),
    ("long sender", body("hi", sender="x" * 129).encode(), "bad_sender"),
    ("control in sender", body("hi", sender="a\u0000b").encode(), "bad_sender"),
    ("missing message", b'{"sender": "a"}', "bad_message"),
    ("null message", b'{"sender": "a", "message": null}', "bad_message"),
    ("number message", b'{"sender": "a", "message": 5}', "bad_message"),
    ("list message", b'{"sender": "a", "message": ["hi"]}', "bad_message"),
    ("object message", b'{"sender": "a", "message": {"t": 1}}', "bad_message"),
    ("list metadata", body("hi", metadata=[1]).encode(), "bad_metadata"),
]


@pytest.mark.parametrize("name,raw,code", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_a_malformed_body_is_a_400_with_a_clear_error(name, raw, code):
    text, error = check_message(raw, INTENTS)
    assert text is None
    assert (error.status, error.code, error.is_reply) == (400, code, False)
    assert error.as_json()["message"] and error.as_json()["error"] == code


def test_the_longest_sender_passes():
    assert check_message(body("hi", sender="x" * 128), INTENTS) == ("hi", None)


TEXTS = [
    ("plain", "你好", "你好"),
    ("trimmed", "  你好 \n", "你好"),
    ("newline kept", "第一行\n第二行", "第一行\n第二行"),
    ("crlf", "a\r\nb", "a\nb"),
    ("tab", "a\tb", "a b"),
    ("control chars", "你\u0000好\u0007\u001b[31m", "你好[31m"),
    ("zero width and bidi", "\ufeff欠\u200b款\u202e", "欠款"),
    ("lone surrogate", "欠款\ud800", "欠款\ufffd"),
    ("surrogate pair", "\ud83d\ude00", "\U0001f600"),
    ("emoji only", "😭😭🙏", "😭😭🙏"),
    ("emoji with joiner", "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),
    ("html", "<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("img onerror", "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    ("exact limit", "欠" * MAX_MESSAGE_LENGTH, "欠" * MAX_MESSAGE_LENGTH),
    ("limit after trim", " " * 50 + "欠" * MAX_MESSAGE_LENGTH, "欠" * MAX_MESSAGE_LENGTH),
    ("button payload", "/greet", "/greet"),
    ("payload with entities", '/inform_finances{"balance": 48000}', None),
    ("payload empty json", "/start_roleplay{}", "/start_roleplay{}"),
    ("bad json", "/inform_finances{bad json", "inform_finances{bad json"),
    ("json not an object", "/greet[1, 2]", "greet[1, 2]"),
    ("json array entities", "/greet{[1]}", "greet{[1]}"),
    ("unknown intent", "/unknown_intent", "unknown_intent"),
    ("unknown with json", '/hack{"a": 1}', 'hack{"a": 1}'),
    ("confidence syntax", "/greet@0.9", "greet@0.9"),
    ("double slash", "//greet", "greet"),
    ("slash in text", "/ 我想问问", "我想问问"),
    ("slash mid text", "一万/月够吗", "一万/月够吗"),
]


@pytest.mark.parametrize("name,message,expected", TEXTS, ids=[t[0] for t in TEXTS])
def test_text_sent_to_the_bot(name, message, expected):
    text, error = check_message(body(message), INTENTS)
    assert error is None
    assert text == (message if expected is None else expected)


EMPTY = ["", "   ", "\n\n\t", "\u0000\u0001", "\u200b", "/", "///", " / "]


@pytest.mark.parametrize("message", EMPTY)
def test_an_empty_message_gets_a_friendly_reply(message):
    text, error = check_message(body(message), INTENTS)
    assert text is None
    assert error.is_reply and error.code == "empty_message"
    assert "请输入" in error.text and error.text == EMPTY_REPLY


@pytest.mark.parametrize("length", [MAX_MESSAGE_LENGTH + 1, 20_000])
def test_a_long_message_is_not_sent_but_answered_kindly(length):
    text, error = check_message(body("欠" * length), INTENTS)
    assert text is None
    assert error.is_reply and error.code == "too_long"
    assert str(MAX_MESSAGE_LENGTH) in error.text and "{" not in error.text


def test_raw_bytes_with_bad_utf8_do_not_raise():
    text, error = check_message(b'{"sender": "a", "message": "\xff\xfe\xe4\xbd\xa0"}', INTENTS)
    assert error is None and text.endswith("\u4f60")


def test_a_parsed_body_is_accepted():
    assert check_message({"sender": "a", "message": "hi"}, INTENTS) == ("hi", None)


def test_default_intents_come_from_domain_yml():
    assert {"greet", "start_roleplay", "delete_my_data"} <= domain_intents()
    assert check_message(body("/start_roleplay"))[0] == "/start_roleplay"
    assert check_message(body("/no_such_intent"))[0] == "no_such_intent"


def test_clean_text_keeps_chinese_punctuation():
    assert clean_text("我欠招行信用卡4万8，逾期三个月。") == "我欠招行信用卡4万8，逾期三个月。"


def test_the_fallback_follows_silence_or_a_failure():
    said = [{"recipient_id": "a", "text": "你好"}]
    sorry = {"recipient_id": "a", "text": "sorry"}
    assert with_fallback(said, "a", "sorry") == said
    assert with_fallback([], "a", "sorry") == [sorry]
    assert with_fallback(said, "a", "sorry", failed=True) == [*said, sorry]
    assert with_fallback([], "a", "sorry", failed=True) == [sorry]


def log_failure(name):
    try:
        raise ConnectionError("action server down")
    except ConnectionError:
        logging.getLogger(WATCHED_LOGGER).exception("Encountered an exception (%s)", name)


def test_a_logged_action_failure_is_seen_by_its_turn_only():
    async def turn(name, fails):
        with watch_turn() as failures:
            await asyncio.sleep(0.01)
            if fails:
                log_failure(name)
            logging.getLogger(WATCHED_LOGGER).error("no exception attached")
            await asyncio.sleep(0.01)
        return failures

    async def both():
        return await asyncio.gather(turn("a", True), turn("b", False))

    failed, clean = run(both())
    assert failed == ["Encountered an exception (a)"] and clean == []


def test_a_failure_outside_a_watched_turn_is_ignored():
    log_failure("nobody")
    with watch_turn() as failures:
        pass
    assert failures == []


def test_the_fallback_text_is_the_domain_response():
    responses = {"utter_action_unavailable": [{"text": "稍后再试 "}]}
    assert unavailable_text(responses) == "稍后再试"
    assert "稍后再试一次" in unavailable_text({})
    assert "稍后再试一次" in unavailable_text()


def test_display_text_metadata_is_cleaned_and_capped():
    assert message_metadata({}) is None
    cleaned = message_metadata({"metadata": {"display_text": " 练习\u0000 "}})
    assert cleaned == {"display_text": "练习"}
    assert len(message_metadata({"metadata": {"display_text": "x" * 500}})["display_text"]) == 200
    assert message_metadata({"metadata": {"display_text": 5}}) == {"display_text": ""}


# History

OFFER = {"type": "repayment_offer", "balance": 48000, "feasible": True}
BUTTONS = [
    {"title": "算还款方案", "payload": "/request_repayment_plan"},
    {"title": "练习通话", "payload": "/start_roleplay"},
]


def history_events():
    return [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "user", "text": "你好", "parse_data": {"intent": {"name": "greet"}}},
        {"event": "bot", "text": "你好！我能帮你：", "data": {"buttons": BUTTONS}},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "/start_roleplay"},
        {"event": "bot", "text": "好的\n\n我们开始", "data": {}},
        {
            "event": "user",
            "text": "/request_repayment_plan",
            "metadata": {"display_text": "算"},
        },
        {"event": "bot", "text": "方案如下", "data": {"custom": OFFER}},
        {"event": "slot", "name": "balance", "value": 48000},
        {"event": "user", "text": "/greet"},
        {"event": "bot", "text": None, "data": {"image": "https://x/y.png"}},
        {"event": "user", "text": ""},
    ]


def test_history_rebuilds_the_conversation_in_order():
    assert history_messages(history_events()) == [
        {"role": "user", "text": "你好"},
        {"role": "bot", "text": "你好！我能帮你：", "buttons": BUTTONS},
        {"role": "user", "text": "练习通话"},
        {"role": "bot", "text": "好的"},
        {"role": "bot", "text": "我们开始"},
        {"role": "user", "text": "算"},
        {"role": "bot", "text": "方案如下"},
        {"role": "bot", "custom": OFFER},
        {"role": "user", "text": "/greet"},
        {"role": "bot", "image": "https://x/y.png"},
    ]


def test_history_from_real_rasa_events():
    events = [
        UserUttered("你好", {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"),
        BotUttered("你好！", {"buttons": BUTTONS, "custom": OFFER}),
    ]
    assert history_messages(e.as_dict() for e in events) == [
        {"role": "user", "text": "你好"},
        {"role": "bot", "text": "你好！", "buttons": BUTTONS},
        {"role": "bot", "custom": OFFER},
    ]


def test_empty_history():
    assert history_messages([]) == []


# Deleting a conversation

DOMAIN = Domain.from_dict({"intents": ["greet"]})


def conversation(sender):
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(UserUttered("你好", {"name": "greet", "confidence": 1.0}))
    tracker.update(BotUttered("你好！"))
    return tracker


def run(coroutine):
    return asyncio.run(coroutine)


async def save_two(store):
    for sender in ("alice", "bob"):
        await store.save(conversation(sender))


def test_delete_on_an_in_memory_store():
    store = InMemoryTrackerStore(DOMAIN)
    run(save_two(store))
    assert delete_conversation(store, "alice") is True
    assert run(store.retrieve("alice")) is None
    assert run(store.retrieve("bob")).latest_message.text == "你好"
    assert delete_conversation(store, "alice") is False


def test_delete_on_an_sql_store(tmp_path):
    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    run(save_two(store))
    assert delete_conversation(store, "alice") is True
    assert run(store.retrieve("alice")) is None
    assert sorted(run(store.keys())) == ["bob"]
    assert delete_conversation(store, "alice") is False
    reopened = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    assert run(reopened.retrieve("alice")) is None
    assert run(reopened.retrieve("bob")).latest_message.text == "你好"


def test_delete_through_rasas_fail_safe_wrapper():
    inner = InMemoryTrackerStore(DOMAIN)
    run(save_two(inner))
    wrapped = FailSafeTrackerStore(inner)
    assert unwrap(wrapped) is inner
    assert delete_conversation(wrapped, "bob") is True
    assert sorted(run(inner.keys())) == ["alice"]


def test_the_actions_of_the_latest_turn_on_both_stores(tmp_path):
    sql = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    for store in (InMemoryTrackerStore(DOMAIN), sql):
        tracker = conversation("carol")
        tracker.update(UserUttered("删除我的记录", {"name": "delete_my_data"}))
        tracker.update(ActionExecuted("utter_confirm_delete"))
        tracker.update(UserUttered("确定", {"name": "affirm"}))
        tracker.update(ActionExecuted("action_delete_my_data"))
        tracker.update(BotUttered("好的"))
        run(store.save(tracker))
        assert run(latest_turn_actions(store, "carol")) == ["action_delete_my_data"]
        assert run(latest_turn_actions(store, "nobody")) == []


def test_delete_on_another_store_is_a_clear_error():
    class OtherStore:
        pass

    with pytest.raises(UnsupportedTrackerStore, match="SQL or in-memory"):
        delete_conversation(OtherStore(), "alice")
