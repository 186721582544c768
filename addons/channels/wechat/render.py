"""The coach's bubbles as WeChat text: blocks, menu links, parts of at most 2048 bytes.

No Rasa import. A bubble becomes a ``Block``: its text, the plain-text form of a custom
payload (offer figures, a document's link…), and its buttons. Crisis texts
(``urgent_responses`` in content/wechat.yml) go first and are never cut. ``pack`` fills
parts of at most ``limit`` UTF-8 bytes in order; a part followed by another ends with the
"回复「继续」看下文" note. A button is shown as
``<a href="weixin://bizmsgmenu?msgmenucontent=TITLE&msgmenuid=ID">TITLE</a>``: the user
sees and taps its title only, never the payload; the tap comes back with ``bizmsgmenuid``.
"""

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from coach.casefile.documents import money
from coach.content import load_content

MAX_CONTENT_BYTES = 2048


@cache
def wechat_texts() -> dict[str, Any]:
    return load_content("wechat")


@dataclass(frozen=True)
class Button:
    id: str
    title: str


@dataclass
class Block:
    """One bubble's text and buttons; ``urgent`` blocks go first and are never cut."""

    text: str
    buttons: list[Button] = field(default_factory=list)
    urgent: bool = False

    def rendered(self) -> str:
        links = " ".join(menu_link(button) for button in self.buttons)
        return "\n".join(part for part in (self.text, links) if part)


@dataclass
class Part:
    """What one WeChat message carries: blocks' texts and the last block's buttons."""

    text: str
    buttons: list[Button] = field(default_factory=list)
    note: str = ""  # the "回复「继续」看下文" note of a part that has a next one

    def rendered(self) -> str:
        links = " ".join(menu_link(button) for button in self.buttons)
        return "\n".join(piece for piece in (self.text, links, self.note) if piece)


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def menu_link(button: Button) -> str:
    title = html.escape(button.title, quote=True)
    return (
        f'<a href="weixin://bizmsgmenu?msgmenucontent={title}&amp;msgmenuid={button.id}">'
        f"{title}</a>"
    )


# --- custom payloads ---------------------------------------------------------------------


def figures(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload's values with numbers written as money (12000, 1234.5)."""
    return {
        key: money(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else value
        for key, value in payload.items()
    }


def fill(template: str, values: Mapping[str, Any]) -> str:
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return ""


def offer_text(payload: Mapping[str, Any]) -> str:
    templates = wechat_texts()["payloads"]
    if not payload.get("feasible", True):
        return str(templates["repayment_offer_infeasible"])
    lines = [fill(templates["repayment_offer"], figures(payload))]
    lump_sum = payload.get("lump_sum")
    if isinstance(lump_sum, Mapping):
        lines.append(fill(templates["lump_sum"], figures(lump_sum)))
    return "\n".join(line for line in lines if line)


def debt_plan_text(payload: Mapping[str, Any]) -> str:
    templates = wechat_texts()["payloads"]
    lines = [fill(templates["debt_plan_head"], figures(payload))]
    for debt in payload.get("debts") or []:
        if isinstance(debt, Mapping):
            lines.append(fill(templates["debt_plan_line"], figures(debt)))
    return "\n".join(line for line in lines if line)


DocumentLink = Callable[[str], str | None]


def payload_text(payload: Any, document_link: DocumentLink) -> str:
    """A custom payload in plain text ("" for one with nothing a text needs to say)."""
    if not isinstance(payload, Mapping):
        return ""
    kind = payload.get("type")
    templates = wechat_texts()["payloads"]
    if kind == "repayment_offer":
        return offer_text(payload)
    if kind == "debt_plan" and payload.get("feasible", True):
        return debt_plan_text(payload)
    if kind == "document":
        link = document_link(str(payload.get("id") or payload.get("download") or ""))
        if link:
            return fill(templates["document"], {"title": payload.get("title", ""), "link": link})
    if kind == "contact_log":
        return fill(templates["contact_log"], {"count": len(payload.get("entries") or [])})
    if kind == "roleplay_score" and payload.get("score") is not None:
        return fill(templates["roleplay_score"], figures(payload))
    return ""


# --- bubbles to blocks -------------------------------------------------------------------


def is_urgent(message: Mapping[str, Any]) -> bool:
    return message.get("response") in set(wechat_texts()["urgent_responses"])


def visible_buttons(buttons: Any, new_id: Callable[[str, str], str]) -> list[Button]:
    """Buttons with a title; ``new_id(payload, title)`` remembers each and names it."""
    shown = []
    for button in buttons if isinstance(buttons, list) else []:
        if not isinstance(button, Mapping):
            continue
        title, payload = str(button.get("title") or "").strip(), button.get("payload")
        if title and isinstance(payload, str) and payload:
            shown.append(Button(new_id(payload, title), title))
    return shown


def blocks_of(
    messages: Iterable[Mapping[str, Any]],
    new_id: Callable[[str, str], str],
    document_link: DocumentLink,
) -> list[Block]:
    """The bubbles as blocks, urgent ones first (each group in its order)."""
    blocks = []
    for message in messages:
        texts = [str(message.get("text") or "").strip()]
        texts.append(payload_text(message.get("custom"), document_link))
        text = "\n".join(t for t in texts if t)
        buttons = visible_buttons(message.get("buttons"), new_id)
        if text or buttons:
            blocks.append(Block(text, buttons, is_urgent(message)))
    return [b for b in blocks if b.urgent] + [b for b in blocks if not b.urgent]


# --- blocks to parts ---------------------------------------------------------------------


def cut(text: str, limit: int) -> tuple[str, str]:
    """The longest head of ``text`` within ``limit`` bytes, preferring a line end."""
    head = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    if len(head) == len(text):
        return text, ""
    line_end = head.rfind("\n")
    if line_end > len(head) // 2:
        head = head[: line_end + 1]
    return head.rstrip("\n"), text[len(head) :].lstrip("\n")


def split_block(block: Block, limit: int) -> list[Block]:
    """A block too long for one part, as several (buttons stay with the last)."""
    if block.urgent or size(block.rendered()) <= limit:
        return [block]
    links = size(Block("", block.buttons).rendered()) + 1 if block.buttons else 0
    pieces, rest = [], block.text
    while size(rest) + links > limit:
        head, rest = cut(rest, limit)
        pieces.append(Block(head))
    pieces.append(Block(rest, block.buttons))
    return pieces


def pack(
    blocks: list[Block],
    limit: int = MAX_CONTENT_BYTES,
    note: str | None = None,
    buttons_end_part: bool = False,
) -> list[Part]:
    """Parts of at most ``limit`` bytes in the blocks' order; each but the last ends with
    ``note``. A part carries its last block's buttons; with ``buttons_end_part`` (push
    mode's menu messages) a block with buttons always ends its part."""
    note = wechat_texts()["more_note"] if note is None else note
    room = limit - size(note) - 1
    pieces = [piece for block in blocks for piece in split_block(block, room)]
    parts: list[Part] = []
    current: list[Block] = []
    for piece in pieces:
        candidate = current + [piece]
        closes = buttons_end_part and bool(current and current[-1].buttons)
        if current and (closes or size(joined(candidate)) > room):
            parts.append(part_of(current))
            candidate = [piece]
        current = candidate
    if current:
        parts.append(part_of(current))
    for part in parts[:-1]:
        part.note = note
    return parts


def joined(blocks: list[Block]) -> str:
    return "\n\n".join(block.rendered() for block in blocks)


def part_of(blocks: list[Block]) -> Part:
    head = "\n\n".join(block.rendered() for block in blocks[:-1])
    last = blocks[-1]
    text = "\n\n".join(piece for piece in (head, last.text) if piece)
    return Part(text, list(last.buttons))
