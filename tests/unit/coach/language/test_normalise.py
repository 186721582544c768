"""coach.language.normalise: what every reader of a message sees."""

import pytest

from coach.language.normalise import MAX_TEXT_LENGTH, clean, normalise


@pytest.mark.parametrize(
    "written, normalised",
    [
        # traditional to simplified (OpenCC)
        ("我的卡債還不起了，怎麼辦", "我的卡债还不起了,怎么办"),
        ("銀行催收人員天天打電話", "银行催收人员天天打电话"),
        ("活著沒意思，睡不著", "活着没意思,睡不着"),
        ("著名的銀行", "著名的银行"),
        # full-width to half-width, case folding
        ("ＡＢＣ１２３", "abc123"),
        ("欠了２万５", "欠了2万5"),
        # chat abbreviations, whole words only
        ("xyk欠了2w", "信用卡欠了2w"),
        ("hb和jb都逾期了", "花呗和借呗都逾期了"),
        ("cs天天打", "催收天天打"),
        ("我 bzd 怎么办", "我 不知道 怎么办"),
        ("bu xiang huo le", "不想活了"),
        ("plans", "plans"),
        # homophone typos and dialect words
        ("怎莫换款", "怎么还款"),
        ("崔收说要起述我", "催收说要起诉我"),
        ("已经预期三个月", "已经逾期三个月"),
        ("和我预期的一样", "和我预期的一样"),
        ("俺咋整", "我怎么办"),
        ("冇钱还", "没钱还"),
        ("冇得选", "没有得选"),
        # emoji: meaningful ones become words, the rest go
        ("救命😭😭", "救命哭哭"),
        ("好的🎉", "好的"),
        # repeated punctuation and spaces
        ("怎么办！！！？？？", "怎么办?"),
        ("啊。。。。", "啊。"),
        ("  我   欠钱  ", "我 欠钱"),
    ],
)
def test_normalise(written, normalised):
    assert normalise(written) == normalised


def test_clean_drops_lone_surrogates_and_control_characters():
    assert clean("a\ud800b\x00c\x07d") == "abcd"


def test_clean_keeps_the_joiners_emoji_need_and_turns_tabs_into_spaces():
    assert clean("👩\u200d👩\tx") == "👩\u200d👩 x"


def test_a_huge_message_is_capped():
    assert len(normalise("欠" * 100_000)) == MAX_TEXT_LENGTH


@pytest.mark.parametrize("text", ["", "   ", "\ud800", "😀"])
def test_empty_or_meaningless_input_gives_an_empty_string(text):
    assert normalise(text) == ""


def test_figures_typed_in_a_hurry_are_read():
    assert normalise("信用咔4万8 逾期三各月 月收如一万二") == "信用卡4万8 逾期三个月 月收入一万二"
    assert normalise("逾期2 months") == "逾期2 个月"
