"""The case file against the real servers: from a recorded contact to the complaint letter
over REST, the documents with the user's own figures, and the web chat's download route
(owner only, the conversation's own documents, kept across a restart, gone with the
conversation)."""

import io
import re
import uuid
from datetime import datetime, timedelta

import pytest
import requests
from pypdf import PdfReader

from coach.casefile import pdf
from coach.casefile.when import CHINA
from tests.support.chat import answered_with, customs, payloads, texts

WEBCHAT = "/webhooks/webchat"
ACCOUNT = "帮我记一下：昨晚11点10分，某资产管理公司的王某（工号1234）打电话来，骂我是老赖，还打给了我妈"
UNDATED = "帮我记下来：有人自称律师打到我单位，还把我欠钱的事告诉了同事"
INTAKE = "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款一万"
UNDERSTOOD = "我是这样理解的"


def new_sender() -> str:
    return f"casefile-{uuid.uuid4().hex[:10]}"


def yesterday() -> datetime:
    return datetime.now(CHINA) - timedelta(days=1)


def day_text(day: datetime) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def confirm_question(replies) -> str | None:
    return next((t for t in texts(replies) if t.startswith(UNDERSTOOD)), None)


def record(send, account):
    """Tells the account; the record button when the bot took it for a report; confirms."""
    replies = send(account)
    if confirm_question(replies) is None and "/log_contact" in payloads(replies):
        replies = send("/log_contact")
    question = confirm_question(replies)
    assert question is not None, replies
    assert "/affirm" in payloads(replies)
    return question, send("/affirm")


def the_document(replies, kind):
    documents = customs(replies, "document")
    assert len(documents) == 1, replies
    document = documents[0]
    assert document["kind"] == kind
    assert re.fullmatch(rf"{WEBCHAT}/documents/doc-[0-9a-f]{{16}}", document["download"])
    assert "{" not in document["text"] and "None" not in document["text"]
    return document


def test_a_recorded_contact_becomes_a_complaint_letter(bot):
    sender = new_sender()

    def send(text):
        return bot.send(sender, text)

    question, saved = record(send, ACCOUNT)
    assert "23:10" in question and "王某，工号1234" in question and "夜间催收" in question
    [log] = customs(saved, "contact_log")
    [entry] = log["entries"]
    assert entry["at"] == yesterday().strftime("%Y-%m-%dT") + "23:10"
    assert entry["collector"] == "王某，工号1234" and entry["channel"] == "phone"
    codes = {v["code"] for v in entry["violations"]}
    assert {"night_call", "insult_or_threat", "third_party_disclosure"} <= codes
    assert any(t.startswith("记下了，这是第1条。") and "依据：" in t for t in texts(saved))
    assert "/request_complaint_letter" in payloads(saved)

    letter = the_document(send("帮我写一封投诉信"), "complaint_letter")["text"]
    assert f"{day_text(yesterday())} 23:10" in letter
    assert "王某，工号1234" in letter and "夜间催收" in letter and "辱骂或恐吓" in letter

    replies = send("投诉12378的时候要说什么")
    assert any(t.startswith("投诉的时候") for t in texts(replies)), "guidance, not the rights list"
    assert the_document(replies, "complaint_letter")["download"] in {
        d["download"] for d in customs(replies, "document")
    }


def test_asking_for_the_letter_at_the_confirmation_records_the_contact_first(bot):
    sender = new_sender()
    replies = bot.send(sender, ACCOUNT)
    assert confirm_question(replies) is not None, replies
    replies = bot.send(sender, "帮我写一封投诉信")
    assert customs(replies, "contact_log")[0]["entries"][0]["collector"] == "王某，工号1234"
    letter = the_document(replies, "complaint_letter")["text"]
    assert f"{day_text(yesterday())} 23:10" in letter and "夜间催收" in letter


def test_a_contact_without_a_time_is_asked_when(bot):
    sender = new_sender()
    replies = bot.send(sender, UNDATED)
    if "/log_contact" in payloads(replies) and not answered_with(replies, "utter_ask_contact_when"):
        replies = bot.send(sender, "/log_contact")
    assert answered_with(replies, "utter_ask_contact_when"), replies
    replies = bot.send(sender, "昨晚11点")
    question = confirm_question(replies)
    assert question is not None and "23:00" in question and "单位" in question
    [log] = customs(bot.send(sender, "对"), "contact_log")
    assert log["entries"][0]["at"].endswith("T23:00")


def test_the_log_is_listed_and_an_entry_removed(bot):
    sender = new_sender()

    def send(text):
        return bot.send(sender, text)

    record(send, ACCOUNT)
    record(send, "帮我记一下：昨天上午十点招行信用卡中心打电话来，问我什么时候能还")
    replies = send("/show_contact_log")
    assert any(t.startswith("你一共记了2次联系") for t in texts(replies))
    assert [e["id"] for e in customs(replies, "contact_log")[0]["entries"]] == ["c1", "c2"]
    assert "王某，工号1234" in the_document(replies, "contact_log")["text"]
    replies = send('/show_contact_log{"contact_remove":"c1"}')
    assert any(t.startswith("已删掉第1条") for t in texts(replies))
    assert [e["id"] for e in customs(replies, "contact_log")[0]["entries"]] == ["c2"]


def test_the_instalment_application_and_the_plan_carry_the_users_figures(bot):
    sender = new_sender()
    assert customs(bot.send(sender, INTAKE), "repayment_offer")
    application = the_document(
        bot.send(sender, "帮我写一份个性化分期申请书，因为公司裁员我丢了工作"),
        "instalment_application",
    )["text"]
    for figure in ("48000元", "3个月", "12000元", "第七十条"):
        assert figure in application
    # The amount offered, never the expenses and the surplus (5000) that would undo it
    # (issue 24: written applications show what the user can pay, not the whole surplus).
    assert "7000元" not in application and "5000元" not in application
    assert "因为公司裁员我丢了工作" in application
    plan = the_document(bot.send(sender, "把我的还款方案整理成一份文件，我要打印"), "action_plan")
    for figure in ("48000元", "每月收入12000元", "必要开销7000元", "12378"):
        assert figure in plan["text"]


# ------------------------------------------------------------------ the web chat's downloads


class Widget:
    """A browser's session with the web chat: its cookie and its conversation."""

    def __init__(self, url):
        self.url = url + WEBCHAT
        self.http = requests.Session()
        answer = self.http.post(f"{self.url}/session", json={}, timeout=10)
        answer.raise_for_status()
        self.sender = answer.json()["sender"]

    def send(self, text):
        answer = self.http.post(
            f"{self.url}/webhook", json={"sender": self.sender, "message": text}, timeout=60
        )
        answer.raise_for_status()
        return [m for m in answer.json() if isinstance(m, dict)]

    def download(self, document, fmt="txt", sender=None, http=None):
        return (http or self.http).get(
            self.url.removesuffix(WEBCHAT) + document["download"],
            params={"sender": sender or self.sender, "format": fmt},
            timeout=60,
        )


def test_documents_download_to_their_owner_survive_a_restart_and_go_with_the_conversation(
    own_bot,
):
    bot = own_bot.rasa
    alice = Widget(bot.url)
    record(alice.send, ACCOUNT)
    letter = the_document(alice.send("帮我写一封投诉信"), "complaint_letter")

    answer = alice.download(letter)
    assert answer.status_code == 200 and answer.text == letter["text"]
    assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "filename*=UTF-8''" in answer.headers["Content-Disposition"]
    assert answer.headers["Cache-Control"] == "no-store"

    bob = Widget(bot.url)
    record(bob.send, "帮我记一下，昨天上午十点有人打电话说要起诉我")
    bobs_letter = the_document(bob.send("投诉信"), "complaint_letter")
    assert alice.download(letter, http=requests.Session()).status_code == 403, "no credential"
    assert alice.download(letter, http=bob.http).status_code == 403, "another's credential"
    assert alice.download(bobs_letter).status_code == 404, "another conversation's document"
    listed = alice.http.get(f"{alice.url}/documents", params={"sender": alice.sender}, timeout=10)
    assert [d["id"] for d in listed.json()["documents"]] == [letter["download"].rsplit("/", 1)[1]]

    if pdf.font_available():
        answer = alice.download(letter, "pdf")
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
        assert "王某，工号1234" in text and "夜间催收" in text

    bot.kill()
    bot.start()
    assert alice.download(letter).text == letter["text"], "kept in the tracker store"
    replies = alice.send("/show_contact_log")
    assert customs(replies, "contact_log")[0]["entries"][0]["collector"] == "王某，工号1234"

    deleted = alice.http.post(f"{alice.url}/delete", json={"sender": alice.sender}, timeout=30)
    assert deleted.json()["deleted"] is True
    assert alice.download(letter).status_code == 404, "deleted with the conversation"


@pytest.mark.parametrize("fmt", ["docx", "../pdf"])
def test_a_format_other_than_txt_or_pdf_is_refused(bot, fmt):
    widget = Widget(bot.url)
    answer = widget.download({"download": f"{WEBCHAT}/documents/doc-0000000000000000"}, fmt)
    assert answer.status_code == 400
