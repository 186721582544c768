"""A contact recorded in the web chat becomes a complaint letter the browser downloads as
a PDF, whose text (read back with pypdf) is the letter's Chinese text.

Debian's Chromium through Playwright (scripts/install_browser.sh; never a Playwright
browser build), as tests/e2e/test_widget_browser.py. The download goes through the page
itself, so the browser's HttpOnly credential cookie is what proves ownership.
"""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from coach.casefile import pdf
from tests.support.browser import PAGE, REPLY_TIMEOUT_MS

ACCOUNT = "帮我记一下：昨晚11点10分，某资产管理公司的王某（工号1234）打电话来，骂我是老赖"


def send(page, text):
    page.fill("#input", text)
    page.press("#input", "Enter")
    page.wait_for_selector(".typing", state="detached", timeout=REPLY_TIMEOUT_MS)


def documents(page):
    """The conversation's documents, as the 我的材料 panel reads them (the page's own fetch,
    with its cookie)."""
    return page.evaluate(
        """async () => {
            const sender = window.debtCoach.conversationId();
            const answer = await fetch("documents?sender=" + encodeURIComponent(sender));
            return (await answer.json()).documents;
        }"""
    )


def download(page, path, name):
    """Clicks a link to ``path`` in the page and returns the downloaded file."""
    with page.expect_download(timeout=REPLY_TIMEOUT_MS) as started:
        page.evaluate(
            """([href, name]) => {
                const link = document.createElement("a");
                link.href = href;
                link.download = name;
                document.body.appendChild(link);
                link.click();
                link.remove();
            }""",
            [path, name],
        )
    return started.value


@pytest.mark.skipif(not pdf.font_available(), reason="no Chinese font for the PDF")
def test_a_recorded_contact_downloads_as_a_pdf_complaint_letter(browser, bot, tmp_path):
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(bot.url + PAGE)
        page.wait_for_selector(".msg, .card", timeout=REPLY_TIMEOUT_MS)
        send(page, ACCOUNT)
        confirm = page.locator(".quick-replies button:not([disabled])", has_text="对，记下来")
        if confirm.count() == 0:  # taken for a report: its record button first
            page.locator(".quick-replies button:not([disabled])", has_text="记下这次联系").click()
            page.wait_for_selector(".typing", state="detached", timeout=REPLY_TIMEOUT_MS)
        confirm.last.click()
        page.wait_for_selector(".typing", state="detached", timeout=REPLY_TIMEOUT_MS)
        send(page, "帮我写一封投诉信")

        [letter] = [d for d in documents(page) if d["kind"] == "complaint_letter"]
        assert re.fullmatch(r"/webhooks/webchat/documents/doc-[0-9a-f]{16}", letter["download"])
        sender = page.evaluate("window.debtCoach.conversationId()")
        path = f"{letter['download']}?sender={sender}&format=pdf"
        saved = download(page, path, "")
        assert saved.suggested_filename.endswith(".pdf")
        assert "投诉信" in saved.suggested_filename, "the UTF-8 file name (RFC 5987)"
        target = Path(tmp_path) / "letter.pdf"
        saved.save_as(target)
        data = target.read_bytes()
        assert data.startswith(b"%PDF-")
        text = re.sub(
            r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        )
        for shown in ("关于违规催收的投诉信", "23:10", "王某，工号1234", "夜间催收", "辱骂或恐吓", "【姓名】"):
            assert shown in text

        other = browser.new_context(accept_downloads=True)
        try:
            stranger = other.request.get(bot.url + path)
            assert stranger.status == 403, "another browser has no credential"
        finally:
            other.close()
    finally:
        context.close()
