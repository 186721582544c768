"""The case file's slots: written as plain dicts, read back safely."""

import pytest

from coach.casefile.contact import read_contact, to_entry
from coach.casefile.edits import read_account
from coach.casefile.slot import (
    StoredDocument,
    document_to_slot,
    documents_from_slot,
    draft_from_slot,
    draft_to_slot,
    entries_from_slot,
    entries_to_slot,
    find_document,
    with_document,
)

ENTRY = to_entry(read_contact("昨晚有人自称律师打到我单位，骂我是老赖"), "c1", "2026-11-29T23:10")
LETTER = StoredDocument("doc-0123456789abcdef", "complaint_letter", "投诉信", "正文", "2026-11-30T10:00")


def test_an_entry_comes_back_as_it_went_in():
    assert entries_from_slot(entries_to_slot([ENTRY])) == [ENTRY]


@pytest.mark.parametrize(
    "value",
    [None, "x", {"id": "c1"}, [None, 3, "c1"], [{"id": "../etc"}], [{"channel": "phone"}]],
)
def test_unusable_slot_values_read_as_an_empty_log(value):
    assert entries_from_slot(value) == []


def test_a_damaged_field_is_made_safe_and_a_repeated_id_dropped():
    item = entries_to_slot([ENTRY])[0]
    damaged = dict(item, channel="fax", call_count="many", violations=[{"code": 1}, "x"])
    [entry] = entries_from_slot([damaged, item])
    assert entry.channel == "other" and entry.call_count is None and entry.violations == ()


def test_a_draft_comes_back_as_it_went_in():
    draft = read_account("昨晚11点王某打电话骂我", __import__("datetime").datetime(2026, 11, 30, 10))
    assert draft is not None
    assert draft_from_slot(draft_to_slot(draft)) == draft
    assert draft_from_slot({"text": ""}) is None and draft_from_slot([1]) is None


def test_documents_are_kept_one_per_kind_with_the_first_id():
    value = with_document(None, LETTER)
    newer = StoredDocument(
        "doc-ffffffffffffffff", "complaint_letter", "投诉信", "新的", "2026-12-01T09:00"
    )
    value = with_document(value, newer)
    assert documents_from_slot(value) == [
        StoredDocument(LETTER.id, "complaint_letter", "投诉信", "新的", "2026-12-01T09:00")
    ]
    plan = StoredDocument("doc-1111111111111111", "action_plan", "计划", "正文", "2026-12-01T09:00")
    assert [d.kind for d in documents_from_slot(with_document(value, plan))] == [
        "complaint_letter",
        "action_plan",
    ]


def test_a_document_is_found_only_by_a_well_formed_id():
    value = [document_to_slot(LETTER), {"id": "doc-x", "kind": "complaint_letter"}, "junk"]
    assert find_document(value, LETTER.id) == LETTER
    assert find_document(value, "doc-x") is None and find_document(None, LETTER.id) is None
    bad_kind = dict(document_to_slot(LETTER), kind="virus")
    assert documents_from_slot([bad_kind]) == []
