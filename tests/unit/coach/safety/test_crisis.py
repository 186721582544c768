"""coach.safety.crisis: the crisis lexicon catches every category and leaves the look-alikes.

The full safety net (lexicon + classifier + ranking rule) is measured on the held-out
crisis set by scripts/nlu_eval.py in `make test`; these lines pin the lexicon's rules.
"""

import pytest

from coach.content import load_content
from coach.safety.crisis import crisis_signals, mentions_crisis, unclear_signal

BY_CATEGORY = {
    "wish_to_be_dead": ["我真的不想活了", "活着没意思", "想一死了之", "活著沒意思", "我 想 死"],
    "passive_ideation": ["睡着了就别再醒了", "要是出个车祸就好了"],
    "active_ideation": ["有时候想自杀", "最近老想不开"],
    "method": ["想从楼上跳下去", "吃安眠药算了", "我在攒药"],
    "intent_and_plan": ["我决定好了，今晚就了断", "地方都选好了"],
    "preparatory_acts": ["遗书已经写好了", "以后帮我照顾好我妈"],
    "self_injury": ["我又割自己了", "拿刀划手腕才好受"],
    "burden": ["我就是家里的累赘", "没有我，他们会过得更好"],
    "hopelessness_disappear": ["好想永远消失", "走投无路了"],
}


def test_every_category_of_the_screening_scale_has_entries():
    assert set(BY_CATEGORY) <= set(load_content("safety")["crisis_lexicon"])


@pytest.mark.parametrize(
    "category, text", [(c, t) for c, lines in BY_CATEGORY.items() for t in lines]
)
def test_each_category_is_caught(category, text):
    assert category in {signal.category for signal in crisis_signals(text)}


@pytest.mark.parametrize(
    "text",
    [
        "zs算了",  # chat abbreviation
        "紫砂了算了",  # homophone slang
        "不想活了😭😭",
        "i really want to die",
        "欠了8万 每月收入4000 真的不想活了",
        "催收说要弄死我我真的不想活了",  # a quoted threat, then the user's own wish
        "他们说的也对，我还不如去死",
    ],
)
def test_other_registers_are_caught(text):
    assert mentions_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        # everyday intensifiers built on 死
        "累死了",
        "烦死了这催收",
        "笑死，根本还不起",
        "手机死机了",
        # abuse aimed at someone else
        "你去死吧",
        "这些催收怎么不去死",
        # a collector's threat the user quotes: abuse to report
        "催收说不还钱就让我去死",
        "他说要弄死我全家",
        # someone else's story, research, fiction
        "新闻说有人被催收逼得跳楼",
        "我在写论文，研究网贷和自杀的关系",
        # the same characters, harmless
        "终于还清了，一了百了",
        "我想结束分期",
        "我想跳槽换个工资高的",
        "",
        "每月还1500",
    ],
)
def test_look_alikes_are_not_flagged(text):
    assert not mentions_crisis(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("被催了一天，只有掐手臂的时候才平静下来", "self_injury"),
        ("想知道哪个天台最高", "method"),
        ("吞几颗才会睡过去不醒", "method"),
        ("每天走在马路上都想冲出去", "recurring_urge"),
        ("你們就當我沒有存在過", "possible_farewell"),
        ("宠物已经拜托表姐养了", "possible_farewell"),
    ],
)
def test_signals_that_look_like_something_else_are_read(text, category):
    assert category in {signal.category for signal in crisis_signals(text)}


@pytest.mark.parametrize(
    "text",
    ["以后就不给大家添麻烦了，花也托付给楼下了", "银行卡密码写在本子上了，你们别等我"],
)
def test_a_farewell_alone_is_unclear(text):
    assert unclear_signal(text)


@pytest.mark.parametrize("text", ["我不想活了，以后不麻烦你了", "想了很久怎么死"])
def test_a_clear_signal_is_not_unclear(text):
    assert mentions_crisis(text) and not unclear_signal(text)


@pytest.mark.parametrize(
    "text",
    [
        "拜拜 下次再问",
        "回老家一周，猫托付给邻居照顾",
        "闲置的包都挂二手卖了",
        "在看哪家银行的利息比较低",
        "以后有问题还来找你",
        "催收说还不起就去跳楼",
    ],
)
def test_ordinary_goodbyes_and_errands_are_not_flagged(text):
    assert not mentions_crisis(text)
