"""Corrections, removals and answers about a contact, read from what the user types."""

from datetime import datetime

import pytest

from coach.casefile.contact import read_contact, to_entry
from coach.casefile.edits import (
    Fix,
    apply_to_draft,
    apply_to_entry,
    entry_number,
    needs_when,
    read_account,
    read_entry_edit,
    read_fix,
    read_time,
    says_cancel,
    says_no,
    says_time_unknown,
    says_yes,
    without_commands,
)

NOW = datetime(2026, 11, 30, 10, 0)  # China time, as the actions pass it


@pytest.mark.parametrize(
    "text, field, value",
    [
        ("时间是昨晚10点", "time", "2026-11-29T22:00"),
        ("不是下午三点，是晚上十点", "time", "2026-11-29T22:00"),
        ("机构是招商银行", "organisation", "招商银行"),
        ("公司是平安普惠", "organisation", "平安普惠"),
        ("对方是王某", "collector", "王某"),
        ("对方工号1234", "collector", "工号1234"),
        ("方式是短信", "channel", "sms"),
        ("不是电话，是微信", "channel", "wechat"),
    ],
)
def test_a_field_said_on_its_own_is_changed(text, field, value):
    fix = read_fix(text, NOW, "2026-11-29")
    got = getattr(fix, field)
    assert (got.at if field == "time" else got) == value


def test_words_after_a_cue_are_no_name_without_a_setter():
    fix = read_fix("对方说要上门", NOW)
    assert fix.collector is None and fix.addition is not None
    assert "threat_visit" in fix.addition.claims


def test_parties_are_added_and_taken_off():
    assert read_fix("还打给了我妈", NOW).add_parties == ("家人",)
    assert read_fix("还打给了我妈", NOW).channel is None, "a party is no change of channel"
    assert read_fix("没有联系我家人", NOW).drop_parties == ("家人",)


def test_a_clock_alone_belongs_to_the_day_and_part_already_known():
    assert read_time("十一点多", NOW, "2026-11-29", "晚上").at == "2026-11-29T23:00"
    assert read_time("下午三点", NOW, "2026-11-28", "晚上").at == "2026-11-28T15:00"
    assert read_time("今天上午九点", NOW, "2026-11-28").at == "2026-11-30T09:00"


def test_a_clock_later_today_said_without_a_day_is_last_night():
    reading = read_time("晚上十点", NOW)
    assert reading.at == "2026-11-29T22:00" and not reading.in_future


@pytest.mark.parametrize("text", ["对", "对的，记下来", "嗯", "是的", "ok", "没问题"])
def test_yes(text):
    assert says_yes(text)


@pytest.mark.parametrize("text", ["对方是王某", "不对", "时间是昨晚10点", "对了他还骂我"])
def test_not_a_plain_yes(text):
    assert not says_yes(text)


def test_no_cancel_and_not_remembering():
    assert says_no("不对，时间错了") and not says_no("对")
    assert says_cancel("算了不记了")
    assert says_time_unknown("记不清了") and says_time_unknown("不记得")


@pytest.mark.parametrize(
    "text, number",
    [("删掉第2条", 2), ("第一条时间是昨晚10点", 1), ("第 3 条删了", 3), ("最后一条删了", 4)],
)
def test_the_entry_a_text_names(text, number):
    assert entry_number(text, 4) == number


def test_no_entry_named():
    assert entry_number("昨晚又打来了", 4) is None
    assert read_entry_edit("昨晚又打来了", NOW, 4) is None


def test_a_removal_and_a_correction_of_an_entry():
    removal = read_entry_edit("删掉第2条", NOW, 3)
    assert removal is not None and removal.number == 2 and removal.remove
    correction = read_entry_edit("第1条时间是昨晚10点", NOW, 3)
    assert correction is not None and not correction.remove
    assert correction.fix.time is not None and correction.fix.time.at == "2026-11-29T22:00"


def test_a_corrected_entry_is_checked_again():
    entry = to_entry(read_contact("今天上午有人打电话催我还钱"), "c1", "2026-11-30T10:00")
    assert entry.violations == ()
    changed = apply_to_entry(entry, read_fix("时间是昨晚11点", NOW), "credit_card")
    assert changed.at == "2026-11-29T23:00"
    assert [v.code for v in changed.violations] == ["night_call"]
    added = apply_to_entry(changed, read_fix("他还骂我是老赖", NOW))
    assert {v.code for v in added.violations} == {"night_call", "insult_or_threat"}
    assert "他还骂我是老赖" in added.summary


def test_an_account_is_read_and_dated_without_the_words_that_ask_to_record_it():
    draft = read_account("帮我记一下：昨晚11点10分，王某打电话骂我", NOW, "2026-11-30T10:00")
    assert draft is not None and draft.at == "2026-11-29T23:10"
    assert draft.contact.summary == "昨晚11点10分，王某打电话骂我"
    assert not needs_when(draft)
    assert read_account("记一笔", NOW) is None and read_account("/log_contact", NOW) is None
    assert without_commands("今天又打了我电话，记下来") == "今天又打了我电话"


def test_a_draft_asks_when_once():
    draft = read_account("有人打电话骂我", NOW)
    assert draft is not None and needs_when(draft)
    answered = apply_to_draft(draft, read_fix("昨晚十点", NOW))
    assert answered.at == "2026-11-29T22:00" and not needs_when(answered)
    assert apply_to_draft(draft, Fix()) == draft


def test_a_staff_number_is_added_to_the_name_and_a_name_replaces_it():
    draft = read_account("有人自称律师昨晚打电话给我", NOW)
    assert draft is not None and draft.contact.collector == "自称律师"
    numbered = apply_to_draft(draft, read_fix("对方工号1234", NOW))
    assert numbered.contact.collector == "自称律师，工号1234"
    renamed = apply_to_draft(numbered, read_fix("对方是王某", NOW))
    assert renamed.contact.collector == "王某"
