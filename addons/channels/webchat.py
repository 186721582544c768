"""The web chat widget's channel, under ``/webhooks/webchat/``.

``GET /`` the chat page (index.html with its labels filled in and embedded as JSON data,
rendered once per process), ``GET /static/<file>`` its script, style and embed loader,
``GET /labels`` the widget's texts as JSON (addons/channels/labels.py; public, any origin
may read them: the embed loader on another site needs its button's label).
Every conversation endpoint needs the conversation's credential (addons/channels/ownership.py):

``POST /session`` ``{}`` the conversation of the credential cookie, or a new one;
``{"new": true}`` always a new one (新对话). The answer is ``{"sender": ID, "new": bool}``
and an HttpOnly, SameSite=Strict cookie scoped to the widget's path. With
``"embed": true`` (the widget inside another site's iframe, where such a cookie is not
sent) it is always a new conversation, no cookie is set and the credential comes in the
body, for the widget to keep in its own sessionStorage and send as ``X-Webchat-Credential``.

``POST /webhook`` messages (as the REST channel, plus the client's ``message_id``: a
repeat gets the earlier reply; a turn that deleted the conversation ends its answer with
``{"custom": {"type": "conversation_deleted"}}``), ``GET /history?sender=ID`` the
conversation so far (``messages``, and ``times``: when each was said, epoch seconds), ``POST /delete`` ``{"sender": ID}`` deletes it. Without the
credential of exactly that conversation they answer 403 with one fixed body, before the
conversation store is read. The REST channel (addons/channels/rest.py) is unchanged.

credentials.yml, under ``addons.channels.webchat.WebChatInput`` (all optional):
``frame_ancestors`` (sites that may frame the widget, default ``'self'``),
``secret_file`` (default ``var/webchat_secret``), ``cookie_days`` (default 90).
"""

import logging
import re
from functools import cache
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic_cors.core import SANIC_CORS_EVALUATED

from addons.channels.documents import add_document_routes
from addons.channels.guard import is_valid_sender, parse_body
from addons.channels.handling import OnNewMessage, handle_chat
from addons.channels.history import timed_messages
from addons.channels.labels import render_page, widget_labels
from addons.channels.ownership import (
    COOKIE_NAME,
    ConversationKeys,
    load_secret,
    presented_credential,
)
from addons.channels.page_headers import API_HEADERS, frame_ancestors_sources, page_headers
from addons.channels.replies import REPLIES
from addons.channels.texts import ROOT
from addons.patches import metrics, speedups
from addons.stores.conversations import (
    UnsupportedTrackerStore,
    conversation_events,
    delete_conversation,
    delete_conversation_locked,
)

logger = logging.getLogger(__name__)
WEBCHAT_DIR = ROOT / "webchat"
PAGE_TEMPLATE = WEBCHAT_DIR / "index.html"
DEFAULT_SECRET_FILE = ROOT / "var" / "webchat_secret"
# As long as an idle conversation is kept (COACH_RETENTION_DAYS, addons/stores/retention.py).
DEFAULT_COOKIE_DAYS = 90
MAX_COOKIE_DAYS = 400  # browsers cap a cookie's lifetime at 400 days
STATIC_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\.(js|css|html|svg|png)")
MIME_TYPES = {
    "js": "application/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
}
# One answer for every refused conversation request: no credential, a wrong one,
# another conversation's, an id the widget never issued, a conversation that does not
# exist. It says nothing about the conversation.
FORBIDDEN = {
    "status": 403,
    "error": "forbidden",
    "message": "This conversation cannot be opened without its credential.",
}


def error_json(status: int, code: str, message: str) -> HTTPResponse:
    return api_json({"status": status, "error": code, "message": message}, status=status)


def api_json(data: Any, status: int = 200, headers: dict | None = None) -> HTTPResponse:
    return response.json(data, status=status, headers={**API_HEADERS, **(headers or {})})


def forbidden() -> HTTPResponse:
    return api_json(FORBIDDEN, status=403)


@cache
def rendered_page() -> str:
    """index.html with the widget's labels, rendered once per process."""
    return render_page(PAGE_TEMPLATE.read_text(encoding="utf-8"), widget_labels())


def readable_anywhere(request: Request, answer: HTTPResponse) -> HTTPResponse:
    """Public data any site may read (no credentials): ``Access-Control-Allow-Origin: *``.

    Rasa's CORS extension (``--cors``) is told the request is handled, so it adds no
    second, conflicting header.
    """
    setattr(request.ctx, SANIC_CORS_EVALUATED, True)
    answer.headers["Access-Control-Allow-Origin"] = "*"
    return answer


def static_path(filename: str) -> Path | None:
    """The file under webchat/ for a safe file name, else None."""
    path = WEBCHAT_DIR / filename
    return path if STATIC_NAME.fullmatch(filename) and path.is_file() else None


def cookie_path(request_path: str) -> str:
    """The widget's path (``/webhooks/webchat/``) from the path of one of its endpoints."""
    return request_path.rsplit("/", 1)[0] + "/"


def is_https(request: Request) -> bool:
    """True when the browser reached us over https (directly or through the proxy)."""
    forwarded = (request.headers.get("x-forwarded-proto") or "").split(",")[0].strip()
    return request.scheme == "https" or forwarded.lower() == "https"


def is_json_request(request: Request) -> bool:
    """A JSON content type: an HTML form on another site cannot send one without CORS."""
    content_type = request.headers.get("content-type") or ""
    return content_type.split(";")[0].strip().lower() == "application/json"


def cookie_days(value: Any) -> int:
    days = DEFAULT_COOKIE_DAYS if value is None else value
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_COOKIE_DAYS:
        raise ValueError(f"cookie_days must be a whole number of days from 1 to {MAX_COOKIE_DAYS}")
    return days


def secret_file(value: Any) -> Path:
    if value is None:
        return DEFAULT_SECRET_FILE
    if not isinstance(value, str) or not value.strip():
        raise ValueError("secret_file must be a path")
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


class WebChatApi:
    """The widget's endpoints, with the ownership checks."""

    def __init__(
        self,
        keys: ConversationKeys,
        frame_ancestors: tuple[str, ...] = ("'self'",),
        cookie_max_age: int = DEFAULT_COOKIE_DAYS * 86400,
    ):
        self.keys = keys
        self.page_headers = page_headers(frame_ancestors)
        self.cookie_max_age = cookie_max_age

    # --- files ------------------------------------------------------------------------

    async def serve_file(self, path: Path) -> HTTPResponse:
        mime_type = MIME_TYPES[path.suffix.lstrip(".")]
        return await response.file(path, mime_type=mime_type, headers=dict(self.page_headers))

    def page_response(self) -> HTTPResponse:
        return response.html(rendered_page(), headers=dict(self.page_headers))

    async def page(self, request: Request) -> HTTPResponse:
        if not request.path.endswith("/"):  # the page's links are relative
            return response.redirect(request.path + "/")
        return self.page_response()

    async def static(self, request: Request, filename: str) -> HTTPResponse:
        path = static_path(filename)
        if path is None:
            return error_json(404, "not_found", f"No file {filename!r}.")
        if path == PAGE_TEMPLATE:  # never the template with its {{placeholders}}
            return self.page_response()
        return await self.serve_file(path)

    async def labels(self, request: Request) -> HTTPResponse:
        """Every text of the widget (the same dict the page embeds)."""
        return readable_anywhere(request, api_json(widget_labels()))

    # --- ownership --------------------------------------------------------------------

    def owns(self, request: Request, sender: Any) -> bool:
        """True when the request carries the credential of exactly ``sender``."""
        credential = presented_credential(request.headers, request.cookies)
        return is_valid_sender(sender) and self.keys.proves(credential, sender)

    def set_cookie(self, answer: HTTPResponse, request: Request, credential: str) -> None:
        answer.cookies[COOKIE_NAME] = credential
        cookie = answer.cookies[COOKIE_NAME]
        cookie["path"] = cookie_path(request.path)
        cookie["max-age"] = self.cookie_max_age
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        if is_https(request):
            cookie["secure"] = True

    async def session(self, request: Request) -> HTTPResponse:
        """The cookie's conversation, or a new one (``new``), or an embedded one (``embed``)."""
        if not is_json_request(request):
            return error_json(415, "not_json", 'Send {} (or {"new": true}) as application/json.')
        body, _ = parse_body(request.body)
        if not isinstance(body, dict):
            return error_json(400, "not_object", "The request body must be a JSON object.")
        if body.get("embed") is True:
            sender, credential = self.keys.new_conversation()
            return api_json({"sender": sender, "new": True, "credential": credential})
        current = self.keys.owner(request.cookies.get(COOKIE_NAME))
        if current and body.get("new") is not True:
            answer = api_json({"sender": current, "new": False})
            self.set_cookie(answer, request, self.keys.credential(current))  # a new expiry
            return answer
        sender, credential = self.keys.new_conversation()
        answer = api_json({"sender": sender, "new": True})
        self.set_cookie(answer, request, credential)
        return answer

    # --- conversations ----------------------------------------------------------------

    async def history(self, request: Request) -> HTTPResponse:
        sender = request.args.get("sender")
        if not self.owns(request, sender):
            return forbidden()
        try:
            events = await conversation_events(request.app.ctx.agent.tracker_store, sender)
        except Exception:  # the widget shows an empty log and carries on
            logger.exception("Reading the history of a widget conversation failed.")
            return error_json(503, "history_unavailable", "Could not read the history.")
        timed = timed_messages(events)
        return api_json(
            {
                "sender": sender,
                "messages": [message for message, _ in timed],
                "times": [at for _, at in timed],
            }
        )

    async def delete(self, request: Request) -> HTTPResponse:
        body, _ = parse_body(request.body)
        sender = body.get("sender") if isinstance(body, dict) else None
        if not isinstance(sender, str) or not self.owns(request, sender):
            return forbidden()
        agent = request.app.ctx.agent
        lock_store = getattr(agent, "lock_store", None)
        try:
            if lock_store is None:
                deleted = delete_conversation(agent.tracker_store, sender)
            else:  # waits for a turn of this conversation that is under way
                deleted = await delete_conversation_locked(lock_store, agent.tracker_store, sender)
        except UnsupportedTrackerStore as error:
            return error_json(501, "unsupported_tracker_store", str(error))
        REPLIES.forget(sender)  # no reply of the deleted conversation stays in memory
        if deleted:
            metrics.count_milestone("data_deleted")
        return api_json({"sender": sender, "deleted": deleted})

    async def receive(
        self, request: Request, on_new_message: OnNewMessage, channel_name: str
    ) -> HTTPResponse:
        """A message: the shared handling, once the request proves it owns the sender.

        A body without a usable sender is left to the shared guard (400 with a clear
        error); a usable sender without its credential never reaches the bot.
        """
        body, _ = parse_body(request.body)
        sender = body.get("sender") if isinstance(body, dict) else None
        if is_valid_sender(sender) and not self.owns(request, sender):
            return forbidden()
        answer = await handle_chat(
            request, on_new_message, channel_name, signal_deletion_in_body=True
        )
        for name, value in API_HEADERS.items():
            if name not in answer.headers:
                answer.headers[name] = value
        return answer


class WebChatInput(InputChannel):
    """Serves the chat widget and its API."""

    def __init__(
        self,
        frame_ancestors: tuple[str, ...] = ("'self'",),
        secret_path: Path = DEFAULT_SECRET_FILE,
        cookie_max_age: int = DEFAULT_COOKIE_DAYS * 86400,
    ):
        self.frame_ancestors = frame_ancestors
        self.secret_path = secret_path
        self.cookie_max_age = cookie_max_age

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "WebChatInput":
        settings = credentials or {}
        unknown = set(settings) - {"frame_ancestors", "secret_file", "cookie_days"}
        if unknown:
            raise ValueError(f"Unknown web chat settings in credentials.yml: {sorted(unknown)}")
        return cls(
            frame_ancestors=frame_ancestors_sources(settings.get("frame_ancestors")),
            secret_path=secret_file(settings.get("secret_file")),
            cookie_max_age=cookie_days(settings.get("cookie_days")) * 86400,
        )

    def api(self) -> WebChatApi:
        keys = ConversationKeys(load_secret(self.secret_path))
        return WebChatApi(keys, self.frame_ancestors, self.cookie_max_age)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        speedups.install()
        blueprint = Blueprint("coach_webchat", __name__)
        api = self.api()
        rendered_page()  # a label the page names but content/ lacks stops the server now

        # Sanic wants plain functions as a blueprint's handlers, not bound methods.
        @blueprint.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            return await api.page(request)

        @blueprint.route("/static/<filename>", methods=["GET"])
        async def static(request: Request, filename: str) -> HTTPResponse:
            return await api.static(request, filename)

        @blueprint.route("/labels", methods=["GET"])
        async def labels(request: Request) -> HTTPResponse:
            return await api.labels(request)

        @blueprint.route("/session", methods=["POST"])
        async def session(request: Request) -> HTTPResponse:
            return await api.session(request)

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await api.receive(request, on_new_message, self.name())

        @blueprint.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            return await api.history(request)

        @blueprint.route("/delete", methods=["POST"])
        async def delete(request: Request) -> HTTPResponse:
            return await api.delete(request)

        add_document_routes(blueprint, api.owns, forbidden)  # GET /documents[/<id>]
        return blueprint
