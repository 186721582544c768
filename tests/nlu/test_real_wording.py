"""The real-wording corpus is split by source site and its test side is never trained on.

The test side is tests/nlu/real_questions.tsv, the train side data/real_wording/corpus.tsv
(generated into data/nlu/real_wording.yml by scripts/real_wording.py).
"""

import importlib.util
import sys

from coach.paths import ROOT

_SPEC = importlib.util.spec_from_file_location("real_wording", ROOT / "scripts/real_wording.py")
assert _SPEC and _SPEC.loader
real_wording = importlib.util.module_from_spec(_SPEC)
sys.modules["real_wording"] = real_wording
_SPEC.loader.exec_module(real_wording)
Line = real_wording.Line


def line(text: str, intents: str, url: str) -> "Line":
    return Line(text, tuple(intents.split("|")), real_wording.site_of(url), url)


def test_the_split_shares_no_site_trains_no_test_line_and_the_yaml_is_current():
    assert real_wording.check() == []


def test_the_corpus_has_over_500_real_lines_split_about_evenly_between_many_sites():
    train = real_wording.read_lines(real_wording.TRAIN)
    test = real_wording.read_lines(real_wording.TEST)
    assert len(train) + len(test) >= 500
    assert 0.4 <= len(test) / (len(train) + len(test)) <= 0.6
    assert len({item.site for item in test}) >= 50
    assert all(item.source_url.startswith("http") for item in train + test)


def test_a_shared_site_a_trained_test_line_and_an_unknown_intent_are_problems():
    train = [line("信用卡逾期一天是什么后果", "ask_collection_process", "https://m.a.com/1")]
    test = [
        line("信用卡逾期一天是什么后果！", "ask_collection_process", "https://www.b.cn/2"),
        line("外访上门催收合法吗", "ask_home_visi", "http://a.com/3"),
    ]
    problems = real_wording.split_problems(train, test, {"ask_collection_process"})
    assert "site in both splits: a.com" in problems
    assert "test line trained on: 信用卡逾期一天是什么后果" in problems
    assert "unknown intent ask_home_visi: 外访上门催收合法吗" in problems


def test_a_site_is_the_registrable_domain_of_its_address():
    assert real_wording.site_of("https://mip.64365.com/special/1") == "64365.com"
    assert real_wording.site_of("http://anju.szhome.com/info/x.html") == "szhome.com"
    assert real_wording.site_of("https://www.53761.com.cn/a.html") == "53761.com.cn"
    assert real_wording.site_of("http://39.103.169.235/p/1") == "39.103.169.235"


def test_a_line_trains_its_first_intent_the_domain_has_and_a_topic_trains_nothing():
    lines = [
        line("催收部门上门催收合法吗", "ask_home_visit", "https://a.com/1"),
        line("催收电话法规", "ask_legal_rights", "https://b.com/2"),
        line("车贷逾期多久会拖车", "topic:car_loan", "https://c.com/3"),
    ]
    known = {"ask_legal_rights"}
    trained = real_wording.training_yaml(lines, known)
    pending = real_wording.pending_yaml(lines, known)
    assert "# source: b.com\n- intent: ask_legal_rights" in trained
    assert "催收部门" not in trained and "- intent: ask_home_visit" in pending
    assert "拖车" not in trained + pending
