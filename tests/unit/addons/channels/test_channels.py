"""Unit tests of the chat channels' plain functions: no server, no model."""

import asyncio
import json
import logging
import os
import re
import stat
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import (
    FailSafeTrackerStore,
    InMemoryTrackerStore,
    SQLTrackerStore,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic
from sanic.compat import Header

from addons.channels.failures import WATCHED_LOGGER, watch_turn
from addons.channels.guard import MAX_MESSAGE_LENGTH, check_message, clean_text
from addons.channels.handling import message_metadata, run_turn, with_fallback
from addons.channels.history import history_messages
from addons.channels.ownership import (
    COOKIE_NAME,
    HEADER_NAME,
    ConversationKeys,
    is_widget_sender,
    new_sender,
)
from addons.channels.texts import channel_texts, domain_intents, unavailable_text
from addons.channels.webchat import WEBCHAT_DIR, WebChatInput, rendered_page
from addons.stores.conversations import (
    UnsupportedTrackerStore,
    delete_conversation,
    delete_conversation_locked,
    latest_turn_actions,
    unwrap,
)

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


# The widget's endpoints (addons/channels/webchat.py) with fake requests: who may open what

FORBIDDEN_BODY = {
    "status": 403,
    "error": "forbidden",
    "message": "This conversation cannot be opened without its credential.",
}
WEBCHAT = "/webhooks/webchat"


class FakeRequest:
    """What the widget's handlers read from a Sanic request."""

    def __init__(self, agent, path, body=None, args=None, headers=None, cookies=None):
        self.app = SimpleNamespace(ctx=SimpleNamespace(agent=agent))
        self.path = f"{WEBCHAT}/{path}"
        self.body = json.dumps(body).encode() if body is not None else b""
        self.args = args or {}
        self.headers = Header({"content-type": "application/json", **(headers or {})})
        self.cookies = cookies or {}
        self.scheme = "http"


class WidgetServer:
    """The widget's API on an in-memory store, with a bot that answers "好的"."""

    def __init__(self, tmp_path, **settings):
        channel = WebChatInput.from_credentials({"secret_file": str(tmp_path / "s"), **settings})
        self.api = channel.api()
        self.agent = SimpleNamespace(
            tracker_store=InMemoryTrackerStore(DOMAIN), lock_store=InMemoryLockStore(), domain=None
        )
        self.bot_saw = []

    async def on_new_message(self, message):
        self.bot_saw.append(message.sender_id)
        await message.output_channel.send_text_message(message.sender_id, "好的")

    def request(self, path, **kwargs):
        return FakeRequest(self.agent, path, **kwargs)

    def call(self, path, **kwargs):
        request = self.request(path, **kwargs)
        if path == "session":
            return run(self.api.session(request))
        if path == "history":
            return run(self.api.history(request))
        if path == "delete":
            return run(self.api.delete(request))
        return run(self.api.receive(request, self.on_new_message, "webchat"))

    def session(self, **body):
        answer = self.call("session", body=body)
        return json.loads(answer.body)["sender"], answer.cookies[COOKIE_NAME].value

    def stored(self, sender):
        return run(self.agent.tracker_store.retrieve(sender))


def conversation_calls(sender):
    return {
        "history": {"args": {"sender": sender}},
        "delete": {"body": {"sender": sender}},
        "webhook": {"body": {"sender": sender, "message": "你好"}},
    }


def with_credential(kwargs, credential, how):
    if credential is None:
        return kwargs
    if how == "cookie":
        return {**kwargs, "cookies": {COOKIE_NAME: credential}}
    return {**kwargs, "headers": {HEADER_NAME: credential}}


@pytest.fixture
def widget(tmp_path):
    return WidgetServer(tmp_path)


def refused_cases(widget):
    """(name, sender, credential): every way to ask for a conversation one does not own."""
    alice, alices = widget.session()
    _, bobs = widget.session()
    rest_id = "13800138000"
    run(widget.agent.tracker_store.save(conversation(rest_id)))
    run(widget.agent.tracker_store.save(conversation(alice)))
    other_server = ConversationKeys(bytes(32)).credential(alice)
    forged = alice + "." + "A" * 43
    return (
        alice,
        alices,
        [
            ("no credential", alice, None),
            ("a wrong credential", alice, forged),
            ("a credential of another secret", alice, other_server),
            ("another conversation's credential", alice, bobs),
            ("a REST conversation, no credential", rest_id, None),
            ("a REST conversation, someone's credential", rest_id, bobs),
            ("a conversation that does not exist", new_sender(), bobs),
            ("no sender", None, alices),
            ("a sender that is no string", 7, alices),
        ],
    )


@pytest.mark.parametrize("how", ["cookie", "header"])
@pytest.mark.parametrize("endpoint", ["history", "delete", "webhook"])
def test_a_conversation_without_its_credential_is_a_403_that_says_nothing(widget, endpoint, how):
    alice, alices, cases = refused_cases(widget)
    bodies = set()
    for name, sender, credential in cases:
        if endpoint == "webhook" and not isinstance(sender, str):
            continue  # a message without a sender is the guard's 400 (below)
        kwargs = with_credential(conversation_calls(sender)[endpoint], credential, how)
        answer = widget.call(endpoint, **kwargs)
        assert answer.status == 403, name
        assert json.loads(answer.body) == FORBIDDEN_BODY, name
        assert answer.headers["Cache-Control"] == "no-store"
        bodies.add(answer.body)
    assert len(bodies) == 1, "one body for every refusal"
    assert widget.bot_saw == [], "nothing reached the bot"
    assert widget.stored(alice) is not None and widget.stored("13800138000") is not None


@pytest.mark.parametrize("how", ["cookie", "header"])
def test_the_owner_reads_writes_and_deletes(widget, how):
    alice, alices = widget.session()
    calls = conversation_calls(alice)
    answer = widget.call("webhook", **with_credential(calls["webhook"], alices, how))
    assert answer.status == 200 and json.loads(answer.body)[0]["text"] == "好的"
    assert widget.bot_saw == [alice]
    run(widget.agent.tracker_store.save(conversation(alice)))
    answer = widget.call("history", **with_credential(calls["history"], alices, how))
    assert answer.status == 200
    assert json.loads(answer.body)["messages"][0] == {"role": "user", "text": "你好"}
    answer = widget.call("delete", **with_credential(calls["delete"], alices, how))
    assert json.loads(answer.body) == {"sender": alice, "deleted": True}
    assert widget.stored(alice) is None


def test_a_malformed_message_is_still_the_guards_400(widget):
    assert widget.call("webhook", body=[1]).status == 400
    answer = widget.call("webhook", body={"message": "你好"})
    assert answer.status == 400 and json.loads(answer.body)["error"] == "bad_sender"


def test_the_session_cookie_is_http_only_strict_and_scoped_to_the_widget(widget):
    answer = widget.call("session", body={})
    cookie = str(answer.cookies[COOKIE_NAME])
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert f"Path={WEBCHAT}/" in cookie and f"Max-Age={90 * 86400}" in cookie
    assert "Secure" not in cookie, "plain http on localhost"
    sender = json.loads(answer.body)["sender"]
    assert "credential" not in json.loads(answer.body), "page scripts never see it"
    assert is_widget_sender(sender) and widget.api.keys.proves(
        answer.cookies[COOKIE_NAME].value, sender
    )


def test_the_cookie_is_secure_behind_an_https_proxy(widget):
    request = widget.request("session", body={}, headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in str(run(widget.api.session(request)).cookies[COOKIE_NAME])
    request = widget.request("session", body={})
    request.scheme = "https"
    assert "Secure" in str(run(widget.api.session(request)).cookies[COOKIE_NAME])


def test_a_reload_continues_the_conversation_of_the_cookie(widget):
    sender, credential = widget.session()
    answer = widget.call("session", body={}, cookies={COOKIE_NAME: credential})
    assert json.loads(answer.body) == {"sender": sender, "new": False}
    assert answer.cookies[COOKIE_NAME].value == credential


def test_a_new_conversation_rotates_the_credential(widget):
    first, first_credential = widget.session()
    answer = widget.call("session", body={"new": True}, cookies={COOKIE_NAME: first_credential})
    second, second_credential = json.loads(answer.body)["sender"], answer.cookies[COOKIE_NAME].value
    assert json.loads(answer.body)["new"] is True
    assert second != first and second_credential != first_credential
    refused = widget.call(
        "history", args={"sender": first}, cookies={COOKIE_NAME: second_credential}
    )
    assert refused.status == 403


def test_a_wrong_cookie_gets_a_new_conversation_not_an_error(widget):
    answer = widget.call("session", body={}, cookies={COOKIE_NAME: "web-x.y"})
    assert json.loads(answer.body)["new"] is True


def test_the_embedded_widget_gets_its_credential_in_the_body_and_no_cookie(widget):
    _, cookie_credential = widget.session()
    answer = widget.call("session", body={"embed": True}, cookies={COOKIE_NAME: cookie_credential})
    data = json.loads(answer.body)
    assert data["new"] is True and widget.api.keys.proves(data["credential"], data["sender"])
    assert data["credential"] != cookie_credential, "never an existing conversation's"
    assert COOKIE_NAME not in answer.cookies


@pytest.mark.parametrize(
    "headers,body", [({"content-type": "text/plain"}, {}), ({}, [1]), ({}, None)]
)
def test_a_session_needs_a_json_object(widget, headers, body):
    answer = run(widget.api.session(widget.request("session", body=body, headers=headers)))
    assert answer.status in (400, 415) and COOKIE_NAME not in answer.cookies


def test_the_server_makes_its_secret_when_it_is_missing(tmp_path):
    WidgetServer(tmp_path)
    assert len((tmp_path / "s").read_bytes()) == 32
    assert stat.S_IMODE(os.stat(tmp_path / "s").st_mode) == 0o600


def test_two_servers_with_one_secret_accept_each_others_credentials(tmp_path):
    first, second = WidgetServer(tmp_path), WidgetServer(tmp_path)
    sender, credential = first.session()
    answer = second.call("history", args={"sender": sender}, cookies={COOKIE_NAME: credential})
    assert answer.status == 200


def test_webchat_settings_from_credentials(tmp_path):
    channel = WebChatInput.from_credentials(
        {"frame_ancestors": "'self' https://shop.example", "cookie_days": 7, "secret_file": "x"}
    )
    assert channel.frame_ancestors == ("'self'", "https://shop.example")
    assert channel.cookie_max_age == 7 * 86400 and channel.secret_path.is_absolute()
    default = WebChatInput.from_credentials(None)
    assert default.frame_ancestors == ("'self'",) and default.secret_path.name == "webchat_secret"
    for bad in (
        {"frame_ancestors": "* ; script-src *"},
        {"cookie_days": 0},
        {"cookie_days": "30"},
        {"secret_file": ""},
        {"frame_ancestor": "'self'"},
    ):
        with pytest.raises(ValueError):
            WebChatInput.from_credentials(bad)


@pytest.mark.parametrize(
    "name", ["index.html", "widget.css", *sorted(path.name for path in WEBCHAT_DIR.glob("*.js"))]
)
def test_the_page_and_its_files_carry_the_security_headers(tmp_path, name):
    server = WidgetServer(tmp_path, frame_ancestors="'self' https://shop.example")
    answer = run(server.api.serve_file(WEBCHAT_DIR / name))
    policy = answer.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://shop.example" in policy
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"


def test_the_page_has_no_inline_script_or_handler():
    """Scripts only from files; the one element without src is the labels' JSON (data the
    browser does not run; tests/unit/addons/channels/test_labels.py)."""
    page = rendered_page()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S | re.I)
    assert scripts and all(
        ('src="' in attributes and not body.strip()) or 'type="application/json"' in attributes
        for attributes, body in scripts
    )
    assert not re.search(r"\son[a-z]+\s*=", page, re.I), "no onclick= and the like"
    assert "javascript:" not in page
    for script in WEBCHAT_DIR.glob("*.js"):
        code = script.read_text(encoding="utf-8")
        assert not re.search(r"\beval\(|new Function|innerHTML|setAttribute\(\"on", code)


def test_the_widget_blueprint_registers_every_route(tmp_path):
    channel = WebChatInput.from_credentials({"secret_file": str(tmp_path / "s")})
    app = Sanic("widget_routes_test")
    app.blueprint(channel.blueprint(lambda message: None), url_prefix=f"{WEBCHAT}")
    app.router.finalize()
    paths = {f"/{route.path}" for route in app.router.routes}
    for path in ("session", "webhook", "history", "delete", "labels", "static/<filename:str>"):
        assert f"{WEBCHAT}/{path}" in paths, paths


# --- Deletion under the conversation's lock -------------------------------------------


class SlowProcessor:
    """Does what Rasa's MessageProcessor does to the store: load, think, save."""

    def __init__(self, store, seconds=0.2):
        self.store, self.seconds = store, seconds

    async def handle_message(self, message):
        tracker = await self.store.retrieve(message.sender_id)
        tracker = tracker or DialogueStateTracker(message.sender_id, DOMAIN.slots)
        tracker.update(UserUttered(message.text, {"name": "greet"}))
        await asyncio.sleep(self.seconds)
        if message.text == "/affirm":
            tracker.update(ActionExecuted("action_delete_my_data"))
        tracker.update(BotUttered("好的"))
        await message.output_channel.send_text_message(message.sender_id, "好的")
        await self.store.save(tracker)


class FakeAgent:
    def __init__(self, store):
        self.tracker_store, self.lock_store = store, InMemoryLockStore()
        self.processor, self.domain = SlowProcessor(store), DOMAIN

    def is_ready(self):
        return True

    async def handle_message(self, message):  # Rasa's Agent.handle_message
        async with self.lock_store.lock(message.sender_id):
            await self.processor.handle_message(message)


def stores(tmp_path):
    return {
        "memory": InMemoryTrackerStore(DOMAIN),
        "sqlite": SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db")),
    }


def user_texts(store, sender):
    tracker = run(store.retrieve_full_tracker(sender))
    return [e.text for e in tracker.events if isinstance(e, UserUttered)] if tracker else []


def a_message(text, sender="alice"):
    return UserMessage(text, CollectingOutputChannel(), sender)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_deletion_waits_for_the_turn_in_progress_and_nothing_comes_back(tmp_path, kind):
    """Without the lock the turn saves after the deletion and Rasa's SQL store writes
    the whole conversation back."""
    store = stores(tmp_path)[kind]
    run(save_two(store))
    agent = FakeAgent(store)

    async def both():
        turn = asyncio.create_task(agent.handle_message(a_message("我欠了4万8")))
        await asyncio.sleep(0.05)  # the turn holds the lock now
        deleted = await delete_conversation_locked(agent.lock_store, store, "alice")
        await turn
        return deleted

    assert run(both()) is True
    assert user_texts(store, "alice") == []
    assert user_texts(store, "bob") == ["你好"]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_message_during_a_confirmed_deletion_starts_a_new_conversation(tmp_path, kind):
    store = stores(tmp_path)[kind]
    run(save_two(store))
    agent = FakeAgent(store)

    async def both():
        deletion = asyncio.create_task(run_turn(agent, None, a_message("/affirm")))
        await asyncio.sleep(0.05)
        message = await run_turn(agent, None, a_message("还有一个问题"))
        return await deletion, message

    (succeeded, deleted), (next_succeeded, next_deleted) = run(both())
    assert succeeded and deleted and next_succeeded and not next_deleted
    assert user_texts(store, "alice") == ["还有一个问题"], "nothing of the deleted one"


def test_a_turn_without_a_ready_agent_goes_to_rasa_as_before():
    seen = []

    async def on_new_message(message):
        seen.append(message.text)

    assert run(run_turn(None, on_new_message, a_message("你好"))) == (True, False)
    assert seen == ["你好"]


def test_a_failing_lock_store_gives_the_fallback_not_a_500(tmp_path, caplog):
    agent = FakeAgent(InMemoryTrackerStore(DOMAIN))

    class BrokenLocks:
        def lock(self, sender):
            raise RuntimeError("Redis away")

    agent.lock_store = BrokenLocks()
    with caplog.at_level(logging.ERROR, logger="addons.channels.handling"):
        assert run(run_turn(agent, None, a_message("你好"))) == (False, False)
    assert "Locking the conversation of alice failed" in caplog.text
