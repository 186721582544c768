"""What the turn reader hears in a user's line of the practice round.

Each row: a realistic line a user might type to a debt collector, and every field the
reader must set. Fields not listed must stay False / None, so false alarms fail too.
The coach's own lines (tips, scripts, the debrief's sentences) are read too: each must
read as the coach means it, so advice never reads as caving in.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.content import load_content
from coach.guidance.scripts import script_fields
from coach.language import segmenter as nlp
from coach.practice.turn_reader import TurnReading, found, read_turn, substantive

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
    ("每月2000元、24个月还完", {"offered_monthly": 2000, "offered_term": 24}),
    # figures that are not offers
    ("我已经逾期3个月了，现在每月能还2000", {"offered_monthly": 2000}),
    ("我月收入5000，房租2000，每月最多还1500", {"offered_monthly": 1500, "gave_reason": True}),
    (
        "每月3200我真的还不起，我只能还1500",
        {"offered_monthly": 1500, "refused_demand": True},
    ),
    ("如果每月3000，我做不到", {"refused_demand": True}),
    ("我最多还2万", {}),
    ("我不能每月还3000", {}),
    ("2000元/月，分24期", {"offered_monthly": 2000, "offered_term": 24}),
    ("能不能每月1500，我真的只有这么多", {"offered_monthly": 1500}),
    (
        "我现在一个月工资才4000，每月只能还1000",
        {"offered_monthly": 1000, "gave_reason": True},
    ),
    ("3个月后再还", {"vague_promise": True}),
    # one payment now, with its amount
    (
        "我可以先一次性还20000元，剩下的每月还1400元",
        {"offered_monthly": 1400, "offered_lump_sum": 20000},
    ),
    # reasons and waivers: a waiver needs its verb
    ("因为我失业了，收入减少了很多", {"gave_reason": True}),
    ("我生病住院了，工资降了一半", {"gave_reason": True}),
    ("家里老人有病，最近开销很大", {"gave_reason": True}),
    ("能不能减免罚息和违约金，手续费也免掉", {"asked_waiver": True}),
    ("能不能免罚息", {"asked_waiver": True}),
    ("能停息挂账吗", {"asked_waiver": True}),
    ("罚息怎么算？", {"verified_amount": True}),
    ("罚息是多少？", {"verified_amount": True}),
    # conditional trades
    (
        "停息的话我可以每月2000",
        {"offered_monthly": 2000, "asked_waiver": True, "conditional_offer": True},
    ),
    (
        "如果免掉罚息，我可以每月1800",
        {"offered_monthly": 1800, "asked_waiver": True, "conditional_offer": True},
    ),
    ("需要的话我可以每月还1500", {"offered_monthly": 1500}),  # no ask: no trade
    # rudeness, shouting and threats
    ("滚！别烦我", {"insulted_or_shouted": True}),
    ("你们这帮垃圾，神经病", {"insulted_or_shouted": True}),
    ("你他妈的再打电话试试！！！", {"insulted_or_shouted": True}),
    ("我他妈受够了", {"insulted_or_shouted": True}),
    ("tmd烦死了", {"insulted_or_shouted": True}),
    ("你妈的", {"insulted_or_shouted": True}),
    ("你有病吧", {"insulted_or_shouted": True}),
    ("STOP CALLING ME", {"insulted_or_shouted": True}),
    ("我一分钱都不还了", {"threatened": True}),
    ("你等着瞧", {"threatened": True}),
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
    ("请把方案发给我确认", {"asked_written": True}),  # 我确认 here is no acceptance
    # caving in to the demand: commitment and its object in one clause
    ("好我今天全还", {"agreed_to_demand": True, "pay_in_full": True}),
    ("行我马上还清", {"agreed_to_demand": True, "pay_in_full": True}),
    ("我答应你全部还", {"agreed_to_demand": True, "pay_in_full": True}),
    ("好吧，全部还清", {"agreed_to_demand": True, "pay_in_full": True}),
    ("好吧听你的", {"agreed_to_demand": True}),
    # ... and saying it cannot be done (issue 17: this closed a 48,000-today deal)
    ("我会还的，但是今天全部还清做不到", {"acknowledged_debt": True, "refused_demand": True}),
    ("我會還的，但是今天全部還清做不到", {"acknowledged_debt": True, "refused_demand": True}),
    ("今天全还，做不到", {"refused_demand": True}),
    ("今天全部还清？不可能", {"refused_demand": True}),
    ("我今天没法全部还清", {"refused_demand": True}),
    ("我拿不出48000", {"refused_demand": True}),
    ("全部还清我现在做不到", {"refused_demand": True}),
    ("今天全部还清可以吗？", {}),  # a question commits to nothing
    # vague promises and silence
    ("我尽量吧，过段时间再说", {"vague_promise": True}),
    ("有钱就还", {"vague_promise": True}),
    ("嗯", {"silent": True}),
    ("喂喂喂", {"silent": True}),
    ("…", {"silent": True}),
    ("?", {"silent": True}),
    ("", {"silent": True}),
    # accepting the collector's proposal, or not
    ("好的就这么定", {"accepted_offer": True}),
    ("可以，成交", {"accepted_offer": True}),
    ("我同意这个方案", {"accepted_offer": True}),
    ("是的", {"accepted_offer": True}),
    ("我不同意这个方案", {"refused_demand": True}),
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
    # typed without punctuation: cut at each new subject
    (
        "你好我是张伟我知道欠了钱我会还的因为我失业了",
        {"introduced_self": True, "acknowledged_debt": True, "gave_reason": True},
    ),
    # keyword salads earn nothing: a bare keyword is no sentence
    ("承认 失业 减免 罚息 书面确认 工号 投诉", {}),
    ("承认，失业，减免罚息，书面确认，工号，投诉", {}),
    ("我承认我失业我要减免我要书面我要工号", {}),
    ("承认 失业 每月1500 分24期 减免罚息", {"offered_monthly": 1500, "offered_term": 24}),
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
        ("能不能減免罰息", "能不能减免罚息"),
        ("你這是違法的，我在錄音", "你这是违法的，我在录音"),
    ],
)
def test_traditional_characters_read_like_simplified(traditional, simplified):
    assert read_turn(traditional) == read_turn(simplified) != TurnReading()


def test_shouting_is_heard_before_the_text_is_normalised():
    assert read_turn("我没钱！！！").insulted_or_shouted


def test_full_width_digits_and_marks_read_like_ascii():
    assert read_turn("每月１８００，分２７期") == read_turn("每月1800，分27期")
    assert read_turn("罚息怎么算？") == read_turn("罚息怎么算?")


def test_quotation_marks_do_not_cut_a_clause():
    assert read_turn("「今天全还」做不到") == TurnReading(refused_demand=True)


def test_a_reading_survives_a_round_trip_through_a_dict():
    reading = read_turn("我是张伟，每月1800，分27期")
    again = TurnReading.from_dict(reading.to_dict())
    assert again == reading and again.quote == reading.quote


def test_the_reading_keeps_the_learners_words_but_compares_by_meaning():
    reading = read_turn("我每個月能還1800塊")
    assert reading.quote == "我每個月能還1800塊"
    assert reading == read_turn("我每个月能还1800块")


def test_a_long_line_is_quoted_cut_short():
    reading = read_turn("我想说" * 100)
    limit = load_content("roleplay")["reader"]["max_quote_chars"]
    assert len(reading.quote) == limit and reading.quote.endswith("…")


def test_a_concrete_offer_is_an_amount_or_a_term():
    assert read_turn("每月1800").concrete_offer
    assert read_turn("分24期").concrete_offer
    assert not read_turn("我尽量").concrete_offer


@pytest.mark.parametrize(
    "text, said",
    [
        ("喂", False),
        ("嗯", False),
        ("?", False),
        ("你好", False),
        ("我现在真的很难受", True),
        ("每月1500", True),
        ("好的", True),
    ],
)
def test_a_turn_is_substantive_when_it_says_something(text, said):
    assert substantive(read_turn(text)) is said


def test_found_names_the_fields_set_in_order():
    assert found(read_turn("我是张伟，每月1800")) == ["introduced_self", "offered_monthly"]


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


# --- the coach's own lines read as the coach means them -----------------------------

# No line of advice may read as caving in, rudeness or a threat, unless it says so below.
NEVER = ("pay_in_full", "agreed_to_demand", "accepted_offer", "insulted_or_shouted", "threatened")


def assert_reads(text, expected):
    reading = read_turn(text)
    wrong = {name: getattr(reading, name) for name in NEVER if name not in expected}
    assert not any(wrong.values()), (text, wrong)
    actual = {name: getattr(reading, name) for name in expected}
    assert actual == expected, (text, found(reading))


# The sentences in quotes in roleplay.yml's tips, by tip.
TIP_SENTENCES = {
    "walk_away_point": {"refused_demand": True, "offered_monthly": None},
    "first_offer": {"offered_monthly": 1400, "offered_term": 35},
    "refused_first_demand": {"acknowledged_debt": True, "refused_demand": True},
    "concessions": {"gave_reason": True, "offered_monthly": None},
    "conditional_trade": {"conditional_offer": True, "asked_waiver": True, "offered_monthly": 1600},
}
QUOTED = re.compile(r'"([^"]+)"|「([^」]+)」|“([^”]+)”')


def quoted(text):
    return ["".join(groups) for groups in QUOTED.findall(text)]


TIPS = load_content("roleplay")["tips"]


@pytest.mark.parametrize("name", sorted(TIPS))
def test_no_tip_reads_as_caving_in(name):
    assert_reads(TIPS[name], {})


@pytest.mark.parametrize("name", sorted(TIPS))
def test_every_sentence_a_tip_gives_reads_as_intended(name):
    sentences = quoted(TIPS[name])
    assert bool(sentences) == (name in TIP_SENTENCES), "add the sentence's reading to the table"
    for sentence in sentences:
        assert_reads(sentence, TIP_SENTENCES[name])


# content/scripts.yml, filled with an example offer: what each line to say must read as.
FIGURES = {"balance": 48000, "months_overdue": 3, "lender_type": "credit_card"}
OFFER = {
    "feasible": True,
    "opening_monthly": 1400,
    "opening_term_months": 35,
    "ceiling_monthly": 2000,
    "ceiling_term_months": 24,
    "lump_sum": {"suggested_opening": 20000},
}
OFFER_NO_LUMP = dict(OFFER, lump_sum=None)
PROPOSAL = {
    "gave_reason": True,
    "refused_demand": True,
    "offered_monthly": 1400,
    "offered_term": 35,
    "asked_written": True,
}
SCRIPT_LINES = {
    # The first sentence asks who is calling and about which debt; it admits nothing.
    "opening": {"asked_identity": True, "introduced_self": False, "acknowledged_debt": False},
    "verify": {"asked_identity": True, "verified_amount": True, "asked_waiver": False},
    "debt_age": {"verified_amount": True, "acknowledged_debt": False},
    "attitude": {"acknowledged_debt": True, "offered_monthly": None, "offered_term": None},
    "proposal": PROPOSAL,
    "proposal+lump": dict(PROPOSAL, offered_lump_sum=20000),
    "waiver": {"asked_waiver": True, "acknowledged_debt": True},
    "demands_full_today": {"refused_demand": True, "offered_monthly": 1400},
    "refuses_instalments": {
        "acknowledged_debt": True,
        "refused_demand": True,
        "offered_monthly": 2000,
        "offered_term": 24,
        "conditional_offer": False,
    },
    "threatens_home_visit": {"refused_demand": True},
    "threatens_lawsuit": {"conditional_offer": False},
    "credit_record_ruined": {"vague_promise": False},
    "borrow_elsewhere": {"offered_monthly": 1400},
    "down_payment_unaffordable": {"refused_demand": True, "offered_monthly": 1400},
    "down_payment_unaffordable+lump": {
        "refused_demand": True,
        "offered_monthly": 1400,
        "offered_lump_sum": 20000,
    },
}


def script_lines(offer):
    scripts = load_content("scripts")
    fields, _ = script_fields(FIGURES, offer, "信用卡")
    entries = {name: scripts[name] for name in scripts["section_order"]}
    entries.update(scripts["collector_moves"])
    lines = {}
    for name, entry in entries.items():
        lines[name] = entry["say"].format(**fields)
        if "say_with_lump_sum" in entry:
            lines[name + "+lump"] = entry["say_with_lump_sum"].format(**fields)
    return lines


def test_every_script_line_has_its_reading_in_the_table():
    assert set(script_lines(OFFER)) == set(SCRIPT_LINES)


@pytest.mark.parametrize("name", sorted(SCRIPT_LINES))
def test_every_script_line_reads_as_intended(name):
    assert_reads(script_lines(OFFER)[name], SCRIPT_LINES[name])


@pytest.mark.parametrize("name", sorted(SCRIPT_LINES))
def test_script_lines_with_placeholders_never_read_as_caving_in(name):
    lines = script_lines(None)
    assert_reads(lines.get(name, lines[name.split("+")[0]]), {})


# content/debrief.yml: the sentences the debrief says to say instead.
EXAMPLE = {
    "ceiling": 2000,
    "balance": 48000,
    "max_term": 60,
    "opening": 1400,
    "opening_term": 35,
    "ceiling_term": 24,
    "middle": 1700,
    "agreed": 1800,
    "agreed_term": 27,
    "demand": 1800,
    "monthly": 1500,
    "size": 300,
    "repeats": 4,
}
OFFERS_OPENING = {"offered_monthly": 1400, "offered_term": 35}
DEBRIEF_LINES = {
    "errors": {
        "pay_in_full": {"refused_demand": True, "acknowledged_debt": True, **OFFERS_OPENING},
        "over_ceiling_deal": {"refused_demand": True, "offered_monthly": 2000},
        "offer_over_ceiling": {"offered_monthly": 2000},
        "accepted_first_demand": {"refused_demand": True, **OFFERS_OPENING},
        "insult": {},
        "rights_missed": {"asserted_rights": True},
        "threat": {},
        "no_offer": OFFERS_OPENING,
        "vague": OFFERS_OPENING,
        "opening_near_ceiling": OFFERS_OPENING,
        "opening_not_credible": OFFERS_OPENING,
        "rigid": {
            "conditional_offer": True,
            "asked_waiver": True,
            "asked_written": True,
            "offered_monthly": 1700,
        },
        "big_concession": {"gave_reason": True, "offered_monthly": None},
        "concession_no_reason": {"gave_reason": True, "offered_monthly": 1500},
        "no_reason": {"gave_reason": True, "offered_monthly": 1400},
        "no_written": {"asked_written": True},
        "no_trade": {"conditional_offer": True, "asked_waiver": True, "offered_monthly": 1400},
        "no_verification": {"asked_identity": True, "verified_amount": True, "asked_waiver": False},
        "no_ice": {"introduced_self": True, "acknowledged_debt": True},
        "no_ice_willing": {"acknowledged_debt": True},
        "no_ice_identity": {"introduced_self": True, "asked_identity": True},
        "silent": {"silent": False},
    },
    "strengths": {
        "held_ceiling": {"asked_written": True, "offered_monthly": 1800},
        "good_opening": {"offered_monthly": 1500},
        "refused": {"refused_demand": True, "acknowledged_debt": True},
        "conditional": {"conditional_offer": True, "asked_waiver": True},
        "rights_named": {"asserted_rights": True},
        "reasoned": {"gave_reason": True, "offered_monthly": 1400},
        "written_asked": {"asked_written": True},
        "verified": {"asked_identity": True, "verified_amount": True},
        "ice": {"introduced_self": True, "acknowledged_debt": True},
    },
}


def test_every_debrief_sentence_has_its_reading_in_the_table():
    content = load_content("debrief")
    for section in ("errors", "strengths"):
        assert set(content[section]) == set(DEBRIEF_LINES[section])


@pytest.mark.parametrize(
    "section, key",
    [(section, key) for section, table in DEBRIEF_LINES.items() for key in table],
)
def test_every_debrief_sentence_reads_as_intended(section, key):
    say = load_content("debrief")[section][key]["say"].format(**EXAMPLE)
    assert_reads(say, DEBRIEF_LINES[section][key])
