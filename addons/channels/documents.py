"""The case file's documents for the web chat, to the owner of the conversation only.

``GET /webhooks/webchat/documents?sender=ID`` lists the conversation's documents
(``{"sender", "documents": [{"id", "kind", "title", "created_at", "download"}]}``, newest
last) for the widget's 我的材料 panel. ``GET /webhooks/webchat/documents/<id>?sender=ID
&format=txt|pdf`` serves one as a UTF-8 text file (the default) or a PDF with a Chinese
font (coach/casefile/pdf.py), as an attachment named after its title (RFC 5987
``filename*``). Both need the conversation's credential, exactly as ``/history``
(cookie or ``X-Webchat-Credential``; 403 with the one fixed body otherwise), and read the
document from that conversation's own tracker (its ``documents`` slot): an id of another
conversation is a 404. Without a Chinese font the PDF is a 503 that says so; the text
file still works.
"""

import asyncio
import logging
import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.page_headers import API_HEADERS
from coach.casefile.pdf import PdfFontMissing, render_pdf
from coach.casefile.slot import (
    DOCUMENT_ID,
    StoredDocument,
    documents_from_slot,
    download_path,
    find_document,
)

logger = logging.getLogger(__name__)
SLOT = "documents"
FORMATS = {
    "txt": ("text/plain; charset=utf-8", "txt"),
    "pdf": ("application/pdf", "pdf"),
}
NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')

Owns = Callable[[Request, Any], bool]
Refuse = Callable[[], HTTPResponse]


def error_json(status: int, code: str, message: str) -> HTTPResponse:
    body = {"status": status, "error": code, "message": message}
    return response.json(body, status=status, headers=dict(API_HEADERS))


def file_name(document: StoredDocument, extension: str) -> str:
    """ "关于违规催收的投诉信-2026-11-30.pdf": the title and the day it was made."""
    title = NOT_IN_FILE_NAMES.sub("", document.title).strip() or document.kind
    return f"{title}-{document.created_at[:10]}.{extension}"


def content_disposition(document: StoredDocument, extension: str) -> str:
    """An attachment with an ASCII name for old clients and the UTF-8 name (RFC 5987)."""
    fallback = f"{document.kind}-{document.created_at[:10] or date.today().isoformat()}"
    utf8_name = quote(file_name(document, extension), safe="")
    return f"attachment; filename=\"{fallback}.{extension}\"; filename*=UTF-8''{utf8_name}"


def listed(documents: list[StoredDocument]) -> list[dict[str, str]]:
    return [
        {
            "id": document.id,
            "kind": document.kind,
            "title": document.title,
            "created_at": document.created_at,
            "download": download_path(document.id),
        }
        for document in documents
    ]


async def conversation_documents(request: Request, sender: str) -> Any:
    """The ``documents`` slot of the sender's own conversation (None when there is none)."""
    tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
    return tracker.get_slot(SLOT) if tracker is not None else None


class DocumentsApi:
    """The two routes, with the web chat's ownership check (``owns``) and refusal."""

    def __init__(self, owns: Owns, refuse: Refuse):
        self.owns = owns
        self.refuse = refuse

    async def slot_value(self, request: Request, sender: str) -> tuple[Any, HTTPResponse | None]:
        try:
            return await conversation_documents(request, sender), None
        except Exception:
            logger.exception("Reading the documents of a widget conversation failed.")
            return None, error_json(503, "documents_unavailable", "Could not read the documents.")

    async def list(self, request: Request) -> HTTPResponse:
        sender = request.args.get("sender")
        if not self.owns(request, sender):
            return self.refuse()
        value, failed = await self.slot_value(request, sender)
        if failed is not None:
            return failed
        documents = listed(documents_from_slot(value))
        return response.json({"sender": sender, "documents": documents}, headers=dict(API_HEADERS))

    async def one(self, request: Request, document_id: str) -> HTTPResponse:
        sender = request.args.get("sender")
        if not self.owns(request, sender):
            return self.refuse()
        chosen = request.args.get("format") or "txt"
        if chosen not in FORMATS:
            return error_json(400, "bad_format", "format must be txt or pdf.")
        if not DOCUMENT_ID.fullmatch(document_id):
            return error_json(404, "not_found", "This conversation has no such document.")
        value, failed = await self.slot_value(request, sender)
        if failed is not None:
            return failed
        document = find_document(value, document_id)
        if document is None:
            return error_json(404, "not_found", "This conversation has no such document.")
        content_type, extension = FORMATS[chosen]
        if chosen == "pdf":
            try:
                loop = asyncio.get_running_loop()
                body = await loop.run_in_executor(None, render_pdf, document.title, document.text)
            except PdfFontMissing as missing:
                logger.error("No PDF: %s", missing)
                return error_json(
                    503,
                    "pdf_unavailable",
                    "The PDF cannot be made: no Chinese font is installed on the server. "
                    "The text file (format=txt) works.",
                )
        else:
            body = document.text.encode("utf-8")
        headers = {
            **API_HEADERS,
            "Content-Disposition": content_disposition(document, extension),
        }
        return response.raw(body, content_type=content_type, headers=headers)


def add_document_routes(blueprint: Blueprint, owns: Owns, refuse: Refuse) -> None:
    """Adds ``/documents`` and ``/documents/<id>`` to the web chat's blueprint."""
    api = DocumentsApi(owns, refuse)

    @blueprint.route("/documents", methods=["GET"])
    async def documents(request: Request) -> HTTPResponse:
        return await api.list(request)

    @blueprint.route("/documents/<document_id>", methods=["GET"])
    async def document(request: Request, document_id: str) -> HTTPResponse:
        return await api.one(request, document_id)
