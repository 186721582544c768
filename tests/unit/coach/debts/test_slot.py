"""The debts slot: what is stored reads back the same, and nothing stored crashes a reader."""

from hypothesis import given
from hypothesis import strategies as st

from coach.debts.model import Debt
from coach.debts.slot import debts_from_slot, debts_to_slot, main_lender_type, total_balance

CARD = Debt(id="d1", label="招行", lender_type="credit_card", balance=20000, months_overdue=3)
LOAN = Debt(id="d2", label="借呗", lender_type="online_lender", balance=30000, monthly_rate=0.015)


def test_a_list_of_debts_reads_back_as_it_was_stored():
    assert debts_from_slot(debts_to_slot([CARD, LOAN])) == [CARD, LOAN]


def test_nothing_or_something_else_reads_as_no_debts():
    for value in (None, "", 3, {"id": "d1"}, [None], [[1, 2]]):
        assert debts_from_slot(value) == []


def test_entries_that_are_not_a_usable_debt_are_left_out():
    stored = debts_to_slot([CARD]) + [
        {"id": "d9", "label": "x", "lender_type": "credit_card", "balance": -5},
        {"id": "d8", "balance": "很多"},
        {"id": "d7", "label": "x", "lender_type": "credit_card", "balance": 10, "colour": "red"},
    ]
    assert debts_from_slot(stored) == [CARD]


def test_an_unknown_lender_type_counts_as_other():
    stored = [dict(debts_to_slot([CARD])[0], lender_type="pawnshop")]
    assert debts_from_slot(stored)[0].lender_type == "other"


def test_repeated_ids_make_the_list_unusable():
    assert debts_from_slot(debts_to_slot([CARD, CARD])) == []


def test_the_main_lender_type_is_the_largest_debts():
    assert main_lender_type([CARD, LOAN]) == "online_lender"
    assert total_balance([CARD, LOAN]) == 50000


@given(
    st.lists(
        st.one_of(st.none(), st.integers(), st.text(), st.dictionaries(st.text(), st.integers()))
    )
)
def test_no_slot_value_makes_the_reader_raise(value):
    debts_from_slot(value)
