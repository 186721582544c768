"""The web chat widget in Debian's Chromium (Playwright, sync API) against the real servers.

Needs /usr/bin/chromium (scripts/install_browser.sh). Under CI=true a missing browser
fails the run; elsewhere these tests are skipped with the reason.

The conversation's credential is an HttpOnly cookie the page's script never sees; a test
that continues a conversation in another browser context copies the cookies. The embed
tests use a Rasa server of their own whose credentials.yml lets a host page on another
site (http://127.0.0.1:PORT, while the bot is http://localhost:PORT) frame the widget.
"""

import functools
import json
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from coach.content import load_content
from coach.offer.planner import lump_sum_option
from coach.paths import ROOT
from devtools.servers import (
    ActionServer,
    RasaServer,
    free_port,
    sqlite_tracker_store,
    write_endpoints,
)
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    COOKIE,
    DESKTOP,
    PAGE,
    PHONE,
    REPLY_TIMEOUT_MS,
    Chat,
)
from tests.support.chat import variation_texts

# `make screenshots` refreshes the README's pictures in docs/; other runs leave the
# tracked files alone and write theirs under results/.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "results" / "screenshots")
EMBED_STORAGE_KEY = "debtCoach.embeddedConversation"
INTAKE = "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款一万"
# Savings of 3万 reach 40 % of the 4万8 owed: the offer has a lump-sum option.
INTAKE_WITH_SAVINGS = "我欠招行信用卡4万8，逾期三个月，月收入一万二，每月必要开销七千，存款3万"
INJECTION = "<img src=x onerror=alert(1)>"


def test_the_page_script_never_sees_the_credential(chat):
    chat.type_and_send("你好")
    cookie = next(c for c in chat.context.cookies() if c["name"] == COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == PAGE and cookie["value"].startswith(chat.sender() + ".")
    assert COOKIE not in chat.page.evaluate("document.cookie")
    storage = chat.page.evaluate("JSON.stringify([localStorage, sessionStorage])")
    assert cookie["value"] not in storage and chat.sender() not in storage
    assert chat.csp_violations == [], "the page works under its own policy"


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
        cookies = desktop.context.cookies()
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
    phone = Chat(browser, bot.url, viewport=PHONE, cookies=cookies).open()
    try:
        scroll_to_top_of(wait_for_offer_card(phone))
        assert phone.sender() == sender
        assert phone.scroll_width() <= PHONE["width"]
        phone.page.screenshot(path=str(SCREENSHOTS / "screenshot-phone.png"))
    finally:
        phone.close()


def widget_texts() -> dict:
    """content/widget.yml, the owner of the widget's own texts."""
    return load_content("widget")


def money(amount: int) -> str:
    """An amount as the widget writes it (format.money with zh-CN digit grouping)."""
    return widget_texts()["format"]["money"].format(amount=f"{amount:,}")


def lump_sum_row(balance: int, savings: int) -> str:
    lump = lump_sum_option(balance, savings)
    assert lump is not None, "savings of 40 % of the balance give a lump-sum option"
    return widget_texts()["offer"]["lump_sum_value"].format(
        available=money(lump.available),
        suggested=money(lump.suggested_opening),
        low=money(lump.typical_low),
        high=money(lump.typical_high),
    )


def downloaded_transcript(chat) -> str:
    with chat.page.expect_download() as download:
        chat.page.click("#download")
    return Path(download.value.path()).read_text(encoding="utf-8-sig")


def test_a_lump_sum_offer_shows_in_the_card_and_the_transcript(chat):
    chat.type_and_send("我想算一下每个月该还多少")
    chat.type_and_send(INTAKE_WITH_SAVINGS)
    card = wait_for_offer_card(chat)
    expected = lump_sum_row(48000, 30000)
    name = widget_texts()["offer"]["lump_sum"]
    row = card.locator(".row-lump-sum")
    assert row.locator("dt").inner_text() == name
    assert row.locator("dd").inner_text() == expected
    assert money(19200) in expected and money(38400) in expected
    transcript = downloaded_transcript(chat)
    row_text = widget_texts()["format"]["row"].format(label=name, value=expected)
    assert row_text in transcript.splitlines()
    chat.page.reload()
    restored = wait_for_offer_card(chat)
    assert restored.locator(".row-lump-sum dd").inner_text() == expected, "history too"


def test_an_offer_without_savings_shows_no_lump_sum(chat):
    chat.type_and_send("我想算一下每个月该还多少")
    chat.type_and_send(INTAKE)
    card = wait_for_offer_card(chat)
    assert card.locator(".row-lump-sum").count() == 0
    assert widget_texts()["offer"]["lump_sum"] not in downloaded_transcript(chat)


LABELLED_REPLY = [
    {
        "recipient_id": "x",
        "custom": {
            "type": "roleplay_score",
            "score": 64,
            "persona": "abusive",
            "criteria": {"verified_details": True, "stood_ground": False},
            "agreed": None,
            "tips": ["先核实对方身份。"],
        },
    },
    {
        "recipient_id": "x",
        "custom": {
            "type": "repayment_offer",
            "balance": 30000,
            "lender_type": "online_lender",
            "disposable_monthly": None,
            "opening_monthly": None,
            "ceiling_monthly": None,
            "opening_term_months": None,
            "ceiling_term_months": None,
            "lump_sum": {
                "available": 15000,
                "suggested_opening": 12000,
                "typical_range": [12000, 24000],
                "status": "lore",
            },
            "waiver_request": ["penalty_interest", "fees"],
            "feasible": False,
            "notes": ["每月没有结余。"],
        },
    },
]


def test_the_page_and_cards_show_the_servers_labels(chat, bot):
    """Every text on the page is the server's: content/widget.yml for the widget's own,
    offer_texts.yml and roleplay.yml for lender, waiver, persona and criterion names."""
    texts = widget_texts()
    served = requests.get(f"{bot.url}{PAGE}labels", timeout=10)
    assert served.headers["Cache-Control"] == "no-store"
    assert served.headers["Access-Control-Allow-Origin"] == "*"
    embedded = chat.page.evaluate("JSON.parse(document.getElementById('coach-labels').textContent)")
    assert embedded == served.json()
    page = chat.page
    assert page.title() == texts["name"] and page.inner_text("h1") == texts["name"]
    assert page.inner_text("#practice") == texts["chat"]["practice"]
    assert page.get_attribute("#input", "placeholder") == texts["page"]["placeholder"]
    assert page.get_attribute("#log", "aria-label") == texts["page"]["log_label"]
    assert chat.page.locator(".msg-local .msg-text").inner_text() == texts["chat"]["welcome"]

    def fake(route):
        route.fulfill(status=200, content_type="application/json", body=json.dumps(LABELLED_REPLY))

    page.route("**/webhooks/webchat/webhook", fake)
    chat.type_and_send("测试")
    offer_texts, roleplay = load_content("offer_texts"), load_content("roleplay")
    score = page.locator(".card.score")
    assert score.locator(".card-title").inner_text() == texts["score"]["title"]
    assert roleplay["personas"]["abusive"] in score.inner_text()
    assert roleplay["criteria_labels"]["verified_details"] in score.inner_text()
    yes = texts["score"]["marks"]["yes"]
    assert score.locator(".crit-yes .crit-mark").get_attribute("aria-hidden") == "true"
    mark_label = texts["score"]["mark_label"].format(label=yes["label"])
    assert score.locator(".crit-yes .crit-label").inner_text() == mark_label, "said in words"
    offer = page.locator(".card.offer")
    assert offer.locator(".card-title").inner_text() == texts["offer"]["title_infeasible"]
    assert offer_texts["lender_labels"]["online_lender"] in offer.inner_text()
    waivers = texts["format"]["list_separator"].join(
        offer_texts["waiver_labels"][code] for code in ("penalty_interest", "fees")
    )
    assert offer.locator(".row-waivers dd").inner_text() == waivers
    assert offer.locator(".row-lump-sum dt").inner_text() == texts["offer"]["lump_sum"]
    assert money(12000) in offer.locator(".row-lump-sum dd").inner_text()


def test_without_the_embedded_labels_the_widget_fetches_them(browser, bot):
    """A page that lacks the labels element (a copy served elsewhere) still gets them."""
    chat = Chat(browser, bot.url)

    def without_labels(route):
        page = route.fetch()
        body = re.sub(
            r'<script type="application/json"[^>]*>.*?</script>', "", page.text(), flags=re.S
        )
        route.fulfill(response=page, body=body)

    chat.page.route(chat.url, without_labels)
    try:
        with chat.page.expect_response("**/webhooks/webchat/labels"):
            chat.open()
        assert chat.page.locator("#coach-labels").count() == 0
        welcome = chat.page.locator(".msg-local .msg-text").inner_text()
        assert welcome == widget_texts()["chat"]["welcome"]
    finally:
        chat.close()


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


def history_with(bot, sender, credential):
    return requests.get(
        f"{bot.url}/webhooks/webchat/history",
        params={"sender": sender},
        cookies={COOKIE: credential},
        timeout=10,
    )


def test_new_chat_download_and_delete(chat, bot):
    chat.type_and_send("你好")
    first, first_credential = chat.sender(), chat.credential()
    with chat.page.expect_download() as download:
        chat.page.click("#download")
    transcript = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "我：你好" in transcript and "教练：" in transcript
    chat.page.click("#new-chat")
    assert chat.user_texts() == []
    second = chat.wait_for_new_sender(first)
    second_credential = chat.credential()
    assert second_credential != first_credential, "新对话 rotates the credential"
    assert history_with(bot, first, second_credential).status_code == 403
    assert len(history_with(bot, first, first_credential).json()["messages"]) >= 2
    chat.type_and_send("你好")
    chat.accept_dialogs = True
    chat.page.click("#delete")
    chat.page.locator(".notice", has_text="已从服务器删除").wait_for()
    assert chat.dialogs and chat.dialogs[-1][0] == "confirm"
    third = chat.wait_for_new_sender(first, second)
    assert chat.user_texts() == [] and chat.credential() != second_credential
    assert history_with(bot, second, second_credential).json()["messages"] == []
    assert third not in (first, second)


def test_a_new_chat_in_another_tab_takes_this_tab_along(browser, bot):
    chat = Chat(browser, bot.url).open()
    try:
        chat.type_and_send("你好")
        first = chat.sender()
        other = chat.context.new_page()
        other.goto(chat.url)
        other.wait_for_selector(".msg-user")
        other.click("#new-chat")
        other.wait_for_function(
            "old => { const id = window.debtCoach.conversationId(); return id && id !== old; }",
            arg=first,
        )
        current = other.evaluate("window.debtCoach.conversationId()")
        chat.page.fill("#input", "催收员为什么老是给我打电话")
        chat.page.press("#input", "Enter")
        chat.page.locator(".notice", has_text="别的窗口").wait_for(timeout=REPLY_TIMEOUT_MS)
        assert chat.wait_for_new_sender(first) == current
        assert chat.page.input_value("#input") == "催收员为什么老是给我打电话", "kept to resend"
        assert chat.user_texts() == []
    finally:
        chat.close()


def test_a_browser_that_refuses_the_cookie_still_chats(browser, bot):
    chat = Chat(browser, bot.url)

    def without_cookie(route):  # asked outside the browser, answered without Set-Cookie
        asked = route.request
        response = requests.post(asked.url, data=asked.post_data_buffer, headers=asked.headers)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "set-cookie"}
        route.fulfill(status=response.status_code, headers=headers, body=response.content)

    chat.page.route("**/webhooks/webchat/session", without_cookie)
    try:
        chat.open()
        chat.type_and_send("你好")
        assert chat.user_texts() == ["你好"]
        assert chat.bot_texts()[-1] in variation_texts("utter_greet")
        assert chat.context.cookies() == []
    finally:
        chat.close()


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


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def host_site(tmp_path_factory):
    """Another site (http://127.0.0.1:PORT) whose page embeds the widget."""
    root = tmp_path_factory.mktemp("host-site")
    server = ThreadingHTTPServer(
        ("127.0.0.1", free_port()), functools.partial(QuietHandler, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def embed_bot(tmp_path_factory, host_site):
    """A Rasa server whose credentials.yml lets the host site frame the widget."""
    workdir = tmp_path_factory.mktemp("embed-bot")
    _, host_origin = host_site
    credentials = workdir / "credentials.yml"
    credentials.write_text(
        "addons.channels.rest.CoachRestInput:\n"
        "addons.channels.webchat.WebChatInput:\n"
        f"  frame_ancestors: \"'self' {host_origin}\"\n"
        f"  secret_file: {workdir / 'webchat_secret'}\n",
        encoding="utf-8",
    )
    actions = ActionServer(workdir, free_port())
    endpoints = write_endpoints(workdir, actions.port, sqlite_tracker_store(workdir))
    rasa = RasaServer(workdir, free_port(), endpoints, ["--credentials", str(credentials)])
    actions.start()
    try:
        rasa.start()
        yield rasa
    finally:
        rasa.stop()
        actions.stop()


def host_page(host_site, bot_url, name) -> str:
    root, origin = host_site
    src = f"{bot_url}/webhooks/webchat/static/embed.js"
    (root / name).write_text(
        f'<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<p>某个网站</p><script src="{src}" data-server="{bot_url}"></script>',
        encoding="utf-8",
    )
    return f"{origin}/{name}"


def open_panel(page):
    page.click("button[aria-controls=debt-coach-panel]")
    return page.frame_locator("#debt-coach-panel iframe")


def test_the_configured_frame_ancestors_are_sent(embed_bot, host_site):
    response = requests.get(f"{embed_bot.url}{PAGE}?embed=1", timeout=10)
    policy = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {host_site[1]}" in policy
    assert "X-Frame-Options" not in response.headers


def chat_in_panel(page, text="你好"):
    frame = open_panel(page)
    frame.locator("#input").fill(text)
    frame.locator("#input").press("Enter")
    frame.locator(".msg-bot .msg-text").last.wait_for(timeout=REPLY_TIMEOUT_MS)
    frame.locator(".typing").wait_for(state="detached", timeout=REPLY_TIMEOUT_MS)
    return frame


def widget_frame(page, bot):
    return next(f for f in page.frames if f.url.startswith(bot.url))


def host_cannot_reach_the_credential(page, credential):
    """The host page reads neither the frame's storage nor the widget's credential."""
    frame_storage = page.evaluate(
        "() => { try { return document.querySelector('#debt-coach-panel iframe')"
        ".contentWindow.sessionStorage.length; } catch (e) { return 'refused'; } }"
    )
    assert frame_storage == "refused"
    host_sees = page.evaluate(
        "document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"
    )
    assert credential not in host_sees and "web-" not in host_sees


def test_embed_loader_opens_the_chat_in_a_panel(browser, embed_bot, host_site):
    """Playwright's Chromium gives a foreign frame no storage (as when a user blocks
    third-party data): the widget keeps its credential in memory and still chats."""
    url = host_page(host_site, embed_bot.url, "host.html")
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(url)
        frame = chat_in_panel(page)
        assert frame.locator(".msg-user .msg-text").inner_text() == "你好"
        sender = widget_frame(page, embed_bot).evaluate("window.debtCoach.conversationId()")
        assert sender.startswith("web-")
        host_cannot_reach_the_credential(page, sender)
        assert context.cookies() == [], "no cookie, not even a blocked one"
    finally:
        context.close()


PARTITIONING = "ThirdPartyStoragePartitioning"


def launch_with_storage_partitioning(browser):
    """Chromium as users run it: Playwright turns third-party storage partitioning off
    (its --disable-features), which leaves a foreign frame no storage at all."""
    page = browser.new_page()
    page.goto("chrome://version")
    command_line = page.inner_text("#command_line").split()
    page.close()
    disabled = next((a for a in command_line if a.startswith("--disable-features=")), "")
    if PARTITIONING not in disabled:
        return browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    features = [f for f in disabled.split("=", 1)[1].split(",") if f != PARTITIONING]
    return browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--disable-features=" + ",".join(features)],
        ignore_default_args=[disabled],
    )


def test_the_embedded_chat_survives_a_reload_of_the_host_page(browser, embed_bot, host_site):
    """The credential stays in the frame's own storage, partitioned by the host site."""
    url = host_page(host_site, embed_bot.url, "host-reload.html")
    partitioned = launch_with_storage_partitioning(browser)
    try:
        page = partitioned.new_context(viewport=DESKTOP).new_page()
        page.goto(url)
        chat_in_panel(page)
        widget = widget_frame(page, embed_bot)
        key = json.dumps(EMBED_STORAGE_KEY)
        saved = json.loads(widget.evaluate(f"sessionStorage.getItem({key})"))
        assert saved["sender"].startswith("web-") and saved["credential"]
        host_cannot_reach_the_credential(page, saved["credential"])
        page.reload()
        frame = open_panel(page)
        frame.locator(".msg-user .msg-text").first.wait_for(timeout=REPLY_TIMEOUT_MS)
        assert frame.locator(".msg-user .msg-text").all_inner_texts() == ["你好"]
        widget = widget_frame(page, embed_bot)
        assert widget.evaluate("window.debtCoach.conversationId()") == saved["sender"]
    finally:
        partitioned.close()


def test_the_embed_loader_takes_its_labels_from_the_server(browser, embed_bot, host_site):
    """The host site reads /labels across origins; the button shows the server's name."""
    url = host_page(host_site, embed_bot.url, "host-labels.html")
    context = browser.new_context(viewport=DESKTOP)
    renamed = "测试用教练"

    def renaming(route):
        served = route.fetch()
        labels = served.json()
        labels["name"] = renamed
        route.fulfill(response=served, body=json.dumps(labels, ensure_ascii=False))

    try:
        page = context.new_page()
        page.route("**/webhooks/webchat/labels", renaming)
        page.goto(url)
        button = page.locator("button[aria-controls=debt-coach-panel]")
        assert button.inner_text() == renamed
        assert button.locator("svg[aria-hidden=true]").count() == 1, "an inline icon, no emoji"
        close = page.locator("#debt-coach-panel button")
        assert close.get_attribute("aria-label") == widget_texts()["embed"]["close"]
        page.unroute("**/webhooks/webchat/labels")
        fetched = page.evaluate(
            "url => fetch(url, {credentials: 'omit'}).then(r => r.json()).then(d => d.name)",
            f"{embed_bot.url}{PAGE}labels",
        )
        assert fetched == widget_texts()["name"], "any site may read the labels"
    finally:
        context.close()


def test_a_site_not_in_frame_ancestors_cannot_frame_the_widget(browser, bot, host_site):
    url = host_page(host_site, bot.url, "not-allowed.html")
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(url)
        frame = open_panel(page)
        page.wait_for_timeout(3000)
        assert frame.locator("#input").count() == 0, "the default frame-ancestors is 'self'"
    finally:
        context.close()


def test_page_has_the_scope_header_and_an_accessible_log(chat):
    header = chat.page.locator(".coach-header").inner_text()
    assert "不是律师" in header and "不构成法律意见" in header
    log = chat.page.locator("#log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"


# --- The embed loader: focus, Esc from inside, a modal panel on phones, the unread badge ---

LAUNCHER = "button[aria-controls=debt-coach-panel]"


def frame_focus(page, bot):
    """The element that has the focus inside the widget's frame."""
    return widget_frame(page, bot).evaluate("document.activeElement && document.activeElement.id")


def test_the_panel_takes_the_focus_and_esc_inside_gives_it_back(browser, embed_bot, host_site):
    url = host_page(host_site, embed_bot.url, "host-focus.html")
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(url)
        page.focus(LAUNCHER)
        page.keyboard.press("Enter")
        frame = page.frame_locator("#debt-coach-panel iframe")
        frame.locator(".msg").first.wait_for(timeout=REPLY_TIMEOUT_MS)
        page.wait_for_function(
            "document.activeElement && document.activeElement.tagName === 'IFRAME'"
        )
        widget = widget_frame(page, embed_bot)
        widget.wait_for_function("document.activeElement.id === 'input'")
        assert page.get_attribute("#debt-coach-panel", "aria-modal") == "false", "not on a desktop"
        page.keyboard.press("Escape")  # typed inside the frame
        page.wait_for_function("document.getElementById('debt-coach-panel').hidden")
        assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == (
            "debt-coach-panel"
        ), "back on the launcher"
        assert page.get_attribute(LAUNCHER, "aria-expanded") == "false"
    finally:
        context.close()


def test_only_the_widgets_own_frame_can_close_the_panel(browser, embed_bot, host_site):
    url = host_page(host_site, embed_bot.url, "host-origin.html")
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(url)
        open_panel(page).locator(".msg").first.wait_for(timeout=REPLY_TIMEOUT_MS)
        page.evaluate("window.postMessage({source: 'debt-coach', type: 'close'}, '*')")
        page.wait_for_timeout(300)
        assert page.locator("#debt-coach-panel").is_visible(), "the host page's own message"
        src = page.get_attribute("#debt-coach-panel iframe", "src")
        assert "host=" + host_site[1].replace(":", "%3A").replace("/", "%2F") in src
    finally:
        context.close()


def test_on_a_phone_the_panel_is_modal_and_the_page_inert(browser, embed_bot, host_site):
    url = host_page(host_site, embed_bot.url, "host-phone.html")
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(url)
        open_panel(page).locator(".msg").first.wait_for(timeout=REPLY_TIMEOUT_MS)
        assert page.get_attribute("#debt-coach-panel", "aria-modal") == "true"
        assert page.evaluate("document.querySelector('p').inert") is True, "the host page"
        box = page.locator("#debt-coach-panel").bounding_box()
        assert box["width"] == PHONE["width"] and box["height"] == PHONE["height"]
        assert frame_focus(page, embed_bot) != "input", "no keyboard pops up on opening"
        page.locator("#debt-coach-panel > button").click()
        assert page.evaluate("document.querySelector('p').inert") is False
        assert page.locator(LAUNCHER).is_visible()
    finally:
        context.close()


def test_a_reply_that_comes_while_the_panel_is_closed_shows_a_badge(browser, embed_bot, host_site):
    url = host_page(host_site, embed_bot.url, "host-badge.html")
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(url)
        frame = open_panel(page)
        frame.locator(".msg").first.wait_for(timeout=REPLY_TIMEOUT_MS)
        widget_frame(page, embed_bot).evaluate(
            """() => { const original = window.fetch;
            window.fetch = (url, options) => String(url).endsWith('/webhook')
                ? new Promise(r => setTimeout(r, 1000)).then(() => original(url, options))
                : original(url, options); }"""
        )
        frame.locator("#input").fill("你好")
        frame.locator("#input").press("Enter")
        page.locator("#debt-coach-panel > button").click()  # closed before the reply
        badge = page.locator(".debt-coach-badge")
        badge.wait_for(state="visible", timeout=REPLY_TIMEOUT_MS)
        unread = widget_texts()["embed"]["unread"].format(count=1)
        assert badge.inner_text().startswith("1") and unread in badge.text_content()
        page.click(LAUNCHER)
        assert badge.is_hidden(), "seen once the panel opens"
    finally:
        context.close()
