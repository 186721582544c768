"""Plays WeChat's server against the WeChat channel: signed requests, safe mode, replies.

``WeChatSimulator`` makes the query string and body WeChat would send (plaintext or safe
mode) and reads the channel's XML reply (checking its ``MsgSignature`` in safe mode). How
the request travels is the caller's: straight into the channel's handler in unit tests,
over HTTP to a real server end to end.
"""

import hashlib
import itertools
import random
import string
import time
from dataclasses import dataclass

import xmltodict
from wechatpy.crypto import WeChatCrypto

ACCOUNT = "gh_0123456789ab"
APP_ID = "wx2c2769f8efd9abc2"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


@dataclass
class Reply:
    status: int
    body: bytes
    fields: dict | None = None

    @property
    def content(self) -> str:
        assert self.fields is not None, (self.status, self.body[:200])
        return str(self.fields.get("Content") or "")


class WeChatSimulator:
    def __init__(self, token: str, aes_key: str | None = None, app_id: str = APP_ID):
        self.token, self.aes_key, self.app_id = token, aes_key, app_id
        self.crypto = WeChatCrypto(token, aes_key, app_id) if aes_key else None
        self.ids = itertools.count(int(time.time()) * 1000)

    def signed(self, **extra: str) -> dict[str, str]:
        timestamp = str(int(time.time()))
        nonce = "".join(random.choices(string.digits, k=9))
        query = {
            "timestamp": timestamp,
            "nonce": nonce,
            "signature": sha1_signature(self.token, timestamp, nonce),
        }
        return {**query, **extra}

    def verification(self, echostr: str = "echo-4711") -> dict[str, str]:
        return self.signed(echostr=echostr)

    def new_msg_id(self) -> str:
        return str(next(self.ids))

    def message_xml(
        self,
        openid: str,
        content: str | None = None,
        kind: str = "text",
        msg_id: str | None = None,
        event: str | None = None,
        menu_id: str | None = None,
        created: str | None = None,
    ) -> str:
        fields = {
            "ToUserName": ACCOUNT,
            "FromUserName": openid,
            "CreateTime": created or str(int(time.time())),
            "MsgType": kind,
        }
        if content is not None:
            fields["Content"] = content
        if event is not None:
            fields["Event"] = event
        if kind != "event":
            fields["MsgId"] = msg_id or self.new_msg_id()
        if menu_id is not None:
            fields["bizmsgmenuid"] = menu_id
        return xmltodict.unparse({"xml": fields}, full_document=False)

    def request(self, xml: str, safe: bool = False) -> tuple[dict[str, str], bytes]:
        """The query and body WeChat sends for ``xml`` (encrypted in safe mode)."""
        if not safe:
            return self.signed(), xml.encode("utf-8")
        assert self.crypto is not None
        query = self.signed(encrypt_type="aes")
        wrapped = xmltodict.parse(self.crypto.encrypt_message(xml, query["nonce"]))["xml"]
        body = xmltodict.unparse(
            {"xml": {"ToUserName": ACCOUNT, "Encrypt": wrapped["Encrypt"]}}, full_document=False
        )
        query["msg_signature"] = sha1_signature(
            self.token, query["timestamp"], query["nonce"], wrapped["Encrypt"]
        )
        return query, body.encode("utf-8")

    def read(self, status: int, body: bytes, safe: bool = False) -> Reply:
        """The channel's answer; ``fields`` holds the reply XML's elements (decrypted)."""
        text = body.decode("utf-8")
        if status != 200 or not text.lstrip().startswith("<xml"):
            return Reply(status, body)
        fields = xmltodict.parse(text)["xml"]
        if safe:
            assert self.crypto is not None and "Encrypt" in fields, text
            expected = sha1_signature(
                self.token, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"]
            )
            assert fields["MsgSignature"] == expected, "the reply's signature"
            plain = self.crypto.decrypt_message(
                text, fields["MsgSignature"], fields["TimeStamp"], fields["Nonce"]
            )
            fields = xmltodict.parse(plain)["xml"]
        return Reply(status, body, dict(fields))
