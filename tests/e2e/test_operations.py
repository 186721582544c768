"""Operating the coach: conversations through the real server fill the SQLite tracker store;
`make review` (scripts/review.py) then queues the misunderstood line masked and leaves the
understood ones out, the markers count the milestones, and /metrics shows the counters and
the response-time histogram moving without a word, figure or id of the conversations."""

import json
import re
import subprocess
import sys

import pytest
import requests

from devtools.servers import ROOT, ServerPair
from tests.support.chat import customs

FORM = [
    "帮我算算怎么还",
    "5万",
    '/inform_finances{"lender_type":"credit_card"}',
    "三个月",
    "9000",
    "五千五",
    "没有",
]
MISUNDERSTOOD = "哈哈嘿嘿呜啦啦 我叫张伟 卡号6222020112345678"
MISUNDERSTOOD_MASKED = "哈哈嘿嘿呜啦啦 我叫# 卡号#"
DELETED_LINE = "呜啦啦嘿嘿哈哈 我姓李 13600001111"
SENDERS = {
    "form": "13812345678",
    "miss": "13900002222",
    "crisis": "13700003333",
    "delete": "13500004444",
}


def metrics(bot) -> str:
    response = requests.get(f"{bot.url}/metrics", timeout=10)
    response.raise_for_status()
    assert response.headers["Content-Type"].startswith("text/plain")
    return response.text


def sample(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("operations")
    pair = ServerPair(workdir).start()
    bot = pair.rasa
    try:
        before = metrics(bot)
        replies = [bot.send(SENDERS["form"], text) for text in FORM]
        assert customs(replies[-1], "repayment_offer")
        bot.send(SENDERS["miss"], MISUNDERSTOOD)
        bot.send(SENDERS["miss"], "/out_of_scope")
        bot.send(SENDERS["crisis"], "我不想活了，欠太多了")
        for text in (DELETED_LINE, "删除我的记录", "是的"):
            bot.send(SENDERS["delete"], text)
        yield {
            "workdir": workdir,
            "pair": pair,
            "before": before,
            "after": metrics(bot),
            "sent": 13,
        }
    finally:
        pair.stop()


@pytest.fixture(scope="module")
def review(served):
    workdir = served["workdir"]
    out = workdir / "review" / "queue.jsonl"
    command = [
        sys.executable,
        str(ROOT / "scripts/review.py"),
        "--endpoints",
        str(workdir / "endpoints.yml"),
    ]
    command += ["--out", str(out), "--salt-file", str(workdir / "salt")]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {
        "stdout": done.stdout,
        "queue": lines,
        "raw": out.read_text(encoding="utf-8"),
        "markers": (out.parent / "markers.csv").read_text(encoding="utf-8"),
    }


def test_the_misunderstood_line_is_queued_masked_and_the_understood_lines_are_not(review):
    queued = {line["text"]: line for line in review["queue"]}
    assert MISUNDERSTOOD_MASKED in queued
    line = queued[MISUNDERSTOOD_MASKED]
    # Queued as a miss: below the fallback threshold (0.2) a fallback, just above it low confidence.
    assert {"fallback", "low_confidence"} & set(line["reasons"])
    assert line["reply"] and line["correct_intent"] is None and line["turn"] == 1
    form_lines = {text for text in FORM if not text.startswith("/")}
    assert not form_lines & set(queued)


def test_the_queue_and_the_markers_are_readable_by_their_owner_only(served, review):
    for name in ("queue.jsonl", "markers.csv"):
        assert (served["workdir"] / "review" / name).stat().st_mode & 0o077 == 0


def test_the_queue_shows_no_id_and_nothing_of_a_deleted_conversation(review):
    for secret in [*SENDERS.values(), "张伟", "6222020112345678", "呜啦啦嘿嘿哈哈", "13600001111"]:
        assert secret not in review["raw"] and secret not in review["markers"]
    assert "Read " in review["stdout"] and "fallback:" in review["stdout"]


def test_the_markers_count_the_milestones(review):
    counts = dict(re.findall(r"^  (\w+): (\d+)$", review["stdout"].split("markers.yml")[-1], re.M))
    assert counts["reached_offer"] == "1"
    assert counts["hit_crisis_net"] == "1"
    assert counts["deleted_data"] == "0"  # the deleted conversation is gone from the store


def test_the_counters_and_the_histogram_move_with_the_conversations(served):
    before, after = served["before"], served["after"]
    for name in ("coach_messages_total", "coach_response_seconds_count"):
        assert sample(after, name) - sample(before, name) == served["sent"]
    assert sample(after, "coach_response_seconds_sum") > sample(
        before, "coach_response_seconds_sum"
    )
    assert sample(after, "coach_fallback_total") >= 1
    assert sample(after, "coach_crisis_total") == 1
    assert sample(after, 'coach_milestone_total{milestone="offer"}') == 1
    assert sample(after, 'coach_milestone_total{milestone="data_deleted"}') == 1
    assert sample(after, 'coach_milestone_total{milestone="practice"}') == 0
    assert sample(after, 'coach_intent_total{intent="request_repayment_plan"}') >= 1


def test_the_metrics_hold_no_words_figures_or_ids(served):
    text = served["after"]
    assert not re.search(r"[\u4e00-\u9fff]", text)
    for secret in [*SENDERS.values(), "50000", "9000", "5500", "1800", "6222020112345678"]:
        assert not re.search(rf"\b{secret}\b", text)
    labels = set(re.findall(r'(\w+)="', text))
    assert labels <= {"intent", "milestone", "le"}
