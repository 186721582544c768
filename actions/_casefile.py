"""The case file's shell: reading the tracker (message times, the account to record, what
the conversation knows) and turning changes into slot events and messages.

The logic is in coach/casefile/ (no Rasa import); the actions are in
actions/casefile_actions.py. ``log_edit_events`` is also what another action may call
when a message it got ("删掉第 2 条") names an entry of the contact log.
"""

import secrets
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._latest_message import latest_entities
from coach.casefile.contact import next_entry_id, to_entry
from coach.casefile.documents import (
    Document,
    contact_log_document,
    contact_log_payload,
    document_payload,
    local_iso,
)
from coach.casefile.dossier import Known
from coach.casefile.edits import (
    EntryEdit,
    Fix,
    apply_to_entry,
    asks_log_edit,
    read_account,
    read_entry_edit,
)
from coach.casefile.model import ContactEntry
from coach.casefile.replies import (
    corrected_text,
    draft_violations,
    edit_unclear_text,
    no_such_entry_text,
    removed_text,
)
from coach.casefile.slot import (
    Draft,
    StoredDocument,
    documents_from_slot,
    download_path,
    entries_from_slot,
    entries_to_slot,
    with_document,
)
from coach.debts.slot import debts_from_slot
from coach.figures.slots import known_figures
from coach.practice.deal import practice_deal
from coach.practice.state import RoundState

LOG_SLOT = "contact_log"
DOCUMENTS_SLOT = "documents"
DRAFT_SLOT = "contact_draft"
FORM_SLOTS = ("contact_account", "contact_when", "contact_confirm")
REMOVE_ENTITY = "contact_remove"
# contact_confirm when the message was an edit of the log, not a new contact: the form
# then has nothing to ask.
EDITED = "edited"
CONFIRMED = "yes"


# ------------------------------------------------------------------ messages and times


def user_events(tracker: Tracker) -> list[dict[str, Any]]:
    return [event for event in tracker.events if event.get("event") == "user"]


def event_time(event: dict[str, Any] | None) -> datetime:
    """When a user message was said (the tracker's timestamp), else now."""
    stamp = (event or {}).get("timestamp")
    if isinstance(stamp, (int, float)) and not isinstance(stamp, bool):
        return datetime.fromtimestamp(stamp, tz=timezone.utc)
    return datetime.now(timezone.utc)


def message_time(tracker: Tracker) -> datetime:
    """The time of the latest user message: what 昨晚 and 今天 are read against."""
    events = user_events(tracker)
    return event_time(events[-1] if events else None)


def latest_text(tracker: Tracker) -> str:
    """The latest message as typed; "" for a button's /intent payload."""
    text = str(tracker.latest_message.get("text") or "")
    return "" if text.lstrip().startswith("/") else text


EARLIER_MESSAGES = 5


def earlier_messages(tracker: Tracker) -> list[tuple[str, datetime]]:
    """The user's messages before the latest one, newest first, with when each was said."""
    events = user_events(tracker)[:-1][-EARLIER_MESSAGES:]
    return [(str(e.get("text") or ""), event_time(e)) for e in reversed(events)]


# ------------------------------------------------------------------ the account to record


def account_draft(tracker: Tracker, entries: list[ContactEntry]) -> Draft | None:
    """The contact the user asks to record: told in the latest message, or, when that is a
    button or a bare "帮我记下来", in the message just before it (the report the button
    was under), unless that one is in the log already."""
    events = user_events(tracker)
    latest = events[-1] if events else None
    now = event_time(latest)
    draft = read_account(latest_text(tracker), now, local_iso(now))
    if draft is not None or len(events) < 2:
        return draft
    previous = events[-2]
    said = event_time(previous)
    draft = read_account(str(previous.get("text") or ""), said, local_iso(said))
    if draft is None:  # further back, only a report of a likely breach
        for text, said in earlier_messages(tracker)[1:]:
            told = read_account(text, said, local_iso(said))
            if told is not None and draft_violations(told, None):
                draft = told
                break
    if draft is None or any(entry.summary == draft.contact.summary for entry in entries):
        return None
    return draft


# ------------------------------------------------------------------ what the conversation knows


def known(tracker: Tracker) -> Known:
    offer = tracker.get_slot("offer")
    debt_plan = tracker.get_slot("debt_plan")
    return Known(
        now=message_time(tracker),
        figures=known_figures(tracker.slots),
        offer=offer if isinstance(offer, dict) else None,
        debt_plan=debt_plan if isinstance(debt_plan, dict) else None,
        debts=debts_from_slot(tracker.get_slot("debts")),
        entries=entries_from_slot(tracker.get_slot(LOG_SLOT)),
        practice=practice_deal(RoundState.from_slot(tracker.get_slot("roleplay_last"))),
        said=[str(event.get("text") or "") for event in user_events(tracker)],
    )


def log_entries(tracker: Tracker) -> list[ContactEntry]:
    return entries_from_slot(tracker.get_slot(LOG_SLOT))


def lender_type(tracker: Tracker) -> str | None:
    return known(tracker).lender_type


# ------------------------------------------------------------------ documents


def new_document_id() -> str:
    """An id no other conversation has: the download route finds it only in its own."""
    return "doc-" + secrets.token_hex(8)


def store_document(
    tracker: Tracker, document: Document, now: datetime
) -> tuple[StoredDocument, SlotSet]:
    """The document kept in the conversation (replacing the one of its kind, whose id it
    keeps), and the event that keeps it."""
    stored = StoredDocument(
        id=new_document_id(),
        kind=document.kind,
        title=document.title,
        text=document.text,
        created_at=local_iso(now),
    )
    value = with_document(tracker.get_slot(DOCUMENTS_SLOT), stored)
    kept = next(item for item in value if item["kind"] == document.kind)
    return StoredDocument(**kept), SlotSet(DOCUMENTS_SLOT, value)


def send_document(
    tracker: Tracker, dispatcher: CollectingDispatcher, document: Document, now: datetime
) -> SlotSet:
    """Sends the contract's document payload with its download link; returns the event
    that keeps the document with the conversation."""
    stored, event = store_document(tracker, document, now)
    payload = document_payload(document, now)
    payload["created_at"] = stored.created_at
    payload["download"] = download_path(stored.id)
    dispatcher.utter_message(json_message=payload)
    return event


def refreshed_log_document(
    tracker: Tracker, entries: list[ContactEntry], now: datetime
) -> list[EventType]:
    """When the log was made a document before, that document follows the log's change."""
    documents = documents_from_slot(tracker.get_slot(DOCUMENTS_SLOT))
    if not any(document.kind == "contact_log" for document in documents):
        return []
    _, event = store_document(tracker, contact_log_document(entries, now), now)
    return [event]


# ------------------------------------------------------------------ changes to the log


def saved_entry(draft: Draft, entries: list[ContactEntry], kind: str | None) -> ContactEntry:
    return to_entry(draft.contact, next_entry_id(entries), draft.at, kind)


def log_events(
    tracker: Tracker,
    dispatcher: CollectingDispatcher,
    entries: list[ContactEntry],
    now: datetime,
) -> list[EventType]:
    """The log's new state: its payload, the slot, and the log document if there is one."""
    dispatcher.utter_message(json_message=contact_log_payload(entries))
    events: list[EventType] = [SlotSet(LOG_SLOT, entries_to_slot(entries))]
    return events + refreshed_log_document(tracker, entries, now)


def apply_edit(
    tracker: Tracker, dispatcher: CollectingDispatcher, edit: EntryEdit
) -> list[EventType]:
    """A correction or removal of one entry, said back to the user."""
    entries = log_entries(tracker)
    now = message_time(tracker)
    if not 1 <= edit.number <= len(entries):
        dispatcher.utter_message(text=no_such_entry_text(edit.number, len(entries)))
        return []
    index = edit.number - 1
    entry = entries[index]
    if edit.remove:
        left = entries[:index] + entries[index + 1 :]
        dispatcher.utter_message(text=removed_text(edit.number, entry, len(left)))
        return log_events(tracker, dispatcher, left, now)
    if edit.fix.empty:
        dispatcher.utter_message(text=edit_unclear_text(edit.number))
        return []
    changed = apply_to_entry(entry, edit.fix, lender_type(tracker))
    entries[index] = changed
    dispatcher.utter_message(text=corrected_text(edit.number, changed))
    return log_events(tracker, dispatcher, entries, now)


def requested_edit(tracker: Tracker, strict: bool = False) -> EntryEdit | None:
    """The edit the latest message asks of the log: a removal button
    (``contact_remove``), or typed words that name an entry ("删掉第 2 条"); ``strict``:
    only words that also say what to do (an account that says "第 2 次" is no edit)."""
    entries = log_entries(tracker)
    removed_id = latest_entities(tracker).get(REMOVE_ENTITY)
    if isinstance(removed_id, str):
        number = next((i for i, e in enumerate(entries, start=1) if e.id == removed_id), 0)
        return EntryEdit(number, True, Fix())
    text = latest_text(tracker)
    if not text or (strict and not asks_log_edit(text)):
        return None
    return read_entry_edit(text, message_time(tracker), len(entries))


def log_edit_events(tracker: Tracker, dispatcher: CollectingDispatcher) -> list[EventType] | None:
    """For any action: when the latest message edits the contact log ("删掉第 2 条"), make
    the edit and return its events; None when it does not, or there is no log."""
    edit = requested_edit(tracker, strict=True)
    if edit is None or not log_entries(tracker):
        return None
    return apply_edit(tracker, dispatcher, edit)


def cleared_form() -> list[EventType]:
    return [SlotSet(name, None) for name in (*FORM_SLOTS, DRAFT_SLOT)]
