# ruff: noqa: F811  (the browser and chat fixtures come from test_widget_browser.py)
"""The widget loses nothing and sends nothing twice; it reads comfortably and prints.

Debian's Chromium (Playwright, executable_path) against the real servers, as
tests/e2e/test_widget_browser.py (its Chat helper and browser fixture). A slow network is
made inside the page (its fetch of the webhook waits), a lost answer with a route that
lets the request reach the server but never answers the page.
"""

import json

import requests

from coach.content import load_content
from tests.support.browser import (
    COOKIE,
    DELAY_WEBHOOK,
    DESKTOP,
    PAGE,
    PHONE,
    REPLY_TIMEOUT_MS,
    WIDGET_WEBHOOK,
    Chat,
)
from tests.support.chat import variation_texts


def widget_texts() -> dict:
    return load_content("widget")


def channel_texts() -> dict:
    return load_content("channel")


def history(bot, sender, cookies):
    credential = next(c["value"] for c in cookies if c["name"] == COOKIE)
    return requests.get(
        f"{bot.url}{PAGE}history",
        params={"sender": sender},
        cookies={COOKIE: credential},
        timeout=10,
    )


def live_quick_replies(chat):
    return chat.page.locator(".quick-replies button:not([disabled])")


def fake_reply(chat, messages):
    body = json.dumps(messages, ensure_ascii=False)
    chat.page.route(
        WIDGET_WEBHOOK,
        lambda route: route.fulfill(status=200, content_type="application/json", body=body),
    )


# --- 1. Deletion and new conversations wait for the message in flight ------------------


def test_deleting_while_a_message_is_in_flight_brings_nothing_back(browser, bot):
    chat = Chat(browser, bot.url).open()
    try:
        chat.type_and_send("你好")
        first, cookies = chat.sender(), chat.context.cookies()
        chat.page.evaluate(DELAY_WEBHOOK, 1500)
        chat.page.fill("#input", "催收员为什么老是给我打电话")
        chat.page.press("#input", "Enter")
        chat.accept_dialogs = True
        chat.page.click("#delete")  # while the message is still on its way
        chat.page.locator(".notice", has_text="已从服务器删除").wait_for(timeout=REPLY_TIMEOUT_MS)
        chat.wait_for_new_sender(first)
        assert chat.user_texts() == [] and chat.bot_texts() == []
        chat.page.wait_for_timeout(500)
        assert history(bot, first, cookies).json()["messages"] == [], "nothing came back"
    finally:
        chat.close()


def test_a_new_chat_never_shows_the_old_conversations_reply(browser, bot):
    chat = Chat(browser, bot.url).open()
    try:
        chat.type_and_send("你好")
        first = chat.sender()
        chat.page.evaluate(DELAY_WEBHOOK, 1500)
        chat.page.fill("#input", "你好")
        chat.page.press("#input", "Enter")
        chat.page.click("#new-chat")
        second = chat.wait_for_new_sender(first)
        chat.page.wait_for_timeout(500)
        assert chat.user_texts() == [] and chat.bot_texts() == []
        assert history(bot, second, chat.context.cookies()).json()["messages"] == []
    finally:
        chat.close()


def test_a_typed_deletion_clears_the_screen_like_the_button(chat, bot):
    chat.type_and_send("你好")
    first, cookies = chat.sender(), chat.context.cookies()
    chat.type_and_send("删除我的记录")
    chat.page.locator(".quick-replies button:not([disabled])", has_text="确定删除").click()
    chat.page.locator(".notice", has_text="已从服务器删除").wait_for(timeout=REPLY_TIMEOUT_MS)
    second = chat.wait_for_new_sender(first)
    assert chat.user_texts() == [] and chat.bot_texts() == []
    assert live_quick_replies(chat).count() == 0, "no live button of the deleted conversation"
    assert chat.page.locator(".msg-local").count() == 1, "the welcome of a new conversation"
    assert history(bot, first, cookies).json()["messages"] == []
    chat.type_and_send("你好")
    assert chat.sender() == second and chat.user_texts() == ["你好"]


# --- 2. Nothing sent twice, nothing orphaned ----------------------------------------------


def test_a_resend_after_a_timeout_is_answered_once(chat, bot):
    """The first request reaches the bot, its answer never reaches the page."""
    reached = []

    def lost_answer(route):
        reached.append(route.fetch().status)  # the server handles it; the page waits on

    chat.page.route(WIDGET_WEBHOOK, lost_answer)
    chat.page.fill("#input", "你好")
    chat.page.press("#input", "Enter")
    status = chat.page.locator("#status")
    status.wait_for(state="visible", timeout=25_000)
    maybe = widget_texts()["chat"]["maybe_sent"]
    assert reached == [200] and "可能已送达" in status.inner_text()
    state = chat.page.locator(".msg-state")
    assert state.locator(".msg-state-text").inner_text() == maybe
    chat.page.unroute(WIDGET_WEBHOOK)
    with chat.page.expect_response(WIDGET_WEBHOOK) as answer:
        state.locator(".resend").click()
    assert answer.value.headers.get("x-message-repeat") == "true", "the earlier reply"
    chat.wait_for_reply()
    assert status.is_hidden() and chat.page.locator(".msg-pending, .msg-state").count() == 0
    assert chat.bot_texts()[-1] in variation_texts("utter_greet")
    said = history(bot, chat.sender(), chat.context.cookies()).json()["messages"]
    assert [m["text"] for m in said if m["role"] == "user"] == ["你好"], "handled once"


def test_a_failed_message_keeps_its_resend_button_when_another_is_sent(chat):
    chat.type_and_send("你好")
    before = live_quick_replies(chat).count()
    assert before > 0
    chat.page.route(WIDGET_WEBHOOK, lambda route: route.abort())
    live_quick_replies(chat).first.click()
    chat.page.locator("#status").wait_for(state="visible", timeout=REPLY_TIMEOUT_MS)
    failed = chat.page.locator(".msg-user.msg-pending")
    assert failed.count() == 1
    not_sent = widget_texts()["chat"]["not_sent"]
    assert chat.page.locator(".msg-state-text").inner_text() == not_sent
    assert live_quick_replies(chat).count() == before, "a failed send retires no button"
    chat.page.unroute(WIDGET_WEBHOOK)
    chat.type_and_send("催收员为什么老是给我打电话")
    assert chat.page.locator(".msg-state .resend").count() == 1, "the failed one is not orphaned"
    first_buttons = chat.page.locator(".quick-replies").first.locator("button:not([disabled])")
    assert first_buttons.count() == 0, "retired once a message was delivered"
    chat.page.locator(".msg-state .resend").click()
    chat.wait_for_reply()
    assert chat.page.locator(".msg-pending, .msg-state").count() == 0


def test_the_widget_sends_a_message_id_and_a_resend_keeps_it(chat):
    ids = []
    chat.page.route(
        WIDGET_WEBHOOK,
        lambda route: (
            ids.append(json.loads(route.request.post_data)["message_id"]),
            route.abort(),
        ),
    )
    chat.page.fill("#input", "你好")
    chat.page.press("#input", "Enter")
    chat.page.locator(".msg-state .resend").wait_for(timeout=REPLY_TIMEOUT_MS)
    chat.page.locator(".msg-state .resend").click()
    chat.page.locator(".msg-state .resend").wait_for(timeout=REPLY_TIMEOUT_MS)
    chat.page.fill("#input", "再来一条")
    chat.page.press("#input", "Enter")
    chat.page.wait_for_function("() => document.querySelectorAll('.msg-state').length === 2")
    assert len(ids) == 3 and ids[0] == ids[1] != ids[2]
    assert all(len(i) == 32 for i in ids)


# --- 3. Rasa's commands are not for users ---------------------------------------------------


def test_typing_restart_is_refused_kindly(chat):
    chat.type_and_send("/restart")
    assert chat.bot_texts()[-1] == channel_texts()["builtin_command"].strip()


# --- 6. Reading comfort ---------------------------------------------------------------------

LONG_REPLY = "\n".join(f"第{n}行：先核实欠款金额，再谈分期。" for n in range(1, 61))


def test_a_long_reply_starts_at_its_first_line_with_a_pill_to_the_end(chat):
    fake_reply(chat, [{"recipient_id": "x", "text": LONG_REPLY}])
    chat.type_and_send("测试")
    bubble = chat.page.locator(".msg-bot:not(.msg-local)").last
    top = bubble.evaluate(
        "b => b.getBoundingClientRect().top - b.closest('#log').getBoundingClientRect().top"
    )
    assert 0 <= top < 40, "the reply's first line is at the top of the log"
    pill = chat.page.locator("#latest")
    assert pill.is_visible() and pill.inner_text().startswith(widget_texts()["page"]["latest"])
    pill.click()
    chat.page.wait_for_function(
        "() => { const l = document.getElementById('log');"
        " return l.scrollHeight - l.scrollTop - l.clientHeight < 48; }"
    )
    assert pill.is_hidden()


def test_no_refocus_on_a_touch_device_but_on_a_desktop(browser, bot):
    desktop = Chat(browser, bot.url).open()
    try:
        desktop.type_and_send("你好")
        assert desktop.page.evaluate("document.activeElement.id") == "input"
    finally:
        desktop.close()
    phone = Chat(browser, bot.url, viewport=PHONE)
    phone.context.close()
    phone.context = browser.new_context(
        viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True
    )
    phone.page = phone.context.new_page()
    try:
        phone.open()
        phone.page.tap("#input")
        phone.page.fill("#input", "你好")
        phone.page.tap("#send")
        phone.wait_for_reply()
        assert phone.page.evaluate("document.activeElement.id") != "input", "no keyboard pops up"
    finally:
        phone.close()


def test_a_short_screen_gets_a_compact_header(browser, bot):
    """1280 x 960 at 400 % zoom is a 320 x 240 CSS pixel viewport."""
    chat = Chat(browser, bot.url, viewport={"width": 320, "height": 240}).open()
    try:
        header = chat.page.locator(".coach-header").bounding_box()
        log = chat.page.locator("#log").bounding_box()
        assert header["height"] <= 240 * 0.35, header
        assert log["height"] >= 240 * 0.35, log
        assert chat.scroll_width() <= 320
        assert "不是律师" in chat.page.locator(".coach-scope").inner_text(), "the scope stays"
    finally:
        chat.close()


def test_bubbles_take_their_direction_from_their_text(chat):
    fake_reply(chat, [{"recipient_id": "x", "text": "مرحبا بك hello"}])
    chat.type_and_send("שלום עולם hello")
    texts = chat.page.locator(".msg-text")
    assert texts.count() == texts.locator("xpath=self::*[@dir='auto']").count()
    direction = "e => getComputedStyle(e).direction"
    assert chat.page.locator(".msg-user .msg-text").last.evaluate(direction) == "rtl"
    assert chat.page.locator(".msg-bot .msg-text").last.evaluate(direction) == "rtl"
    assert chat.page.locator(".msg-local .msg-text").evaluate(direction) == "ltr"


def test_timestamps_show_on_hover_and_when_the_log_has_focus(chat):
    chat.type_and_send("你好")
    stamp = chat.page.locator(".msg-user time.msg-time")
    assert stamp.count() == 1 and stamp.get_attribute("datetime")
    assert stamp.bounding_box()["width"] <= 1, "hidden until asked for"
    chat.page.hover(".msg-user")
    assert stamp.bounding_box()["width"] > 10
    chat.page.mouse.move(0, 0)
    chat.page.focus("#delete")
    chat.page.keyboard.press("Tab")
    assert chat.page.evaluate("document.activeElement.id") == "log"
    assert stamp.bounding_box()["width"] > 10
    chat.page.reload()
    chat.page.locator(".msg-user").first.wait_for()
    assert chat.page.locator(".msg-user time.msg-time").get_attribute("datetime"), "history too"


def test_hotline_numbers_are_tap_to_call_and_other_numbers_are_not(chat):
    text = "请打 12378 投诉，或拨打110、120。欠款12378元，第110条，" "电话 13812378000，还 1,110 元，12356心理援助。"
    fake_reply(chat, [{"recipient_id": "x", "text": text}])
    chat.type_and_send("测试")
    bubble = chat.page.locator(".msg-bot .msg-text").last
    links = bubble.locator("a")
    assert links.all_inner_texts() == ["12378", "110", "120", "12356"]
    assert [links.nth(i).get_attribute("href") for i in range(4)] == [
        "tel:12378",
        "tel:110",
        "tel:120",
        "tel:12356",
    ]
    assert bubble.inner_text() == text, "the text reads as before"


def test_the_counter_appears_from_800_characters_and_keeps_a_long_text(chat):
    page_texts = widget_texts()["page"]
    chat.page.fill("#input", "欠" * 799)
    counter = chat.page.locator("#counter")
    assert counter.is_hidden()
    chat.page.fill("#input", "欠" * 850)
    assert counter.inner_text() == page_texts["counter"].format(count=850, limit=1000)
    too_long = "欠" * 1001
    chat.page.fill("#input", too_long)
    assert counter.inner_text() == page_texts["counter_over"].format(over=1, limit=1000)
    chat.page.press("#input", "Enter")
    assert chat.user_texts() == [] and chat.page.input_value("#input") == too_long
    assert chat.page.get_attribute("#input", "aria-invalid") == "true"
    status = chat.page.locator("#status")
    assert status.is_visible() and chat.page.locator("#retry").is_hidden()
    chat.page.fill("#input", "😀" * 1000)  # code points, as the server counts
    assert "counter-over" not in (counter.get_attribute("class") or "")


# --- 7. Print -------------------------------------------------------------------------------

OFFER_REPLY = [
    {"recipient_id": "x", "text": "方案如下"},
    {
        "recipient_id": "x",
        "custom": {
            "type": "repayment_offer",
            "balance": 48000,
            "lender_type": "credit_card",
            "disposable_monthly": 5000,
            "opening_monthly": 1800,
            "ceiling_monthly": 2600,
            "opening_term_months": 27,
            "ceiling_term_months": 19,
            "lump_sum": None,
            "waiver_request": ["penalty_interest"],
            "feasible": True,
            "notes": ["先核实欠款金额。", "每次通话都做记录。"],
        },
    },
]


def test_printing_shows_the_chat_and_cards_whole_without_header_and_composer(chat):
    chat.type_and_send("你好")
    fake_reply(chat, OFFER_REPLY)
    chat.type_and_send("测试")
    chat.page.emulate_media(media="print")
    try:
        for hidden in (".coach-header", ".coach-composer", ".card-print", ".quick-replies"):
            assert chat.page.locator(hidden).first.is_hidden(), hidden
        assert chat.page.locator(".card.offer").is_visible()
        assert chat.page.locator(".msg-user").first.is_visible()
        assert chat.page.locator(".print-only").is_visible(), "the scope note prints"
        log_box = chat.page.evaluate(
            "() => { const l = document.getElementById('log'); return [l.scrollHeight, l.clientHeight]; }"
        )
        assert log_box[0] <= log_box[1] + 1, "nothing cut off in a scrolling box"
    finally:
        chat.page.emulate_media(media="screen")


def test_a_cards_print_button_prints_that_card_alone(chat):
    fake_reply(chat, OFFER_REPLY)
    chat.type_and_send("测试")
    chat.page.evaluate(
        """() => { window.__printed = [];
        window.print = () => window.__printed.push([
            document.documentElement.classList.contains('print-one'),
            document.querySelectorAll('.print-target.card').length,
            document.querySelectorAll('details[open]').length]); }"""
    )
    card = chat.page.locator(".card.offer")
    button = card.locator(".card-print")
    assert button.inner_text().startswith(widget_texts()["card"]["print"])
    button.click()
    chat.page.emulate_media(media="print")
    try:
        assert chat.page.locator(".msg-user").first.is_hidden(), "only the card prints"
        assert card.is_visible()
    finally:
        chat.page.emulate_media(media="screen")
    chat.page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert chat.page.evaluate("window.__printed") == [[True, 1, 0]]
    assert chat.page.locator(".print-target").count() == 0
    assert not chat.page.evaluate("document.documentElement.classList.contains('print-one')")


# --- 4. The focus ring ------------------------------------------------------------------------


def contrast(first, second):
    def luminance(rgb):
        channels = []
        for value in rgb:
            c = value / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rgb(css):
    return [int(float(n)) for n in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]


def test_the_focus_ring_has_3_to_1_contrast(browser, bot):
    chat = Chat(browser, bot.url, viewport=DESKTOP).open()
    try:
        chat.page.focus("#input")
        chat.page.keyboard.press("Shift+Tab")  # the log
        chat.page.keyboard.press("Shift+Tab")  # the delete button, by keyboard
        styles = chat.page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return [e.id, s.outlineStyle, s.outlineWidth, s.outlineOffset, s.outlineColor,
                    getComputedStyle(e.closest('header')).backgroundColor,
                    getComputedStyle(document.documentElement).backgroundColor]; }"""
        )
        element, style, width, offset, ring, header, page = styles
        assert element == "delete" and style == "solid" and float(width[:-2]) >= 2
        # Set off from the button, the ring lies on the header's or the page's background.
        assert float(offset[:-2]) >= 2
        for background in (header, page):
            assert contrast(rgb(ring), rgb(background)) >= 3, (ring, background)
    finally:
        chat.close()
