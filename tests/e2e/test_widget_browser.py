"""The web chat widget in Debian's Chromium (Playwright, sync API) against the real servers.

Needs /usr/bin/chromium (scripts/install_browser.sh). Under CI=true a missing browser
fails the run; elsewhere these tests are skipped with the reason.
"""

import json
import os
from pathlib import Path

import pytest
import requests

from tests.e2e.chat import variation_texts


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


try:
    from playwright.sync_api import sync_playwright
except ImportError:  # in CI a missing browser driver must fail the run, not skip
    if in_ci():
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
# `make screenshots` refreshes the README's pictures in docs/; other runs leave the
# tracked files alone and write theirs under results/.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "results" / "screenshots")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PAGE = "/webhooks/webchat/"
STORAGE_KEY = "debtCoach.conversationId"
DESKTOP = {"width": 1280, "height": 960}
PHONE = {"width": 360, "height": 740}
INTAKE = "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款一万"
INJECTION = "<img src=x onerror=alert(1)>"
REPLY_TIMEOUT_MS = 40_000


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        reason = f"{CHROMIUM} is missing: run scripts/install_browser.sh (as root)"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Chat:
    """One browser tab on the widget, with the dialogs it raised."""

    def __init__(self, browser, server_url, viewport=DESKTOP, sender=None):
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
        if sender:
            script = f"localStorage.setItem({json.dumps(STORAGE_KEY)}, {json.dumps(sender)})"
            self.context.add_init_script(script)
        self.page = self.context.new_page()
        self.dialogs = []
        self.page.on("dialog", self.on_dialog)
        self.url = server_url + PAGE
        self.accept_dialogs = False

    def on_dialog(self, dialog):
        self.dialogs.append((dialog.type, dialog.message))
        dialog.accept() if self.accept_dialogs else dialog.dismiss()

    def open(self) -> "Chat":
        self.page.goto(self.url)
        self.page.wait_for_selector(".msg, .card", timeout=REPLY_TIMEOUT_MS)
        return self

    def sender(self) -> str:
        return self.page.evaluate(f"localStorage.getItem({json.dumps(STORAGE_KEY)})")

    def bot_texts(self):
        return [
            t.strip()
            for t in self.page.locator(".msg-bot:not(.msg-local) .msg-text").all_inner_texts()
        ]

    def user_texts(self):
        return self.page.locator(".msg-user .msg-text").all_inner_texts()

    def wait_for_reply(self):
        self.page.wait_for_selector(".typing", state="detached", timeout=REPLY_TIMEOUT_MS)

    def type_and_send(self, text):
        self.page.fill("#input", text)
        self.page.press("#input", "Enter")
        self.wait_for_reply()

    def click_and_wait(self, selector):
        self.page.click(selector)
        self.wait_for_reply()

    def scroll_width(self) -> int:
        return self.page.evaluate("document.documentElement.scrollWidth")

    def close(self):
        self.context.close()


@pytest.fixture
def chat(browser, bot):
    opened = Chat(browser, bot.url).open()
    yield opened
    opened.close()


def test_greeting_gets_a_reply_and_a_quick_reply_button_works(chat):
    chat.type_and_send("你好")
    assert chat.user_texts() == ["你好"]
    assert chat.bot_texts()[-1] in variation_texts("utter_greet")
    button = chat.page.locator(".quick-replies button:not([disabled])", has_text="全部功能")
    button.click()
    chat.wait_for_reply()
    assert chat.user_texts()[-1] == "全部功能"
    assert any(text in variation_texts("utter_help") for text in chat.bot_texts())
    chat.page.reload()
    chat.page.locator(".msg-user").first.wait_for()
    assert chat.user_texts() == ["你好", "全部功能"], "history shows the button's title"


def wait_for_offer_card(chat):
    card = chat.page.locator(".card.offer").last
    card.wait_for(timeout=REPLY_TIMEOUT_MS)
    return card


def scroll_to_top_of(locator):
    locator.evaluate("element => element.scrollIntoView({block: 'start'})")


def test_intake_to_offer_card_history_and_screenshots(browser, bot):
    desktop = Chat(browser, bot.url).open()
    try:
        desktop.type_and_send("我想算一下每个月该还多少")
        desktop.type_and_send(INTAKE)
        card = wait_for_offer_card(desktop)
        assert card.locator("svg polyline").count() == 2
        assert "开场提议" in card.inner_text() and "最多能接受" in card.inner_text()
        sender = desktop.sender()
        before = desktop.bot_texts()
        desktop.page.reload()
        restored = wait_for_offer_card(desktop)
        assert desktop.bot_texts() == before and desktop.user_texts()[-1] == INTAKE
        assert restored.locator("svg polyline").count() == 2
        scroll_to_top_of(desktop.page.locator(".msg-user").last)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        desktop.page.screenshot(path=str(SCREENSHOTS / "screenshot-desktop.png"))
    finally:
        desktop.close()
    phone = Chat(browser, bot.url, viewport=PHONE, sender=sender).open()
    try:
        scroll_to_top_of(wait_for_offer_card(phone))
        assert phone.scroll_width() <= PHONE["width"]
        phone.page.screenshot(path=str(SCREENSHOTS / "screenshot-phone.png"))
    finally:
        phone.close()


def test_injection_shows_as_text_and_runs_nothing(chat):
    chat.type_and_send(INJECTION)
    chat.type_and_send("<script>alert(2)</script>")
    assert chat.user_texts() == [INJECTION, "<script>alert(2)</script>"]
    assert chat.page.locator("#log img, #log script").count() == 0
    assert chat.dialogs == []


FAKE_REPLY = [
    {"recipient_id": "x", "text": INJECTION + "\n第二行"},
    {"recipient_id": "x", "custom": {"type": "something_new", "html": INJECTION}},
    {
        "recipient_id": "x",
        "custom": {
            "type": "roleplay_score",
            "score": 72,
            "persona": "pushy",
            "criteria": {
                "introduced_self": True,
                "asked_waiver": False,
                "asserted_rights": None,
            },
            "agreed": {"monthly": 1800, "term_months": 28},
            "tips": ["先核实对方身份。"],
        },
    },
    {
        "recipient_id": "x",
        "custom": {
            "type": "repayment_offer",
            "balance": 90000,
            "lender_type": "online_lender",
            "disposable_monthly": 300,
            "opening_monthly": 300,
            "ceiling_monthly": 300,
            "opening_term_months": 60,
            "ceiling_term_months": 60,
            "feasible": False,
            "notes": ["每月结余太少，撑不起分期。先联系平台说明困难。"],
            "waiver_request": [],
        },
    },
]


def test_bot_text_and_cards_are_drawn_safely(chat):
    def fake(route):
        route.fulfill(status=200, content_type="application/json", body=json.dumps(FAKE_REPLY))

    chat.page.route("**/webhooks/webchat/webhook", fake)
    chat.type_and_send("测试")
    assert chat.bot_texts()[-1] == INJECTION + "\n第二行"
    assert chat.page.locator("#log img").count() == 0 and chat.dialogs == []
    score = chat.page.locator(".card.score")
    assert "72" in score.inner_text() and "✓" in score.inner_text()
    assert "✗" in score.inner_text() and "—" in score.inner_text()
    alert = chat.page.locator(".offer-infeasible .card-notes-alert")
    assert "撑不起分期" in alert.inner_text() and alert.is_visible()
    assert chat.page.locator(".offer-infeasible svg").count() == 0
    assert chat.page.locator(".card").count() == 2


def test_enter_sends_but_not_while_composing_or_with_shift(chat):
    chat.page.fill("#input", "ni")
    chat.page.evaluate(
        """() => {
        const input = document.querySelector('#input');
        input.dispatchEvent(new KeyboardEvent('keydown',
            {key: 'Enter', isComposing: true, bubbles: true, cancelable: true}));
        const ime = new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true});
        Object.defineProperty(ime, 'keyCode', {get: () => 229});
        input.dispatchEvent(ime);
    }"""
    )
    chat.page.keyboard.press("Shift+Enter")
    assert chat.user_texts() == []
    assert chat.page.input_value("#input").startswith("ni")
    chat.page.fill("#input", "你好")
    chat.page.press("#input", "Enter")
    chat.wait_for_reply()
    assert chat.user_texts() == ["你好"]


def test_practice_entry_starts_a_roleplay(chat):
    chat.click_and_wait("#practice")
    assert chat.user_texts() == ["练习一通催收电话"]
    assert chat.bot_texts(), "the role-play should open with a reply"


def test_new_chat_download_and_delete(chat, bot):
    chat.type_and_send("你好")
    first = chat.sender()
    with chat.page.expect_download() as download:
        chat.page.click("#download")
    transcript = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "我：你好" in transcript and "教练：" in transcript
    chat.page.click("#new-chat")
    assert chat.sender() != first and chat.user_texts() == []
    chat.type_and_send("你好")
    second = chat.sender()
    chat.accept_dialogs = True
    chat.page.click("#delete")
    chat.page.locator(".notice", has_text="已从服务器删除").wait_for()
    assert chat.dialogs and chat.dialogs[-1][0] == "confirm"
    assert chat.sender() not in (first, second) and chat.user_texts() == []
    history = requests.get(f"{bot.url}/webhooks/webchat/history", params={"sender": second})
    assert history.json()["messages"] == []


def test_phone_width_has_no_horizontal_scroll(browser, bot):
    phone = Chat(browser, bot.url, viewport=PHONE).open()
    try:
        phone.type_and_send("你好")
        phone.type_and_send("https://example.com/" + "a" * 300)
        assert phone.scroll_width() <= PHONE["width"]
    finally:
        phone.close()


def test_a_slow_server_shows_a_timeout_and_retry(chat):
    chat.page.route("**/webhooks/webchat/webhook", lambda route: None)
    chat.page.fill("#input", "你好")
    chat.page.press("#input", "Enter")
    status = chat.page.locator("#status")
    status.wait_for(state="visible", timeout=25_000)
    assert "15 秒" in status.inner_text()
    chat.page.unroute("**/webhooks/webchat/webhook")
    chat.click_and_wait("#retry")
    assert status.is_hidden() and chat.bot_texts()[-1] in variation_texts("utter_greet")


def test_server_stopped_mid_chat_shows_an_error_and_retry_works(browser, own_bot):
    chat = Chat(browser, own_bot.rasa.url).open()
    try:
        chat.type_and_send("你好")
        own_bot.rasa.stop()
        chat.type_and_send("催收员为什么老是给我打电话")
        status = chat.page.locator("#status")
        assert status.is_visible() and "重试" in status.inner_text()
        assert chat.page.locator(".msg-user.msg-pending").count() == 1
        own_bot.rasa.start()
        chat.click_and_wait("#retry")
        assert status.is_hidden() and chat.page.locator(".msg-pending").count() == 0
        assert chat.bot_texts()[-1] in variation_texts("utter_collector_role")
    finally:
        chat.close()


def test_embed_loader_opens_the_chat_in_a_panel(browser, bot, tmp_path):
    host = tmp_path / "host.html"
    src = f"{bot.url}/webhooks/webchat/static/embed.js"
    host.write_text(
        f'<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<p>某个网站</p><script src="{src}" data-server="{bot.url}"></script>',
        encoding="utf-8",
    )
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(host.as_uri())
        page.click("button[aria-controls=debt-coach-panel]")
        frame = page.frame_locator("#debt-coach-panel iframe")
        frame.locator("#input").fill("你好")
        frame.locator("#input").press("Enter")
        frame.locator(".msg-bot .msg-text").last.wait_for(timeout=REPLY_TIMEOUT_MS)
        frame.locator(".typing").wait_for(state="detached", timeout=REPLY_TIMEOUT_MS)
        assert frame.locator(".msg-user .msg-text").inner_text() == "你好"
    finally:
        context.close()


def test_page_has_the_scope_header_and_an_accessible_log(chat):
    header = chat.page.locator(".coach-header").inner_text()
    assert "不是律师" in header and "不构成法律意见" in header
    log = chat.page.locator("#log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
