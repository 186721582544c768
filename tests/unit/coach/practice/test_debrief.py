"""The trainer's debrief: three comments tied to turns, the replay, progress over rounds."""

import json
from dataclasses import replace

import pytest

from coach.content import load_content
from coach.practice.debrief import (
    COMMENTS,
    HISTORY_LIMIT,
    RoundSummary,
    debrief,
    history_from_slot,
    history_to_slot,
    progress_lines,
    render_replay,
    with_debrief,
)
from coach.practice.round_start import new_round
from coach.practice.scorer import render_feedback, score_round
from coach.practice.state import Plan
from coach.practice.turn_reader import read_turn
from tests.support.practice import offer, play

ACE_AND_IRP = {
    "walk_away_point",
    "target",
    "breaking_the_ice",
    "first_offer",
    "ambitious_opening",
    "strong_counteroffer",
    "rationale",
    "strategic_closing",
    "interests",
    "rights",
    "power",
}


def made_round(lines, agreed=None, persona="pushy", crossed_at=None):
    state = new_round(persona, seed=1)
    scenario = replace(state.scenario, balance=48000, affordable_monthly=2000, max_term_months=60)
    return replace(
        state,
        scenario=scenario,
        floor=Plan(monthly=800, term=60),
        readings=tuple(read_turn(line) for line in lines),
        turns=len(lines),
        agreement=None if agreed is None else Plan(*agreed),
        finished=True,
        crossed_line=crossed_at is not None,
        crossed_at_turn=crossed_at,
    )


GIVES_IN = [
    "你好，我是张伟，这笔钱是我欠的，我愿意还。",
    "请问你叫什么名字？",
    "好吧，我今天全部还清。",
    "对",
]
ANGRY = [
    "你他妈的烦不烦！！！",
    "每月1900，分26期",
    "每月2000",
    "好的，就这么定",
]
WELL_RUN = [
    "你好，我是张伟，是这张卡的持卡人。这笔钱是我欠的，我愿意还。",
    "请问你叫什么名字？工号多少？",
    "我会还的，但是今天全部还清做不到。因为我失业了，收入少了一半，每月能还1300，分37期。",
    "如果能免掉罚息，我可以每月还1500。",
    "因为孩子上学要交学费，我最多再加100元，每月1600。",
    "好的，每月1600，请把方案用短信发给我确认。",
]


def comments(lines, **kwargs):
    return debrief(made_round(lines, **kwargs))


def test_a_round_gets_three_comments_each_tied_to_a_quoted_turn():
    found = comments(GIVES_IN, agreed=(48000, 1))
    assert len(found) == COMMENTS
    for comment in found:
        assert 1 <= comment.turn <= len(GIVES_IN)
        assert comment.quote == GIVES_IN[comment.turn - 1]
        assert comment.label in ACE_AND_IRP
        assert comment.comment and comment.say


def test_the_comments_are_in_turn_order_with_different_labels():
    found = comments(ANGRY, agreed=(2000, 24))
    assert [c.turn for c in found] == sorted(c.turn for c in found)
    assert len({c.label for c in found}) == len(found)


def test_caving_in_is_a_walk_away_point_error_quoting_the_promise():
    found = {c.key: c for c in comments(GIVES_IN, agreed=(48000, 1))}
    pay = found["pay_in_full"]
    assert pay.label == "walk_away_point" and pay.quote == "好吧，我今天全部还清。"
    assert "48000" in pay.comment and "做不到" in pay.say
    assert found["accepted_first_demand"].label == "strong_counteroffer"


def test_insults_are_a_power_error_with_a_calm_sentence_to_say():
    found = {c.key: c for c in comments(ANGRY, agreed=(2000, 24))}
    assert found["insult"].label == "power" and found["insult"].turn == 1
    assert not read_turn(found["insult"].say).insulted_or_shouted


def test_an_unnamed_breach_is_a_rights_error():
    lines = ["我是张伟，我愿意还", "嗯", "每月1300，分37期", "我尽量"]
    found = {c.key: c for c in comments(lines, persona="abusive", crossed_at=1)}
    assert found["rights_missed"].label == "rights" and found["rights_missed"].turn == 2
    assert read_turn(found["rights_missed"].say).asserted_rights


def test_a_well_run_round_gets_strengths_where_errors_run_out():
    found = comments(WELL_RUN, agreed=(1600, 30))
    kinds = [c.kind for c in found]
    assert "strength" in kinds and len(found) == COMMENTS
    assert all(c.key != "pay_in_full" for c in found)


def test_repeating_one_offer_is_a_strategic_closing_error():
    found = {c.key: c for c in comments(["每月1500，分32期"] * 6)}
    assert found["rigid"].label == "strategic_closing"
    assert "6次" in found["rigid"].comment


def test_the_sentences_to_say_use_the_rounds_figures():
    found = {c.key: c for c in comments(["我尽量", "过段时间再说", "有钱就还"])}
    vague = found["vague"]
    assert vague.label == "first_offer" and vague.turn == 1
    assert read_turn(vague.say).offered_monthly == 1400  # 70 % of the ceiling 2000


def test_an_unfinished_round_gets_no_debrief():
    assert comments(["喂", "嗯"]) == []


def test_a_comment_becomes_a_json_ready_dict_with_its_label_text():
    as_dict = comments(GIVES_IN, agreed=(48000, 1))[0].to_dict()
    labels = load_content("debrief")["labels"]
    assert as_dict["label_text"] == labels[as_dict["label"]]
    assert json.loads(json.dumps(as_dict, ensure_ascii=False)) == as_dict


def test_every_label_of_the_content_is_ace_or_irp():
    content = load_content("debrief")
    assert set(content["labels"]) == ACE_AND_IRP
    for section in ("errors", "strengths"):
        assert {entry["label"] for entry in content[section].values()} <= ACE_AND_IRP


# --- the replay ---------------------------------------------------------------------------


def test_the_replay_has_one_annotated_line_per_turn():
    state = made_round(WELL_RUN, agreed=(1600, 30))
    text = render_replay(score_round(state))
    lines = text.splitlines()
    assert len(lines) == 1 + len(WELL_RUN)
    assert lines[3].startswith("第3句「我会还的") and "首次报价每月1300元" in lines[3]
    assert "说做不到" in lines[3]  # what the reader found, by name


def test_the_replay_quotes_a_silent_turn_too():
    text = render_replay(score_round(made_round(["喂", "每月1500", "我尽量", "嗯"])))
    assert "第1句「喂」→ 没有实际内容" in text


# --- progress over rounds -----------------------------------------------------------------


def summary(**fields):
    base = dict(
        persona="pushy",
        finished=True,
        score=40,
        first_offer=1800,
        agreed_monthly=None,
        ceiling=2000,
        labels=(),
    )
    return RoundSummary(**{**base, **fields})


def test_the_first_round_has_no_progress():
    assert progress_lines([], summary()) == []


def test_progress_names_the_first_offer_and_the_score():
    lines = progress_lines([summary()], summary(first_offer=1500, score=72))
    assert "第2轮" in lines[0]
    assert "首次报价从每月1800元降到1500元" in lines[1]
    assert "得分从40分升到72分" in lines[2]


def test_progress_notices_a_deal_kept_within_the_ceiling_after_one_above():
    before = summary(agreed_monthly=48000)
    lines = progress_lines([before], summary(agreed_monthly=1700))
    assert any("守住了上限" in line for line in lines)


def test_progress_names_an_error_that_keeps_coming_back():
    rounds = [summary(labels=("rationale",)), summary(labels=("rationale", "power"))]
    lines = progress_lines(rounds, summary(labels=("rationale",)))
    assert any("连续3轮" in line and "Rationale" in line for line in lines)


def test_a_summary_survives_the_slot_and_junk_is_skipped():
    kept = summary(labels=("rights",))
    slot = json.loads(json.dumps(history_to_slot([kept])))
    assert history_from_slot(slot + [None, {"ceiling": "x"}, "round"]) == [kept]
    assert history_from_slot(None) == []


def test_the_history_keeps_the_latest_rounds():
    rounds = [summary(score=n) for n in range(HISTORY_LIMIT + 5)]
    kept = history_from_slot(history_to_slot(rounds))
    assert len(kept) == HISTORY_LIMIT and kept[-1].score == HISTORY_LIMIT + 4


def test_with_debrief_adds_comments_progress_and_the_rounds_summary():
    first_state = made_round(GIVES_IN, agreed=(48000, 1))
    first, first_summary = with_debrief(score_round(first_state), first_state)
    assert first["progress"] == [] and len(first["debrief"]) == COMMENTS
    assert first_summary.agreed_monthly == 48000 and "walk_away_point" in first_summary.labels
    second_state = made_round(WELL_RUN, agreed=(1600, 30))
    second, _ = with_debrief(score_round(second_state), second_state, [first_summary])
    assert any("守住了上限" in line for line in second["progress"])
    text = render_feedback(second, second_state)
    assert "教练点评" in text and second["progress"][0] in text
    assert json.loads(json.dumps(second, ensure_ascii=False)) == second


@pytest.mark.parametrize("lines", [GIVES_IN, ANGRY, WELL_RUN])
def test_the_feedback_quotes_the_learner_in_each_comment(lines):
    state = made_round(lines, agreed=(1600, 30))
    payload, _ = with_debrief(score_round(state), state)
    text = render_feedback(payload, state)
    for comment in payload["debrief"]:
        assert f"第{comment['turn']}句「{comment['quote']}」" in text


# --- the debrief never denies what a turn did (issue 23) ------------------------------


def test_a_learner_who_said_who_they_are_is_not_told_they_did_not():
    lines = ("我是本人", "我失业了，" + offer(1500, 32), "能不能减免罚息")
    state, _ = play(new_round("pushy", None, seed=2), *lines)
    payload, _ = with_debrief(score_round(state), state, [])
    comments = " ".join(c["comment"] for c in payload["debrief"])
    assert "说明了身份" in comments and "没有说明身份" not in comments
    assert payload["turns"][0]["note"] == "说明了身份"


def test_the_opening_strength_needs_both_who_and_willing():
    state, _ = play(new_round("pushy", None, seed=2), "我是本人", offer(1500, 32))
    assert score_round(state)["turns"][0]["notes"] == ["ice_identity"]
    both, _ = play(new_round("pushy", None, seed=2), "我是本人，这笔钱我会还的", offer(1500, 32))
    assert "ice" in score_round(both)["turns"][0]["notes"]
