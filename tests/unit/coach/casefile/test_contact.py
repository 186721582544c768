"""Reading a user's own account of a contact: channel, who, whom else, what was said."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.casefile.contact import (
    CLAIMS,
    count_value,
    read_contact,
    summarise,
    to_entry,
)
from coach.casefile.model import CHANNELS

# (account, channel, organisation, collector, third parties, claims that must be read,
#  claims that must not be read, calls in a day)
CASES = [
    (
        "今天下午三点有人自称律师打到我单位，说再不还就上门，还把我欠钱的事告诉了同事",
        "phone",
        None,
        "自称律师",
        ("单位",),
        {"posing_lawyer", "threat_visit", "disclosed_debt"},
        {"insult", "entered_home"},
        None,
    ),
    (
        "昨晚11点半XX銀行信用卡中心的王某（工号1234）打電話來！！！罵我是老賴",
        "phone",
        "xx银行信用卡中心",
        "王某，工号1234",
        (),
        {"insult"},
        {"threat_violence"},
        None,
    ),
    (
        "崔收一天打了二十多个电话 律师涵也发来了",
        "phone",
        None,
        None,
        (),
        {"legal_document"},
        {"threat_sue"},
        20,
    ),
    ("凌晨两点，cs打我电话", "phone", None, None, (), {"night"}, set(), None),
    (
        "今天上午十点招行信用卡中心打电话来，态度挺好的，问我什么时候能还，我说家里老人有病",
        "phone",
        "招行信用卡中心",
        None,
        (),
        set(),
        set(CLAIMS),
        None,
    ),
    (
        "某某资产管理公司的人在我家族群里发我欠钱的截图，还说要爆我通讯录",
        "wechat",
        "某某资产管理公司",
        None,
        ("家人",),
        {"group_chat", "threat_expose"},
        set(),
        None,
    ),
    (
        "他们给我老婆打电话，说我是老赖，还说要让我坐牢",
        "phone",
        None,
        None,
        ("家人",),
        {"insult", "threat_arrest", "disclosed_debt"},
        set(),
        None,
    ),
    (
        "有个自称派出所民警的人打来说我涉嫌诈骗罪要抓我",
        "phone",
        None,
        None,
        (),
        {"posing_police", "threat_arrest"},
        {"posing_lawyer"},
        None,
    ),
    (
        "微信上给我发了一张法院传票的照片",
        "wechat",
        None,
        None,
        (),
        {"legal_document"},
        {"document_official_route", "threat_sue"},
        None,
    ),
    (
        "借呗的催收说再不还就找人收拾我，出门小心点",
        "other",
        "借呗",
        None,
        (),
        {"threat_violence"},
        set(),
        None,
    ),
    (
        "昨天打了我二十几个电话，一直打，我都不敢开机",
        "phone",
        None,
        None,
        (),
        {"many_calls"},
        set(),
        20,
    ),
    ("他们一个月打了五十多个电话", "phone", None, None, (), set(), {"many_calls"}, None),
    (
        "催收的给我妈发短信说我欠钱不还，我妈急得睡不着",
        "sms",
        None,
        None,
        ("家人",),
        {"disclosed_debt"},
        set(),
        None,
    ),
    (
        "他们今天上门了，在我家门口不肯走",
        "visit",
        None,
        None,
        (),
        {"entered_home"},
        {"threat_visit"},
        None,
    ),
    (
        "说要派人去我家，还要去我单位闹",
        "other",
        None,
        None,
        (),
        {"threat_visit"},
        {"entered_home"},
        None,
    ),
    (
        "一个叫王强的说是XX律所的，说已经起诉我了，传票过几天就到",
        "other",
        "XX律所",
        "王强",
        (),
        {"posing_lawyer", "threat_sue"},
        {"legal_document"},
        None,
    ),
    (
        "收到一封挂号信，是法院专递寄来的传票",
        "letter",
        None,
        None,
        (),
        {"legal_document", "document_official_route"},
        set(),
        None,
    ),
    (
        "他们没骂人，就是一直问我什么时候还",
        "other",
        None,
        None,
        (),
        set(),
        {"insult"},
        None,
    ),
    (
        "有人加我微信，发了个律师函的图片，说三天不还就立案",
        "wechat",
        None,
        None,
        (),
        {"legal_document", "threat_sue"},
        set(),
        None,
    ),
    (
        "分期乐的人让我去借网贷先把这期还上",
        "other",
        "分期乐",
        None,
        (),
        {"induced_borrowing"},
        set(),
        None,
    ),
    (
        "我爸接到电话了，对方说我再不还就让我身败名裂",
        "phone",
        None,
        None,
        ("家人",),
        {"threat_expose"},
        {"group_chat"},
        None,
    ),
    (
        "拉了个群把我同学都拉进去了，说我是骗子",
        "wechat",
        None,
        None,
        ("朋友",),
        {"group_chat"},
        set(),
        None,
    ),
    (
        "号码13912345678打来的，姓李，说是招联金融的",
        "phone",
        "招联金融",
        "李某，号码13912345678",
        (),
        set(),
        {"insult", "posing_court"},
        None,
    ),
    (
        "前天夜里十二点 还在打",
        "phone",
        None,
        None,
        (),
        {"night"},
        set(),
        None,
    ),
    (
        "通讯录里的人都收到了短信，说我借钱不还",
        "sms",
        None,
        None,
        ("通讯录",),
        {"disclosed_debt"},
        set(),
        None,
    ),
    (
        "昨天下午平台打电话，我没接，然后打给了我紧急联系人",
        "phone",
        "平台",
        None,
        ("紧急联系人",),
        set(),
        set(),
        None,
    ),
    (
        "小王 工号A0093 来电 说可以帮我申请停息分期 态度很好",
        "phone",
        None,
        "工号A0093",
        (),
        set(),
        set(CLAIMS),
        None,
    ),
    ("他们说要给我发律师函", "other", None, None, (), {"threat_sue"}, {"legal_document"}, None),
    (
        # run-on, no punctuation at all
        "早上八点多就开始打一上午打了十几个未接我领导都接到电话了问我是不是欠钱",
        "phone",
        None,
        None,
        ("单位",),
        {"disclosed_debt"},
        set(),
        11,
    ),
    (
        # typos: 崔收 for 催收, 短息 kept, full-width digits
        "崔收发短信给我老公说我欠了３万不还 还骂他窝囊废",
        "sms",
        None,
        None,
        ("家人",),
        {"insult", "disclosed_debt"},
        set(),
        None,
    ),
    (
        "张经理说是平安银行委托的，我跟我老婆说了这事，他们倒是没打给家人",
        "other",
        "平安银行",
        "张经理",
        (),
        set(),
        {"disclosed_debt"},
        None,
    ),
    (
        "冒充法院的人打电话说我被起诉了，要我把钱转到他个人卡上",
        "phone",
        None,
        "自称法院的人",
        (),
        {"posing_court", "threat_sue"},
        set(),
        None,
    ),
    (
        "昨天有人上门，直接闯进我家，赖着不走，我报警了",
        "visit",
        None,
        None,
        (),
        {"entered_home"},
        set(),
        None,
    ),
    (
        "度小满的催收一天打了8次，态度还行",
        "phone",
        "度小满",
        None,
        (),
        set(),
        {"insult", "many_calls"},
        8,
    ),
    (
        "对方说要打给我爸妈和我同事，让他们都知道我是老赖",
        "phone",
        None,
        None,
        (),
        {"threat_expose", "insult"},
        set(),
        None,
    ),
]


@pytest.mark.parametrize(
    "text, channel, organisation, collector, parties, claims, not_claims, count",
    CASES,
    ids=[case[0][:14] for case in CASES],
)
def test_reading_an_account(
    text, channel, organisation, collector, parties, claims, not_claims, count
):
    draft = read_contact(text)
    assert draft.channel == channel
    assert draft.organisation == organisation
    assert draft.collector == collector
    assert draft.third_parties == parties
    assert claims <= set(draft.claims), draft.claims
    assert not (not_claims & set(draft.claims)), draft.claims
    assert draft.call_count == count


def test_there_are_enough_accounts_in_the_table():
    assert len(CASES) >= 25


def test_every_reading_uses_known_codes_and_channels():
    for case in CASES:
        draft = read_contact(case[0])
        assert draft.channel in CHANNELS
        assert set(draft.claims) <= set(CLAIMS)
        assert list(draft.claims) == sorted(draft.claims, key=CLAIMS.index)


def test_the_account_is_kept_as_the_user_wrote_it():
    text = "昨晚11点半XX銀行的王某打電話來"
    draft = read_contact(f"  {text}\n")
    assert draft.text == text  # when.py reads this, spans and all
    assert draft.summary == text


def test_a_long_account_is_shortened_for_the_log():
    summary = summarise("打" * 400)
    assert len(summary) == 300 and summary.endswith("…")


def test_the_case_of_a_name_is_kept():
    assert read_contact("ABC资产管理公司打电话来").organisation == "ABC资产管理公司"
    assert read_contact("工号Ab12 打来的").collector == "工号Ab12"


@pytest.mark.parametrize(
    "text, value",
    [("15", 15), ("二十", 20), ("二十多", 20), ("十几", 11), ("几十", 20), ("七八", 7), ("一百", 100)],
)
def test_numbers_of_calls(text, value):
    assert count_value(text) == value


@pytest.mark.parametrize(
    "text",
    ["打了三个月了", "第三次打来", "打了一个小时", "两个人轮流打", "今天下午三点打来的"],
)
def test_months_hours_people_and_clock_times_are_not_calls(text):
    assert read_contact(text).call_count in (None, 1, 2)


def test_a_draft_becomes_an_entry_with_its_breaches():
    draft = read_contact("半夜十二点打到我单位骂我")
    entry = to_entry(draft, "c1", "2026-11-29T23:10", "credit_card")
    assert entry.id == "c1" and entry.at == "2026-11-29T23:10"
    assert entry.channel == "phone" and entry.third_parties == ("单位",)
    assert entry.claims == draft.claims
    codes = {violation.code for violation in entry.violations}
    assert {"night_call", "insult_or_threat", "third_party_disclosure"} <= codes


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("打电话骂我单位家人律师传票半夜一二十多个,，。 0123abc{}")), max_size=60))
def test_any_text_reads_without_error(text):
    draft = read_contact(text)
    assert draft.channel in CHANNELS and set(draft.claims) <= set(CLAIMS)
    assert draft.call_count is None or draft.call_count >= 0
