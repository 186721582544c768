# ruff: noqa: F811  (the browser and chat fixtures come from test_widget_browser.py)
"""我的材料, the document and contact-log cards, and the practice score card (issues 16, 17).

Debian's Chromium (Playwright, executable_path) against the real servers, as
tests/e2e/test_widget_browser.py (its Chat helper and browser fixture). A real
conversation records a contact and asks for a complaint letter: the chat shows the
contact log and the letter as cards, the 我的材料 dialog lists the letter (also when it
arrives while the dialog is open), and its text file, fetched with the page's own
credential, is the letter's text. Real practice rounds give an unfinished score card
(未完成, no number) and a finished one (three parts, the coach's comments, 看回放).
Payloads the conversation cannot easily reach (two contacts, a deal-less finished round,
a download that fails) are answered in place of the webhook.
"""

import json
import re
from pathlib import Path

import requests

from coach.casefile import pdf
from coach.content import load_content
from tests.support.browser import (
    DELAY_WEBHOOK,
    PAGE,
    PHONE,
    REPLY_TIMEOUT_MS,
    WIDGET_WEBHOOK,
    Chat,
)

ACCOUNT = "帮我记一下：昨晚11点10分，某资产管理公司的王某（工号1234）打电话来，骂我是老赖"
GOOD_ROUND = [
    "你好，我是张伟，是这张卡的持卡人。这笔钱是我欠的，我愿意还。",
    "请问你叫什么名字？工号多少？具体欠款明细是多少？",
    "我今天没法全部还清。因为我失业了，收入减少了很多，每月能还1500，分32期。",
    "罚息和违约金能不能减免一部分？",
    "每月1800，分27期，这是我能做到的最多了。",
    "每月1800，分27期。",
]
DOWNLOAD_HREF = re.compile(
    r"/webhooks/webchat/documents/doc-[0-9a-f]{16}\?sender=web-[0-9a-f]{32}&format=(txt|pdf)$"
)
# A 0 that stands alone: a score of zero, not a digit of 1500.
LONE_ZERO = re.compile(r"(?<![0-9])0(?![0-9])")


def widget_texts() -> dict:
    return load_content("widget")


def fake_reply(chat, messages):
    body = json.dumps(messages, ensure_ascii=False)
    chat.page.route(
        WIDGET_WEBHOOK,
        lambda route: route.fulfill(status=200, content_type="application/json", body=body),
    )


def live_button(chat, text):
    return chat.page.locator(".quick-replies button:not([disabled])", has_text=text)


def record_the_contact(chat):
    """The account of a night call with an insult, confirmed: the contact log's card."""
    chat.type_and_send(ACCOUNT)
    if live_button(chat, "对，记下来").count() == 0:  # taken for a report: record it first
        live_button(chat, "记下这次联系").click()
        chat.wait_for_reply()
    live_button(chat, "对，记下来").last.click()
    chat.wait_for_reply()


def panel(chat):
    return chat.page.locator("#materials-panel")


def panel_is_open(chat) -> bool:
    return chat.page.evaluate("document.getElementById('materials-panel').open")


def focused(chat) -> str:
    return chat.page.evaluate("document.activeElement && document.activeElement.id")


def closed(chat):
    """The dialog closed (its close event comes as a task of its own): the focus and
    aria-expanded are back on 我的材料."""
    chat.page.wait_for_function(
        "() => !document.getElementById('materials-panel').open"
        " && document.activeElement.id === 'materials'"
        " && document.getElementById('materials').getAttribute('aria-expanded') === 'false'"
    )


def fetch_text(chat, href) -> list:
    """The page's own fetch of a link: the browser's credential cookie goes along."""
    return chat.page.evaluate(
        "href => fetch(href).then(r => r.text().then(body => [r.status, body]))", href
    )


# --- 1. A real conversation: contact log, complaint letter, 我的材料 ------------------------


def test_a_complaint_letter_shows_as_a_card_and_in_my_materials(browser, bot, tmp_path):
    texts = widget_texts()
    letter_title = load_content("casefile")["titles"]["complaint_letter"]
    chat = Chat(browser, bot.url).open()
    try:
        record_the_contact(chat)
        log = chat.page.locator(".card.contact-log").last
        assert log.locator(".card-title").inner_text() == texts["contact_log"]["title"]
        assert log.locator(".contact-row").count() == 1
        assert log.locator(".contact-violations li").count() >= 1
        assert "23:10" in log.locator(".contact-when").inner_text()
        assert "王某，工号1234" in log.locator(".contact-who").inner_text()

        # Before any document: the dialog opens, takes the focus, says so; Esc closes it.
        chat.page.click("#materials")
        assert panel_is_open(chat) and focused(chat) == "materials-close"
        assert chat.page.get_attribute("#materials", "aria-expanded") == "true"
        status = chat.page.locator("#materials-status")
        status.filter(has_text=texts["materials"]["empty"]).wait_for(timeout=REPLY_TIMEOUT_MS)
        assert panel(chat).locator("h2").inner_text() == texts["materials"]["title"]
        chat.page.keyboard.press("Escape")
        closed(chat)

        # The letter arrives while the dialog is open: the list shows it at once.
        chat.page.evaluate(DELAY_WEBHOOK, 3000)
        chat.page.fill("#input", "帮我写一封投诉信")
        chat.page.press("#input", "Enter")
        chat.page.click("#materials")
        status.filter(has_text=texts["materials"]["empty"]).wait_for(timeout=REPLY_TIMEOUT_MS)
        item = panel(chat).locator(".material")
        item.first.wait_for(timeout=REPLY_TIMEOUT_MS)
        chat.wait_for_reply()
        assert item.count() == 1
        assert item.locator("h3").inner_text() == letter_title
        kind = texts["documents"]["kinds"]["complaint_letter"]
        assert item.locator(".material-meta").inner_text().startswith(kind + " · ")
        assert status.inner_text() == texts["materials"]["count"].format(count=1)
        links = item.locator("a.download-link")
        assert [links.nth(i).text_content() for i in range(2)] == [
            texts["materials"]["download_txt"] + "：" + letter_title,
            texts["materials"]["download_pdf"] + "：" + letter_title,
        ], "each link says which document it downloads"
        hrefs = [links.nth(i).get_attribute("href") for i in range(2)]
        assert all(DOWNLOAD_HREF.search(href) for href in hrefs), hrefs
        assert hrefs[0].endswith("format=txt") and hrefs[1].endswith("format=pdf")
        assert focused(chat) == "materials-close", "the reply did not take the focus away"
        panel(chat).locator("#materials-close").click()
        closed(chat)

        # The document card: title, kind, the first lines folded, the rest inside, links.
        card = chat.page.locator(".card.document").last
        assert card.locator(".card-title").inner_text() == letter_title
        assert kind in card.locator(".card-summary").first.inner_text()
        assert card.locator(".card-print").count() == 1, "打印/保存 as on every card"
        fold = card.locator("details.document-preview")
        assert fold.get_attribute("open") is None, "folded at first"
        fold.locator("summary").first.click()
        first_lines = fold.locator(".document-text").first.inner_text()
        assert first_lines.splitlines()[0] == letter_title
        assert len([line for line in first_lines.splitlines() if line.strip()]) == 8
        fold.locator("details.document-rest > summary").click()
        letter = card.locator(".document-full").text_content()
        shown = "\n".join(fold.locator(".document-text").all_inner_texts())
        assert re.sub(r"\s+", "", shown) == re.sub(r"\s+", "", letter), "the whole text"
        for said in (letter_title, "23:10", "王某，工号1234", "【姓名】"):
            assert said in letter

        # The text file, fetched with the page's credential, is the letter's text.
        txt = card.locator("a.download-link").first.get_attribute("href")
        assert txt == hrefs[0], "the card and the list link the same document"
        status_code, body = fetch_text(chat, txt)
        assert status_code == 200 and body == letter
        with chat.page.expect_download() as download:
            card.locator("a.download-link").first.click()
        assert download.value.suggested_filename.endswith(".txt")
        assert letter_title in download.value.suggested_filename
        assert Path(download.value.path()).read_text(encoding="utf-8") == letter
        if pdf.font_available():
            with chat.page.expect_download(timeout=REPLY_TIMEOUT_MS) as download:
                card.locator("a.download-link").nth(1).click()
            assert download.value.suggested_filename.endswith(".pdf")
            saved = tmp_path / "letter.pdf"
            download.value.save_as(saved)
            assert saved.read_bytes().startswith(b"%PDF-")

        # Nobody else gets it: without the credential the same address is refused.
        assert requests.get(bot.url + txt[txt.index(PAGE) :], timeout=10).status_code == 403

        # A reload draws the card from the history; the dialog still lists the letter.
        chat.page.reload()
        chat.page.locator(".card.document").last.wait_for(timeout=REPLY_TIMEOUT_MS)
        restored = chat.page.locator(".card.document").last
        assert restored.locator("a.download-link").first.get_attribute("href") == txt
        assert chat.page.locator(".card.contact-log").count() >= 1
        chat.page.click("#materials")
        panel(chat).locator(".material").first.wait_for(timeout=REPLY_TIMEOUT_MS)
        assert panel(chat).locator(".material h3").all_inner_texts() == [letter_title]
    finally:
        chat.close()


def test_the_transcript_keeps_the_letter(browser, bot):
    chat = Chat(browser, bot.url).open()
    try:
        record_the_contact(chat)
        chat.type_and_send("帮我写一封投诉信")
        letter = chat.page.locator(".card.document .document-full").last.text_content()
        with chat.page.expect_download() as download:
            chat.page.click("#download")
        transcript = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert letter in transcript
        assert widget_texts()["contact_log"]["transcript_title"] in transcript
    finally:
        chat.close()


# --- 2. Cards from payloads the conversation cannot easily reach ------------------------------

DOCUMENT = {
    "type": "document",
    "kind": "instalment_application",
    "title": "个性化分期还款申请书",
    "text": "个性化分期还款申请书\n\n致：招商银行信用卡中心\n申请人：【姓名】\n本人因失业，"
    "申请分期。\n每月：1800元\n期数：27期\n此致\n敬礼\n申请人：【姓名】\n日期：【日期】",
    "created_at": "2026-11-30T10:05",
    "download": "/webhooks/webchat/documents/doc-0123456789abcdef",
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
                {"code": "night_call", "fact_id": "no_contact_at_night", "text": "夜间催收。"},
                {"code": "insult", "fact_id": "no_insults", "text": "辱骂或恐吓。"},
            ],
        },
        {
            "id": "c2",
            "at": "2026-11-28",
            "channel": "wechat",
            "organisation": None,
            "collector": None,
            "summary": "发微信提醒还款",
            "violations": [],
        },
    ],
}


def test_a_contact_log_card_has_a_row_per_entry_and_lists_the_violations(chat):
    texts = widget_texts()
    channels = load_content("casefile")["channel_labels"]
    fake_reply(chat, [{"recipient_id": "x", "custom": CONTACT_LOG}])
    chat.type_and_send("测试")
    card = chat.page.locator(".card.contact-log")
    rows = card.locator("ol.contact-rows > li.contact-row")
    assert rows.count() == 2
    assert card.locator(".card-summary").inner_text() == texts["contact_log"]["summary"].format(
        count=2
    )
    first, second = rows.nth(0), rows.nth(1)
    assert first.locator(".contact-when").inner_text() == texts["contact_log"]["entry"].format(
        when="2026年11月29日 23:10", channel=channels["phone"]
    )
    assert first.locator(".contact-violations li").all_inner_texts() == ["夜间催收。", "辱骂或恐吓。"]
    assert "深夜打电话" in first.inner_text()
    when = second.locator(".contact-when").inner_text()
    assert when.startswith("2026年11月28日｜"), "a date alone is that day, not the one before"
    assert channels["wechat"] in when
    assert texts["contact_log"]["no_organisation"] in second.inner_text()
    assert second.locator(".contact-clean").inner_text() == texts["contact_log"]["no_violations"]
    assert second.locator(".contact-violations").count() == 0


def test_a_document_card_prints_whole_and_a_failed_download_says_so(chat):
    texts = widget_texts()
    fake_reply(chat, [{"recipient_id": "x", "custom": DOCUMENT}])
    chat.type_and_send("测试")
    card = chat.page.locator(".card.document")
    assert card.locator(".card-title").inner_text() == DOCUMENT["title"]
    summary = card.locator(".card-summary").first.inner_text()
    assert texts["documents"]["kinds"]["instalment_application"] in summary
    assert "2026年11月30日 10:05" in summary
    hrefs = card.locator("a.download-link").evaluate_all("links => links.map(l => l.href)")
    assert [h.rsplit("=", 1)[1] for h in hrefs] == ["txt", "pdf"]
    assert all("/webhooks/webchat/documents/doc-0123456789abcdef?sender=web-" in h for h in hrefs)
    chat.page.emulate_media(media="print")
    try:
        assert card.locator(".document-full").is_visible()
        assert card.locator(".document-full").inner_text().strip() == DOCUMENT["text"]
        assert card.locator(".document-preview").is_hidden()
        assert card.locator(".download-links").is_hidden()
    finally:
        chat.page.emulate_media(media="screen")
    assert card.locator(".document-full").is_hidden(), "on screen the folds show it"
    chat.page.route(
        "**/webhooks/webchat/documents/**",
        lambda route: route.fulfill(status=503, content_type="application/json", body="{}"),
    )
    card.locator("a.download-link").nth(1).click()
    failed = card.locator(".download-failed")
    failed.wait_for(timeout=REPLY_TIMEOUT_MS)
    assert failed.inner_text() == texts["materials"]["download_failed"]
    assert chat.page.url.endswith(PAGE), "the page stays"


def test_a_document_payload_cannot_choose_where_its_links_go(chat):
    """Links go to this server's documents route and nowhere else, whatever the payload says."""
    hostile = dict(DOCUMENT, download="javascript:alert(1)")
    elsewhere = dict(DOCUMENT, download="https://evil.example/webhooks/webchat/documents/doc-1")
    fake_reply(
        chat,
        [{"recipient_id": "x", "custom": hostile}, {"recipient_id": "x", "custom": elsewhere}],
    )
    chat.type_and_send("测试")
    cards = chat.page.locator(".card.document")
    assert cards.count() == 2, "the text still shows"
    assert cards.nth(0).locator("a").count() == 0
    hrefs = cards.nth(1).locator("a").evaluate_all("links => links.map(l => l.href)")
    assert len(hrefs) == 2
    assert all(h.startswith(chat.url + "documents/doc-1?sender=web-") for h in hrefs), hrefs


# --- 3. The practice score card -----------------------------------------------------------------


def play(chat, persona, lines):
    """A practice round against ``persona``; returns the score payload the page got."""
    chat.type_and_send(f'/start_roleplay{{"persona":"{persona}"}}')
    for line in [*lines, "结束练习"]:
        with chat.page.expect_response(WIDGET_WEBHOOK) as answer:
            chat.type_and_send(line)
        scores = [
            m["custom"]
            for m in answer.value.json()
            if (m.get("custom") or {}).get("type") == "roleplay_score"
        ]
        if scores:
            return scores[0]
    raise AssertionError("the round ended without a score")


def test_an_unfinished_round_shows_unfinished_and_no_zero(chat):
    texts = widget_texts()
    score = play(chat, "polite", ["你好，我是张伟"])
    assert score["finished"] is False and score["score"] is None
    card = chat.page.locator(".card.score").last
    assert card.locator(".score-status").inner_text() == texts["score"]["unfinished"]
    todo = load_content("roleplay")["feedback"]["unfinished"]
    assert card.locator(".score-todo").inner_text() == todo, "what to do"
    assert card.locator(".score-number, .score-parts, .criteria").count() == 0
    assert not LONE_ZERO.search(card.inner_text()), card.inner_text()
    replay = card.locator("details.replay")
    assert replay.locator("summary").inner_text() == texts["score"]["replay"].format(count=1)
    transcript_line = texts["score"]["transcript_unfinished"]
    with chat.page.expect_download() as download:
        chat.page.click("#download")
    assert transcript_line in Path(download.value.path()).read_text(encoding="utf-8-sig")


def test_a_finished_round_shows_three_parts_the_debrief_and_the_replay(chat):
    texts = widget_texts()
    score = play(chat, "polite", GOOD_ROUND)
    assert score["finished"] is True, score
    card = chat.page.locator(".card.score").last
    assert card.locator(".score-number").inner_text() == str(score["score"])
    parts = card.locator(".score-parts .score-part")
    assert parts.locator("dt").all_inner_texts() == [
        texts["score"]["parts"][name] for name in ("outcome", "process", "conduct")
    ]
    for index, name in enumerate(("outcome", "process", "conduct")):
        value = parts.nth(index).locator(".part-value").inner_text()
        assert value == texts["score"]["part_value"].format(value=score["parts"][name])
        bar = parts.nth(index).locator(".part-bar")
        assert bar.get_attribute("aria-hidden") == "true", "the bar only draws the words"
    comments = card.locator("ol.debrief > li")
    assert comments.count() == len(score["debrief"]) == 3
    for index, comment in enumerate(score["debrief"]):
        item = comments.nth(index)
        assert item.locator(".debrief-label").inner_text() == texts["score"][
            "debrief_label"
        ].format(kind=comment["kind_text"], label=comment["label_text"])
        assert item.locator(".debrief-comment").inner_text() == comment["comment"]
        assert comment["say"] in item.locator(".debrief-say").inner_text()
        assert comment["quote"] in item.locator(".debrief-quote").inner_text()
    replay = card.locator("details.replay")
    assert replay.get_attribute("open") is None, "folded"
    replay.locator("summary").click()
    turns = replay.locator(".replay-turn")
    assert turns.count() == len(score["turns"])
    found = load_content("debrief")["replay"]["names"]
    first = score["turns"][0]
    assert first["text"] in turns.nth(0).locator(".replay-said").inner_text()
    assert turns.nth(0).locator(".replay-note").inner_text() == first["note"]
    for code in first["found"]:
        assert found[code] in turns.nth(0).locator(".replay-found").inner_text()


FINISHED_WITHOUT_A_DEAL = {
    "type": "roleplay_score",
    "score": 35,
    "finished": True,
    "persona": "pushy",
    "criteria": {"introduced_self": True, "concrete_plan": False},
    "agreed": None,
    "tips": ["先开价。"],
    "parts": {"outcome": None, "process": 35, "conduct": 100},
    "turns": [
        {"turn": 1, "text": "", "found": ["silent"], "offer": None, "notes": [], "note": "没有实际内容"}
    ],
    "debrief": [
        {
            "kind": "strength",
            "key": "calm",
            "label": "power",
            "label_text": "权力 Power",
            "kind_text": "做得好",
            "turn": 1,
            "quote": "你好",
            "comment": "一直很冷静。",
            "say": "我们冷静地谈。",
        }
    ],
    "progress": ["和之前的练习比（这是第2轮）：", "得分从20分升到35分。"],
}


def test_a_finished_round_without_a_deal_says_so_for_the_outcome(browser, bot):
    phone = Chat(browser, bot.url, viewport=PHONE).open()
    try:
        fake_reply(phone, [{"recipient_id": "x", "custom": FINISHED_WITHOUT_A_DEAL}])
        phone.type_and_send("测试")
        card = phone.page.locator(".card.score")
        outcome = card.locator(".score-part-outcome .part-value")
        assert outcome.inner_text() == load_content("roleplay")["feedback"]["no_outcome"]
        assert card.locator(".score-part-outcome .part-bar").count() == 0
        assert card.locator(".debrief-strength").count() == 1
        progress = FINISHED_WITHOUT_A_DEAL["progress"]
        heading = card.locator(".score-progress").locator("xpath=preceding-sibling::h3[1]")
        assert heading.inner_text() == progress[0], "the payload's own heading line"
        assert card.locator(".score-progress li").all_inner_texts() == progress[1:]
        card.locator("details.replay summary").click()
        nothing = widget_texts()["score"]["replay_nothing"]
        assert nothing in card.locator(".replay-said").inner_text()
        assert card.locator(".replay-found").count() == 0, "silence is no move"
        assert phone.scroll_width() <= PHONE["width"]
    finally:
        phone.close()


# --- 4. Inside the embed loader's panel ----------------------------------------------------------


def test_esc_in_the_embedded_chat_closes_the_dialog_before_the_loaders_panel(browser, bot):
    """Embedded (?embed=1&host=...), Esc asks the loader to close its panel; with 我的材料
    open it closes only the dialog. The loader is stood in for by a parent that records."""
    chat = Chat(browser, bot.url)
    chat.url += "?embed=1&host=" + requests.utils.quote("https://host.example", safe="")
    try:
        chat.open()
        chat.page.evaluate(
            "() => { window.__told = []; window.parent = {postMessage: m => window.__told.push(m.type)}; }"
        )
        chat.page.click("#materials")
        assert panel_is_open(chat)
        chat.page.keyboard.press("Escape")
        closed(chat)
        assert chat.page.evaluate("window.__told") == []
        chat.page.keyboard.press("Escape")
        assert chat.page.evaluate("window.__told") == ["close"]
    finally:
        chat.close()
