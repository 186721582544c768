"""Push mode: replies through WeChat's customer-service message API. No Rasa import.

``GET {base}/cgi-bin/token`` gives an access token, kept until shortly before it expires
(and fetched again when the API says it is invalid or expired); ``POST
{base}/cgi-bin/message/custom/send`` sends a ``text`` message, or a ``msgmenu`` message for
a part with buttons. WeChat allows 5 such messages per user message within 48 hours:
``Quota`` counts them so the channel never asks for a sixth. Any other API error (e.g.
48001, an account without the permission) raises ``PushError``; the channel then answers
passively.
"""

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from addons.channels.wechat.render import Part

logger = logging.getLogger(__name__)

MESSAGES_PER_USER_MESSAGE = 5
QUOTA_SECONDS = 48 * 3600
TOKEN_MARGIN_SECONDS = 300
TOKEN_ERRORS = {40001, 40014, 42001}  # invalid, malformed, expired access token
TIMEOUT = aiohttp.ClientTimeout(total=4)


class PushError(Exception):
    """The API refused or failed; the message was not sent."""

    def __init__(self, code: int, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass
class Quota:
    """The customer-service messages each user may still be sent."""

    allowed: int = MESSAGES_PER_USER_MESSAGE
    window: float = QUOTA_SECONDS
    users: dict[str, tuple[float, int]] = field(default_factory=dict)

    def user_wrote(self, user: str, now: float | None = None) -> None:
        """A message of ``user``: WeChat allows ``allowed`` more replies from now."""
        self.users[user] = (time.time() if now is None else now, 0)

    def left(self, user: str, now: float | None = None) -> int:
        wrote, sent = self.users.get(user, (0.0, self.allowed))
        if (time.time() if now is None else now) - wrote > self.window:
            return 0
        return max(0, self.allowed - sent)

    def used(self, user: str) -> None:
        wrote, sent = self.users.get(user, (time.time(), 0))
        self.users[user] = (wrote, sent + 1)


def api_message(user: str, part: Part) -> dict[str, Any]:
    """The customer-service message for one part: a menu message when it has buttons."""
    if not part.buttons:
        return {"touser": user, "msgtype": "text", "text": {"content": part.rendered()}}
    return {
        "touser": user,
        "msgtype": "msgmenu",
        "msgmenu": {
            "head_content": part.text,
            "list": [{"id": button.id, "content": button.title} for button in part.buttons],
            "tail_content": part.note,
        },
    }


class CustomerService:
    """The API client, with the access token cached until it expires."""

    def __init__(self, base: str, app_id: str, app_secret: str):
        self.base = base.rstrip("/")
        self.app_id, self.app_secret = app_id, app_secret
        self.token: str | None = None
        self.token_expires = 0.0
        self.quota = Quota()

    async def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
                async with session.request(method, self.base + path, **kwargs) as answer:
                    data = json.loads(await answer.text())
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise PushError(-1, f"API unreachable or not JSON ({type(error).__name__})") from error
        if not isinstance(data, dict):
            raise PushError(-1, "API answer is not an object")
        return data

    async def access_token(self, fresh: bool = False) -> str:
        if not fresh and self.token and time.time() < self.token_expires:
            return self.token
        query = {
            "grant_type": "client_credential",
            "appid": self.app_id,
            "secret": self.app_secret,
        }
        data = await self._json("GET", "/cgi-bin/token", params=query)
        if not data.get("access_token"):
            raise PushError(int(data.get("errcode") or -1), str(data.get("errmsg") or ""))
        lifetime = float(data.get("expires_in") or 7200)
        self.token = str(data["access_token"])
        self.token_expires = time.time() + max(lifetime - TOKEN_MARGIN_SECONDS, lifetime / 2)
        return self.token

    async def _send_once(self, message: dict[str, Any], fresh_token: bool) -> int:
        token = await self.access_token(fresh=fresh_token)
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        data = await self._json(
            "POST",
            "/cgi-bin/message/custom/send",
            params={"access_token": token},
            data=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        code = int(data.get("errcode") or 0)
        if code and code not in TOKEN_ERRORS:
            raise PushError(code, str(data.get("errmsg") or ""))
        return code

    async def send(self, user: str, part: Part) -> None:
        """Sends one part; a rejected token is fetched again once."""
        message = api_message(user, part)
        code = await self._send_once(message, fresh_token=False)
        if code in TOKEN_ERRORS:
            code = await self._send_once(message, fresh_token=True)
            if code:
                raise PushError(code, "access token refused twice")
        self.quota.used(user)
