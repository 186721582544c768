"""The one alternation builder."""

import re

from coach.language.patterns import alternation


def test_longest_word_wins():
    pattern = re.compile(alternation(["白条", "京东白条"]))
    assert pattern.search("我欠京东白条五千").group() == "京东白条"


def test_words_are_escaped():
    assert re.fullmatch(alternation(["a+b", "c.d"]), "a+b")
    assert not re.fullmatch(alternation(["c.d"]), "cxd")


def test_latin_words_match_whole_words_only_unless_asked():
    assert not re.search(alternation(["hb"]), "hbo")
    assert re.search(alternation(["hb"]), "先还hb还是信用卡")
    assert re.search(alternation(["hb"], whole_latin_words=False), "hbo")


def test_no_words_match_only_the_empty_string():
    assert re.fullmatch(alternation([]), "")
