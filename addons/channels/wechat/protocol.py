"""WeChat's server protocol: signatures, the XML messages, safe mode. No Rasa import.

The signature of every request is SHA-1 over the sorted token, timestamp and nonce
(wechatpy's ``check_signature``). In safe mode (``encrypt_type=aes``) the body holds only
``Encrypt``: AES-256-CBC with the EncodingAESKey, checked by ``msg_signature`` (SHA-1 over
the sorted token, timestamp, nonce and ciphertext) and decrypted by wechatpy's
``WeChatCrypto``; the reply is encrypted and signed the same way.

Bodies are parsed by xmltodict (expat) after refusing anything WeChat never sends: more
than ``MAX_BODY_BYTES``, a document type or entity declarations.
"""

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

# WeChat's messages are well under 4 KB; a safe-mode one is a third larger.
MAX_BODY_BYTES = 64 * 1024
DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
REQUIRED_FIELDS = ("ToUserName", "FromUserName", "CreateTime", "MsgType")


class BadRequest(Exception):
    """A body or query WeChat's server would never send: answered with a 4xx."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Forbidden(Exception):
    """A signature that does not check: answered with 403, nothing runs."""


@dataclass(frozen=True)
class Message:
    """One message or event from a user, as WeChat sends it."""

    user: str  # the OpenID (FromUserName)
    account: str  # the Official Account's id (ToUserName)
    created: str
    kind: str  # MsgType: text, image, voice, event…
    text: str = ""
    msg_id: str = ""
    menu_id: str = ""  # bizmsgmenuid: the tapped button's id
    event: str = ""  # subscribe, unsubscribe, CLICK…

    @property
    def dedup_key(self) -> str:
        """``MsgId``, or for an event (which has none) the sender's ``CreateTime``."""
        if self.msg_id:
            return self.msg_id
        return f"event-{self.event or 'none'}-{self.created}"[:64]


def signature_ok(token: str, query: Mapping[str, str]) -> bool:
    """True when ``signature`` is SHA-1 over the sorted token, timestamp and nonce."""
    signature, timestamp, nonce = (query.get(k) for k in ("signature", "timestamp", "nonce"))
    if not (signature and timestamp and nonce):
        return False
    try:
        check_signature(token, signature, timestamp, nonce)
    except InvalidSignatureException:
        return False
    return True


def parse_xml(body: bytes) -> dict[str, Any]:
    """The ``<xml>`` element of a body as a dict of strings; BadRequest for anything else."""
    if not body or not body.strip():
        raise BadRequest(400, "empty body")
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(413, "body too large")
    if DECLARATION.search(body):
        raise BadRequest(400, "declarations are not accepted")
    try:
        parsed = xmltodict.parse(body, disable_entities=True)
    except Exception as error:  # expat's ExpatError, a decoding error…
        raise BadRequest(400, "not XML") from error
    root = parsed.get("xml") if isinstance(parsed, dict) else None
    if not isinstance(root, dict):
        raise BadRequest(400, "no <xml> element")
    return root


def field(root: Mapping[str, Any], name: str) -> str:
    value = root.get(name)
    return value.strip() if isinstance(value, str) else ""


def read_message(root: Mapping[str, Any]) -> Message:
    """The message in a parsed plaintext body; BadRequest when a required field is missing."""
    missing = [name for name in REQUIRED_FIELDS if not field(root, name)]
    if missing:
        raise BadRequest(400, f"missing {', '.join(missing)}")
    kind = field(root, "MsgType").lower()
    return Message(
        user=field(root, "FromUserName"),
        account=field(root, "ToUserName"),
        created=field(root, "CreateTime"),
        kind=kind,
        text=root["Content"] if isinstance(root.get("Content"), str) else "",
        msg_id=field(root, "MsgId"),
        menu_id=field(root, "bizmsgmenuid"),
        event=field(root, "Event").lower() if kind == "event" else "",
    )


class SafeMode:
    """Safe mode's decryption of messages and encryption of replies (wechatpy)."""

    def __init__(self, token: str, aes_key: str, app_id: str):
        self.crypto = WeChatCrypto(token, aes_key, app_id)

    def decrypt(self, body: bytes, query: Mapping[str, str]) -> bytes:
        """The plaintext XML of a safe-mode body; Forbidden when ``msg_signature`` fails."""
        root = parse_xml(body)
        if not field(root, "Encrypt"):
            raise BadRequest(400, "no Encrypt element")
        signature, timestamp, nonce = (
            query.get(k) for k in ("msg_signature", "timestamp", "nonce")
        )
        if not (signature and timestamp and nonce):
            raise Forbidden("no msg_signature")
        try:
            text = self.crypto.decrypt_message(body, signature, timestamp, nonce)
        except (InvalidSignatureException, InvalidAppIdException) as error:
            raise Forbidden(type(error).__name__) from error
        except Exception as error:  # bad base64, bad padding: not WeChat's
            raise BadRequest(400, "cannot decrypt") from error
        return text.encode("utf-8") if isinstance(text, str) else bytes(text)

    def encrypt(self, reply: str, nonce: str, timestamp: str | None = None) -> str:
        result: str = self.crypto.encrypt_message(reply, nonce, timestamp)
        return result


def cdata(text: str) -> str:
    """``text`` inside CDATA, with any ``]]>`` in it kept as text."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(message: Message, content: str, now: float | None = None) -> str:
    """The passive text reply to ``message``: To and From swapped."""
    created = int(now if now is not None else time.time())
    return (
        "<xml>"
        f"<ToUserName>{cdata(message.user)}</ToUserName>"
        f"<FromUserName>{cdata(message.account)}</FromUserName>"
        f"<CreateTime>{created}</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(content)}</Content>"
        "</xml>"
    )
