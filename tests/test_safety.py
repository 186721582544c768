"""The crisis safety net catches direct and indirect phrasings, not insults."""

import pytest

from actions.safety import mentions_crisis


@pytest.mark.parametrize(
    "text",
    ["我真的不想活了", "活着没意思", "想一死了之", "想从楼上跳楼", "吃安眠药算了", "我 想 死", "有时候想自杀", "活著沒意思"],
)
def test_crisis_phrasings_are_caught(text):
    assert mentions_crisis(text)


@pytest.mark.parametrize(
    "text",
    ["你去死吧", "累死了", "烦死了这催收", "", "每月还1500"],
)
def test_ordinary_lines_and_insults_at_others_are_not_flagged(text):
    assert not mentions_crisis(text)
