"""The case file in the conversation: recording a contact (contact_form), the log, its
corrections and removals, and the documents, on rasa_sdk Trackers."""

import asyncio
import re
from datetime import datetime, timezone

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.casefile_actions import (
    CONTACT_FORM_INTERRUPTIONS,
    LEAVING_INTENTS,
    ActionActionPlan,
    ActionAskContactConfirm,
    ActionAskContactWhen,
    ActionComplaintLetter,
    ActionInstalmentApplication,
    ActionLogContact,
    ActionSaveContact,
    ActionShowContactLog,
    ValidateContactForm,
)
from coach.casefile.slot import DOCUMENT_ID
from coach.guidance.rules_catalogue import fact
from coach.offer.planner import Figures, compute_offer
from coach.offer.presenter import offer_payload
from coach.paths import ROOT
from tests.support.trackers import domain, tracker

# 2026-11-30 10:00 in China (02:00 UTC): "昨晚" is the evening of 29 November.
MORNING = datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc).timestamp()
ACCOUNT = "帮我记一下：昨晚11点10分，某资产管理公司的王某（工号1234）打电话来，骂我是老赖，还打给了我妈"
UNDATED = "有人自称律师打到我单位，还把我欠钱的事告诉了同事"
REPORT = "昨晚11点多催收打电话骂我是老赖，还打给了我妈，这正常吗"
FIGURES = {
    "balance": 50000.0,
    "lender_type": "credit_card",
    "months_overdue": 3.0,
    "monthly_income": 9000.0,
    "monthly_expenses": 5500.0,
    "lump_sum": 0.0,
}


def user(text, intent, at=MORNING):
    return {
        "event": "user",
        "text": text,
        "timestamp": at,
        "parse_data": {"intent": {"name": intent}},
    }


class Chat:
    """One conversation's slots, carried from action to action as Rasa would."""

    def __init__(self, **slots):
        self.slots = dict(slots)
        self.history = []
        self.loop = None

    def run(self, action, text, intent, at=MORNING, requested=None, extra_events=()):
        slots = dict(self.slots)
        if requested is not None:
            slots["requested_slot"] = requested
        event = user(text, intent, at)
        events = [*self.history, event, *extra_events]
        state = tracker(slots, intent=intent, text=text, events=events, active_loop=self.loop)
        dispatcher = CollectingDispatcher()
        result = asyncio.run(action.run(dispatcher, state, domain()))
        for item in result:
            if item.get("event") == "slot":
                self.slots[item["name"]] = item["value"]
        return result, dispatcher.messages

    def said(self, text, intent, at=MORNING):
        """A user message the next action will find among the tracker's events."""
        self.history.append(user(text, intent, at))

    def form(self, text, intent, at=MORNING):
        """The form validating ``text`` as the answer to the slot it asked for."""
        self.loop = "contact_form"
        return self.run(
            ValidateContactForm(), text, intent, at, requested=self.slots.get("requested_slot")
        )

    def start(self, text, intent="log_contact", at=MORNING):
        """action_log_contact, then the form's activation (its first question)."""
        self.loop = None
        self.run(ActionLogContact(), text, intent, at)
        self.loop = "contact_form"
        self.run(ValidateContactForm(), text, intent, at, requested=None)
        self.said(text, intent, at)
        return self.slots.get("requested_slot")

    def ask(self, action=None):
        _, messages = self.run(action or ActionAskContactConfirm(), "", "log_contact")
        return messages

    def confirm_and_save(self):
        self.form("/affirm", "affirm")
        assert self.slots["requested_slot"] is None
        self.loop = None
        return self.run(ActionSaveContact(), "/affirm", "affirm")


def texts(messages):
    return [m["text"] for m in messages if m.get("text")]


def customs(messages, kind):
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == kind]


def responses(messages):
    return [m["response"] for m in messages if m.get("response")]


def assert_clean(text):
    assert not re.search(r"\{[a-z_]*\}", text) and "None" not in text, text


def recorded(account=ACCOUNT, **slots):
    chat = Chat(**slots)
    assert chat.start(account) == "contact_confirm"
    chat.confirm_and_save()
    return chat


# ------------------------------------------------------------------ recording a contact


def test_a_full_account_asks_only_for_confirmation_and_shows_what_it_understood():
    chat = Chat()
    assert chat.start(ACCOUNT) == "contact_confirm"
    [message] = chat.ask()
    text = message["text"]
    for shown in ("11月29日 23:10", "电话", "某资产管理公司", "王某，工号1234", "家人"):
        assert shown in text
    assert "辱骂或恐吓" in text and "夜间催收" in text and "联系第三方" in text
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/stop_form"]
    assert_clean(text)


def test_the_time_is_read_against_the_messages_own_time():
    evening = datetime(2026, 12, 2, 15, 0, tzinfo=timezone.utc).timestamp()  # 23:00 in China
    chat = Chat()
    chat.start("刚才催收打电话骂我", at=evening)
    assert chat.slots["contact_draft"]["at"] == "2026-12-02T23:00"


def test_a_missing_time_is_asked_and_a_typed_answer_understood():
    chat = Chat()
    assert chat.start(UNDATED) == "contact_when"
    assert responses(chat.ask(ActionAskContactWhen())) == ["utter_ask_contact_when"]
    events, messages = chat.form("昨晚11点", "log_contact")
    assert chat.slots["contact_draft"]["at"] == "2026-11-29T23:00"
    assert chat.slots["requested_slot"] == "contact_confirm" and not messages
    assert "夜间催收" in chat.ask()[0]["text"]


def test_a_day_without_a_time_asks_for_the_time_of_that_day():
    chat = Chat()
    assert chat.start("昨天晚上催收打电话骂我") == "contact_when"
    [message] = chat.ask(ActionAskContactWhen())
    assert message["response"] == "utter_ask_contact_time" and message["day"] == "11月29日晚上"
    chat.form("十一点多", "log_contact")
    assert chat.slots["contact_draft"]["at"] == "2026-11-29T23:00"


def test_not_remembering_the_time_is_an_answer():
    chat = Chat()
    chat.start(UNDATED)
    chat.form("不记得了", "deny")
    assert chat.slots["requested_slot"] == "contact_confirm"
    assert chat.slots["contact_draft"]["at"] is None


def test_a_time_in_the_future_or_no_time_is_asked_again():
    chat = Chat()
    chat.start(UNDATED)
    _, messages = chat.form("明天下午三点", "log_contact")
    assert messages == [] and chat.slots["requested_slot"] == "contact_when"
    assert responses(chat.ask(ActionAskContactWhen())) == ["utter_contact_when_future"]
    _, messages = chat.form("嗯嗯嗯", "log_contact")
    assert responses(messages) == ["utter_contact_when_unclear"]
    assert chat.slots["requested_slot"] == "contact_when"


def test_an_account_with_a_time_still_to_come_asks_again():
    chat = Chat()
    assert chat.start("今天晚上八点有人打电话骂我") == "contact_when"
    assert responses(chat.ask(ActionAskContactWhen())) == ["utter_contact_when_future"]
    chat.form("昨晚八点", "log_contact")
    assert chat.slots["contact_draft"]["at"] == "2026-11-29T20:00"
    assert chat.slots["requested_slot"] == "contact_confirm"


def test_the_button_under_a_report_records_that_report_with_its_own_time():
    yesterday = MORNING - 86400
    chat = Chat()
    chat.said(REPORT, "report_abusive_collection", at=yesterday)
    assert chat.start("/log_contact") == "contact_confirm"
    draft = chat.slots["contact_draft"]
    assert draft["at"] == "2026-11-28T23:00", "昨晚 of the report's day"
    assert draft["summary"] == REPORT and draft["third_parties"] == ["家人"]


def test_a_bare_request_asks_for_the_account():
    chat = Chat()
    chat.said("你好", "greet")
    assert chat.start("记一笔") == "contact_account"
    _, messages = chat.form("嗯", "affirm")
    assert responses(messages) == ["utter_contact_account_unclear"]
    chat.form("今天上午十点有人打电话说要起诉我", "log_contact")
    assert chat.slots["requested_slot"] == "contact_confirm"
    assert chat.slots["contact_draft"]["at"] == "2026-11-30T10:00"


def test_a_correction_changes_what_was_understood_and_asks_again():
    chat = Chat()
    chat.start(ACCOUNT)
    _, messages = chat.form("不对，时间是昨晚10点，机构是招商银行", "inform_finances")
    draft = chat.slots["contact_draft"]
    assert draft["at"] == "2026-11-29T22:00" and draft["organisation"] == "招商银行"
    assert chat.slots["requested_slot"] == "contact_confirm" and not messages
    _, messages = chat.form("没有联系我家人", "log_contact")
    assert chat.slots["contact_draft"]["third_parties"] == []
    assert "联系第三方" not in chat.ask()[0]["text"]


def test_a_new_account_in_the_middle_of_the_form_starts_it_again():
    chat = Chat()
    chat.start(UNDATED)
    chat.form("帮我记一下：昨天上午十点有人打电话说要起诉我", "log_contact")
    draft = chat.slots["contact_draft"]
    assert draft["at"] == "2026-11-29T10:00" and draft["third_parties"] == []
    assert draft["summary"] == "昨天上午十点有人打电话说要起诉我"
    assert chat.slots["requested_slot"] == "contact_confirm"


def test_a_no_asks_what_to_fix_and_nonsense_says_how():
    chat = Chat()
    chat.start(ACCOUNT)
    _, messages = chat.form("/deny", "deny")
    assert responses(messages) == ["utter_contact_what_to_fix"]
    _, messages = chat.form("啊啊啊", "out_of_scope")
    assert responses(messages) == ["utter_contact_fix_unclear"]
    assert chat.slots["requested_slot"] == "contact_confirm"


def test_a_confirmed_contact_is_saved_with_its_breaches_sources_and_payload():
    chat = Chat(lender_type="credit_card")
    chat.start(ACCOUNT)
    events, messages = chat.confirm_and_save()
    [entry] = chat.slots["contact_log"]
    assert entry["id"] == "c1" and entry["at"] == "2026-11-29T23:10"
    assert entry["collector"] == "王某，工号1234" and entry["summary"].startswith("昨晚11点10分")
    body, next_step = texts(messages)
    assert body.startswith("记下了，这是第1条。")
    for violation in entry["violations"]:
        assert fact(violation["fact_id"])["source"] in body
    assert "依据：" in body and "可以让我按记录写一封投诉信" in next_step
    assert body.count("12378") == 0 and next_step.count("12378") == 1, "the route is said once"
    [payload] = customs(messages, "contact_log")
    assert payload["entries"][0]["violations"][0].keys() == {"code", "fact_id", "text"}
    assert {v["code"] for v in payload["entries"][0]["violations"]} == {
        "insult_or_threat",
        "third_party_disclosure",
        "night_call",
    }
    assert chat.slots["contact_draft"] is None and chat.slots["contact_confirm"] is None


def test_a_contact_without_a_breach_is_saved_and_said_so():
    chat = recorded("今天上午十点招行信用卡中心打电话来，态度挺好的，问我什么时候能还")
    [entry] = chat.slots["contact_log"]
    assert entry["violations"] == []


def test_a_second_contact_gets_the_next_number():
    chat = recorded()
    chat.start("今天上午十点有人打电话说要起诉我")
    _, messages = chat.confirm_and_save()
    assert [e["id"] for e in chat.slots["contact_log"]] == ["c1", "c2"]
    assert texts(messages)[0].startswith("记下了，这是第2条。")


def test_cancelling_records_nothing():
    chat = Chat()
    chat.start(ACCOUNT)
    chat.form("算了不记了", "stop_form")
    chat.loop = None
    # /stop_form is a leaving intent: the rule answers; typed words end the form here.
    events, messages = chat.run(ActionSaveContact(), "", "stop_form")
    assert chat.slots.get("contact_log") is None
    assert responses(messages) == ["utter_contact_cancelled"]


@pytest.mark.parametrize("intent", sorted(LEAVING_INTENTS))
def test_crisis_stop_and_delete_always_leave_the_form(intent):
    chat = Chat()
    chat.start(ACCOUNT)
    events, _ = chat.form("时间是昨晚10点", intent)
    assert events[0]["event"] == "action_execution_rejected"


def test_a_question_interrupts_only_when_it_answers_nothing():
    chat = Chat()
    chat.start(UNDATED)
    events, _ = chat.form("我有哪些权利", "ask_legal_rights")
    assert events[0]["event"] == "action_execution_rejected"
    chat.start(UNDATED)
    events, _ = chat.form("昨晚11点，他们这样违法吗", "ask_legal_rights")
    assert chat.slots["contact_draft"]["at"] == "2026-11-29T23:00"


def test_after_an_interruption_the_form_asks_again_without_reading_the_question():
    chat = Chat()
    chat.start(UNDATED)
    chat.loop = "contact_form"
    rejected = {"event": "action_execution_rejected", "name": "contact_form"}
    answered = {"event": "action", "name": "action_explain_rights"}
    events, messages = chat.run(
        ValidateContactForm(),
        "我有哪些权利",
        "ask_legal_rights",
        requested="contact_when",
        extra_events=[rejected, answered],
    )
    assert not messages and all(e["event"] == "slot" for e in events)
    assert chat.slots["requested_slot"] == "contact_when"


def test_the_interruption_rules_match_the_forms_list():
    rules = yaml.safe_load((ROOT / "data/rules/casefile.yml").read_text(encoding="utf-8"))["rules"]
    inside = [
        r
        for r in rules
        if {"active_loop": "contact_form"} in (r.get("condition") or [])
        and "intent" in r["steps"][0]
    ]
    resumed = {
        r["steps"][0]["intent"] for r in inside if r["steps"][-1] == {"active_loop": "contact_form"}
    }
    leaving = {r["steps"][0]["intent"] for r in inside} - resumed
    assert resumed == CONTACT_FORM_INTERRUPTIONS - {"start_roleplay"}
    assert leaving == LEAVING_INTENTS | {"start_roleplay"}


# ------------------------------------------------------------------ the log


def test_the_log_lists_every_entry_with_its_payload_and_document():
    chat = recorded()
    events, messages = chat.run(ActionShowContactLog(), "看看我的记录", "show_contact_log")
    listing = texts(messages)[0]
    assert "你一共记了1次联系" in listing and "11月29日 23:10" in listing
    assert "/request_complaint_letter" in [b["payload"] for b in messages[0]["buttons"]]
    assert customs(messages, "contact_log")[0]["entries"][0]["id"] == "c1"
    [document] = customs(messages, "document")
    assert document["kind"] == "contact_log" and "王某，工号1234" in document["text"]
    stored = chat.slots["documents"][0]
    assert DOCUMENT_ID.fullmatch(stored["id"]) and document["download"].endswith(stored["id"])


def test_an_empty_log_says_how_to_start():
    _, messages = Chat().run(ActionShowContactLog(), "看看我的记录", "show_contact_log")
    assert responses(messages) == ["utter_contact_log_empty"]


def test_removing_an_entry_by_its_number():
    chat = recorded()
    chat.start("今天上午十点有人打电话说要起诉我")
    chat.confirm_and_save()
    _, messages = chat.run(ActionShowContactLog(), "删掉第2条", "show_contact_log")
    assert [e["id"] for e in chat.slots["contact_log"]] == ["c1"]
    assert texts(messages)[0].startswith("已删掉第2条")
    assert customs(messages, "contact_log")[0]["entries"][0]["id"] == "c1"


def test_removing_an_entry_by_its_button():
    chat = recorded()
    _, listing = chat.run(ActionShowContactLog(), "看看我的记录", "show_contact_log")
    button = next(b for b in listing[0]["buttons"] if b["title"] == "删掉第1条")
    assert button["payload"] == '/show_contact_log{"contact_remove":"c1"}'
    entities = [{"entity": "contact_remove", "value": "c1"}]
    state_slots = dict(chat.slots)
    dispatcher = CollectingDispatcher()
    state = tracker(
        state_slots,
        intent="show_contact_log",
        text=button["payload"],
        entities=entities,
        events=[user(button["payload"], "show_contact_log")],
    )
    events = asyncio.run(ActionShowContactLog().run(dispatcher, state, domain()))
    log = next(e["value"] for e in events if e.get("name") == "contact_log")
    assert log == [] and "记录现在是空的" in dispatcher.messages[0]["text"]
    document = next(e["value"] for e in events if e.get("name") == "documents")
    assert "还没有记录" in document[0]["text"], "the log's document follows the log"


def test_correcting_an_entry_checks_the_rules_again():
    chat = recorded("今天上午十点有人打电话说要起诉我")
    assert chat.slots["contact_log"][0]["violations"] == []
    _, messages = chat.run(ActionShowContactLog(), "第1条时间是昨晚11点", "show_contact_log")
    [entry] = chat.slots["contact_log"]
    assert entry["at"] == "2026-11-29T23:00"
    assert [v["code"] for v in entry["violations"]] == ["night_call"]
    assert texts(messages)[0].startswith("第1条改好了")


def test_a_typed_edit_while_asking_to_log_is_made_at_once():
    chat = recorded()
    chat.run(ActionLogContact(), "把第1条删了", "log_contact")
    assert chat.slots["contact_log"] == [] and chat.slots["contact_confirm"] == "edited"
    chat.loop = "contact_form"
    events, _ = chat.run(ValidateContactForm(), "把第1条删了", "log_contact", requested=None)
    assert {"event": "slot", "timestamp": None, "name": "requested_slot", "value": None} in events
    _, messages = chat.run(ActionSaveContact(), "", "log_contact")
    assert messages == [] and chat.slots["contact_confirm"] is None


def test_an_entry_that_does_not_exist():
    chat = recorded()
    _, messages = chat.run(ActionShowContactLog(), "删掉第9条", "show_contact_log")
    assert "没有第9条，现在一共1条" in texts(messages)[0]
    assert len(chat.slots["contact_log"]) == 1


# ------------------------------------------------------------------ documents


def the_document(messages, kind):
    [document] = customs(messages, "document")
    assert document["kind"] == kind
    assert document["created_at"] == "2026-11-30T10:00"
    assert re.fullmatch(r"/webhooks/webchat/documents/doc-[0-9a-f]{16}", document["download"])
    assert_clean(document["text"])
    return document


def test_the_complaint_letter_carries_the_recorded_contact():
    chat = recorded(lender_type="credit_card")
    _, messages = chat.run(ActionComplaintLetter(), "帮我写一封投诉信", "request_complaint_letter")
    text = the_document(messages, "complaint_letter")["text"]
    assert "2026年11月29日 23:10" in text and "王某，工号1234" in text
    assert "夜间催收" in text and "辱骂或恐吓" in text and "【姓名】" in text
    stored = chat.slots["documents"][0]
    assert stored["kind"] == "complaint_letter" and stored["text"] == text


def test_what_to_say_to_12378_is_the_letter_with_guidance():
    chat = recorded(lender_type="credit_card")
    _, messages = chat.run(ActionComplaintLetter(), "投诉12378的时候要说什么", "request_complaint_letter")
    guidance = texts(messages)[0]
    assert guidance.startswith("投诉的时候") and "12378" in guidance
    the_document(messages, "complaint_letter")


def test_without_a_log_the_letter_uses_the_request_or_leaves_the_facts_blank():
    chat = Chat()
    _, messages = chat.run(
        ActionComplaintLetter(),
        "帮我写投诉信，他们昨晚11点打到我单位，还跟我同事说我欠钱",
        "request_complaint_letter",
    )
    text = the_document(messages, "complaint_letter")["text"]
    assert "2026年11月29日 23:00" in text and "联系第三方" in text
    assert "/log_contact" in [b["payload"] for m in messages for b in m.get("buttons") or []]
    _, messages = Chat().run(ActionComplaintLetter(), "投诉信", "request_complaint_letter")
    text = the_document(messages, "complaint_letter")["text"]
    assert "【日期】" in text and "【经过】" in text
    assert any("还没有记过联系记录" in t for t in texts(messages))


def test_a_new_letter_replaces_the_old_one_and_keeps_its_link():
    chat = recorded()
    _, first = chat.run(ActionComplaintLetter(), "投诉信", "request_complaint_letter")
    chat.start("今天上午十点有人打电话说要起诉我")
    chat.confirm_and_save()
    _, second = chat.run(ActionComplaintLetter(), "投诉信", "request_complaint_letter")
    assert customs(first, "document")[0]["download"] == customs(second, "document")[0]["download"]
    [stored] = chat.slots["documents"]
    assert "2026年11月30日 10:00" in stored["text"]


def test_the_instalment_application_carries_the_users_figures_and_reason():
    offer = offer_payload(compute_offer(Figures(**FIGURES)))
    chat = Chat(**FIGURES, offer=offer)
    _, messages = chat.run(
        ActionInstalmentApplication(),
        "帮我写个分期申请给招商银行，因为公司裁员我丢了工作",
        "request_instalment_application",
    )
    document = the_document(messages, "instalment_application")
    text = document["text"]
    assert document["title"] == "个性化分期还款申请书" and "第七十条" in text
    for figure in ("50000元", "3个月", "9000元", "每月还款1800元", "28期"):
        assert figure in text
    assert "3500元" not in text  # the amount offered, not the whole surplus
    assert "因为公司裁员我丢了工作" in text and "致：招商银行" in text
    # Nothing missing; the one note says what an Art. 70 agreement usually asks.
    assert len(texts(messages)) == 2 and "不再申请新的信用卡" in texts(messages)[1]


def test_an_instalment_application_for_another_lender_without_figures():
    chat = Chat(lender_type="online_lender")
    _, messages = chat.run(ActionInstalmentApplication(), "分期申请书", "request_instalment_application")
    document = the_document(messages, "instalment_application")
    assert document["title"] == "困难情况说明及分期还款申请"
    assert "【原因，如收入减少】" in document["text"] and "【金额】" in document["text"]
    notes = texts(messages)[-1]
    assert "先算一下方案" in notes and "原因" in notes


def test_the_instalment_application_uses_a_several_debts_plan():
    debt_plan = {
        "type": "debt_plan", "currency": "CNY", "method": "pro_rata",
        "monthly_income": 12000, "monthly_expenses": 7000, "disposable_monthly": 5000,
        "affordable_monthly": 3700, "feasible": True, "notes": [],
        "debts": [
            {"id": "d1", "label": "招行信用卡", "lender_type": "credit_card", "balance": 48000,
             "months_overdue": 3, "priority": False, "monthly": 2600, "term_months": 19},
            {"id": "d2", "label": "借呗", "lender_type": "online_lender", "balance": 20000,
             "months_overdue": 2, "priority": False, "monthly": 1080, "term_months": 19},
        ],
    }  # fmt: skip
    chat = Chat(lender_type="credit_card", debt_plan=debt_plan)
    _, messages = chat.run(
        ActionInstalmentApplication(), "给借呗写个延期分期申请，我生病住院了", "request_instalment_application"
    )
    text = the_document(messages, "instalment_application")["text"]
    assert "致：借呗" in text and "1080元" in text and "20000元" in text
    assert "我生病住院了" in text


def test_the_action_plan_carries_the_figures_offer_steps_and_hotlines():
    offer = offer_payload(compute_offer(Figures(**FIGURES)))
    chat = recorded(**FIGURES, offer=offer)
    _, messages = chat.run(ActionActionPlan(), "把方案整理成一份文件", "request_action_plan")
    text = the_document(messages, "action_plan")["text"]
    for shown in ("50000元", "每月收入9000元", "每月1800元", "每月2600元", "12378", "110"):
        assert shown in text
    assert "2026年12月1日：主动联系" in text and "2026年12月2日：把投诉信交给" in text
    assert len(texts(messages)) == 1


def test_an_action_plan_without_an_offer_says_how_to_complete_it():
    _, messages = Chat().run(ActionActionPlan(), "生成方案", "request_action_plan")
    text = the_document(messages, "action_plan")["text"]
    assert "【金额】" in text
    assert "/request_repayment_plan" in [
        b["payload"] for m in messages for b in m.get("buttons") or []
    ]


def test_every_document_kind_is_kept_once():
    chat = recorded(**FIGURES)
    for action, intent in (
        (ActionComplaintLetter(), "request_complaint_letter"),
        (ActionInstalmentApplication(), "request_instalment_application"),
        (ActionActionPlan(), "request_action_plan"),
        (ActionShowContactLog(), "show_contact_log"),
        (ActionActionPlan(), "request_action_plan"),
    ):
        chat.run(action, "", intent)
    kinds = [d["kind"] for d in chat.slots["documents"]]
    assert sorted(kinds) == [
        "action_plan",
        "complaint_letter",
        "contact_log",
        "instalment_application",
    ]
    assert len({d["id"] for d in chat.slots["documents"]}) == 4


DEBTS = [
    {"id": "d1", "label": "招行信用卡", "lender_type": "credit_card", "balance": 48000},
    {"id": "d2", "label": "借呗", "lender_type": "online_lender", "balance": 20000},
]


def test_the_nth_of_the_debts_list_is_the_debts_edit_when_the_log_has_none():
    chat = Chat(debts=DEBTS)
    events, _ = chat.run(ActionShowContactLog(), "删掉第2条", "show_contact_log")
    assert chat.slots["debts"] is None and chat.slots["balance"] == 48000, "one debt left"
    assert not any(e.get("name") == "contact_log" for e in events)


def test_the_nth_entry_of_the_log_when_the_log_was_shown_last():
    chat = recorded(debts=DEBTS)
    chat.start("帮我记一下，昨天上午十点有人打电话说要起诉我")
    chat.confirm_and_save()
    shown = {"event": "bot", "data": {"custom": {"type": "contact_log", "entries": []}}}
    chat.history.append(shown)
    chat.run(ActionShowContactLog(), "删掉第2条", "show_contact_log")
    assert [e["id"] for e in chat.slots["contact_log"]] == ["c1"]
    assert len(chat.slots["debts"]) == 2


def test_asking_for_the_letter_instead_of_confirming_saves_then_writes_it():
    chat = Chat(lender_type="credit_card")
    chat.start(ACCOUNT)
    chat.form("帮我写一封投诉信", "request_complaint_letter")
    assert chat.slots["requested_slot"] is None
    chat.loop = None
    _, messages = chat.run(ActionSaveContact(), "帮我写一封投诉信", "request_complaint_letter")
    assert texts(messages)[0].startswith("记下了，这是第1条。")
    assert customs(messages, "contact_log")[0]["entries"][0]["id"] == "c1"
    letter = the_document(messages, "complaint_letter")["text"]
    assert "2026年11月29日 23:10" in letter and "王某，工号1234" in letter
    assert [e["id"] for e in chat.slots["contact_log"]] == ["c1"]
    assert chat.slots["documents"][0]["kind"] == "complaint_letter"


def test_a_letter_after_an_unrecorded_report_uses_that_report():
    yesterday = MORNING - 86400
    chat = Chat()
    chat.said(REPORT, "report_abusive_collection", at=yesterday)
    chat.said("我有哪些权利", "ask_legal_rights", at=yesterday)
    _, messages = chat.run(ActionComplaintLetter(), "帮我写投诉信", "request_complaint_letter")
    letter = the_document(messages, "complaint_letter")["text"]
    assert "2026年11月28日 23:00" in letter and "夜间催收" in letter and "辱骂或恐吓" in letter
    assert any("还没有记进记录" in t for t in texts(messages))
    chat.said("帮我写投诉信", "request_complaint_letter")
    assert chat.start("/log_contact") == "contact_confirm"
    assert chat.slots["contact_draft"]["summary"] == REPORT
