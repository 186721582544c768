# ruff: noqa: F811  (the browser fixture comes from test_widget_browser.py)
"""axe-core finds no violation in any state of the widget, at 1280 and 360 px.

axe-core comes from the npm registry, pinned in tests/e2e/axe/package-lock.json and
installed with ``npm ci`` by ``make axe`` (a step of ``make e2e``); the test injects it
into the page itself (a context that bypasses the page's CSP for that one script), never
from the page or a CDN. Every rule axe runs by default counts: WCAG 2.x A and AA and the
best practices (landmarks, regions, heading order). The counts of each run are written to
results/axe/STATE-WIDTH.json.

States: the welcome, an offer card, an infeasible offer card, a debt plan card (skipped
while the widget draws none for the payload), a score card, a failed message (未送达), a
message whose delivery is unknown (可能已送达, a server error), a message too long to send;
the 我的材料 dialog open (with a document listed, and empty), a document card (its folds
open), a contact-log card, an unfinished score card (未完成) and a finished one with its
parts, comments and replay (open); then an offer card at 320 x 240 (1280 x 960 at 400 %
zoom) and in the embedded page. The focus ring's contrast, which axe does not measure, is
checked in test_widget_behaviour.py.
"""

import json
import os

import pytest

from coach.content import load_content
from coach.paths import ROOT
from tests.support.browser import (
    DESKTOP,
    PHONE,
    REPLY_TIMEOUT_MS,
    WIDGET_WEBHOOK,
    Chat,
    in_ci,
)

AXE = ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = ROOT / "results" / "axe"

OFFER = {
    "type": "repayment_offer",
    "currency": "CNY",
    "balance": 48000,
    "lender_type": "credit_card",
    "monthly_income": 12000,
    "monthly_expenses": 7000,
    "disposable_monthly": 5000,
    "opening_monthly": 1800,
    "ceiling_monthly": 2600,
    "opening_term_months": 27,
    "ceiling_term_months": 19,
    "max_term_months": 60,
    "lump_sum": {
        "available": 30000,
        "suggested_opening": 19200,
        "typical_range": [19200, 38400],
        "status": "lore",
    },
    "waiver_request": ["penalty_interest", "fees"],
    "feasible": True,
    "notes": ["先核实欠款金额。", "每次通话都做记录。", "不要答应还不起的数。"],
}
INFEASIBLE = {
    "type": "repayment_offer",
    "balance": 90000,
    "lender_type": "online_lender",
    "disposable_monthly": 300,
    "opening_monthly": 300,
    "ceiling_monthly": 300,
    "opening_term_months": 60,
    "ceiling_term_months": 60,
    "lump_sum": None,
    "feasible": False,
    "notes": ["每月结余太少，撑不起分期。先联系平台说明困难。"],
    "waiver_request": [],
}
DEBT_PLAN = {
    "type": "debt_plan",
    "currency": "CNY",
    "method": "pro_rata",
    "monthly_income": 12000,
    "monthly_expenses": 7000,
    "disposable_monthly": 5000,
    "affordable_monthly": 3700,
    "debts": [
        {
            "id": "d1",
            "label": "招行信用卡",
            "lender_type": "credit_card",
            "balance": 48000,
            "months_overdue": 3,
            "priority": False,
            "monthly": 2600,
            "term_months": 19,
        },
        {
            "id": "d2",
            "label": "借呗",
            "lender_type": "online_lender",
            "balance": 20000,
            "months_overdue": 2,
            "priority": False,
            "monthly": 1080,
            "term_months": 19,
        },
    ],
    "feasible": True,
    "notes": ["按欠款比例分。"],
}
SCORE = {
    "type": "roleplay_score",
    "score": 72,
    "persona": "pushy",
    "criteria": {
        "introduced_self": True,
        "acknowledged_debt": True,
        "asked_waiver": False,
        "asserted_rights": None,
    },
    "agreed": {"monthly": 1800, "term_months": 28},
    "tips": ["先核实对方身份。"],
}
DOCUMENT = {
    "type": "document",
    "kind": "complaint_letter",
    "title": "关于违规催收的投诉信",
    "text": "关于违规催收的投诉信\n\n致：【机构名称】客户投诉部门\n投诉人：【姓名】\n"
    + "\n".join(f"第{n}段：2026年11月29日23:10，催收人员来电。" for n in range(1, 15))
    + "\n此致\n敬礼",
    "created_at": "2026-11-30T10:00",
    "download": "/webhooks/webchat/documents/doc-0123456789abcdef",
}
DOCUMENTS = {
    "documents": [
        {
            "id": "doc-0123456789abcdef",
            "kind": "complaint_letter",
            "title": "关于违规催收的投诉信",
            "created_at": "2026-11-30T10:00",
            "download": "/webhooks/webchat/documents/doc-0123456789abcdef",
        },
        {
            "id": "doc-fedcba9876543210",
            "kind": "contact_log",
            "title": "催收联系记录",
            "created_at": "2026-11-30T10:02",
            "download": "/webhooks/webchat/documents/doc-fedcba9876543210",
        },
    ]
}
CONTACT_LOG = {
    "type": "contact_log",
    "entries": [
        {
            "id": "c1",
            "at": "2026-11-29T23:10",
            "channel": "phone",
            "organisation": "某资产管理公司",
            "collector": "王某，工号1234",
            "summary": "深夜打电话，骂我是老赖",
            "violations": [
                {"code": "night_call", "fact_id": "no_contact_at_night", "text": "夜间催收。"}
            ],
        },
        {
            "id": "c2",
            "at": "2026-11-28",
            "channel": "sms",
            "organisation": None,
            "collector": None,
            "summary": "短信提醒",
            "violations": [],
        },
    ],
}
SCORE_UNFINISHED = {
    **SCORE,
    "score": None,
    "finished": False,
    "agreed": None,
    "parts": {"outcome": None, "process": None, "conduct": None},
    "turns": [
        {
            "turn": 1,
            "text": "你好，我是张伟",
            "found": ["introduced_self"],
            "offer": None,
            "notes": ["ice"],
            "note": "说明身份、表明愿意还",
        }
    ],
    "debrief": [],
    "progress": [],
}
SCORE_FINISHED = {
    **SCORE,
    "score": 73,
    "finished": True,
    "parts": {"outcome": 67, "process": 78, "conduct": 100},
    "turns": [
        {
            "turn": 1,
            "text": "你好，我是张伟，这笔钱是我欠的。",
            "found": ["introduced_self", "acknowledged_debt"],
            "offer": None,
            "notes": ["ice"],
            "note": "说明身份、表明愿意还",
        },
        {
            "turn": 2,
            "text": "每月1500，分32期。",
            "found": ["offered_monthly", "offered_term"],
            "offer": {"monthly": 1500.0, "term_months": 32.0, "lump_sum": None},
            "notes": ["first_offer_good"],
            "note": "首次报价每月1500元",
        },
    ],
    "debrief": [
        {
            "kind": "error",
            "key": "no_written",
            "label": "strategic_closing",
            "label_text": "策略性收尾 Strategic closing",
            "kind_text": "需要改进",
            "turn": 2,
            "quote": "每月1500，分32期。",
            "comment": "没有要求书面确认。",
            "say": "请发短信确认。",
        },
        {
            "kind": "strength",
            "key": "calm",
            "label": "power",
            "label_text": "权力 Power",
            "kind_text": "做得好",
            "turn": 1,
            "quote": "你好，我是张伟，这笔钱是我欠的。",
            "comment": "一直很冷静。",
            "say": "我们冷静地谈。",
        },
    ],
    "progress": ["和之前的练习比（这是第2轮）：", "得分从60分升到73分。"],
}
TEXT = "好的，我们一起看看。热线 12378 可以投诉。"
WIDTHS = {"1280": DESKTOP, "360": PHONE}


def reply_with(custom=None):
    messages = [{"recipient_id": "x", "text": TEXT}]
    if custom is not None:
        messages.append({"recipient_id": "x", "custom": custom})
    return json.dumps(messages, ensure_ascii=False)


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        reason = f"{AXE} is missing: run `make axe` (npm ci in tests/e2e/axe)"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


class AxeChat(Chat):
    """A tab whose context lets the test add axe-core to the page (its CSP allows only
    the page's own scripts)."""

    def __init__(self, browser, server_url, viewport):
        self.context = browser.new_context(
            viewport=viewport, locale="zh-CN", bypass_csp=True, reduced_motion="reduce"
        )
        self.page = self.context.new_page()
        self.dialogs, self.csp_violations = [], []
        self.page.on("dialog", self.on_dialog)
        self.url = server_url + "/webhooks/webchat/"
        self.accept_dialogs = False

    def answer(self, body, status=200):
        def fulfil(route):
            route.fulfill(status=status, content_type="application/json", body=body)

        self.page.route(WIDGET_WEBHOOK, fulfil)

    def violations(self, axe_source, name):
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(content=axe_source)
        found = self.page.evaluate(
            """() => axe.run(document, {resultTypes: ['violations']}).then(r =>
                r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(
                    n => ({target: n.target, summary: n.failureSummary}))})))"""
        )
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{name}.json").write_text(
            json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        return found


def open_in_state(chat, state):
    chat.open()
    if state == "initial":
        return
    if state == "failed":
        chat.page.route(WIDGET_WEBHOOK, lambda route: route.abort())
        chat.page.fill("#input", "你好")
        chat.page.press("#input", "Enter")
        chat.page.locator("#status").wait_for(state="visible", timeout=REPLY_TIMEOUT_MS)
        return
    if state == "maybe_sent":  # a server error: the message may have arrived
        chat.answer(json.dumps({"error": "boom"}), status=502)
        chat.page.fill("#input", "你好")
        chat.page.press("#input", "Enter")
        chat.page.locator(".msg-unknown").wait_for(timeout=REPLY_TIMEOUT_MS)
        return
    if state == "too_long":
        chat.page.fill("#input", "欠" * 1001)
        chat.page.press("#input", "Enter")
        chat.page.locator("#status").wait_for(state="visible", timeout=REPLY_TIMEOUT_MS)
        return
    if state in ("materials", "materials_empty"):  # the 我的材料 dialog, open
        listed = DOCUMENTS if state == "materials" else {"documents": []}
        body = json.dumps({"sender": chat.sender(), **listed}, ensure_ascii=False)
        chat.page.route(
            "**/webhooks/webchat/documents?*",
            lambda route: route.fulfill(status=200, content_type="application/json", body=body),
        )
        chat.answer(reply_with(DOCUMENT))
        chat.type_and_send("测试")
        chat.page.click("#materials")
        if state == "materials":
            chat.page.locator(".material").first.wait_for(timeout=REPLY_TIMEOUT_MS)
        else:
            empty = load_content("widget")["materials"]["empty"]
            chat.page.locator("#materials-status", has_text=empty).wait_for(
                timeout=REPLY_TIMEOUT_MS
            )
        assert chat.page.evaluate("document.getElementById('materials-panel').open")
        return
    custom = {
        "offer": OFFER,
        "infeasible": INFEASIBLE,
        "debt_plan": DEBT_PLAN,
        "score": SCORE,
        "document": DOCUMENT,
        "contact_log": CONTACT_LOG,
        "score_unfinished": SCORE_UNFINISHED,
        "score_finished": SCORE_FINISHED,
    }
    chat.answer(reply_with(custom[state]))
    chat.type_and_send("测试")
    if chat.page.locator(".card").count() == 0:
        assert state in STATES[:5], f"no card for the {state} payload"
        pytest.skip(f"the widget draws no card for a {state} payload yet")
    # Every fold open, so axe sees what is inside (document text, replay).
    chat.page.evaluate("document.querySelectorAll('#log details').forEach(d => { d.open = true; })")


STATES = [
    "initial",
    "offer",
    "infeasible",
    "debt_plan",
    "score",
    "failed",
    "maybe_sent",
    "too_long",
    "materials",
    "materials_empty",
    "document",
    "contact_log",
    "score_unfinished",
    "score_finished",
]


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("state", STATES)
def test_axe_finds_no_violation(browser, bot, axe_source, state, width):
    chat = AxeChat(browser, bot.url, WIDTHS[width])
    try:
        open_in_state(chat, state)
        found = chat.violations(axe_source, f"{state}-{width}")
        summary = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]
        assert found == [], summary
    finally:
        chat.close()


@pytest.mark.parametrize(
    "name,viewport,query",
    [("compact-320x240", {"width": 320, "height": 240}, ""), ("embedded-360", PHONE, "?embed=1")],
)
def test_axe_finds_no_violation_zoomed_in_or_embedded(
    browser, bot, axe_source, name, viewport, query
):
    """400 % zoom of 1280 x 960 (the compact header), and the page the embed loader frames."""
    chat = AxeChat(browser, bot.url, viewport)
    chat.url += query
    try:
        chat.answer(reply_with(OFFER))
        chat.open()
        chat.type_and_send("测试")
        found = chat.violations(axe_source, name)
        assert found == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    finally:
        chat.close()


if os.environ.get("AXE_REPORT"):  # a table of the counts: AXE_REPORT=1 pytest ... -s

    def test_zz_report():
        rows = []
        for path in sorted(RESULTS.glob("*.json")):
            found = json.loads(path.read_text(encoding="utf-8"))
            rows.append(f"{path.stem:20} {len(found)} {' '.join(v['id'] for v in found)}")
        print("\n" + "\n".join(rows))


def test_the_debt_plan_card_draws_every_debts_balance_over_time(browser, bot):
    """Issue 15: a row per debt, the total, and one falling line per debt in the chart."""
    chat = AxeChat(browser, bot.url, PHONE)
    try:
        chat.open()
        chat.answer(reply_with(DEBT_PLAN))
        chat.type_and_send("测试")
        card = chat.page.locator(".card").first
        card.wait_for(timeout=REPLY_TIMEOUT_MS)
        lines = card.locator("svg polyline.line-debt")
        assert lines.count() == len(DEBT_PLAN["debts"])
        label = card.locator("svg").get_attribute("aria-label")
        assert all(debt["label"] in label for debt in DEBT_PLAN["debts"])
        assert chat.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        chat.close()
