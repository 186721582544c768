"""The WeChat Official Account (公众号) channel at ``/webhooks/wechat/webhook``.

Settings come from the environment (docs/wechat.md): ``WECHAT_TOKEN`` (without it the
webhook answers 503), ``WECHAT_APP_ID``, ``WECHAT_APP_SECRET``, ``WECHAT_AES_KEY`` (safe
mode accepted when set), ``WECHAT_MODE`` ``passive`` (default) or ``push``,
``WECHAT_API_BASE`` (default ``https://api.weixin.qq.com``) and ``WECHAT_PUBLIC_URL`` (the
server's address for document links; else the request's host).

``GET`` answers WeChat's verification; ``POST`` takes a message (plaintext or safe mode)
and answers with one passive XML text reply, or ``success`` once push mode has sent the
reply through the customer-service API. Each message runs one turn of the shared handling
(addons/channels/handling.py: the input checks, the lock, the deletion, the fallback; the
crisis guard is in the NLU pipeline); the conversation id is a MAC of the OpenID
(addons/channels/ownership.py). ``GET /documents/<id>?sender=…&key=…`` serves the
conversation's documents to whoever holds the link key, which only the user was sent.
"""

import asyncio
import logging
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.documents import add_document_routes
from addons.channels.guard import check_message, clean_text
from addons.channels.handling import (
    OnNewMessage,
    answer_message,
    known_intents,
    refused_intents,
)
from addons.channels.ownership import ConversationKeys, load_secret
from addons.channels.webchat import DEFAULT_SECRET_FILE, forbidden
from addons.channels.wechat.memory import ConversationMemory
from addons.channels.wechat.protocol import (
    BadRequest,
    Forbidden,
    Message,
    SafeMode,
    parse_xml,
    read_message,
    signature_ok,
    text_reply,
)
from addons.channels.wechat.push import CustomerService, PushError
from addons.channels.wechat.render import Part, blocks_of, pack, wechat_texts
from addons.patches import speedups

logger = logging.getLogger(__name__)

SENDER_PREFIX = "wx-"
SENDER_PATTERN = re.compile(r"wx-[0-9a-f]{32}")
DEFAULT_API_BASE = "https://api.weixin.qq.com"
# WeChat gives up after 5 s; the answer leaves well before.
ANSWER_BUDGET_SECONDS = 4.0
PUSH_PAUSE_SECONDS = 600  # after an API error, passive replies for this long


@dataclass(frozen=True)
class WeChatSettings:
    token: str | None = None
    app_id: str = ""
    app_secret: str = ""
    aes_key: str = ""
    mode: str = "passive"
    api_base: str = DEFAULT_API_BASE
    public_url: str = ""

    @classmethod
    def from_environment(cls) -> "WeChatSettings":
        mode = (os.environ.get("WECHAT_MODE") or "passive").strip().lower()
        if mode not in {"passive", "push"}:
            raise ValueError("WECHAT_MODE must be passive or push")
        return cls(
            token=os.environ.get("WECHAT_TOKEN") or None,
            app_id=os.environ.get("WECHAT_APP_ID", ""),
            app_secret=os.environ.get("WECHAT_APP_SECRET", ""),
            aes_key=os.environ.get("WECHAT_AES_KEY", ""),
            mode=mode,
            api_base=os.environ.get("WECHAT_API_BASE") or DEFAULT_API_BASE,
            public_url=os.environ.get("WECHAT_PUBLIC_URL", "").rstrip("/"),
        )


class ResponseCollector(CollectingOutputChannel):
    """Collects the bot's messages with the name of the response each came from."""

    def __init__(self) -> None:
        super().__init__()
        self._response: str | None = None

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self._response = message.get("utter_action")
        await super().send_response(recipient_id, message)

    async def _persist_message(self, message: dict[str, Any]) -> None:
        if self._response:
            message = {**message, "response": self._response}
        await super()._persist_message(message)


def plain(text: str) -> HTTPResponse:
    return response.text(text, content_type="text/plain; charset=utf-8")


def refusal(status: int, reason: str) -> HTTPResponse:
    return response.text(reason, status=status, content_type="text/plain; charset=utf-8")


def request_base(request: Request) -> str:
    forwarded = (request.headers.get("x-forwarded-proto") or "").split(",")[0].strip()
    scheme = forwarded or request.scheme
    host = request.headers.get("x-forwarded-host") or request.host
    return f"{scheme}://{host}"


def is_continue(text: str) -> bool:
    words = {str(word) for word in wechat_texts()["continue_words"]}
    return text.strip(" 。.!！~～") in words


class WeChatApi:
    """The webhook's logic, with the settings, the keys and what it remembers."""

    def __init__(self, settings: WeChatSettings, keys: ConversationKeys):
        self.settings = settings
        self.keys = keys
        self.memory = ConversationMemory()
        self.budget = ANSWER_BUDGET_SECONDS
        self.safe = (
            SafeMode(settings.token, settings.aes_key, settings.app_id)
            if settings.token and settings.aes_key
            else None
        )
        self.push = (
            CustomerService(settings.api_base, settings.app_id, settings.app_secret)
            if settings.mode == "push"
            else None
        )
        self.push_paused_until = 0.0
        self.background: set[asyncio.Task[None]] = set()

    # --- identity and links ----------------------------------------------------------

    def sender_of(self, openid: str) -> str:
        return self.keys.derived_sender(SENDER_PREFIX, openid)

    def owns(self, request: Request, sender: Any) -> bool:
        """The document routes' check: the link key of exactly this conversation."""
        return (
            isinstance(sender, str)
            and SENDER_PATTERN.fullmatch(sender) is not None
            and self.keys.opens(request.args.get("key"), sender)
        )

    def document_link(self, base: str, sender: str, download: str) -> str | None:
        document_id = download.rstrip("/").rsplit("/", 1)[-1]
        if not document_id:
            return None
        key = quote(self.keys.link_key(sender), safe="")
        return f"{base}/webhooks/wechat/documents/{document_id}?sender={sender}&key={key}"

    # --- requests --------------------------------------------------------------------

    async def verify(self, request: Request) -> HTTPResponse:
        if not self.settings.token:
            return refusal(503, "The WeChat channel is not configured (WECHAT_TOKEN).")
        if not signature_ok(self.settings.token, request.args):
            return refusal(403, "bad signature")
        return plain(request.args.get("echostr") or "")

    def plaintext(self, request: Request) -> bytes:
        """The message's XML: decrypted in safe mode. Raises BadRequest or Forbidden."""
        if (request.args.get("encrypt_type") or "raw").lower() != "aes":
            return bytes(request.body or b"")
        if self.safe is None:
            raise BadRequest(400, "safe mode is not configured (WECHAT_AES_KEY)")
        return self.safe.decrypt(bytes(request.body or b""), request.args)

    async def receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        if not self.settings.token:
            return refusal(503, "The WeChat channel is not configured (WECHAT_TOKEN).")
        if not signature_ok(self.settings.token, request.args):
            return refusal(403, "bad signature")
        try:
            message = read_message(parse_xml(self.plaintext(request)))
        except Forbidden:
            return refusal(403, "bad msg_signature")
        except BadRequest as bad:
            return refusal(bad.status, bad.reason)
        sender = self.sender_of(message.user)
        base = self.settings.public_url or request_base(request)
        agent = request.app.ctx.agent

        async def answer() -> str:
            return await self.answer(agent, on_new_message, message, sender, base)

        content = await self.within_budget(
            sender, self.memory.once((sender, message.dedup_key), answer)
        )
        if not content:
            return plain("success")
        return self.reply(request, message, content)

    async def within_budget(self, sender: str, answer: "asyncio.Future[str]") -> str:
        """The answer, or when it takes too long the "still thinking" note: the answer
        then waits for 「继续」."""
        try:
            return await asyncio.wait_for(asyncio.shield(answer), self.budget)
        except asyncio.TimeoutError:
            logger.warning("A WeChat answer of %s took longer than %.1f s.", sender, self.budget)
            answer.add_done_callback(lambda done: self.keep_late(sender, done))
            return str(wechat_texts()["still_thinking"])

    def keep_late(self, sender: str, done: "asyncio.Future[str]") -> None:
        if done.cancelled() or done.exception() is not None or not done.result():
            return
        rest = self.memory.pending.pop(sender) or []
        self.memory.keep_rest(sender, [Part(done.result()), *rest])

    def reply(self, request: Request, message: Message, content: str) -> HTTPResponse:
        xml = text_reply(message, content)
        if self.safe is not None and (request.args.get("encrypt_type") or "").lower() == "aes":
            xml = self.safe.encrypt(
                xml, request.args.get("nonce", ""), request.args.get("timestamp")
            )
        return response.text(xml, content_type="application/xml; charset=utf-8")

    # --- one message -----------------------------------------------------------------

    def user_text(self, message: Message, sender: str) -> str | None:
        """What the message says to the bot; None for one the channel answers itself."""
        if message.kind == "event":
            if message.event == "subscribe":
                return "/" + str(wechat_texts()["welcome_intent"])
            return None
        if message.kind != "text":
            return None
        if message.menu_id:
            payload = self.memory.tapped(sender, message.menu_id)
            if payload is not None:
                return payload
        return message.text

    async def answer(
        self, agent: Any, on_new_message: OnNewMessage, message: Message, sender: str, base: str
    ) -> str:
        """The content of the passive reply ("" when push mode sent it, or nothing to say)."""
        if self.push is not None:
            self.push.quota.user_wrote(message.user)
        text = self.user_text(message, sender)
        if text is None:
            return "" if message.kind == "event" else str(wechat_texts()["not_text"])
        if is_continue(clean_text(text)):  # the rest of a cut reply; the bot is not asked
            return await self.deliver(message, sender, self.memory.pending.pop(sender) or [])
        checked, error = check_message(
            {"sender": sender, "message": text}, known_intents(agent), refused_intents()
        )
        if error is not None:
            return error.text
        turn = UserMessage(
            checked,
            ResponseCollector(),
            sender,
            input_channel="wechat",
            message_id=message.dedup_key,
        )
        reply = await answer_message(agent, on_new_message, turn, message.dedup_key)
        if reply.deleted:
            self.memory.forget(sender, keep=message.dedup_key)
        blocks = blocks_of(
            reply.messages,
            lambda payload, _title: self.memory.button_id(sender, payload),
            lambda download: self.document_link(base, sender, download),
        )
        parts = pack(blocks, buttons_end_part=self.pushing())
        return await self.deliver(message, sender, parts)

    def pushing(self) -> bool:
        loop = asyncio.get_running_loop()
        return self.push is not None and loop.time() >= self.push_paused_until

    async def deliver(self, message: Message, sender: str, parts: list[Part]) -> str:
        """Passive: the first part, the rest kept. Push: sent, "" (falls back to passive)."""
        if not parts:
            return str(wechat_texts()["nothing_more"])
        if self.push is not None and self.pushing():
            try:
                await self.push.send(message.user, parts[0])
            except PushError as error:
                logger.warning("Push failed (%s); answering passively.", error)
                self.push_paused_until = asyncio.get_running_loop().time() + PUSH_PAUSE_SECONDS
            else:
                task = asyncio.ensure_future(self.push_rest(message.user, sender, parts[1:]))
                self.background.add(task)
                task.add_done_callback(self.background.discard)
                return ""
        self.memory.keep_rest(sender, parts[1:])
        return parts[0].rendered()

    async def push_rest(self, user: str, sender: str, parts: list[Part]) -> None:
        """Sends what the quota allows; the rest waits for 「继续」."""
        assert self.push is not None
        for index, part in enumerate(parts):
            if self.push.quota.left(user) <= 0:
                self.memory.keep_rest(sender, parts[index:])
                return
            try:
                await self.push.send(user, part)
            except PushError as error:
                logger.warning("Push failed (%s); the rest waits for 「继续」.", error)
                self.memory.keep_rest(sender, parts[index:])
                return
        self.memory.keep_rest(sender, [])


class WeChatInput(InputChannel):
    """The Official Account's webhook; settings from the environment."""

    def __init__(self, settings: WeChatSettings | None = None, secret_path: Any = None):
        self.settings = settings
        self.secret_path = secret_path or DEFAULT_SECRET_FILE

    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "WeChatInput":
        if credentials:
            raise ValueError("The WeChat channel takes its settings from WECHAT_* variables.")
        return cls()

    def api(self) -> WeChatApi:
        settings = self.settings or WeChatSettings.from_environment()
        if not settings.token:
            logger.warning("WECHAT_TOKEN is not set: the WeChat webhook answers 503.")
        return WeChatApi(settings, ConversationKeys(load_secret(self.secret_path)))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        speedups.install()
        blueprint = Blueprint("coach_wechat", __name__)
        api = self.api()

        @blueprint.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            return await api.verify(request)

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await api.receive(request, on_new_message)

        add_document_routes(blueprint, api.owns, forbidden)
        return blueprint
