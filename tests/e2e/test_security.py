"""Production security: the API needs its token, the chat does not, a widget
conversation opens only with its credential, the widget's page carries its security
headers, users can erase their conversation, and the logs never carry a user's figures.

Two Rasa servers started as scripts/run_servers.sh starts them (``--auth-token``, the
default log level): one on SQLite (default profile), one on PostgreSQL + Redis
(scale-out profile), with one action server.
"""

import json
import random
import re
import secrets
import sqlite3
import stat
import string
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from functools import partial
from pathlib import Path

import pytest
import requests

from coach.language.normalise import MAX_TEXT_LENGTH
from coach.paths import ROOT
from devtools.servers import (
    free_port,
)
from tests.support.chat import customs, texts
from tests.support.stores import (
    connect,
    start_both_profiles,
    stored_events,
)

TOKEN = secrets.token_hex(16)
WEBHOOK = "/webhooks/rest/webhook"
WEBCHAT = "/webhooks/webchat"
COOKIE = "coach_webchat"
CREDENTIAL_HEADER = "X-Webchat-Credential"

# The figures of the conversations below, as the user writes them and as numbers.
FIGURES_AS_WRITTEN = ["4万8", "一万二", "一万三", "七千三", "三千五"]
FIGURES_AS_NUMBERS = [48000, 12000, 13000, 7300, 3500]
FIGURE_CONVERSATIONS = [
    [
        "帮我算算怎么还",
        "4万8",
        '/inform_finances{"lender_type":"credit_card"}',
        "三个月",
        "一万二",
        "七千三",
        "三千五",
        "不对，收入是一万三",
        "那我具体该怎么跟催收说分期",
    ],
    ["我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千三，存款三千五"],
    ["帮我算算怎么还", "欠了4万8", "算了，不想说了", "帮我算一下方案", "网贷平台"],
]


def letters_only(prefix: str) -> str:
    """Sender ids without digits, so no id can look like a figure in the logs."""
    return prefix + "".join(random.choices(string.ascii_lowercase, k=12))


def port_that_is_no_figure() -> int:
    while True:
        port = free_port()
        if port not in FIGURES_AS_NUMBERS:
            return port


PURGE_INTERVAL = 2  # seconds; the servers' retention loop runs every hour by default


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> dict[str, object]:
    workdir = tmp_path_factory.mktemp("security")
    with ExitStack() as cleanup, pytest.MonkeyPatch.context() as env:
        # The default log level, as in production; unbuffered, so the logs are complete.
        for name in ("LOG_LEVEL", "LOG_LEVEL_LIBRARIES", "DEBUG"):
            env.delenv(name, raising=False)
        env.setenv("PYTHONUNBUFFERED", "1")
        env.setenv("COACH_PURGE_INTERVAL_SECONDS", str(PURGE_INTERVAL))  # retention tests
        profiles = start_both_profiles(cleanup, workdir, TOKEN, port_that_is_no_figure)
        yield {"workdir": workdir, **profiles}


# --- The HTTP API needs the token -----------------------------------------------------

REFUSED_WITHOUT_TOKEN = [
    ("GET", "/status", None),
    ("GET", "/domain", None),
    ("GET", "/conversations/someone/tracker", None),
    ("GET", "/conversations/someone/story", None),
    ("POST", "/conversations/someone/messages", {"text": "你好", "sender": "user"}),
    ("PUT", "/conversations/someone/tracker/events", []),
    ("POST", "/conversations/someone/trigger_intent", {"name": "greet"}),
    ("POST", "/conversations/someone/execute", {"name": "utter_greet"}),
    ("POST", "/model/parse", {"text": "我欠了信用卡两万"}),
    ("PUT", "/model", {"model_file": "models/x.tar.gz"}),
    ("DELETE", "/model", None),
    ("POST", "/model/train", None),
]
# Calls that change nothing that matters (a throw-away conversation at most).
SAFE_WITH_TOKEN = [call for call in REFUSED_WITHOUT_TOKEN if "/model" not in call[1]] + [
    ("POST", "/model/parse", {"text": "我欠了信用卡两万"})
]


def call(server, method, path, body, sender=None, **params):
    path = path.replace("someone", sender or letters_only("api-"))
    return requests.request(
        method,
        f"{server.url}{path}",
        json=body,
        params=params,
        headers={"Accept": "application/json"},
        timeout=30,
    )


def ids(calls):
    return [f"{method} {path}" for method, path, _ in calls]


@pytest.mark.parametrize("method,path,body", REFUSED_WITHOUT_TOKEN, ids=ids(REFUSED_WITHOUT_TOKEN))
def test_the_http_api_refuses_a_request_without_the_token(servers, method, path, body):
    assert call(servers["sqlite"], method, path, body).status_code == 401


@pytest.mark.parametrize("method,path,body", REFUSED_WITHOUT_TOKEN, ids=ids(REFUSED_WITHOUT_TOKEN))
def test_the_http_api_refuses_a_request_with_a_wrong_token(servers, method, path, body):
    response = call(servers["postgres"], method, path, body, token=TOKEN[:-1] + "x")
    assert response.status_code == 401


@pytest.mark.parametrize("method,path,body", SAFE_WITH_TOKEN, ids=ids(SAFE_WITH_TOKEN))
def test_the_http_api_answers_a_request_with_the_token(servers, method, path, body):
    bot, sender = servers["sqlite"], letters_only("api-")
    bot.send(sender, "你好")
    response = call(bot, method, path, body, sender=sender, token=TOKEN)
    assert response.status_code == 200, response.text


def widget_session(bot, new=False, credential=None):
    """A widget conversation as the page gets it: its id and its credential (the cookie)."""
    response = requests.post(
        f"{bot.url}{WEBCHAT}/session",
        json={"new": new},
        cookies={COOKIE: credential} if credential else None,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()["sender"], response.cookies[COOKIE]


def widget_send(bot, sender, credential, text="你好"):
    return requests.post(
        f"{bot.url}{WEBCHAT}/webhook",
        json={"sender": sender, "message": text},
        cookies={COOKIE: credential},
        timeout=30,
    )


def test_the_chat_channels_need_no_api_token(servers):
    bot = servers["sqlite"]
    sender = letters_only("open-")
    rest = requests.post(f"{bot.url}{WEBHOOK}", json={"sender": sender, "message": "你好"})
    assert rest.status_code == 200 and texts(rest.json())
    widget_sender, credential = widget_session(bot)
    widget = widget_send(bot, widget_sender, credential)
    assert widget.status_code == 200 and texts(widget.json())
    assert requests.get(f"{bot.url}{WEBCHAT}/", timeout=10).status_code == 200
    history = requests.get(
        f"{bot.url}{WEBCHAT}/history",
        params={"sender": widget_sender},
        cookies={COOKIE: credential},
        timeout=10,
    )
    assert history.status_code == 200 and len(history.json()["messages"]) >= 2
    assert requests.get(f"{bot.url}/webhooks/rest/", timeout=10).status_code == 200


# --- A widget conversation opens only with its credential ------------------------------

FORBIDDEN = {
    "status": 403,
    "error": "forbidden",
    "message": "This conversation cannot be opened without its credential.",
}


def history_call(bot, sender, **kwargs):
    return requests.get(f"{bot.url}{WEBCHAT}/history", params={"sender": sender}, **kwargs)


def delete_call(bot, sender, **kwargs):
    return requests.post(f"{bot.url}{WEBCHAT}/delete", json={"sender": sender}, **kwargs)


def webhook_call(bot, sender, **kwargs):
    body = {"sender": sender, "message": "我欠了两万"}
    return requests.post(f"{bot.url}{WEBCHAT}/webhook", json=body, **kwargs)


CONVERSATION_ENDPOINTS = {"history": history_call, "delete": delete_call, "webhook": webhook_call}


def phone_number() -> str:
    return "1" + "".join(random.choices(string.digits, k=10))


@pytest.fixture(scope="module")
def owners(servers):
    """Per store: Alice's widget conversation, Bob's, and a REST one under a phone number."""
    found = {}
    for store in ("sqlite", "postgres"):
        bot = servers[store]
        alice, alices = widget_session(bot)
        assert widget_send(bot, alice, alices, "你好").status_code == 200
        assert widget_send(bot, alice, alices, "我欠了信用卡两万").status_code == 200
        bob, bobs = widget_session(bot)
        rest = phone_number()
        bot.send(rest, "你好")
        found[store] = {"alice": alice, "alices": alices, "bob": bob, "bobs": bobs, "rest": rest}
    return found


def refusals(who):
    """(case, sender, request options) for every way to ask without the right credential."""
    alice, alices, bobs, rest = who["alice"], who["alices"], who["bobs"], who["rest"]
    forged = alice + "." + "A" * 43
    return [
        ("no credential", alice, {}),
        ("a wrong credential", alice, {"cookies": {COOKIE: forged}}),
        ("a wrong credential in the header", alice, {"headers": {CREDENTIAL_HEADER: forged}}),
        ("the MAC of another id", alice, {"cookies": {COOKIE: alice + bobs[len(alice) :]}}),
        ("another conversation's credential", alice, {"cookies": {COOKIE: bobs}}),
        ("another's, in the header", alice, {"headers": {CREDENTIAL_HEADER: bobs}}),
        ("a REST conversation's id", rest, {}),
        ("a REST id with a widget credential", rest, {"cookies": {COOKIE: alices}}),
        ("a REST id with a forged credential", rest, {"cookies": {COOKIE: f"{rest}.{'A' * 43}"}}),
        ("a widget id that does not exist", "web-" + secrets.token_hex(16), {}),
    ]


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
@pytest.mark.parametrize("endpoint", sorted(CONVERSATION_ENDPOINTS))
def test_a_conversation_without_its_credential_is_refused_alike(servers, owners, store, endpoint):
    bot, who = servers[store], owners[store]
    before = history_call(bot, who["alice"], cookies={COOKIE: who["alices"]}).json()
    rest_rows = ROWS[store](servers, who["rest"])
    bodies = set()
    for case, sender, options in refusals(who):
        response = CONVERSATION_ENDPOINTS[endpoint](bot, sender, timeout=30, **options)
        assert response.status_code == 403, f"{case}: {response.status_code} {response.text}"
        assert response.json() == FORBIDDEN, case
        bodies.add(response.content)
    assert len(bodies) == 1, "the same bytes whatever the case: nothing is revealed"
    after = history_call(bot, who["alice"], cookies={COOKIE: who["alices"]}).json()
    assert after == before, "nothing was written into or deleted from Alice's conversation"
    assert ROWS[store](servers, who["rest"]) == rest_rows > 0


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_the_owner_reads_writes_and_deletes_her_conversation(servers, store):
    bot = servers[store]
    sender, credential = widget_session(bot)
    assert widget_send(bot, sender, credential).status_code == 200
    mine = {"cookies": {COOKIE: credential}, "timeout": 30}
    history = history_call(bot, sender, **mine)
    assert history.status_code == 200
    assert history.json()["messages"][0] == {"role": "user", "text": "你好"}
    assert webhook_call(bot, sender, **mine).status_code == 200
    assert ROWS[store](servers, sender) > 0
    deleted = delete_call(bot, sender, **mine)
    assert deleted.status_code == 200 and deleted.json() == {"sender": sender, "deleted": True}
    assert ROWS[store](servers, sender) == 0
    assert history_call(bot, sender, **mine).json()["messages"] == []


def test_the_embedded_widget_proves_ownership_with_its_header(servers):
    bot = servers["sqlite"]
    response = requests.post(f"{bot.url}{WEBCHAT}/session", json={"embed": True}, timeout=10)
    data = response.json()
    assert COOKIE not in response.cookies, "no cookie: it would not be sent in a foreign frame"
    header = {"headers": {CREDENTIAL_HEADER: data["credential"]}, "timeout": 30}
    assert webhook_call(bot, data["sender"], **header).status_code == 200
    assert len(history_call(bot, data["sender"], **header).json()["messages"]) >= 2
    assert history_call(bot, data["sender"], timeout=10).status_code == 403


def test_the_credential_cookie_cannot_be_read_by_scripts_or_sent_by_other_sites(servers):
    response = requests.post(f"{servers['sqlite'].url}{WEBCHAT}/session", json={}, timeout=10)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=web-")
    for attribute in ("HttpOnly", "SameSite=Strict", f"Path={WEBCHAT}/"):
        assert attribute in cookie, cookie
    assert "credential" not in response.json()
    behind_https = requests.post(
        f"{servers['sqlite'].url}{WEBCHAT}/session",
        json={},
        headers={"X-Forwarded-Proto": "https"},
        timeout=10,
    )
    assert "Secure" in behind_https.headers["Set-Cookie"]


def test_a_reload_keeps_the_conversation_and_a_new_one_rotates_the_credential(servers):
    bot = servers["postgres"]
    first, first_credential = widget_session(bot)
    assert widget_send(bot, first, first_credential).status_code == 200
    assert widget_session(bot, credential=first_credential) == (first, first_credential)
    second, second_credential = widget_session(bot, new=True, credential=first_credential)
    assert second != first and second_credential != first_credential
    assert history_call(bot, first, cookies={COOKIE: second_credential}).status_code == 403
    assert history_call(bot, second, cookies={COOKIE: second_credential}).json()["messages"] == []


def test_the_secret_is_private_and_never_committed(servers):
    secret = ROOT / "var" / "webchat_secret"
    assert secret.stat().st_size == 32
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(secret)], cwd=ROOT, check=False
    ).returncode
    assert ignored == 0, "var/webchat_secret must be git-ignored"


HOSTILE = [
    ("POST", "session", {"data": b"\xff\xfe", "headers": {"Content-Type": "application/json"}}),
    ("POST", "session", {"data": b'{"new": true}', "headers": {"Content-Type": "text/plain"}}),
    ("POST", "session", {"json": {"new": "yes", "embed": [1]}}),
    ("POST", "session", {"json": {}, "cookies": {COOKIE: "x" * 3000}}),
    ("POST", "session", {"json": {}, "cookies": {COOKIE: "web-" + "0" * 32 + "." + "é" * 43}}),
    ("GET", "session", {}),
    ("GET", "history", {"params": {"sender": "x" * 5000}}),
    ("GET", "history?sender=%ED%A0%80", {}),  # a lone surrogate, UTF-8 encoded
    ("GET", "history", {"params": [("sender", "a"), ("sender", "b")]}),
    ("GET", "history", {"headers": {CREDENTIAL_HEADER: "\u00e9" * 100}}),
    ("POST", "history", {}),
    ("POST", "delete", {"data": b"[]"}),
    ("POST", "delete", {"json": {"sender": ["web-" + "0" * 32]}}),
    ("POST", "delete", {"json": {"sender": "web-" + "0" * 32}, "cookies": {COOKIE: ".."}}),
    ("GET", "delete", {}),
    ("POST", "webhook", {"json": {"sender": "web-" + "0" * 32, "message": None}}),
    ("POST", "webhook", {"json": {"sender": "'; DROP TABLE events; --", "message": "hi"}}),
    ("POST", "webhook", {"data": b"\x00" * 1000}),
]


@pytest.mark.parametrize("method,path,options", HOSTILE, ids=[f"{m} {p}" for m, p, _ in HOSTILE])
def test_hostile_widget_requests_get_no_5xx(servers, method, path, options):
    response = requests.request(
        method, f"{servers['sqlite'].url}{WEBCHAT}/{path}", timeout=30, **options
    )
    assert response.status_code < 500, response.text
    if response.status_code == 200:  # a bad cookie gets a new conversation, nothing else
        assert path == "session" and response.json()["new"] is True, response.text
    else:
        assert response.status_code in (400, 403, 405, 415), response.text


FUZZ_PATHS = [
    f"{WEBCHAT}/session",
    f"{WEBCHAT}/history",
    f"{WEBCHAT}/delete",
    f"{WEBCHAT}/webhook",
    f"{WEBCHAT}/",
    f"{WEBCHAT}/static/widget.js",
    f"{WEBCHAT}/static/..%2F..%2Fvar%2Fwebchat_secret",
    WEBHOOK,
]


def hostile_request(rng: random.Random) -> tuple[str, str, dict]:
    """One seeded malformed request: odd method, body, cookie, header or query."""
    junk = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 17, 300, 5000])))
    bodies = [
        {"data": junk},
        {"json": {"sender": rng.choice([None, 7, [], "", "web-" + "f" * 32]), "message": "hi"}},
        {"json": {"sender": "web-" + secrets.token_hex(16), "message": "\ud800" * 3}},
        {"json": rng.choice([[], "x", 3, None, {"message": {"a": 1}}])},
        {"data": b"{" * rng.randrange(1, 2000)},
    ]
    options = dict(rng.choice(bodies))
    if rng.random() < 0.5:  # any character a client can put in a cookie header
        cookie_characters = string.ascii_letters + string.digits + "!#$%&'()*+-./:<=>?@[]^_`{|}~"
        options["cookies"] = {COOKIE: "".join(rng.choice(cookie_characters) for _ in range(60))}
    if rng.random() < 0.3:
        options["headers"] = {CREDENTIAL_HEADER: secrets.token_urlsafe(rng.randrange(1, 80))}
    if rng.random() < 0.3:
        options["params"] = {"sender": "".join(rng.choice(string.printable) for _ in range(40))}
    return rng.choice(["GET", "POST", "PUT", "DELETE"]), rng.choice(FUZZ_PATHS), options


def test_150_seeded_hostile_requests_get_no_5xx(servers):
    rng = random.Random(20261130)
    failures = []
    for _ in range(150):
        method, path, options = hostile_request(rng)
        response = requests.request(method, f"{servers['sqlite'].url}{path}", timeout=30, **options)
        if response.status_code >= 500:
            failures.append((method, path, response.status_code, response.text[:200]))
    assert failures == []


# --- The widget's page and files carry their security headers --------------------------

WIDGET_FILES = ["", "static/widget.js", "static/widget.css", "static/embed.js"]


@pytest.mark.parametrize("path", WIDGET_FILES)
def test_the_widget_page_and_files_have_a_strict_content_security_policy(servers, path):
    response = requests.get(f"{servers['sqlite'].url}{WEBCHAT}/{path}", timeout=10)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'", "scripts only from the server's own files"
    assert "script-src" not in directives and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'self'", "framed only by the site itself"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"


@pytest.mark.parametrize("path", WIDGET_FILES)
def test_the_widget_page_and_files_are_not_sniffed_nor_leak_the_referrer(servers, path):
    response = requests.get(f"{servers['postgres'].url}{WEBCHAT}/{path}", timeout=10)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_page_runs_no_inline_script(servers):
    """Scripts come from files; the labels' JSON element is data the browser never runs."""
    page = requests.get(f"{servers['sqlite'].url}{WEBCHAT}/", timeout=10).text
    for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S | re.I):
        if 'type="application/json"' in attributes:
            assert "src=" not in attributes and "<" not in body
            continue
        assert 'src="' in attributes and not body.strip()
    assert not re.search(r"\son[a-z]+\s*=", page, re.I)


@pytest.mark.parametrize("path", ["session", "history"])
def test_conversation_answers_are_never_cached_or_sniffed(servers, path):
    bot = servers["sqlite"]
    sender, credential = widget_session(bot)
    if path == "session":
        response = requests.post(f"{bot.url}{WEBCHAT}/session", json={}, timeout=10)
    else:
        response = history_call(bot, sender, cookies={COOKIE: credential}, timeout=10)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- "删除我的记录" erases the conversation from the tracker store ---------------------


def sqlite_rows(servers, sender: str) -> int:
    with sqlite3.connect(servers["workdir"] / "tracker.db") as connection:
        query = "SELECT COUNT(*) FROM events WHERE sender_id = ?"
        return connection.execute(query, (sender,)).fetchone()[0]


def postgres_rows(servers, sender: str) -> int:
    return len(stored_events(servers["database"], sender))


ROWS = {"sqlite": sqlite_rows, "postgres": postgres_rows}


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_saying_delete_my_records_erases_the_conversation_from_the_store(servers, store):
    bot, sender = servers[store], letters_only("erase-")
    bot.send(sender, "你好")
    bot.send(sender, "帮我算算怎么还")
    bot.send(sender, "4万8")
    assert ROWS[store](servers, sender) > 0
    bot.send(sender, "删除我的记录")
    assert ROWS[store](servers, sender) > 0, "a deletion is confirmed before it happens"
    response = requests.post(
        f"{bot.url}{WEBHOOK}", json={"sender": sender, "message": "/affirm"}, timeout=30
    )
    assert response.status_code == 200 and texts(response.json())
    assert response.headers.get("X-Conversation-Deleted") == "true"
    assert ROWS[store](servers, sender) == 0


# --- The logs never carry a user's figures --------------------------------------------


def figure_patterns(offers: list[dict]) -> list["re.Pattern[str]"]:
    """The figures as written, and every amount as a whole number (48000 or 48000.0)."""
    amounts = set(FIGURES_AS_NUMBERS)
    for offer in offers:
        amounts |= {offer[k] for k in ("opening_monthly", "ceiling_monthly") if offer[k]}
    numbers = [re.compile(rf"(?<!\d){amount}(?!\d)") for amount in sorted(amounts)]
    return [re.compile(re.escape(written)) for written in FIGURES_AS_WRITTEN] + numbers


def logs(servers) -> dict[str, str]:
    workdir: Path = servers["workdir"]
    return {
        str(path.relative_to(workdir)): path.read_text(encoding="utf-8", errors="replace")
        for path in workdir.rglob("*.log")
    }


def test_the_logs_at_the_default_level_never_carry_the_users_figures(servers):
    offers = []
    for store in ("sqlite", "postgres"):
        for messages in FIGURE_CONVERSATIONS:
            sender = letters_only("figures-")
            for message in messages:
                offers += customs(servers[store].send(sender, message), "repayment_offer")
    assert len(offers) >= 4, "the conversations must reach their offers"
    patterns = figure_patterns(offers)
    found = [
        f"{name}: …{line[max(0, match.start() - 100) : match.end() + 40]}…"
        for name, text in logs(servers).items()
        for line in text.splitlines()
        for match in filter(None, (pattern.search(line) for pattern in patterns))
    ]
    assert len(logs(servers)) == 3, "an action server log and two Rasa server logs"
    assert not found, "figures in the logs:\n" + "\n".join(found)


# --- Deletion under the conversation's lock (issue 12) --------------------------------

NEXT_MESSAGE = "催收员到底是干什么的"


def sqlite_users(servers, sender: str) -> list[str]:
    with sqlite3.connect(servers["workdir"] / "tracker.db") as connection:
        query = "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id"
        rows = connection.execute(query, (sender,)).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def postgres_users(servers, sender: str) -> list[str]:
    events = stored_events(servers["database"], sender)
    return [event["data"]["text"] for event in events if event["type_name"] == "user"]


USERS = {"sqlite": sqlite_users, "postgres": postgres_users}


DELAYS = [0, 0, 0.02, 0.05, 0.1, 0.2]


def after(seconds: float, call):
    time.sleep(seconds)
    return call()


def at_once(*calls):
    """Runs the calls in threads released together; their responses in order."""
    barrier = threading.Barrier(len(calls))

    def released(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(released, calls))


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_a_widget_message_and_a_deletion_at_the_same_moment(servers, store):
    """The deletion waits for the turn in progress, or the message for the deletion:
    never old events written back after a deletion, never half a conversation."""
    bot, orders = servers[store], []
    for delay in DELAYS:  # the deletion arrives before, with, or during the turn
        sender, credential = widget_session(bot)
        for text in ("你好", "我欠了信用卡两万"):
            assert widget_send(bot, sender, credential, text).status_code == 200
        delete = partial(delete_call, bot, sender, cookies={COOKIE: credential}, timeout=30)
        message, deletion = at_once(
            partial(widget_send, bot, sender, credential, NEXT_MESSAGE),
            partial(after, delay, delete),
        )
        assert message.status_code == 200 and texts(message.json())
        assert deletion.status_code == 200
        assert deletion.json() == {"sender": sender, "deleted": True}
        users = USERS[store](servers, sender)
        assert users in ([], [NEXT_MESSAGE]), f"after the deletion: {users}"
        orders.append("deletion first" if users else "message first")
    print(f"\n{store}: {', '.join(orders)}")


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_a_confirmed_deletion_and_a_message_at_the_same_moment(servers, store):
    bot = servers[store]
    old = ["你好", "我欠了4万8", "删除我的记录"]
    for delay in DELAYS:  # the message arrives with the confirmation or during its turn
        sender = letters_only("race-")
        for text in old:
            bot.send(sender, text)
        affirm, message = at_once(
            partial(rest_post, bot, sender, "/affirm"),
            partial(after, delay, partial(rest_post, bot, sender, NEXT_MESSAGE)),
        )
        assert affirm.status_code == message.status_code == 200
        users = USERS[store](servers, sender)
        if affirm.headers.get("X-Conversation-Deleted") == "true":
            assert users in ([], [NEXT_MESSAGE]), f"deleted, yet {users} stored"
        else:  # the message came first: "/affirm" answered no question any more
            assert users == [*old, NEXT_MESSAGE, "/affirm"]


def rest_post(bot, sender: str, text: str) -> requests.Response:
    return requests.post(
        f"{bot.url}{WEBHOOK}", json={"sender": sender, "message": text}, timeout=30
    )


# --- Retention: idle conversations are deleted by the server itself (issue 12) --------

DAY = 86400


def backdate_sqlite(servers, sender: str, seconds: float) -> None:
    with sqlite3.connect(servers["workdir"] / "tracker.db") as connection:
        query = "UPDATE events SET timestamp = timestamp - ? WHERE sender_id = ?"
        connection.execute(query, (seconds, sender))


def backdate_postgres(servers, sender: str, seconds: float) -> None:
    connection = connect(servers["database"])
    try:
        with connection, connection.cursor() as cursor:
            query = "UPDATE events SET timestamp = timestamp - %s WHERE sender_id = %s"
            cursor.execute(query, (seconds, sender))
    finally:
        connection.close()


BACKDATE = {"sqlite": backdate_sqlite, "postgres": backdate_postgres}


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_the_server_deletes_conversations_idle_for_more_than_ninety_days(servers, store):
    """The servers purge every PURGE_INTERVAL seconds here (every hour by default)."""
    bot = servers[store]
    senders = {days: letters_only(f"idle-{days}-") for days in (91, 89, 0)}
    for days, sender in senders.items():
        bot.send(sender, "你好")
        bot.send(sender, "帮我算算怎么还")
        BACKDATE[store](servers, sender, days * DAY)
    deadline = time.time() + 5 * PURGE_INTERVAL + 10
    while ROWS[store](servers, senders[91]) and time.time() < deadline:
        time.sleep(0.5)
    assert ROWS[store](servers, senders[91]) == 0, "idle for 91 days, still stored"
    time.sleep(2 * PURGE_INTERVAL)  # two more purges
    assert ROWS[store](servers, senders[89]) > 0
    assert ROWS[store](servers, senders[0]) > 0
    replies = bot.send(senders[91], "你好")  # a user back after 91 days starts afresh
    assert texts(replies) and USERS[store](servers, senders[91]) == ["你好"]


# --- The NLU pipeline cleans its own input (issue 12) ---------------------------------

MALFORMED_TEXTS = {
    "a lone high surrogate": '{"text": "\\ud800"}',
    "a lone low surrogate inside Chinese": '{"text": "我欠了\\udfff两万"}',
    "a reversed surrogate pair": '{"text": "\\ude00\\ud83d 催收"}',
    "control characters": json.dumps({"text": "\u0000\u0007\u001b[31m我欠了两万\u202e"}),
    "1 MB of Chinese": json.dumps({"text": "欠" * 1_000_000}, ensure_ascii=False),
    "1 MB of one line": json.dumps({"text": "a" * (1 << 20)}),
}


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
@pytest.mark.parametrize("case", sorted(MALFORMED_TEXTS))
def test_model_parse_cleans_malformed_text_instead_of_failing(servers, store, case):
    response = requests.post(
        f"{servers[store].url}/model/parse",
        params={"token": TOKEN},
        data=MALFORMED_TEXTS[case].encode("utf-8"),
        headers={"Content-Type": "application/json"},
        timeout=120,
    )
    assert response.status_code == 200, response.text[:300]
    parsed = response.json()
    assert parsed["intent"]["name"]
    assert len(parsed["text"]) <= MAX_TEXT_LENGTH
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in parsed["text"])
