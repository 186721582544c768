"""Specification of how the coach reads when a contact happened (coach/casefile/when.py)."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.casefile import when
from coach.casefile.when import CHINA, PRECISIONS, WhenReading, resolve_when
from coach.content import load_content

MONDAY = datetime(2026, 11, 30, 15, 20, tzinfo=CHINA)  # Monday afternoon
MIDNIGHT = datetime(2026, 12, 1, 0, 20, tzinfo=CHINA)  # just after midnight, a new month
NEW_YEAR = datetime(2027, 1, 1, 10, 0, tzinfo=CHINA)  # a Friday, a new year
SUNDAY = datetime(2026, 12, 6, 21, 0, tzinfo=CHINA)  # Sunday evening

# (text as users type it, now, at, precision)
CASES = [
    # the examples
    ("今天下午三点有人自称律师打到我单位", MONDAY, "2026-11-30T15:00", "minute"),
    ("前天夜里十一点多", MONDAY, "2026-11-28T23:00", "hour"),
    ("上周五下午四点", MONDAY, "2026-11-27T16:00", "minute"),
    ("今早7点", MONDAY, "2026-11-30T07:00", "minute"),
    ("昨晚23:10", MONDAY, "2026-11-29T23:10", "minute"),
    ("11月28号晚上九点半", MONDAY, "2026-11-28T21:30", "minute"),
    ("大前天", MONDAY, "2026-11-27", "day"),
    ("刚才", MONDAY, "2026-11-30T15:20", "minute"),
    ("半小时前", MONDAY, "2026-11-30T14:50", "minute"),
    ("周日凌晨两点", MONDAY, "2026-11-29T02:00", "minute"),
    ("这个月3号", MONDAY, "2026-11-03", "day"),
    ("上个月底", MONDAY, "2026-10-31", "vague"),
    ("2026年11月2日 14:05", MONDAY, "2026-11-02T14:05", "minute"),
    ("前几天", MONDAY, None, "vague"),
    ("中午", MONDAY, "2026-11-30", "part_of_day"),
    ("傍晚", MONDAY, "2026-11-30", "part_of_day"),
    ("晚上十点左右", MONDAY, "2026-11-30T22:00", "hour"),
    ("十二点", MONDAY, "2026-11-30T12:00", "minute"),
    # after midnight: the early hours after the evening named
    ("昨天夜里1点", MONDAY, "2026-11-30T01:00", "minute"),
    ("昨晚1点还在打", MONDAY, "2026-11-30T01:00", "minute"),
    ("昨晚一点", MONDAY, "2026-11-30T01:00", "minute"),
    ("昨儿个夜里两点多", MONDAY, "2026-11-30T02:00", "hour"),
    ("昨天夜里十二点", MONDAY, "2026-11-30T00:00", "minute"),
    ("前天半夜3点", MONDAY, "2026-11-29T03:00", "minute"),
    ("夜里1点", MONDAY, "2026-11-30T01:00", "minute"),
    ("半夜3点多", MONDAY, "2026-11-30T03:00", "hour"),
    # 凌晨 keeps its calendar day
    ("昨天凌晨3点", MONDAY, "2026-11-29T03:00", "minute"),
    ("今天凌晨三点半", MONDAY, "2026-11-30T03:30", "minute"),
    ("凌晨十二点", MONDAY, "2026-11-30T00:00", "minute"),
    # 十二点: noon, or midnight when the message speaks of the night
    ("昨天十二点", MONDAY, "2026-11-29T12:00", "minute"),
    ("昨天十二点我都睡了还打", MONDAY, "2026-11-30T00:00", "minute"),
    ("十二点我都睡了还打", MONDAY, "2026-11-30T00:00", "minute"),
    ("昨天中午12点半", MONDAY, "2026-11-29T12:30", "minute"),
    ("中午一点", MONDAY, "2026-11-30T13:00", "minute"),
    # bare hours: 1-7 afternoon, 8-11 morning, a leading zero is a 24-hour clock
    ("3点钟", MONDAY, "2026-11-30T15:00", "minute"),
    ("9点", MONDAY, "2026-11-30T09:00", "minute"),
    ("07:30", MONDAY, "2026-11-30T07:30", "minute"),
    ("今天14点", MONDAY, "2026-11-30T14:00", "minute"),
    ("零点", MONDAY, "2026-11-30T00:00", "minute"),
    ("3pm", MONDAY, "2026-11-30T15:00", "minute"),
    ("昨天9pm", MONDAY, "2026-11-29T21:00", "minute"),
    # minutes and quarters
    ("早上六点一刻", MONDAY, "2026-11-30T06:15", "minute"),
    ("昨晚七点三刻", MONDAY, "2026-11-29T19:45", "minute"),
    ("下午5点40", MONDAY, "2026-11-30T17:40", "minute"),
    ("下午两点05", MONDAY, "2026-11-30T14:05", "minute"),
    ("下午2点零5分", MONDAY, "2026-11-30T14:05", "minute"),
    ("下午四点过五分", MONDAY, "2026-11-30T16:05", "minute"),
    ("上午十点二十分", MONDAY, "2026-11-30T10:20", "minute"),
    ("下午1.50", MONDAY, "2026-11-30T13:50", "minute"),
    ("下午三时", MONDAY, "2026-11-30T15:00", "minute"),
    ("14时05分", MONDAY, "2026-11-30T14:05", "minute"),
    ("下午三点整", MONDAY, "2026-11-30T15:00", "minute"),
    # approximate: the time kept, precision "hour"
    ("今天上午十点多打了三次", MONDAY, "2026-11-30T10:00", "hour"),
    ("今天早上七点多钟", MONDAY, "2026-11-30T07:00", "hour"),
    ("昨天下午3点20分左右", MONDAY, "2026-11-29T15:20", "hour"),
    ("大概下午三点", MONDAY, "2026-11-30T15:00", "hour"),
    ("昨天大概晚上十点", MONDAY, "2026-11-29T22:00", "hour"),
    ("差不多三点打来的", MONDAY, "2026-11-30T15:00", "hour"),
    # spans back from now
    ("10分钟前", MONDAY, "2026-11-30T15:10", "minute"),
    ("二十分钟之前", MONDAY, "2026-11-30T15:00", "minute"),
    ("一个半小时前", MONDAY, "2026-11-30T13:50", "minute"),
    ("一个多小时前", MONDAY, "2026-11-30T14:20", "hour"),
    ("3个小时前", MONDAY, "2026-11-30T12:20", "hour"),
    ("刚刚又打来了", MONDAY, "2026-11-30T15:20", "minute"),
    # days back
    ("3天前", MONDAY, "2026-11-27", "day"),
    ("三天前 14点05分", MONDAY, "2026-11-27T14:05", "minute"),
    ("十天以前", MONDAY, "2026-11-20", "day"),
    ("两周前", MONDAY, "2026-11-16", "vague"),
    ("钱天下午", MONDAY, "2026-11-28", "part_of_day"),
    ("做天晚上十点", MONDAY, "2026-11-29T22:00", "minute"),
    ("昨天 晚上 十点", MONDAY, "2026-11-29T22:00", "minute"),
    ("昨天他们又打来了，晚上十一点多", MONDAY, "2026-11-29T23:00", "hour"),
    ("昨天打了5次，第一次是早上8点", MONDAY, "2026-11-29T08:00", "minute"),
    ("昨天晚上", MONDAY, "2026-11-29", "part_of_day"),
    # weekdays: the latest one not after today, or the week named
    ("周5下午4点", MONDAY, "2026-11-27T16:00", "minute"),
    ("星期六早上九点半", MONDAY, "2026-11-28T09:30", "minute"),
    ("礼拜三下午", MONDAY, "2026-11-25", "part_of_day"),
    ("上礼拜五", MONDAY, "2026-11-27", "day"),
    ("上上周三", MONDAY, "2026-11-18", "day"),
    ("星期天", MONDAY, "2026-11-29", "day"),
    ("周一", MONDAY, "2026-11-30", "day"),
    ("週五下午", MONDAY, "2026-11-27", "part_of_day"),
    # months and days
    ("28号", MONDAY, "2026-11-28", "day"),
    ("二十八号下午", MONDAY, "2026-11-28", "part_of_day"),
    ("3号晚上", MONDAY, "2026-11-03", "part_of_day"),
    ("十一月二十八号", MONDAY, "2026-11-28", "day"),
    ("12月5号", MONDAY, "2025-12-05", "day"),
    ("上个月28号", MONDAY, "2026-10-28", "day"),
    ("去年12月", MONDAY, None, "vague"),
    ("26年11月28号", MONDAY, "2026-11-28", "day"),
    ("二〇二六年十一月二十八日", MONDAY, "2026-11-28", "day"),
    ("2026-11-28 21:30", MONDAY, "2026-11-28T21:30", "minute"),
    ("2026/11/28", MONDAY, "2026-11-28", "day"),
    ("11.28晚上", MONDAY, "2026-11-28", "part_of_day"),
    ("11月28日（周六）晚上", MONDAY, "2026-11-28", "part_of_day"),
    ("第一次是3号，第二次是5号", MONDAY, "2026-11-03", "day"),
    # full-width digits, traditional characters
    ("２０２６年１１月２９日　２３：１０", MONDAY, "2026-11-29T23:10", "minute"),
    ("昨晚11點多", MONDAY, "2026-11-29T23:00", "hour"),
    ("禮拜六晚上８點", MONDAY, "2026-11-28T20:00", "minute"),
    # vague
    ("最近老打电话", MONDAY, None, "vague"),
    ("前两天晚上", MONDAY, None, "vague"),
    ("那天晚上十点", MONDAY, None, "vague"),
    ("两三天前", MONDAY, None, "vague"),
    ("上周", MONDAY, None, "vague"),
    ("前几天打过，昨天下午又打", MONDAY, "2026-11-29", "part_of_day"),
    # around midnight, across a month boundary
    ("昨晚11点", MIDNIGHT, "2026-11-30T23:00", "minute"),
    ("刚才", MIDNIGHT, "2026-12-01T00:20", "minute"),
    ("半小时前", MIDNIGHT, "2026-11-30T23:50", "minute"),
    ("昨天", MIDNIGHT, "2026-11-30", "day"),
    ("上个月底", MIDNIGHT, "2026-11-30", "vague"),
    ("月底", MIDNIGHT, "2026-11-30", "vague"),
    ("3号", MIDNIGHT, "2026-11-03", "day"),
    ("晚上12点", MIDNIGHT, "2026-12-01T00:00", "minute"),
    ("昨晚12点", MIDNIGHT, "2026-12-01T00:00", "minute"),
    # across a year boundary
    ("12月31号晚上九点", NEW_YEAR, "2026-12-31T21:00", "minute"),
    ("去年12月5号", NEW_YEAR, "2026-12-05", "day"),
    ("上个月28号", NEW_YEAR, "2026-12-28", "day"),
    ("前天", NEW_YEAR, "2026-12-30", "day"),
    ("上周五", NEW_YEAR, "2026-12-25", "day"),
    ("周五", NEW_YEAR, "2027-01-01", "day"),
    ("今年1月1号", NEW_YEAR, "2027-01-01", "day"),
    ("12/30 下午两点", NEW_YEAR, "2026-12-30T14:00", "minute"),
    ("大前天晚上", NEW_YEAR, "2026-12-29", "part_of_day"),
    # on a Sunday (the Chinese week runs Monday to Sunday)
    ("周日凌晨两点", SUNDAY, "2026-12-06T02:00", "minute"),
    ("周一", SUNDAY, "2026-11-30", "day"),
    ("上周日", SUNDAY, "2026-11-29", "day"),
    ("这周一", SUNDAY, "2026-11-30", "day"),
    ("今晚8点", SUNDAY, "2026-12-06T20:00", "minute"),
    ("这周六下午", SUNDAY, "2026-12-05", "part_of_day"),
]


@pytest.mark.parametrize(("text", "now", "at", "precision"), CASES)
def test_reads_when(text, now, at, precision):
    reading = resolve_when(text, now)
    assert (reading.at, reading.precision) == (at, precision)


def test_the_table_is_large():
    assert len(CASES) >= 60
    assert len({text for text, *_ in CASES}) >= 60


NOT_TIMES = [
    "3000块",
    "逾期3个月",
    "逾期3月",
    "打了三次",
    "工号1234",
    "尾号5678",
    "13812345678",
    "他的电话是021-12345678",
    "工号是1234号",
    "欠了2万3",
    "利息3点5",
    "2.5万",
    "12.30元",
    "1/3的钱",
    "还款日是每月15号",
    "我的账单日是5号",
    "他说3天内必须还",
    "5日内还清",
    "打了20多个电话",
    "一天打十几个",
    "三天两头打",
    "每周一都打",
    "一周一次",
    "3号线地铁站",
    "5号楼",
    "他说有三点要求",
    "两点意见",
    "差一点就",
    "一点都不怕",
    "多一点时间",
    "快一点",
    "这一点我不认",
    "一时半会还不上",
    "2026年开始逾期",
    "",
    "你好",
]


@pytest.mark.parametrize("text", NOT_TIMES)
def test_numbers_that_are_not_times(text):
    assert resolve_when(text, MONDAY) == when.NOTHING


def test_the_future_is_kept_and_flagged():
    evening = resolve_when("今天晚上8点", datetime(2026, 11, 30, 15, 0, tzinfo=CHINA))
    assert (evening.at, evening.in_future) == ("2026-11-30T20:00", True)
    assert resolve_when("今晚1点", MONDAY).at == "2026-12-01T01:00"
    assert resolve_when("今晚1点", MONDAY).in_future
    assert resolve_when("傍晚", MONDAY).in_future
    assert resolve_when("这个月3号", MIDNIGHT) == WhenReading(
        "2026-12-03", "day", "这个月3号", in_future=True
    )
    assert resolve_when("明天上午十点", MONDAY).in_future
    assert resolve_when("下周一", MONDAY).at == "2026-12-07"
    assert resolve_when("周日晚上10点", SUNDAY).in_future


@pytest.mark.parametrize(
    "text",
    ["昨晚23:10", "中午", "刚才", "十二点", "上周五下午四点", "上个月底", "周日凌晨两点", "28号"],
)
def test_the_past_is_not_flagged(text):
    assert not resolve_when(text, MONDAY).in_future


def test_matched_is_the_span_as_typed():
    assert resolve_when("他说今天下午三点有人自称律师", MONDAY).matched == "今天下午三点"
    assert resolve_when("昨晚１１點多又打", MONDAY).matched == "昨晚１１點多"
    assert resolve_when("我欠3000块，前几天开始", MONDAY).matched == "前几天"
    assert resolve_when("没有时间", MONDAY).matched == ""


def test_part_of_day_is_named():
    assert resolve_when("昨天晚上", MONDAY).part_of_day == "晚上"
    assert resolve_when("前天夜里十一点多", MONDAY).part_of_day == "夜里"
    assert resolve_when("今早7点", MONDAY).part_of_day == "早上"
    assert resolve_when("大前天", MONDAY).part_of_day is None


def test_now_is_read_in_china_time():
    utc = datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc)  # 00:30 on 1 December in China
    assert resolve_when("刚才", utc).at == "2026-12-01T00:30"
    assert resolve_when("今天", utc).at == "2026-12-01"
    naive = datetime(2026, 11, 30, 15, 20)
    assert resolve_when("半小时前", naive).at == "2026-11-30T14:50"


def test_china_zone_falls_back_to_utc_plus_8(monkeypatch):
    def missing(key):
        raise when.ZoneInfoNotFoundError(key)

    monkeypatch.setattr(when, "ZoneInfo", missing)
    zone = when._china_zone()
    assert zone.utcoffset(datetime(2026, 7, 1)) == timedelta(hours=8)


def test_every_word_of_the_content_file_is_read():
    content = load_content("when")
    for name, part in content["parts_of_day"].items():
        for word in part["words"]:
            reading = resolve_when(f"前天{word}", MONDAY)
            assert (reading.at, reading.part_of_day) == ("2026-11-28", name), word
    for number, words in content["weekdays"].items():
        for prefix in content["weekday_prefixes"]:
            for word in words:
                expected = date(2026, 11, 22) + timedelta(days=int(number))
                assert resolve_when(f"上{prefix}{word}", SUNDAY).at == expected.isoformat()
    for back, words in content["relative_days"].items():
        for word in words:
            expected = date(2026, 11, 30) - timedelta(days=int(back))
            assert resolve_when(word, MONDAY).at == expected.isoformat(), word
    for word in content["vague"]:
        assert resolve_when(word, MONDAY).precision == "vague", word


# --- properties ------------------------------------------------------------------------------


def cn(number):
    """An independent rendering of 0-99 in Chinese numerals."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, units = divmod(number, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


def hour_words(hour, chinese):
    if not chinese:
        return str(hour)
    return "两" if hour == 2 else cn(hour)


def minute_words(minute, chinese):
    if minute == 0:
        return ""
    if not chinese:
        return f"{minute:02d}分" if minute < 10 else f"{minute}分"
    return ("零" + cn(minute) if minute < 10 else cn(minute)) + "分"


NOW_LOCAL = datetime(2026, 11, 30, 15, 20)
UNAMBIGUOUS_HOURS = st.sampled_from([0, *range(8, 24)])


@settings(max_examples=200, deadline=None)
@given(
    days=st.integers(1, 90),
    hour=UNAMBIGUOUS_HOURS,
    minute=st.integers(0, 59),
    chinese=st.booleans(),
    space=st.booleans(),
)
def test_days_ago_at_a_clock_time(days, hour, minute, chinese, space):
    days_written = cn(days) if chinese else str(days)
    clock = f"{hour_words(hour, chinese)}点{minute_words(minute, chinese)}"
    text = f"{days_written}天前{' ' if space else ''}{clock}"
    expected = (NOW_LOCAL - timedelta(days=days)).replace(hour=hour, minute=minute)
    reading = resolve_when(text, MONDAY)
    assert reading.at == expected.strftime("%Y-%m-%dT%H:%M"), text
    assert reading.precision == "minute"


@settings(max_examples=100, deadline=None)
@given(days=st.integers(1, 90), hour=st.integers(1, 7), minute=st.integers(0, 59))
def test_early_hours_with_a_leading_zero_are_a_24_hour_clock(days, hour, minute):
    text = f"{days}天前 {hour:02d}:{minute:02d}"
    expected = (NOW_LOCAL - timedelta(days=days)).replace(hour=hour, minute=minute)
    assert resolve_when(text, MONDAY).at == expected.strftime("%Y-%m-%dT%H:%M"), text


@settings(max_examples=100, deadline=None)
@given(hour=st.integers(1, 6), minute=st.integers(0, 59), chinese=st.booleans())
def test_yesterday_afternoon(hour, minute, chinese):
    text = f"昨天下午{hour_words(hour, chinese)}点{minute_words(minute, chinese)}"
    reading = resolve_when(text, MONDAY)
    assert reading.at == f"2026-11-29T{hour + 12:02d}:{minute:02d}", text
    assert not reading.in_future


@settings(max_examples=100, deadline=None)
@given(days=st.integers(1, 30), hour=st.integers(1, 4), chinese=st.booleans())
def test_night_hours_after_midnight_belong_to_the_next_day(days, hour, chinese):
    text = f"{days}天前夜里{hour_words(hour, chinese)}点"
    expected = (NOW_LOCAL - timedelta(days=days - 1)).replace(hour=hour, minute=0)
    assert resolve_when(text, MONDAY).at == expected.strftime("%Y-%m-%dT%H:%M"), text


@settings(max_examples=100, deadline=None)
@given(minutes=st.integers(0, 600), hour=st.integers(0, 23), day_offset=st.integers(0, 400))
def test_full_dates_round_trip(minutes, hour, day_offset):
    moment = (NOW_LOCAL - timedelta(days=day_offset)).replace(hour=hour, minute=minutes % 60)
    text = f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
    reading = resolve_when(text, MONDAY)
    assert reading.at == moment.strftime("%Y-%m-%dT%H:%M")
    assert reading.in_future == (moment > NOW_LOCAL)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789点时分号日月年天前周上下午晚夜半多:./ 块万元")), max_size=30))
def test_any_text_gives_a_well_formed_reading(text):
    reading = resolve_when(text, MONDAY)
    assert reading.precision in PRECISIONS
    assert reading.matched in text
    if reading.at is not None:
        parsed = datetime.fromisoformat(reading.at)
        assert parsed.year > 2000
    else:
        assert reading.precision in ("vague", "none")


@settings(max_examples=100, deadline=None)
@given(
    number=st.integers(0, 10**11),
    unit=st.sampled_from(["块", "元", "万", "个月", "次", "", "号码"]),
    cue=st.sampled_from(["", "欠了", "工号", "尾号", "逾期", "打了", "电话"]),
)
def test_amounts_ids_and_counts_are_not_times(number, unit, cue):
    assert resolve_when(f"{cue}{number}{unit}", MONDAY).at is None
