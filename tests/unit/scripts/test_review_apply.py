"""`make review-apply`: reviewed queue lines become training lines with their source marked."""

import json
import subprocess
import sys

import yaml

from coach.paths import ROOT

SCRIPT = str(ROOT / "scripts" / "review_apply.py")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, cwd=ROOT)


def held_out_line() -> str:
    outside = yaml.safe_load((ROOT / "tests/nlu/outside.yml").read_text(encoding="utf-8"))
    block = outside["nlu"][0]
    return block["examples"].splitlines()[0].strip()[2:]


def test_reviewed_lines_go_to_the_training_file_and_held_out_lines_do_not(tmp_path):
    queue = tmp_path / "queue.jsonl"
    lines = [
        {"text": "那个催的讲要跑来我屋头找我妈#", "correct_intent": "report_collector_demand"},
        {"text": held_out_line(), "correct_intent": "greet"},
        {"text": "还没看过的一句", "correct_intent": None},
    ]
    queue.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines))
    target = tmp_path / "reviewed.yml"

    done = run("--queue", str(queue), "--nlu", str(target))

    assert done.returncode == 0, done.stderr
    assert "Added 1 line(s)" in done.stdout and "repeats a held-out test line" in done.stdout
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["nlu"] == [
        {
            "intent": "report_collector_demand",
            "metadata": {"source": "review queue (make review-apply)"},
            "examples": "- 那个催的讲要跑来我屋头找我妈#\n",
        }
    ]
    assert "already in the training data" in run("--queue", str(queue), "--nlu", str(target)).stdout


def test_a_real_question_of_the_test_sites_is_refused_too(tmp_path):
    real = (ROOT / "tests/nlu/real_questions.tsv").read_text(encoding="utf-8").splitlines()[1]
    queue = tmp_path / "queue.jsonl"
    text = real.split("\t")[0]
    queue.write_text(json.dumps({"text": text, "correct_intent": "ask_collection_process"}))
    done = run("--queue", str(queue), "--nlu", str(tmp_path / "reviewed.yml"))
    assert "Added 0 line(s)" in done.stdout and "repeats a held-out test line" in done.stdout


def test_it_never_writes_into_the_test_sets(tmp_path):
    queue = tmp_path / "queue.jsonl"
    queue.write_text(json.dumps({"text": "随便一句话而已", "correct_intent": "greet"}))
    done = run("--queue", str(queue), "--nlu", str(ROOT / "tests/nlu/reviewed.yml"))
    assert done.returncode != 0 and "never go into tests/" in done.stderr
    assert not (ROOT / "tests/nlu/reviewed.yml").exists()
