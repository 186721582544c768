"""The slots a changed list of debts sets (actions/_debt_plan.py, issue 23)."""

from actions._debt_plan import list_events
from coach.debts.intake import debts_from_mentions, read_debts
from tests.support.trackers import tracker


def slot_values(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_the_lender_named_to_delete_it_never_becomes_the_lists_type():
    left = debts_from_mentions(read_debts("借呗3万 美团借钱1万"))
    # "删掉招行那笔": the NLU filled lender_type with the deleted card's type.
    values = slot_values(list_events(left, tracker({"lender_type": "credit_card"})))
    assert values["lender_type"] == "online_lender"
    assert values["balance"] == 40000


def test_an_empty_list_leaves_the_debt_to_be_asked_again():
    values = slot_values(list_events([], tracker({"balance": 30000.0})))
    assert values["balance"] is None and values["debts"] is None and values["lender_type"] is None
