"""Scripted practice rounds (persona x learner type) against the score the rubric expects.

The rounds and their expected scores (worked out by hand from the rubric before the scorer
was run) are in round_table.yml beside this file; scripts/score_table.py plays them through
the real engine and writes docs/practice-scores.md. The collector may change how it
concedes, so these tests hold the outcome and the score, never the collector's lines.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
SPEC = importlib.util.spec_from_file_location("score_table", ROOT / "scripts" / "score_table.py")
score_table = importlib.util.module_from_spec(SPEC)
sys.modules.setdefault("score_table", score_table)  # its dataclasses look their module up
SPEC.loader.exec_module(score_table)

MIN_ROUNDS = 30
SHARE_CLOSE = 0.9
MARGIN = 25


@pytest.fixture(scope="module")
def rows():
    return score_table.table_rows()


def shown(rows):
    return "\n" + score_table.render_table(rows) + "\n" + score_table.summary(rows)


def test_the_table_has_thirty_rounds_of_every_persona_and_learner_type():
    table = score_table.load_table()
    rounds = table["rounds"]
    assert len(rounds) >= MIN_ROUNDS
    assert {r["persona"] for r in rounds} >= {"polite", "pushy", "abusive"}
    assert {r["learner"] for r in rounds} == set(table["learners"])
    assert {r["kind"] for r in rounds} == {"good", "poor", "middle"}


def test_nine_rounds_in_ten_score_within_ten_points_of_the_rubric(rows):
    close = [row for row in rows if row.close]
    assert len(close) >= SHARE_CLOSE * len(rows), shown(rows)


def test_nine_rounds_in_ten_end_in_the_kind_of_deal_expected(rows):
    same = [row for row in rows if row.deal_given == row.deal_expected]
    assert len(same) >= SHARE_CLOSE * len(rows), shown(rows)


def test_every_well_run_round_beats_every_poor_one_by_a_wide_margin(rows):
    good = [row for row in rows if row.kind == "good"]
    poor = [row for row in rows if row.kind == "poor"]
    assert good and poor
    for high in good:
        for low in poor:
            assert high.given is not None and low.given is not None, shown(rows)
            assert high.given - low.given >= MARGIN, (high.name, low.name, shown(rows))


def test_a_round_expected_unfinished_is_not_scored_and_no_other(rows):
    for row in rows:
        assert (row.expected is None) is (row.given is None), (row.name, shown(rows))


def test_saying_the_right_words_but_giving_in_scores_low(rows):
    gave_in = [row for row in rows if row.learner in ("right_words_gives_in", "caves_in")]
    assert gave_in and all(row.given is not None and row.given <= 20 for row in gave_in)


def test_the_document_renders_the_formula_and_every_round(rows):
    text = score_table.render_document(rows)
    assert "Score" in text and "Process" in text and "Conduct" in text
    assert all(f"| {row.name} |" in text for row in rows)
