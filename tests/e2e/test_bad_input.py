"""Bad input on the REST channel against the real servers: never a 5xx, never silence."""

import time
import uuid

import pytest
import requests

from coach.content import load_content
from tests.support.chat import answered_with, texts, variation_texts

WEBHOOK = "/webhooks/rest/webhook"
WEBCHAT = "/webhooks/webchat"
UNAVAILABLE = "utter_action_unavailable"


def new_sender() -> str:
    return f"bad-{uuid.uuid4().hex[:10]}"


def post_raw(bot, data, path=WEBHOOK, **headers):
    return requests.post(f"{bot.url}{path}", data=data, headers=headers, timeout=30)


def post_json(bot, payload, path=WEBHOOK, **options):
    return requests.post(f"{bot.url}{path}", json=payload, timeout=30, **options)


class WidgetUser:
    """A widget conversation: the id and the credential cookie the server issued."""

    def __init__(self, bot):
        self.bot = bot
        session = requests.post(f"{bot.url}{WEBCHAT}/session", json={}, timeout=10)
        self.sender = session.json()["sender"]
        self.cookies = {"coach_webchat": session.cookies["coach_webchat"]}

    def post(self, message):
        payload = {"sender": self.sender, "message": message}
        return post_json(self.bot, payload, path=f"{WEBCHAT}/webhook", cookies=self.cookies)

    def send(self, message):
        response = self.post(message)
        response.raise_for_status()
        return response.json()

    def history(self):
        return requests.get(
            f"{self.bot.url}{WEBCHAT}/history",
            params={"sender": self.sender},
            cookies=self.cookies,
            timeout=10,
        )

    def delete(self):
        payload = {"sender": self.sender}
        return post_json(self.bot, payload, path=f"{WEBCHAT}/delete", cookies=self.cookies)


MALFORMED = [
    ("empty body", b""),
    ("array", b'[{"sender": "a", "message": "hi"}]'),
    ("bare string", b'"hi"'),
    ("number", b"42"),
    ("not json", b"sender=a&message=hi"),
    ("broken json", b'{"sender": "a", "message": "hi"'),
    ("missing sender", b'{"message": "hi"}'),
    ("missing message", b'{"sender": "a"}'),
    ("message not a string", b'{"sender": "a", "message": 12}'),
    ("sender too long", ('{"sender": "%s", "message": "hi"}' % ("x" * 500)).encode()),
]


@pytest.mark.parametrize("data", [m[1] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_a_malformed_body_is_a_400_with_a_clear_message(bot, data):
    response = post_raw(bot, data, **{"Content-Type": "application/json"})
    assert response.status_code == 400
    error = response.json()
    assert error["status"] == 400 and error["error"] and error["message"]


def test_a_form_encoded_post_is_a_400(bot):
    response = requests.post(f"{bot.url}{WEBHOOK}", data={"sender": "a", "message": "hi"})
    assert response.status_code == 400


@pytest.mark.parametrize("message", ["", "   ", "\n\t\n", "\u0000\u0001\u200b"])
def test_an_empty_message_gets_a_friendly_prompt(bot, message):
    response = post_json(bot, {"sender": new_sender(), "message": message})
    assert response.status_code == 200
    assert "请输入" in texts(response.json())[0]


def test_a_20000_character_message_is_answered_at_once_and_not_parsed(bot):
    started = time.perf_counter()
    response = post_json(bot, {"sender": new_sender(), "message": "我欠了很多钱" * 3334})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert "1000" in texts(response.json())[0]
    assert elapsed < 3, f"took {elapsed:.1f}s: the NLU must not see the whole message"


def test_the_server_stays_responsive_after_a_long_message(bot):
    post_json(bot, {"sender": new_sender(), "message": "钱" * 20_000})
    replies = bot.send(new_sender(), "你好")
    assert answered_with(replies, "utter_greet")


SENSIBLE = [
    ("control characters", "你好\u0000\u0007\u001b[2J"),
    ("emoji only", "😭😭😭🙏"),
    ("script tag", "<script>alert(1)</script>"),
    ("img onerror", "<img src=x onerror=alert(1)>"),
    ("bad json payload", '/inform_finances{"balance": 4'),
    ("unknown intent", "/unknown_intent"),
    ("unknown intent with json", '/hack_the_bot{"x": 1}'),
    ("confidence syntax", "/greet@0.99"),
    ("lone slash", "/"),
    ("sql-ish", "'; DROP TABLE events; --"),
]


@pytest.mark.parametrize("message", [s[1] for s in SENSIBLE], ids=[s[0] for s in SENSIBLE])
def test_odd_text_gets_a_reply_not_an_error(bot, message):
    response = post_json(bot, {"sender": new_sender(), "message": message})
    assert response.status_code == 200
    assert texts(response.json()), "the user must get some text back"


def test_a_lone_surrogate_is_no_500(bot):
    raw = f'{{"sender": "{new_sender()}", "message": "欠款\\ud800 怎么办"}}'
    response = post_raw(bot, raw.encode(), **{"Content-Type": "application/json"})
    assert response.status_code == 200 and texts(response.json())


def test_invalid_utf8_is_no_500(bot):
    raw = b'{"sender": "utf8-bad", "message": "\xff\xfe\xe4\xbd\xa0\xe5\xa5\xbd"}'
    response = post_raw(bot, raw, **{"Content-Type": "application/json"})
    assert response.status_code == 200 and texts(response.json())


def test_a_valid_button_payload_still_works(bot):
    assert answered_with(bot.send(new_sender(), "/greet"), "utter_greet")


def test_the_webchat_webhook_has_the_same_guard(bot):
    assert post_raw(bot, b"[]", path=f"{WEBCHAT}/webhook").status_code == 400
    response = WidgetUser(bot).post(" ")
    assert response.status_code == 200 and "请输入" in texts(response.json())[0]


def test_the_widget_page_and_its_files_are_served(bot):
    page = requests.get(f"{bot.url}{WEBCHAT}/", timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page.text
    assert "script-src" not in page.headers["Content-Security-Policy"]
    for name, kind in [
        ("widget.js", "javascript"),
        ("widget.css", "css"),
        ("embed.js", "javascript"),
    ]:
        response = requests.get(f"{bot.url}{WEBCHAT}/static/{name}", timeout=10)
        assert response.status_code == 200 and kind in response.headers["Content-Type"]


@pytest.mark.parametrize(
    "name", ["..%2Fdomain.yml", "%2E%2E%2Fcredentials.yml", "README.md", "nope.js"]
)
def test_only_the_widget_files_are_served(bot, name):
    assert requests.get(f"{bot.url}{WEBCHAT}/static/{name}", timeout=10).status_code == 404


def test_history_and_delete_without_a_credential_are_403(bot):
    # Who may open which conversation: tests/e2e/test_security.py.
    assert requests.get(f"{bot.url}{WEBCHAT}/history", timeout=10).status_code == 403
    assert post_raw(bot, b"", path=f"{WEBCHAT}/delete").status_code == 403


def test_history_then_delete(bot):
    user = WidgetUser(bot)
    user.send("你好")
    messages = user.history().json()["messages"]
    assert messages[0] == {"role": "user", "text": "你好"}
    assert any(m.get("buttons") for m in messages if m["role"] == "bot")
    assert user.delete().json() == {"sender": user.sender, "deleted": True}
    assert user.history().json()["messages"] == []


def history_of(user):
    return user.history().json()["messages"]


def test_saying_delete_my_data_asks_first_then_deletes(bot):
    user = WidgetUser(bot)
    user.send("你好")
    asked = user.post("删除我的记录")
    assert answered_with(asked.json(), "utter_confirm_delete")
    assert asked.headers.get("X-Conversation-Deleted") is None
    assert history_of(user)
    confirmed = user.post("/affirm")
    assert answered_with(confirmed.json(), "utter_data_deleted")
    assert confirmed.headers.get("X-Conversation-Deleted") == "true"
    assert history_of(user) == []


def test_a_declined_deletion_keeps_the_conversation(bot):
    user = WidgetUser(bot)
    user.send("你好")
    user.send("删除我的记录")
    declined = user.post("/deny")
    assert answered_with(declined.json(), "utter_delete_cancelled")
    assert declined.headers.get("X-Conversation-Deleted") is None
    assert history_of(user)[0] == {"role": "user", "text": "你好"}


def test_a_privacy_question_gets_the_privacy_answer_and_deletes_nothing(bot):
    user = WidgetUser(bot)
    user.send("你好")
    response = user.post("我在这里说的话会被保存吗？谁能看到？")
    assert answered_with(response.json(), "utter_privacy")
    assert response.headers.get("X-Conversation-Deleted") is None
    assert history_of(user)


# The action server goes down in the middle of a conversation (own servers).

PLAN_REQUEST = "帮我算一下还款方案"


def test_a_stopped_action_server_gives_a_try_again_reply_then_recovers(own_bot):
    sender = new_sender()
    assert answered_with(own_bot.rasa.send(sender, "你好"), "utter_greet")
    own_bot.actions.stop()
    try:
        response = post_json(own_bot.rasa, {"sender": sender, "message": PLAN_REQUEST})
        assert response.status_code == 200
        said = texts(response.json())
        assert said[-1] in variation_texts(UNAVAILABLE), said
    finally:
        own_bot.actions.start()
    replies = own_bot.rasa.send(sender, PLAN_REQUEST)
    assert texts(replies) and not answered_with(replies, UNAVAILABLE)


def test_the_page_url_without_its_slash_redirects(bot):
    response = requests.get(f"{bot.url}{WEBCHAT}", timeout=10, allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{WEBCHAT}/"


# Rasa's own commands are not for users; a resent message is handled once.

BUILTIN_REPLY = load_content("channel")["builtin_command"].strip()


@pytest.mark.parametrize("command", ["/restart", "/session_start", "/back", '/restart{"x": 1}'])
def test_rasas_own_commands_are_refused_and_the_figures_stay(bot, command):
    sender = new_sender()
    assert answered_with(bot.send(sender, "帮我算算怎么还"), "utter_ask_balance")
    assert answered_with(bot.send(sender, "5万"), "utter_ask_lender_type")
    assert texts(bot.send(sender, command)) == [BUILTIN_REPLY]
    replies = bot.send(sender, '/inform_finances{"lender_type":"credit_card"}')
    assert answered_with(replies, "utter_ask_months_overdue"), "the form goes on: nothing wiped"


def test_the_widget_refuses_them_too(bot):
    user = WidgetUser(bot)
    assert texts(user.send("/restart")) == [BUILTIN_REPLY]


def test_a_resent_message_id_gets_the_earlier_reply_once(bot):
    user = WidgetUser(bot)
    payload = {"sender": user.sender, "message": "你好", "message_id": uuid.uuid4().hex}
    path = f"{WEBCHAT}/webhook"
    first = post_json(bot, payload, path=path, cookies=user.cookies)
    again = post_json(bot, payload, path=path, cookies=user.cookies)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers.get("X-Message-Repeat") == "true"
    said = [m["text"] for m in history_of(user) if m["role"] == "user"]
    assert said == ["你好"]
    rest = {"sender": new_sender(), "message": "你好", "message_id": "rest-message-1"}
    assert post_json(bot, rest).json() == post_json(bot, rest).json(), "the REST channel too"


def test_a_malformed_message_id_is_a_400(bot):
    payload = {"sender": new_sender(), "message": "你好", "message_id": "no spaces allowed"}
    response = post_json(bot, payload)
    assert response.status_code == 400 and response.json()["error"] == "bad_message_id"


def test_a_typed_deletion_ends_the_widgets_answer_with_the_signal(bot):
    user = WidgetUser(bot)
    user.send("你好")
    user.send("删除我的记录")
    confirmed = user.send("/affirm")
    assert confirmed[-1]["custom"] == {"type": "conversation_deleted"}
