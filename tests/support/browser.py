"""The widget in Debian's Chromium (Playwright, sync API): what the browser tests share.

Needs /usr/bin/chromium (scripts/install_browser.sh; never a Playwright browser build).
Under CI=true a missing browser or driver fails the run; elsewhere the tests are skipped
with the reason. The fixtures ``browser`` and ``chat`` are in tests/conftest.py.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

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
COOKIE = "coach_webchat"
DESKTOP = {"width": 1280, "height": 960}
PHONE = {"width": 360, "height": 740}
REPLY_TIMEOUT_MS = 40_000
# The widget's message route, for page.route(), and a script that delays its answers.
WIDGET_WEBHOOK = "**/webhooks/webchat/webhook"
DELAY_WEBHOOK = """ms => {
    const original = window.fetch;
    window.fetch = (url, options) => String(url).endsWith('/webhook')
        ? new Promise(resolve => setTimeout(resolve, ms)).then(() => original(url, options))
        : original(url, options);
}"""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """Debian's Chromium, launched by Playwright; skipped (failed in CI) when missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed")
    if not os.path.exists(CHROMIUM):
        unavailable(f"{CHROMIUM} is missing: run scripts/install_browser.sh (as root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Chat:
    """One browser tab on the widget, with the dialogs it raised."""

    def __init__(
        self,
        browser: Any,
        server_url: str,
        viewport: dict[str, int] = DESKTOP,
        cookies: list[dict[str, Any]] | None = None,
    ) -> None:
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
        if cookies:  # the same person on another device: the credential goes along
            self.context.add_cookies(cookies)
        self.page = self.context.new_page()
        self.dialogs: list[tuple[str, str]] = []
        self.csp_violations: list[str] = []
        self.page.on("dialog", self.on_dialog)
        self.page.on("console", self.on_console)
        self.url = server_url + PAGE
        self.accept_dialogs = False

    def on_dialog(self, dialog: Any) -> None:
        self.dialogs.append((dialog.type, dialog.message))
        dialog.accept() if self.accept_dialogs else dialog.dismiss()

    def on_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def open(self) -> "Chat":
        self.page.goto(self.url)
        self.page.wait_for_selector(".msg, .card", timeout=REPLY_TIMEOUT_MS)
        return self

    def sender(self) -> str:
        return self.page.evaluate("window.debtCoach.conversationId()")

    def wait_for_new_sender(self, *old: str) -> str:
        """The conversation id once the server has issued one that is none of ``old``."""
        self.page.wait_for_function(
            "old => { const id = window.debtCoach.conversationId(); "
            "return id && !old.includes(id); }",
            arg=list(old),
            timeout=REPLY_TIMEOUT_MS,
        )
        return self.sender()

    def credential(self) -> str:
        """The HttpOnly cookie (the browser's, not the page's: scripts cannot read it)."""
        return next(c["value"] for c in self.context.cookies() if c["name"] == COOKIE)

    def bot_texts(self) -> list[str]:
        return [
            t.strip()
            for t in self.page.locator(".msg-bot:not(.msg-local) .msg-text").all_inner_texts()
        ]

    def user_texts(self) -> list[str]:
        return self.page.locator(".msg-user .msg-text").all_inner_texts()

    def wait_for_reply(self) -> None:
        self.page.wait_for_selector(".typing", state="detached", timeout=REPLY_TIMEOUT_MS)

    def type_and_send(self, text: str) -> None:
        self.page.fill("#input", text)
        self.page.press("#input", "Enter")
        self.wait_for_reply()

    def click_and_wait(self, selector: str) -> None:
        self.page.click(selector)
        self.wait_for_reply()

    def scroll_width(self) -> int:
        return self.page.evaluate("document.documentElement.scrollWidth")

    def close(self) -> None:
        self.context.close()
