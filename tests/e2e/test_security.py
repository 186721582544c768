"""Production security: the API needs its token, the chat does not, users can erase
their conversation, and the logs never carry a user's figures.

Two Rasa servers started as scripts/run_servers.sh starts them (``--auth-token``, the
default log level): one on SQLite (default profile), one on PostgreSQL + Redis
(scale-out profile), with one action server.
"""

import random
import re
import secrets
import sqlite3
import string
from contextlib import ExitStack
from pathlib import Path
from typing import Dict, List

import pytest
import requests

from tests.e2e.chat import customs, texts
from tests.e2e.servers import (
    free_port,
)
from tests.e2e.stores import (
    start_both_profiles,
    stored_events,
)

TOKEN = secrets.token_hex(16)
WEBHOOK = "/webhooks/rest/webhook"
WEBCHAT = "/webhooks/webchat"

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


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Dict[str, object]:
    workdir = tmp_path_factory.mktemp("security")
    with ExitStack() as cleanup, pytest.MonkeyPatch.context() as env:
        # The default log level, as in production; unbuffered, so the logs are complete.
        for name in ("LOG_LEVEL", "LOG_LEVEL_LIBRARIES", "DEBUG"):
            env.delenv(name, raising=False)
        env.setenv("PYTHONUNBUFFERED", "1")
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


def test_the_chat_channels_need_no_token(servers):
    bot = servers["sqlite"]
    sender = letters_only("open-")
    rest = requests.post(f"{bot.url}{WEBHOOK}", json={"sender": sender, "message": "你好"})
    assert rest.status_code == 200 and texts(rest.json())
    widget = requests.post(
        f"{bot.url}{WEBCHAT}/webhook", json={"sender": sender, "message": "你好"}, timeout=30
    )
    assert widget.status_code == 200 and texts(widget.json())
    assert requests.get(f"{bot.url}{WEBCHAT}/", timeout=10).status_code == 200
    history = requests.get(f"{bot.url}{WEBCHAT}/history", params={"sender": sender}, timeout=10)
    assert history.status_code == 200 and len(history.json()["messages"]) >= 4
    assert requests.get(f"{bot.url}/webhooks/rest/", timeout=10).status_code == 200


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


def figure_patterns(offers: List[dict]) -> List["re.Pattern[str]"]:
    """The figures as written, and every amount as a whole number (48000 or 48000.0)."""
    amounts = set(FIGURES_AS_NUMBERS)
    for offer in offers:
        amounts |= {offer[k] for k in ("opening_monthly", "ceiling_monthly") if offer[k]}
    numbers = [re.compile(rf"(?<!\d){amount}(?!\d)") for amount in sorted(amounts)]
    return [re.compile(re.escape(written)) for written in FIGURES_AS_WRITTEN] + numbers


def logs(servers) -> Dict[str, str]:
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
