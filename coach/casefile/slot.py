"""The case file as the conversation keeps it: plain dicts in slots, read back safely.

``contact_log`` holds one dict per recorded contact (every field of ``ContactEntry``, so a
correction can check the rules again), ``documents`` one dict per document made
(``{id, kind, title, text, created_at}``), ``contact_draft`` the contact being recorded.
A slot may hold anything a tracker was given (an older shape, a hand-edited value), so
reading never raises: what is not usable is left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from coach.casefile.documents import KINDS
from coach.casefile.model import CHANNELS, ContactDraft, ContactEntry, Violation

ENTRY_ID = re.compile(r"c\d{1,6}")
DOCUMENT_ID = re.compile(r"doc-[0-9a-f]{16}")
# Where the web chat serves a document to the owner of its conversation
# (addons/channels/documents.py); the document payload's ``download``.
DOWNLOAD_PREFIX = "/webhooks/webchat/documents/"


def download_path(document_id: str) -> str:
    return DOWNLOAD_PREFIX + document_id


# ------------------------------------------------------------------ the log


def violation_to_slot(violation: Violation) -> dict[str, Any]:
    return {
        "code": violation.code,
        "fact_id": violation.fact_id,
        "text": violation.text,
        "see_also": list(violation.see_also),
    }


def entry_to_slot(entry: ContactEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at,
        "channel": entry.channel,
        "organisation": entry.organisation,
        "collector": entry.collector,
        "summary": entry.summary,
        "third_parties": list(entry.third_parties),
        "violations": [violation_to_slot(v) for v in entry.violations],
        "claims": list(entry.claims),
        "call_count": entry.call_count,
        "documents": list(entry.documents),
    }


def entries_to_slot(entries: Sequence[ContactEntry]) -> list[dict[str, Any]]:
    return [entry_to_slot(entry) for entry in entries]


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(item for item in value if isinstance(item, str) and item)


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return None
    return int(value)


def _violation(item: object) -> Violation | None:
    if not isinstance(item, Mapping):
        return None
    code, fact_id, text = (_text(item.get(name)) for name in ("code", "fact_id", "text"))
    if code is None or fact_id is None or text is None:
        return None
    return Violation(code, fact_id, text, _strings(item.get("see_also")))


def _entry(item: object) -> ContactEntry | None:
    if not isinstance(item, Mapping):
        return None
    entry_id = item.get("id")
    if not isinstance(entry_id, str) or not ENTRY_ID.fullmatch(entry_id):
        return None
    channel = item.get("channel")
    violations = [_violation(v) for v in item.get("violations") or []]
    return ContactEntry(
        id=entry_id,
        at=_text(item.get("at")),
        channel=channel if channel in CHANNELS else "other",
        organisation=_text(item.get("organisation")),
        collector=_text(item.get("collector")),
        summary=_text(item.get("summary")) or "",
        third_parties=_strings(item.get("third_parties")),
        violations=tuple(v for v in violations if v is not None),
        claims=_strings(item.get("claims")),
        call_count=_count(item.get("call_count")),
        documents=_strings(item.get("documents")),
    )


def entries_from_slot(value: object) -> list[ContactEntry]:
    """The entries of a ``contact_log`` slot value, in order; duplicates of an id dropped."""
    if not isinstance(value, list):
        return []
    entries: list[ContactEntry] = []
    for item in value:
        entry = _entry(item)
        if entry is not None and all(entry.id != kept.id for kept in entries):
            entries.append(entry)
    return entries


# ------------------------------------------------------------------ the contact being recorded


@dataclass(frozen=True)
class Draft:
    """A contact read from the user's account, before it is saved.

    ``at`` as in ContactEntry; ``precision`` and ``part_of_day`` as the time reader gave
    them; ``said_at`` the ISO local time of the message the account came from;
    ``when_asked`` once the form asked when it happened (it asks once);
    ``future_time_said`` when the account named a time later than its message (a
    misreading, or a slip: the form asks again).
    """

    contact: ContactDraft
    at: str | None = None
    precision: str = "none"
    part_of_day: str | None = None
    said_at: str | None = None
    when_asked: bool = False
    future_time_said: bool = False

    def with_contact(self, contact: ContactDraft) -> Draft:
        return replace(self, contact=contact)


def draft_to_slot(draft: Draft) -> dict[str, Any]:
    contact = draft.contact
    return {
        "text": contact.text,
        "summary": contact.summary,
        "channel": contact.channel,
        "organisation": contact.organisation,
        "collector": contact.collector,
        "third_parties": list(contact.third_parties),
        "claims": list(contact.claims),
        "call_count": contact.call_count,
        "documents": list(contact.documents),
        "at": draft.at,
        "precision": draft.precision,
        "part_of_day": draft.part_of_day,
        "said_at": draft.said_at,
        "when_asked": draft.when_asked,
        "future_time_said": draft.future_time_said,
    }


def draft_from_slot(value: object) -> Draft | None:
    """The draft of a ``contact_draft`` slot value; None when there is none usable."""
    if not isinstance(value, Mapping):
        return None
    text = _text(value.get("text"))
    if text is None:
        return None
    channel = value.get("channel")
    contact = ContactDraft(
        text=text,
        summary=_text(value.get("summary")) or text,
        channel=channel if channel in CHANNELS else "other",
        organisation=_text(value.get("organisation")),
        collector=_text(value.get("collector")),
        third_parties=_strings(value.get("third_parties")),
        claims=_strings(value.get("claims")),
        call_count=_count(value.get("call_count")),
        documents=_strings(value.get("documents")),
    )
    return Draft(
        contact=contact,
        at=_text(value.get("at")),
        precision=_text(value.get("precision")) or "none",
        part_of_day=_text(value.get("part_of_day")),
        said_at=_text(value.get("said_at")),
        when_asked=value.get("when_asked") is True,
        future_time_said=value.get("future_time_said") is True,
    )


# ------------------------------------------------------------------ documents


@dataclass(frozen=True)
class StoredDocument:
    """A document as the conversation keeps it (and the download route serves it)."""

    id: str
    kind: str
    title: str
    text: str
    created_at: str


def document_to_slot(document: StoredDocument) -> dict[str, str]:
    return {
        "id": document.id,
        "kind": document.kind,
        "title": document.title,
        "text": document.text,
        "created_at": document.created_at,
    }


def _document(item: object) -> StoredDocument | None:
    if not isinstance(item, Mapping):
        return None
    values = {name: item.get(name) for name in ("id", "kind", "title", "text", "created_at")}
    if not all(isinstance(value, str) for value in values.values()):
        return None
    if not DOCUMENT_ID.fullmatch(str(values["id"])) or values["kind"] not in KINDS:
        return None
    return StoredDocument(**{name: str(value) for name, value in values.items()})


def documents_from_slot(value: object) -> list[StoredDocument]:
    """The documents of a ``documents`` slot value; unusable items are left out."""
    if not isinstance(value, list):
        return []
    documents = [_document(item) for item in value]
    return [document for document in documents if document is not None]


def find_document(value: object, document_id: str) -> StoredDocument | None:
    """The document with ``document_id`` in a ``documents`` slot value, else None."""
    return next((d for d in documents_from_slot(value) if d.id == document_id), None)


def with_document(value: object, document: StoredDocument) -> list[dict[str, str]]:
    """The slot value with ``document`` in it: it replaces the one of its kind (whose id it
    keeps, so an earlier download link gives the newest version), or is added."""
    kept = documents_from_slot(value)
    same_kind = next((d for d in kept if d.kind == document.kind), None)
    if same_kind is not None:
        document = replace(document, id=same_kind.id)
        kept = [document if d.kind == document.kind else d for d in kept]
    else:
        kept.append(document)
    return [document_to_slot(d) for d in kept]
