"""The web chat widget's channel, under ``/webhooks/webchat/``.

``GET /`` the chat page, ``GET /static/<file>`` its script, style and embed loader,
``POST /webhook`` messages (as the REST channel), ``GET /history?sender=ID`` the
conversation so far, ``POST /delete`` ``{"sender": ID}`` deletes it. No token needed.
"""

import logging
import re
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import is_valid_sender, parse_body
from channels.handling import OnNewMessage, handle_chat
from channels.history import history_messages
from channels.store import (
    UnsupportedTrackerStore,
    conversation_events,
    delete_conversation,
)
from channels.texts import ROOT, channel_texts

logger = logging.getLogger(__name__)
WEBCHAT_DIR = ROOT / "webchat"
STATIC_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\.(js|css|html|svg|png)")
MIME_TYPES = {
    "js": "application/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
}
# The page runs only its own script and talks only to its own server.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def error_json(status: int, code: str, message: str) -> HTTPResponse:
    return response.json({"status": status, "error": code, "message": message}, status=status)


def bad_sender() -> HTTPResponse:
    return error_json(400, "bad_sender", channel_texts()["errors"]["bad_sender"])


def static_path(filename: str) -> Path:
    """The file under webchat/ for a safe file name, else None."""
    path = WEBCHAT_DIR / filename
    return path if STATIC_NAME.fullmatch(filename) and path.is_file() else None


async def serve_file(path: Path) -> HTTPResponse:
    mime_type = MIME_TYPES[path.suffix.lstrip(".")]
    return await response.file(path, mime_type=mime_type, headers=dict(PAGE_HEADERS))


async def history(request: Request) -> HTTPResponse:
    sender = request.args.get("sender")
    if not is_valid_sender(sender):
        return bad_sender()
    try:
        events = await conversation_events(request.app.ctx.agent.tracker_store, sender)
    except Exception:  # the widget shows an empty log and carries on
        logger.exception("Reading the history of %s failed.", sender)
        return error_json(503, "history_unavailable", "Could not read the history.")
    return response.json({"sender": sender, "messages": history_messages(events)})


async def delete(request: Request) -> HTTPResponse:
    body, _ = parse_body(request.body)
    sender = body.get("sender") if isinstance(body, dict) else None
    if not is_valid_sender(sender):
        return bad_sender()
    try:
        deleted = delete_conversation(request.app.ctx.agent.tracker_store, sender)
    except UnsupportedTrackerStore as error:
        return error_json(501, "unsupported_tracker_store", str(error))
    return response.json({"sender": sender, "deleted": deleted})


class WebChatInput(InputChannel):
    """Serves the chat widget and its API."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any]) -> "WebChatInput":
        return cls()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint("coach_webchat", __name__)

        @blueprint.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):  # the page's links are relative
                return response.redirect(request.path + "/")
            return await serve_file(WEBCHAT_DIR / "index.html")

        @blueprint.route("/static/<filename>", methods=["GET"])
        async def static(request: Request, filename: str) -> HTTPResponse:
            path = static_path(filename)
            if path is None:
                return error_json(404, "not_found", f"No file {filename!r}.")
            return await serve_file(path)

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await handle_chat(request, on_new_message, self.name())

        blueprint.add_route(history, "/history", methods=["GET"])
        blueprint.add_route(delete, "/delete", methods=["POST"])
        return blueprint
