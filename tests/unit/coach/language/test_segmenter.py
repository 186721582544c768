"""The project's spaCy pipeline: blank Chinese, jieba segmenter, built once."""

import pytest
import spacy

from coach.language import segmenter as nlp


@pytest.fixture
def fresh_cache():
    nlp.blank_zh.cache_clear()
    yield
    nlp.blank_zh.cache_clear()


def words(text):
    return [token.text for token in nlp.blank_zh()(text)]


def test_it_is_chinese_and_segments_with_jieba():
    assert nlp.blank_zh().lang == "zh"
    assert words("我欠了信用卡两万五千元,每月能还1500块") == [
        "我",
        "欠",
        "了",
        "信用卡",
        "两万五千",
        "元",
        ",",
        "每月",
        "能",
        "还",
        "1500",
        "块",
    ]


def test_it_is_created_once_per_process():
    assert nlp.blank_zh() is nlp.blank_zh()


def test_without_a_saved_pipeline_it_builds_a_blank_one(fresh_cache, monkeypatch, tmp_path):
    monkeypatch.setattr(nlp, "SAVED_PIPELINE", tmp_path / "missing")
    assert nlp.blank_zh().pipe_names == []
    assert words("每月还两千") == ["每月", "还", "两千"]


def test_a_saved_pipeline_is_loaded_from_disk(fresh_cache, monkeypatch, tmp_path):
    saved = spacy.blank("zh", config=nlp.BLANK_CONFIG)
    saved.meta["name"] = "saved_for_test"
    saved.to_disk(tmp_path / "spacy_zh")
    monkeypatch.setattr(nlp, "SAVED_PIPELINE", tmp_path / "spacy_zh")
    assert nlp.blank_zh().meta["name"] == "saved_for_test"
    assert words("每月还两千") == ["每月", "还", "两千"]
