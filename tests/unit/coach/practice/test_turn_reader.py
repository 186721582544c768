"""What the turn reader hears in a user's line of the practice round.

Each row: a realistic line a user might type to a debt collector, and every field the
reader must set. Fields not listed must stay False / None, so false alarms fail too.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.language import segmenter as nlp
from coach.practice.turn_reader import TurnReading, read_turn

SPEC = [
    # introducing oneself (5.1)
    ("你好，我是张伟，这张卡的持卡人", {"introduced_self": True}),
    ("我叫李明，本人就是借款人", {"introduced_self": True}),
    ("我是借款人本人", {"introduced_self": True}),
    # acknowledging the debt (5.2)
    ("我知道欠了你们的钱，我会还的", {"acknowledged_debt": True}),
    ("这钱是我欠的，我承认，我愿意还", {"acknowledged_debt": True}),
    ("我承认这个钱是我借的", {"acknowledged_debt": True}),
    # concrete offers: monthly amount and term (5.3)
    ("我每个月能还1800块，分24期", {"offered_monthly": 1800, "offered_term": 24}),
    ("每月1,800元，还27个月", {"offered_monthly": 1800, "offered_term": 27}),
    ("一个月两千，分两年还完", {"offered_monthly": 2000, "offered_term": 24}),
    ("我想分24期，每期2000", {"offered_monthly": 2000, "offered_term": 24}),
    ("月供1500，36个月", {"offered_monthly": 1500, "offered_term": 36}),
    ("分三年还，每月一千五", {"offered_monthly": 1500, "offered_term": 36}),
    ("每个月1.8K，分30期", {"offered_monthly": 1800, "offered_term": 30}),
    ("两千块一个月行不行", {"offered_monthly": 2000}),
    ("我一个月只能拿出1500", {"offered_monthly": 1500}),
    ("我分3个月还清", {"offered_term": 3}),
    # figures that are not offers
    ("我已经逾期3个月了，现在每月能还2000", {"offered_monthly": 2000}),
    ("我月收入5000，房租2000，每月最多还1500", {"offered_monthly": 1500}),
    ("每月3200我真的还不起，我只能还1500", {"offered_monthly": 1500}),
    ("我最多还2万", {}),
    ("我不能每月还3000", {}),
    ("2000元/月，分24期", {"offered_monthly": 2000, "offered_term": 24}),
    ("能不能每月1500，我真的只有这么多", {"offered_monthly": 1500}),
    (
        "我现在一个月工资才4000，每月只能还1000",
        {"offered_monthly": 1000, "gave_reason": True},
    ),
    ("3个月后再还", {"vague_promise": True}),
    # reasons and waivers
    ("因为我失业了，收入减少了很多", {"gave_reason": True}),
    ("我生病住院了，工资降了一半", {"gave_reason": True}),
    ("能不能减免罚息和违约金，手续费也免掉", {"asked_waiver": True}),
    ("能停息挂账吗", {"asked_waiver": True}),
    # rudeness and shouting
    ("滚！别烦我", {"insulted_or_shouted": True}),
    ("你们这帮垃圾，神经病", {"insulted_or_shouted": True}),
    ("你他妈的再打电话试试！！！", {"insulted_or_shouted": True}),
    ("STOP CALLING ME", {"insulted_or_shouted": True}),
    # checking who calls and what is owed (3.1)
    ("你叫什么名字？工号多少？", {"asked_identity": True}),
    ("你是哪个公司的？", {"asked_identity": True}),
    ("请问怎么称呼您", {"asked_identity": True}),
    ("具体欠多少？本金多少？我要核对一下账单", {"verified_amount": True}),
    # rights (6)
    ("你这是违法的，我要打12378投诉，我已经录音了", {"asserted_rights": True}),
    ("不要联系我家人，你们不能骚扰我", {"asserted_rights": True}),
    ("你们冒充法院是违法的", {"asserted_rights": True}),
    # written confirmation
    ("请给我书面的协议，或者短信确认", {"asked_written": True}),
    ("能给我发个还款协议吗", {"asked_written": True}),
    ("把还款计划发我短信", {"asked_written": True}),
    # caving in to the demand
    ("好我今天全还", {"agreed_to_demand": True, "pay_in_full": True}),
    ("行我马上还清", {"agreed_to_demand": True, "pay_in_full": True}),
    ("我答应你全部还", {"agreed_to_demand": True, "pay_in_full": True}),
    ("好吧听你的", {"agreed_to_demand": True}),
    ("我今天没法全部还清", {}),
    # vague promises and silence
    ("我尽量吧，过段时间再说", {"vague_promise": True}),
    ("有钱就还", {"vague_promise": True}),
    ("嗯", {"silent": True}),
    ("…", {"silent": True}),
    ("", {"silent": True}),
    # accepting the collector's proposal, or not
    ("好的就这么定", {"accepted_offer": True}),
    ("可以，成交", {"accepted_offer": True}),
    ("我同意这个方案", {"accepted_offer": True}),
    ("我不同意这个方案", {}),
    ("我不会还的", {}),
    ("我是真的没钱", {}),
    # several moves in one line
    (
        "每月2000，分24期，罚息能减免吗？我失业了",
        {
            "offered_monthly": 2000,
            "offered_term": 24,
            "asked_waiver": True,
            "gave_reason": True,
        },
    ),
    (
        "你好，我是王芳，承认欠款。因为降薪了，每个月最多还两千，分24期，能不能免掉违约金？",
        {
            "introduced_self": True,
            "acknowledged_debt": True,
            "gave_reason": True,
            "offered_monthly": 2000,
            "offered_term": 24,
            "asked_waiver": True,
        },
    ),
]


@pytest.mark.parametrize("text, fields", SPEC, ids=[text or "<empty>" for text, _ in SPEC])
def test_reads_each_line_as_specified(text, fields):
    assert read_turn(text) == TurnReading(**fields)


def test_the_table_has_at_least_forty_lines():
    assert len(SPEC) >= 40


@pytest.mark.parametrize(
    "traditional, simplified",
    [
        ("你好，我是張偉，這張卡的持卡人", "你好，我是张伟，这张卡的持卡人"),
        ("這錢是我欠的，我承認，我願意還", "这钱是我欠的，我承认，我愿意还"),
        ("我每個月能還1800塊，分24期", "我每个月能还1800块，分24期"),
    ],
)
def test_traditional_characters_read_like_simplified(traditional, simplified):
    assert read_turn(traditional) == read_turn(simplified) != TurnReading()


def test_shouting_is_heard_before_the_text_is_normalised():
    assert read_turn("我没钱！！！").insulted_or_shouted


def test_full_width_digits_read_like_ascii():
    assert read_turn("每月１８００，分２７期") == read_turn("每月1800，分27期")


def test_a_reading_survives_a_round_trip_through_a_dict():
    reading = read_turn("我是张伟，每月1800，分27期")
    assert TurnReading.from_dict(reading.to_dict()) == reading


def test_a_concrete_offer_is_an_amount_or_a_term():
    assert read_turn("每月1800").concrete_offer
    assert read_turn("分24期").concrete_offer
    assert not read_turn("我尽量").concrete_offer


def test_it_reads_the_same_after_the_pipeline_is_rebuilt():
    before = read_turn("我是张伟，每月1800，分27期")
    nlp.blank_zh.cache_clear()
    assert read_turn("我是张伟，每月1800，分27期") == before


def test_a_huge_message_is_read_without_error():
    assert read_turn("每月1800，" * 100_000).offered_monthly == 1800


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=80))
def test_any_text_gives_a_reading(text):
    assert isinstance(read_turn(text), TurnReading)
