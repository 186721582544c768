"""Security headers of the web chat page, its files and its API. No Rasa import.

The page runs only its own script file (no inline script, no ``eval``), loads and talks
only to its own server, and may be framed only by the sites in ``frame_ancestors``
(credentials.yml, under ``addons.channels.webchat.WebChatInput``; default ``'self'``).
"""

import re
from collections.abc import Iterable

DEFAULT_FRAME_ANCESTORS = ("'self'",)
KEYWORDS = {"'self'", "'none'"}
# A CSP host source (scheme://host:port/path, * wildcards as CSP allows) or scheme source.
HOST_SOURCE = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://)?"
    r"(?:\*|(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)"
    r"(?::(?:[0-9]{1,5}|\*))?"
    r"(?:/[A-Za-z0-9._~!$&()*+=:@%/-]*)?"
)
SCHEME_SOURCE = re.compile(r"[a-z][a-z0-9+.-]*:")


def frame_ancestors_sources(value: object) -> tuple[str, ...]:
    """The configured sources as a tuple; ValueError for anything that is no CSP source.

    ``value``: None (the default), a space-separated string or a list of strings, e.g.
    ``"'self' https://www.example.com"`` or ``["'self'", "https://*.example.org"]``.
    """
    if value is None:
        return DEFAULT_FRAME_ANCESTORS
    if isinstance(value, str):
        items: Iterable[object] = value.split()
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        raise ValueError("frame_ancestors must be a string or a list of strings")
    sources = []
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"frame_ancestors: {item!r} is not a string")
        source = item.strip()
        if source.lower() in KEYWORDS:
            source = source.lower()
        elif not (HOST_SOURCE.fullmatch(source) or SCHEME_SOURCE.fullmatch(source)):
            raise ValueError(
                f"frame_ancestors: {item!r} is not a CSP source "
                "('self', 'none', https://site.example, https://*.example.org, https:)"
            )
        sources.append(source)
    if not sources:
        raise ValueError("frame_ancestors is empty; use \"'none'\" to forbid all framing")
    if "'none'" in sources and len(sources) > 1:
        raise ValueError("frame_ancestors: 'none' cannot be combined with other sources")
    return tuple(dict.fromkeys(sources))


def content_security_policy(frame_ancestors: Iterable[str] = DEFAULT_FRAME_ANCESTORS) -> str:
    """The page's policy: only its own files, no inline script, framed only by ``frame_ancestors``."""
    return "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors " + " ".join(frame_ancestors),
        ]
    )


def page_headers(frame_ancestors: Iterable[str] = DEFAULT_FRAME_ANCESTORS) -> dict[str, str]:
    """Headers of the chat page and its static files."""
    frame_ancestors = tuple(frame_ancestors)
    headers = {
        "Content-Security-Policy": content_security_policy(frame_ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }
    # For browsers without frame-ancestors; it cannot name other sites, so it is left
    # out when the widget may be framed elsewhere.
    legacy_options: dict[tuple[str, ...], str] = {("'self'",): "SAMEORIGIN", ("'none'",): "DENY"}
    legacy = legacy_options.get(frame_ancestors)
    if legacy:
        headers["X-Frame-Options"] = legacy
    return headers


# JSON answers (conversations, credentials): never cached, never sniffed, never framed.
API_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
