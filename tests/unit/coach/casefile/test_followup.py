"""A sent complaint: its 15-day deadline, the days left, and the escalation once it passed."""

from datetime import date, datetime, timezone

from coach.casefile import followup as f

NOW = datetime(2026, 12, 8, 2, 0, tzinfo=timezone.utc)  # 10:00 in China


def test_the_deadline_is_fifteen_days_after_the_complaint():
    assert f.answer_deadline(date(2026, 11, 1)) == date(2026, 11, 16)
    assert f.answer_deadline(date(2026, 12, 20)) == date(2027, 1, 4)


def test_a_sent_complaint_is_recognised_and_its_day_read():
    assert f.says_sent("我昨天打电话投诉了招行")
    assert f.says_sent("投诉信已经寄出去了")
    assert not f.says_sent("投诉信怎么写")
    assert f.sent_on("我昨天打电话投诉了招行", NOW) == date(2026, 12, 7)
    assert f.sent_on("已经向平台投诉了", NOW) is None


def test_the_recorded_text_says_the_day_and_the_deadline():
    sent = f.sent_complaint(date(2026, 12, 7), "招商银行", "credit_card")
    text = f.recorded_text(sent, date(2026, 12, 8))
    assert "12月7日" in text and "12月22日前" in text and "15日" in text


def test_before_the_deadline_it_counts_the_days_left():
    sent = f.sent_complaint(date(2026, 12, 1), "招商银行", "credit_card")
    result = f.followup(sent, date(2026, 12, 8))
    assert not result.overdue and result.document is None
    assert "还有8天" in result.text


def test_after_the_deadline_a_bank_complaint_goes_to_12378():
    sent = f.sent_complaint(date(2026, 11, 1), "招商银行", "credit_card")
    result = f.followup(sent, date(2026, 12, 8))
    assert result.overdue and "12378" in result.text and "过了22天" in result.text
    assert result.document is not None
    assert result.document.kind == f.ESCALATION_KIND
    assert "2026年11月1日" in result.document.text
    assert "2026年11月16日" in result.document.text
    assert "招商银行" in result.document.title


def test_a_small_loan_company_goes_to_the_local_regulator_and_nifa():
    sent = f.sent_complaint(date(2026, 11, 1), "某某小额贷款有限公司", "online_loan")
    result = f.followup(sent, date(2026, 12, 8), "杭州")
    assert result.document is not None
    assert "杭州地方金融管理局" in result.document.text
    assert "互联网金融协会" in result.document.text
    assert "《银行业保险业消费投诉处理管理办法》" not in result.document.text


def test_a_private_lender_has_no_regulator_to_write_to():
    sent = f.sent_complaint(date(2026, 11, 1), "朋友（私人借款）", None)
    result = f.followup(sent, date(2026, 12, 8))
    assert result.overdue and result.document is None and "110" in result.text


def test_the_slot_round_trips_and_junk_reads_as_nothing():
    sent = f.sent_complaint(date(2026, 11, 1), "招商银行", "credit_card", posted=True)
    assert f.from_slot(f.to_slot(sent)) == sent
    assert f.from_slot({"sent_on": "yesterday"}) is None
    assert f.from_slot("junk") is None
