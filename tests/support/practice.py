"""What the practice-call tests share: driving a round through the slot, a real slot."""

import json

from coach.practice.collector import TurnResult, take_turn
from coach.practice.state import RoundState


def through_the_slot(state: RoundState) -> RoundState:
    """The state as the action server gets it back from the tracker next turn."""
    back = RoundState.from_slot(json.loads(json.dumps(state.to_slot())))
    assert back is not None, "a state the engine made always reads back"
    return back


def play(state: RoundState, *lines: str) -> tuple[RoundState, list[TurnResult]]:
    """Drive a round through take_turn, passing the state through the slot every turn."""
    results = []
    for line in lines:
        result = take_turn(through_the_slot(state), line)
        state = result.state
        results.append(result)
        if result.finished:
            break
    return state, results


def offer(monthly: int, term: int | None = None) -> str:
    return f"每月{monthly}元" + (f"，分{term}期" if term else "")


OLD_READING_FIELDS = [
    "introduced_self",
    "acknowledged_debt",
    "offered_monthly",
    "offered_term",
    "gave_reason",
    "asked_waiver",
    "insulted_or_shouted",
    "asked_identity",
    "verified_amount",
    "asserted_rights",
    "asked_written",
    "agreed_to_demand",
    "pay_in_full",
    "vague_promise",
    "accepted_offer",
    "silent",
]


def reading_slot(**flags: object) -> dict[str, object]:
    """A reading in the slot's old form: every flag False unless given, no offer."""
    slot: dict[str, object] = {
        name: None if name.startswith("offered") else False for name in OLD_READING_FIELDS
    }
    slot.update(flags)
    return slot


# Four turns of an abusive round, as the engine kept it before RoundState existed.
REAL_SLOT: dict[str, object] = {
    "persona": "abusive",
    "scenario": {
        "lender_label": "某消费金融公司",
        "balance": 30000,
        "months_overdue": 5,
        "affordable_monthly": 1500,
        "opening_monthly": 1200.0,
        "max_term_months": 60,
    },
    "collector": {"name": "陈静", "employee_no": "87678", "deadline": "今天晚上8点前"},
    "demand": {"monthly": 2300, "term": 14, "kind": "instalment"},
    "opening_instalment": 2300,
    "floor": {"monthly": 1350, "term": 60},
    "max_demand_monthly": 30000,
    "concessions": 0,
    "turns": 4,
    "offers_seen": 1,
    "readings": [
        reading_slot(introduced_self=True, acknowledged_debt=True),
        reading_slot(silent=True),
        reading_slot(asserted_rights=True),
        reading_slot(offered_monthly=1300.0, offered_term=24.0, gave_reason=True),
    ],
    "reason_pending": True,
    "waiver_granted": False,
    "crossed_line": True,
    "crossed_at_turn": 2,
    "cross_turn": 2,
    "reformed": True,
    "agreement": None,
    "finished": False,
    "last_moves": ["respond_to_reason", "refuse_first_offer"],
    "rng": {"seed": 3, "counter": 8},
}
