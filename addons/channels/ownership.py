"""Proof that a web chat conversation belongs to the browser that started it. No Rasa import.

The server makes every widget conversation id itself (``web-`` and 128 random bits) and
gives the browser a credential for it: ``<sender>.<mac>``, where ``mac`` is
HMAC-SHA256 over the sender id with a server secret (32 random bytes in
``var/webchat_secret``, made by ``make setup`` or, when missing, by the server; never
committed). Nothing is stored per conversation: any server that has the secret checks a
credential by recomputing its MAC, and no one without the secret can make one. A sender
id the server did not make (a REST conversation's phone number, say) has no credential.

Only the proof is here; addons/channels/webchat.py decides where the credential travels (an
HttpOnly cookie, or a header from the embedded widget's own storage; webchat/README.md).
"""

import base64
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path

SECRET_BYTES = 32
SENDER_PREFIX = "web-"
SENDER_PATTERN = re.compile(r"web-[0-9a-f]{32}")
# Domain separation: this key signs nothing else, but a later use must not collide.
MAC_CONTEXT = b"coach-webchat-conversation-v1\x00"
# The conversation id of a user another service names (a WeChat OpenID), and a link key.
DERIVED_CONTEXT = b"coach-derived-sender-v1\x00"
LINK_CONTEXT = b"coach-document-link-v1\x00"
MAC_LENGTH = 43  # base64url of 32 bytes, without padding
MAX_CREDENTIAL_LENGTH = 4 + 32 + 1 + MAC_LENGTH
COOKIE_NAME = "coach_webchat"
HEADER_NAME = "X-Webchat-Credential"


class SecretError(Exception):
    """The secret file exists but cannot be used as a key."""


def new_sender() -> str:
    """A conversation id no one can guess: ``web-`` and 32 hex digits (128 bits)."""
    return SENDER_PREFIX + secrets.token_hex(16)


def is_widget_sender(sender: object) -> bool:
    """True for an id of the form the server makes for the widget."""
    return isinstance(sender, str) and SENDER_PATTERN.fullmatch(sender) is not None


def create_secret(path: Path) -> None:
    """Writes 32 random bytes to ``path`` (mode 0600) unless another process was first.

    The bytes go to a private temporary file that is then hard-linked into place, so a
    server starting at the same moment never reads a half-written secret, and an
    existing secret is never replaced.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(SECRET_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)


def load_secret(path: Path) -> bytes:
    """The secret in ``path``, made first when the file is missing."""
    path = Path(path)
    if not path.exists():
        create_secret(path)
    secret = path.read_bytes()
    if len(secret) < SECRET_BYTES:
        raise SecretError(
            f"{path} holds {len(secret)} bytes; a web chat secret needs at least "
            f"{SECRET_BYTES}. Delete the file to have a new one made (this ends every "
            "open widget conversation's access to its history)."
        )
    return secret


def _encode(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class ConversationKeys:
    """Issues and checks widget credentials with one server secret."""

    def __init__(self, secret: bytes):
        if len(secret) < SECRET_BYTES:
            raise SecretError(f"the secret must have at least {SECRET_BYTES} bytes")
        self._secret = bytes(secret)

    def _mac(self, sender: str) -> str:
        message = MAC_CONTEXT + sender.encode("ascii")
        return _encode(hmac.new(self._secret, message, hashlib.sha256).digest())

    def credential(self, sender: str) -> str:
        """The credential for a widget conversation id."""
        if not is_widget_sender(sender):
            raise ValueError("credentials are issued for the server's own widget ids only")
        return f"{sender}.{self._mac(sender)}"

    def derived_sender(self, prefix: str, external_id: str) -> str:
        """``prefix`` and 32 hex digits of a MAC over another service's user id: the same
        user gets the same conversation, and no one without the secret can tell whose it is."""
        message = DERIVED_CONTEXT + f"{prefix}\x00{external_id}".encode()
        return prefix + hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    def link_key(self, sender: str) -> str:
        """The key a link to ``sender``'s documents carries (a chat with no cookie)."""
        message = LINK_CONTEXT + sender.encode("utf-8")
        return _encode(hmac.new(self._secret, message, hashlib.sha256).digest())

    def opens(self, key: object, sender: object) -> bool:
        """True when ``key`` is the link key of exactly ``sender``."""
        if not isinstance(key, str) or len(key) != MAC_LENGTH or not isinstance(sender, str):
            return False
        return hmac.compare_digest(key.encode("ascii", "replace"), self.link_key(sender).encode())

    def new_conversation(self) -> tuple[str, str]:
        """A fresh conversation id and its credential."""
        sender = new_sender()
        return sender, self.credential(sender)

    def owner(self, credential: object) -> str | None:
        """The conversation ``credential`` proves, or None for anything else."""
        if not isinstance(credential, str) or len(credential) > MAX_CREDENTIAL_LENGTH:
            return None
        sender, _, mac = credential.partition(".")
        if not is_widget_sender(sender) or len(mac) != MAC_LENGTH:
            return None
        if not hmac.compare_digest(mac.encode("ascii", "replace"), self._mac(sender).encode()):
            return None
        return sender

    def proves(self, credential: object, sender: object) -> bool:
        """True when ``credential`` is valid and names exactly ``sender``."""
        owner = self.owner(credential)
        return (
            owner is not None
            and isinstance(sender, str)
            and hmac.compare_digest(owner.encode(), sender.encode("utf-8", "replace"))
        )


def presented_credential(headers: Mapping[str, str], cookies: Mapping[str, str]) -> str | None:
    """The credential a request carries: the header (embedded widget), else the cookie."""
    header = headers.get(HEADER_NAME) or headers.get(HEADER_NAME.lower())
    if header:
        return header.strip()
    return cookies.get(COOKIE_NAME) or None
