"""A message is handled once, Rasa's own commands are refused, a deletion is signalled.

addons/channels/replies.py, guard.py and handling.py without a server or a model: a fake
processor that does to the tracker store what Rasa's does (load, think, save, with the
client's message_id in the user event).
"""

import asyncio
import json
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.constants import DEFAULT_INTENTS
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.channels.guard import check_message, client_message_id
from addons.channels.handling import (
    DELETED_HEADER,
    DELETED_PAYLOAD,
    REPEAT_HEADER,
    handle_chat,
    refused_intents,
    take_turn,
)
from addons.channels.history import history_messages, history_times
from addons.channels.ownership import COOKIE_NAME
from addons.channels.replies import REPLIES, Reply, ReplyCache, earlier_reply, reply_after
from addons.channels.texts import channel_texts, domain_intents
from addons.channels.webchat import WebChatInput

DOMAIN = Domain.from_dict({"intents": ["greet", "affirm"]})
INTENTS = {"greet", "affirm", "start_roleplay", "inform_finances", "out_of_scope"}
BUILTIN_REPLY = channel_texts()["builtin_command"].strip()
ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90"


def run(coroutine):
    return asyncio.run(coroutine)


def body(message, sender="alice", **extra):
    return json.dumps({"sender": sender, "message": message, **extra})


# --- Rasa's own commands are not for users ------------------------------------------------


def test_the_refused_intents_are_rasas_own_that_the_domain_does_not_declare():
    refused = refused_intents()
    assert {"restart", "back", "session_start", "nlu_fallback"} <= refused
    assert refused <= set(DEFAULT_INTENTS)
    assert not refused & domain_intents(), "out_of_scope is the domain's own intent"


@pytest.mark.parametrize(
    "message",
    ["/restart", "/back", "/session_start", "/nlu_fallback", '/restart{"a": 1}', " /restart "],
)
def test_a_builtin_command_gets_a_friendly_reply_and_never_reaches_the_bot(message):
    text, error = check_message(body(message), INTENTS, refused_intents())
    assert text is None and error.is_reply and error.code == "builtin_command"
    assert error.text == BUILTIN_REPLY and "没有清空" in error.text


@pytest.mark.parametrize(
    "message,expected",
    [
        ("/greet", "/greet"),
        ('/inform_finances{"lender_type": "credit_card"}', None),
        ("/out_of_scope", "/out_of_scope"),
        ("restart", "restart"),
        ("/restarts", "restarts"),
        ("//restart", "restart"),
        ("我想 /restart", "我想 /restart"),
    ],
)
def test_the_domains_button_payloads_and_plain_words_still_pass(message, expected):
    text, error = check_message(body(message), INTENTS, refused_intents())
    assert error is None and text == (message if expected is None else expected)


# --- message_id ---------------------------------------------------------------------------


@pytest.mark.parametrize("message_id", [ID, "abcdefgh", "m-1_2-3-" + "x" * 56])
def test_a_good_message_id_is_read(message_id):
    raw = body("你好", message_id=message_id)
    assert check_message(raw, INTENTS) == ("你好", None)
    assert client_message_id(json.loads(raw)) == message_id


@pytest.mark.parametrize("message_id", ["", "short", 7, "x" * 65, "中文中文中文中文", "a b c d e f", []])
def test_a_bad_message_id_is_a_400(message_id):
    text, error = check_message(body("你好", message_id=message_id), INTENTS)
    assert text is None and (error.status, error.code) == (400, "bad_message_id")


def test_no_message_id_is_fine():
    assert client_message_id({"sender": "a", "message": "x"}) is None


# --- The per-process cache ----------------------------------------------------------------


def test_a_repeat_gets_the_cached_reply_and_the_turn_runs_once():
    cache, calls = ReplyCache(), []

    async def handle():
        calls.append(1)
        return Reply([{"text": "好的"}])

    async def twice():
        first = await cache.answer(("alice", ID), handle)
        second = await cache.answer(("alice", ID), handle)
        return first, second

    first, second = run(twice())
    assert calls == [1] and not first.repeated and second.repeated
    assert second.messages == first.messages


def test_a_repeat_during_the_turn_waits_for_it():
    cache, calls = ReplyCache(), []

    async def handle():
        calls.append(1)
        await asyncio.sleep(0.1)
        return Reply([{"text": "好的"}])

    async def both():
        return await asyncio.gather(
            cache.answer(("alice", ID), handle), cache.answer(("alice", ID), handle)
        )

    first, second = run(both())
    assert calls == [1] and first.messages == second.messages
    assert [first.repeated, second.repeated] == [False, True]


def test_the_turn_goes_on_when_its_client_goes_away_and_the_resend_gets_its_reply():
    """Sanic cancels a handler whose client disconnected (the widget's timeout)."""
    cache, finished = ReplyCache(), []

    async def handle():
        await asyncio.sleep(0.1)
        finished.append(1)
        return Reply([{"text": "好的"}])

    async def scenario():
        first = asyncio.ensure_future(cache.answer(("alice", ID), handle))
        await asyncio.sleep(0.02)
        first.cancel()
        await asyncio.sleep(0.15)
        return await cache.answer(("alice", ID), handle)

    resent = run(scenario())
    assert finished == [1] and resent.repeated and resent.messages == [{"text": "好的"}]


def test_a_failed_turn_is_not_kept():
    cache, calls = ReplyCache(), []

    async def handle():
        calls.append(1)
        return Reply([{"text": "请稍后再试"}], succeeded=False)

    run(cache.answer(("alice", ID), handle))
    run(cache.answer(("alice", ID), handle))
    assert calls == [1, 1]


def test_the_cache_is_bounded_in_size_and_age(monkeypatch):
    cache = ReplyCache(size=3, max_age=60)
    for n in range(5):
        cache.put(("alice", f"message{n}"), Reply([]))
    assert list(cache.done) == [("alice", f"message{n}") for n in (2, 3, 4)]
    reply = cache.get(("alice", "message4"))
    reply.at -= 61
    assert cache.get(("alice", "message4")) is None


def test_a_deletion_forgets_the_senders_replies_but_the_confirmations():
    cache = ReplyCache()
    for key in [("alice", "one11111"), ("alice", "two22222"), ("bob", "one11111")]:
        cache.put(key, Reply([]))
    cache.forget("alice", keep="two22222")
    assert list(cache.done) == [("alice", "two22222"), ("bob", "one11111")]
    cache.forget("alice")
    assert list(cache.done) == [("bob", "one11111")]


# --- Across servers: the tracker's events -------------------------------------------------


class Processor:
    """Does what Rasa's MessageProcessor does to the store, with the message's id."""

    def __init__(self, store, seconds=0.0):
        self.store, self.seconds, self.handled = store, seconds, []

    async def handle_message(self, message):
        self.handled.append(message.text)
        tracker = await self.store.retrieve(message.sender_id)
        tracker = tracker or DialogueStateTracker(message.sender_id, DOMAIN.slots)
        tracker.update(UserUttered(message.text, {"name": "greet"}, message_id=message.message_id))
        await asyncio.sleep(self.seconds)
        if message.text == "/affirm":
            tracker.update(ActionExecuted("action_delete_my_data"))
        tracker.update(BotUttered("好的\n\n第二段", {"buttons": [{"title": "是", "payload": "/affirm"}]}))
        tracker.update(BotUttered(None, {"custom": {"type": "x"}}))
        await message.output_channel.send_text_with_buttons(
            message.sender_id, "好的\n\n第二段", [{"title": "是", "payload": "/affirm"}]
        )
        await message.output_channel.send_custom_json(message.sender_id, {"type": "x"})
        await self.store.save(tracker)


class Server:
    """One Rasa server: its own lock store and processor on a shared tracker store."""

    def __init__(self, store, locks=None):
        self.tracker_store = store
        self.lock_store = locks or InMemoryLockStore()
        self.processor, self.domain = Processor(store), DOMAIN

    def is_ready(self):
        return True


def stores(tmp_path):
    return {
        "memory": InMemoryTrackerStore(DOMAIN),
        "sqlite": SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db")),
    }


def a_message(text, message_id=ID, sender="alice"):
    return UserMessage(text, CollectingOutputChannel(), sender, message_id=message_id)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_another_server_answers_a_resend_from_the_tracker(tmp_path, kind):
    store = stores(tmp_path)[kind]
    first, second = Server(store), Server(store)
    message = a_message("你好")
    run(take_turn(first, None, message, ID))
    said = message.output_channel.messages
    succeeded, deleted, earlier = run(take_turn(second, None, a_message("你好"), ID))
    assert succeeded and not deleted and earlier == said
    assert first.processor.handled == ["你好"] and second.processor.handled == []
    other = run(take_turn(second, None, a_message("还有", message_id="other-id-1"), "other-id-1"))
    assert other[2] is None and second.processor.handled == ["还有"]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_the_earlier_reply_is_the_one_that_followed_that_message(tmp_path, kind):
    store = stores(tmp_path)[kind]
    server = Server(store)
    for n in range(3):
        run(take_turn(server, None, a_message(f"第{n}条", message_id=f"message-{n}"), None))
    reply = run(earlier_reply(store, "alice", "message-1"))
    assert reply == [
        {
            "recipient_id": "alice",
            "text": "好的\n\n第二段",
            "buttons": [{"title": "是", "payload": "/affirm"}],
        },
        {"recipient_id": "alice", "custom": {"type": "x"}},
    ]
    assert run(earlier_reply(store, "alice", "message-9")) is None
    assert run(earlier_reply(store, "nobody", "message-1")) is None


def test_reply_after_stops_at_the_next_user_message():
    events = [
        {"event": "user", "text": "a", "message_id": "one11111"},
        {"event": "bot", "text": "A"},
        {"event": "user", "text": "b", "message_id": "two22222"},
        {"event": "bot", "text": "B"},
    ]
    assert reply_after(events, "one11111", "s") == [{"recipient_id": "s", "text": "A"}]
    assert reply_after(events, "two22222", "s") == [{"recipient_id": "s", "text": "B"}]
    assert reply_after(events, "three333", "s") is None


def test_an_unreadable_store_means_no_earlier_reply(caplog):
    class Broken:
        async def retrieve(self, sender):
            raise RuntimeError("database away")

    assert run(earlier_reply(Broken(), "alice", ID)) is None
    assert "Looking for an earlier reply" in caplog.text


# --- Through the channel: the widget's webhook ---------------------------------------------


class FakeRequest:
    def __init__(self, agent, path, body=None, cookies=None):
        self.app = SimpleNamespace(ctx=SimpleNamespace(agent=agent))
        self.path = f"/webhooks/webchat/{path}"
        self.body = json.dumps(body).encode() if body is not None else b""
        self.args, self.cookies, self.scheme = {}, cookies or {}, "http"
        from sanic.compat import Header

        self.headers = Header({"content-type": "application/json"})


@pytest.fixture
def widget(tmp_path):
    REPLIES.clear()
    channel = WebChatInput.from_credentials({"secret_file": str(tmp_path / "s")})
    api = channel.api()
    agent = Server(SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "w.db")))
    session = run(api.session(FakeRequest(agent, "session", body={})))
    sender = json.loads(session.body)["sender"]
    cookies = {COOKIE_NAME: session.cookies[COOKIE_NAME].value}

    def send(message, message_id=None, path="webhook"):
        payload = {"sender": sender, "message": message}
        if message_id:
            payload["message_id"] = message_id
        request = FakeRequest(agent, path, body=payload, cookies=cookies)
        return run(api.receive(request, None, "webchat"))

    yield SimpleNamespace(api=api, agent=agent, sender=sender, cookies=cookies, send=send)
    REPLIES.clear()


def test_the_widget_channel_handles_a_resent_message_once(widget):
    first = widget.send("你好", ID)
    again = widget.send("你好", ID)
    assert json.loads(again.body) == json.loads(first.body)
    assert REPEAT_HEADER not in first.headers and again.headers[REPEAT_HEADER] == "true"
    assert widget.agent.processor.handled == ["你好"]
    REPLIES.clear()  # another server: only the tracker knows
    third = widget.send("你好", ID)
    assert json.loads(third.body) == json.loads(first.body)
    assert widget.agent.processor.handled == ["你好"]
    widget.send("你好", "another-id")
    assert widget.agent.processor.handled == ["你好", "你好"], "a new id is a new message"


def test_a_typed_deletion_tells_the_widget_in_the_body_and_the_header(widget):
    widget.send("你好", "message-1")
    answer = widget.send("/affirm", "message-2")
    messages = json.loads(answer.body)
    assert answer.headers[DELETED_HEADER] == "true"
    assert messages[-1] == {"recipient_id": widget.sender, "custom": DELETED_PAYLOAD}
    assert ("message-2" in {key[1] for key in REPLIES.done}) and not any(
        key == (widget.sender, "message-1") for key in REPLIES.done
    ), "only the confirmation stays in memory"
    again = widget.send("/affirm", "message-2")
    assert json.loads(again.body) == messages, "a resend of it deletes nothing more"


def test_the_delete_button_forgets_the_replies(widget):
    widget.send("你好", ID)
    request = FakeRequest(
        widget.agent, "delete", body={"sender": widget.sender}, cookies=widget.cookies
    )
    assert json.loads(run(widget.api.delete(request)).body)["deleted"] is True
    assert not any(key[0] == widget.sender for key in REPLIES.done)


def test_a_builtin_command_in_the_widget_keeps_the_conversation(widget):
    widget.send("你好", ID)
    answer = widget.send("/restart", "restart-1")
    assert json.loads(answer.body)[0]["text"] == BUILTIN_REPLY
    assert widget.agent.processor.handled == ["你好"]


def test_the_rest_channel_signals_a_deletion_in_its_header_only(tmp_path):
    agent = Server(InMemoryTrackerStore(DOMAIN))
    request = FakeRequest(agent, "webhook", body={"sender": "13800138000", "message": "/affirm"})
    answer = run(handle_chat(request, None, "rest"))
    assert answer.headers[DELETED_HEADER] == "true"
    assert all("custom" not in m or m["custom"] != DELETED_PAYLOAD for m in json.loads(answer.body))


# --- History timestamps -------------------------------------------------------------------


def test_history_times_stand_beside_the_messages():
    events = [
        {"event": "user", "text": "你好", "timestamp": 1700000000.5},
        {"event": "bot", "text": "好的\n\n第二段", "timestamp": 1700000001},
        {"event": "bot", "text": "没有时间"},
    ]
    assert len(history_messages(events)) == 4
    assert history_times(events) == [1700000000.5, 1700000001.0, 1700000001.0, None]
