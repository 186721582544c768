"""coach.understanding.intent_model: the intent classifier's model, trained on a tiny data set."""

from pathlib import Path

import pytest

from coach.understanding.intent_model import IntentModel

EXAMPLES = [
    ("你好", "greet"),
    ("您好啊", "greet"),
    ("嗨 在吗", "greet"),
    ("帮我算还款方案", "request_repayment_plan"),
    ("每个月能还多少帮我算算", "request_repayment_plan"),
    ("做个还款计划", "request_repayment_plan"),
    ("催收骂我还打给我妈", "report_abusive_collection"),
    ("他们半夜打电话骂人", "report_abusive_collection"),
    ("催收威胁要来我家闹", "report_abusive_collection"),
]


@pytest.fixture(scope="module")
def model() -> IntentModel:
    texts, intents = zip(*EXAMPLES, strict=True)
    return IntentModel.fit(texts, intents)


def test_every_intent_is_ranked_with_probabilities_that_sum_to_one(model):
    (ranking,) = model.rank(["帮我算算每月还多少"])
    assert [name for name, _ in ranking][0] == "request_repayment_plan"
    assert {name for name, _ in ranking} == {
        "greet",
        "request_repayment_plan",
        "report_abusive_collection",
    }
    assert sum(p for _, p in ranking) == pytest.approx(1.0)
    assert [p for _, p in ranking] == sorted((p for _, p in ranking), reverse=True)


def test_unseen_words_still_get_a_ranking(model):
    (ranking,) = model.rank(["ζ🙂"])
    assert len(ranking) == 3


def test_a_saved_model_loads_without_pickle_and_ranks_the_same(model, tmp_path: Path):
    model.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["intent_model.json", "intent_model.npz"]
    loaded = IntentModel.load(tmp_path)
    texts = ["半夜骂人", "你好呀", "算方案"]
    for before, after in zip(model.rank(texts), loaded.rank(texts), strict=True):
        assert [n for n, _ in before] == [n for n, _ in after]
        assert [p for _, p in before] == pytest.approx([p for _, p in after])


def test_training_is_reproducible():
    texts, intents = zip(*EXAMPLES, strict=True)
    first = IntentModel.fit(texts, intents).rank(["催收打给我妈"])
    second = IntentModel.fit(texts, intents).rank(["催收打给我妈"])
    assert first == second


@pytest.mark.parametrize("placeholders", ["replace", "add"])
def test_a_model_with_placeholders_keeps_its_mode_when_saved(placeholders, tmp_path: Path):
    texts, intents = zip(*EXAMPLES, strict=True)
    model = IntentModel.fit(texts, intents, placeholders=placeholders)
    model.save(tmp_path)
    loaded = IntentModel.load(tmp_path)
    assert loaded.placeholders == placeholders
    asked = ["借呗欠了3万每个月能还多少", "催收半夜打13812345678骂人"]
    for before, after in zip(model.rank(asked), loaded.rank(asked), strict=True):
        assert [n for n, _ in before] == [n for n, _ in after]
        assert [p for _, p in before] == pytest.approx([p for _, p in after])


def test_with_placeholders_a_new_lender_name_reads_like_a_known_one():
    texts = ["借呗催收骂我", "借呗打电话骂人", "微粒贷能分期吗", "微粒贷可以分几期"]
    intents = ["abuse", "abuse", "plan", "plan"]
    plain = IntentModel.fit(texts, intents, placeholders="off")
    placeholders = IntentModel.fit(texts, intents, placeholders="replace")
    # 花呗 is in the lexicon but not in these lines: only the placeholder makes it familiar.
    assert placeholders.features(["花呗"]).nnz > plain.features(["花呗"]).nnz


def test_an_unknown_placeholder_mode_is_refused():
    texts, intents = zip(*EXAMPLES, strict=True)
    with pytest.raises(ValueError, match="placeholders"):
        IntentModel.fit(texts, intents, placeholders="both")
