"""Rasa's socket.io channel at ``/socket.io``, fixed and with the widget's ownership rule.

Standard clients (Rasa's chat widget, rasa-webchat) connect, send ``session_request`` and
then ``user_uttered`` events, and get ``bot_uttered`` events back. Two faults of Rasa
3.6.21's ``SocketIOInput`` are fixed here:

* it calls ``sio.enter_room`` without ``await`` (python-socketio 5.18 made it a
  coroutine), so with ``session_persistence`` a client never joined its room and got no
  reply: here every socket joins its conversation's room, awaited;
* anyone who sent another person's ``session_id`` joined that person's room and could
  write into their conversation: here a ``session_request`` without a ``session_id``
  starts a new conversation (``web-`` id and its credential, addons/channels/ownership.py,
  the same as the widget's), and one with a ``session_id`` resumes it only with that
  conversation's ``credential`` (in the request's data or the connection's ``auth``);
  otherwise the client gets a new conversation. A message is always written to the
  conversation its socket proved, whatever ``session_id`` it names.

``session_confirm`` carries the session id as in Rasa; the new conversation's credential
comes in a ``session_credential`` event ``{"session_id", "credential"}`` for the client to
keep. Messages pass the same input checks, lock, deletion and fallback as the widget
(addons/channels/handling.py); the crisis guard is in the NLU pipeline.
"""

import logging
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from addons.channels.guard import check_message
from addons.channels.handling import (
    DELETED_PAYLOAD,
    OnNewMessage,
    answer_message,
    known_intents,
    refused_intents,
)
from addons.channels.ownership import ConversationKeys, load_secret
from addons.channels.webchat import DEFAULT_SECRET_FILE
from addons.patches import speedups

logger = logging.getLogger(__name__)
CREDENTIAL_EVENT = "session_credential"


class CoachSocketIOInput(SocketIOInput):
    """``SocketIOInput`` with awaited rooms, credentials and the coach's handling."""

    keys: ConversationKeys | None = None

    def __init__(self, *args: Any, secret_path: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.secret_path = secret_path or DEFAULT_SECRET_FILE
        self.sessions: dict[str, str] = {}  # socket id → the conversation it proved
        self.offered: dict[str, str] = {}  # socket id → the connection's auth credential

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def conversation_keys(self) -> ConversationKeys:
        if self.keys is None:
            self.keys = ConversationKeys(load_secret(self.secret_path))
        return self.keys

    async def start_session(self, sio: AsyncServer, sid: str, data: Any) -> str:
        """The conversation this socket may use: the one it proves, else a new one."""
        keys = self.conversation_keys()
        data = data if isinstance(data, dict) else {}
        wanted = data.get("session_id")
        credential = data.get("credential") or self.offered.get(sid)
        if wanted and keys.proves(credential, wanted):
            sender = str(wanted)
        else:
            sender, credential = keys.new_conversation()
            await sio.emit(
                CREDENTIAL_EVENT,
                {"session_id": sender, "credential": credential},
                room=sid,
                namespace=self.namespace,
            )
        previous = self.sessions.get(sid)
        if previous and previous != sender:
            await sio.leave_room(sid, previous, namespace=self.namespace)
        self.sessions[sid] = sender
        await sio.enter_room(sid, sender, namespace=self.namespace)
        return sender

    async def answer(
        self, sio: AsyncServer, sid: str, data: Any, on_new_message: OnNewMessage, agent: Any
    ) -> None:
        sender = self.sessions.get(sid) or await self.start_session(sio, sid, None)
        output = SocketIOOutput(sio, self.bot_message_evt)
        body = data if isinstance(data, dict) else {}
        text, error = check_message(
            {"sender": sender, "message": body.get("message")},
            known_intents(agent),
            refused_intents(),
        )
        if error is not None:
            await output.send_text_message(sender, error.text)
            return
        metadata = body.get(self.metadata_key)
        message = UserMessage(
            text,
            CollectingOutputChannel(),
            sender,
            input_channel=self.name(),
            metadata=metadata if isinstance(metadata, dict) else None,
        )
        reply = await answer_message(agent, on_new_message, message, None)
        for said in reply.messages:
            await output.send_response(
                sender, {k: v for k, v in said.items() if k != "recipient_id"}
            )
        if reply.deleted:
            await output.send_custom_json(sender, dict(DELETED_PAYLOAD))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        speedups.install()
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        webhook = SocketBlueprint(sio, self.socketio_path, "coach_socketio_webhook", __name__)
        self.sio = sio
        self.conversation_keys()  # a broken secret file stops the server now

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.listener("after_server_start")
        async def remember_app(app: Any, _: Any) -> None:
            self.app = app

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: Any = None) -> bool:
            if isinstance(auth, dict) and isinstance(auth.get("credential"), str):
                self.offered[sid] = auth["credential"]
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            self.sessions.pop(sid, None)
            self.offered.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            sender = await self.start_session(sio, sid, data)
            await sio.emit("session_confirm", sender, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            agent = getattr(getattr(self, "app", None), "ctx", None)
            await self.answer(sio, sid, data, on_new_message, getattr(agent, "agent", None))

        return webhook
