"""The practice round's typed state and its form in the ``roleplay_state`` slot."""

import ast
import copy
import json
from dataclasses import fields, replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.practice.collector import take_turn
from coach.practice.round_start import new_round
from coach.practice.scorer import score_round
from coach.practice.state import (
    DEMAND_KINDS,
    DIFFICULTIES,
    GOALS,
    KNOWN_PERSONAS,
    MAX_WHOLE,
    CollectorIdentity,
    Demand,
    Plan,
    RoundState,
    Scenario,
)
from coach.practice.turn_reader import FLAG_NAMES, TEXT_NAMES, TurnReading
from tests.support.practice import OLD_READING_FIELDS, REAL_SLOT, reading_slot

# The reading's fields before the turn reader grew more (refused_demand, quote...).
# new_round("polite", None, seed=0) as the engine kept it before RoundState existed.
FRESH_SLOT = {
    "persona": "polite",
    "scenario": {
        "lender_label": "某银行信用卡中心",
        "balance": 48000,
        "months_overdue": 3,
        "affordable_monthly": 2000,
        "opening_monthly": 3200.0,
        "max_term_months": 60,
    },
    "collector": {"name": "孙浩", "employee_no": "65125", "deadline": "今天下午5点前"},
    "demand": {"monthly": 48000, "term": 1, "kind": "full"},
    "opening_instalment": 3200,
    "floor": {"monthly": 1700, "term": 60},
    "max_demand_monthly": 48000,
    "concessions": 0,
    "turns": 0,
    "offers_seen": 0,
    "readings": [],
    "reason_pending": False,
    "waiver_granted": False,
    "crossed_line": False,
    "crossed_at_turn": None,
    "cross_turn": 1,
    "reformed": False,
    "agreement": None,
    "finished": False,
    "last_moves": ["opening", "demand_full"],
    "rng": {"seed": 0, "counter": 2},
}

# The keys the listening collector added (issue 17), as a fresh round has them.
LISTENING_DEFAULTS = {
    "hardship": False,
    "relapsed": False,
    "pending_lump_sum": None,
    "settlement_demand": None,
    "lump_sum_offers": [],
    "down_payment": 0,
    "spoken": [],
    "last_spoken": [],
}

# The keys the learner controls added (issue 17), as a round without them has them.
CONTROL_DEFAULTS = {"difficulty": "standard", "goal": None, "lump_sum_available": None}

# new_round("polite", None, seed=0) today: the floor is lender policy (48000 over 60
# months), and the opening's lines are remembered so the round does not repeat them.
FRESH_SLOT_TODAY = dict(
    FRESH_SLOT,
    floor={"monthly": 800, "term": 60},
    **dict(
        LISTENING_DEFAULTS,
        spoken=["polite/opening/1", "polite/demand_full/0"],
        last_spoken=["polite/opening/1", "polite/demand_full/0"],
    ),
    **CONTROL_DEFAULTS,
)

SETUP_KEYS = ["persona", "scenario", "collector", "demand", "opening_instalment", "floor"]
NEW_READING_DEFAULTS = {
    name: value for name, value in TurnReading().to_dict().items() if name not in OLD_READING_FIELDS
}
BOOKKEEPING_KEYS = [key for key in REAL_SLOT if key not in SETUP_KEYS]


def real_slot(**changes):
    return dict(copy.deepcopy(REAL_SLOT), **changes)


def through_json(value):
    return json.loads(json.dumps(value, allow_nan=False))


# --- the slot form of today ---------------------------------------------------------


def test_a_slot_of_a_real_round_reads_into_the_typed_state():
    state = RoundState.from_slot(REAL_SLOT)
    assert state.persona == "abusive" and state.turns == 4 and len(state.readings) == 4
    assert state.scenario.opening_monthly == 1200.0 and state.floor == Plan(1350, 60)
    assert state.demand == Demand(monthly=2300, term=14, kind="instalment")
    assert state.collector == CollectorIdentity("陈静", "87678", "今天晚上8点前")
    assert state.readings[3].offered_monthly == 1300.0 and state.readings[3].gave_reason
    assert (state.seed, state.line_counter) == (3, 8)
    assert state.last_moves == ("respond_to_reason", "refuse_first_offer")


def test_a_real_round_goes_back_into_the_slot_key_for_key():
    slot = RoundState.from_slot(REAL_SLOT).to_slot()
    readings = [dict(reading, **NEW_READING_DEFAULTS) for reading in REAL_SLOT["readings"]]
    assert slot == dict(REAL_SLOT, readings=readings, **LISTENING_DEFAULTS, **CONTROL_DEFAULTS)
    assert list(slot)[: len(REAL_SLOT)] == list(REAL_SLOT)  # old keys first, in order


def test_a_fresh_round_has_the_slot_form_of_today():
    assert new_round("polite", None, seed=0).to_slot() == FRESH_SLOT_TODAY


def test_a_slot_from_before_the_listening_collector_reads_with_its_defaults():
    state = RoundState.from_slot(FRESH_SLOT)
    assert state.floor == Plan(1700, 60)  # the stored floor is kept, not recomputed
    assert (state.spoken, state.last_spoken, state.down_payment) == ((), (), 0)
    assert state.pending_lump_sum is None and not state.hardship and not state.relapsed


def test_a_stored_round_goes_on_as_it_did_before():
    # The learner repeats the offer of the fourth turn: nothing new, no concession; seed 3
    # is a round without a relapse, so the reformed collector keeps to the rules.
    result = take_turn(RoundState.from_slot(REAL_SLOT), "每月1300元，分24期")
    assert result.moves == ("hold_firm",)
    assert "每月2300元" in result.collector_line
    assert result.state.demand == Demand(monthly=2300, term=14, kind="instalment")
    assert result.state.floor == Plan(1350, 60)
    assert result.state.line_counter == 9
    assert result.state.last_spoken and result.state.last_spoken[0].startswith("pushy/")
    score = score_round(RoundState.from_slot(REAL_SLOT))["score"]
    assert score is None or 0 <= score <= 100


def test_a_round_stored_mid_confirmation_goes_on():
    slot = real_slot(pending_lump_sum=30000, last_moves=["confirm_lump_sum"])
    result = take_turn(RoundState.from_slot(slot), "对")
    assert result.moves == ("close_full_payment",)
    assert result.state.agreement == Plan(30000, 1)


# --- round trip ---------------------------------------------------------------------

WHOLE = st.integers(0, MAX_WHOLE)
POSITIVE = st.integers(1, MAX_WHOLE)
FINITE = st.floats(allow_nan=False, allow_infinity=False)
PLANS = st.builds(Plan, monthly=POSITIVE, term=POSITIVE)


def reading_values(name):
    if name in FLAG_NAMES:
        return st.booleans()
    return st.text(max_size=8) if name in TEXT_NAMES else st.none() | FINITE


READINGS = st.fixed_dictionaries(
    {field.name: reading_values(field.name) for field in fields(TurnReading)}
).map(lambda values: TurnReading(**values))
STATES = st.builds(
    RoundState,
    persona=st.sampled_from(KNOWN_PERSONAS),
    scenario=st.builds(
        Scenario,
        lender_label=st.text(),
        balance=POSITIVE,
        months_overdue=WHOLE,
        affordable_monthly=POSITIVE,
        opening_monthly=st.none() | st.floats(min_value=0, exclude_min=True, allow_infinity=False),
        max_term_months=POSITIVE,
    ),
    collector=st.builds(CollectorIdentity, st.text(), st.text(), st.text()),
    demand=st.builds(Demand, POSITIVE, POSITIVE, st.sampled_from(DEMAND_KINDS)),
    opening_instalment=POSITIVE,
    floor=PLANS,
    max_demand_monthly=POSITIVE,
    concessions=WHOLE,
    turns=WHOLE,
    offers_seen=WHOLE,
    readings=st.lists(READINGS, max_size=4).map(tuple),
    reason_pending=st.booleans(),
    waiver_granted=st.booleans(),
    crossed_line=st.booleans(),
    crossed_at_turn=st.none() | WHOLE,
    cross_turn=POSITIVE,
    reformed=st.booleans(),
    agreement=st.none() | PLANS,
    finished=st.booleans(),
    last_moves=st.lists(st.text(), max_size=4).map(tuple),
    seed=st.integers(-MAX_WHOLE, MAX_WHOLE),
    line_counter=WHOLE,
    hardship=st.booleans(),
    relapsed=st.booleans(),
    pending_lump_sum=st.none() | POSITIVE,
    settlement_demand=st.none() | POSITIVE,
    lump_sum_offers=st.lists(POSITIVE, max_size=3).map(tuple),
    down_payment=WHOLE,
    spoken=st.lists(st.text(), max_size=4).map(tuple),
    last_spoken=st.lists(st.text(), max_size=2).map(tuple),
    difficulty=st.sampled_from(DIFFICULTIES),
    goal=st.none() | st.sampled_from(GOALS),
    lump_sum_available=st.none() | POSITIVE,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(state=STATES)
def test_every_state_survives_the_slot(state):
    back = RoundState.from_slot(through_json(state.to_slot()))
    assert back == state
    assert [r.quote for r in back.readings] == [r.quote for r in state.readings]


def test_a_readings_quote_survives_the_slot_and_a_wrong_one_is_dropped():
    slot = real_slot(readings=[dict(reading_slot(silent=True), quote="嗯……"), {"quote": 5}])
    state = RoundState.from_slot(slot)
    assert [reading.quote for reading in state.readings] == ["嗯……", ""]


# --- tolerance ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, {}, [], "", "round", 0, 1.5, True, [REAL_SLOT]])
def test_a_slot_without_a_round_reads_as_none(value):
    assert RoundState.from_slot(value) is None


@pytest.mark.parametrize("key", SETUP_KEYS)
def test_a_round_without_its_set_up_reads_as_none(key):
    slot = real_slot()
    del slot[key]
    assert RoundState.from_slot(slot) is None


GARBLED_SET_UP = [
    {"persona": "grumpy"},
    {"persona": None},
    {"scenario": "30000"},
    {"scenario": dict(REAL_SLOT["scenario"], balance="30000")},
    {"scenario": dict(REAL_SLOT["scenario"], balance=0)},
    {"scenario": dict(REAL_SLOT["scenario"], balance=10**400)},
    {"scenario": dict(REAL_SLOT["scenario"], affordable_monthly=float("nan"))},
    {"scenario": dict(REAL_SLOT["scenario"], max_term_months=True)},
    {"scenario": dict(REAL_SLOT["scenario"], lender_label=None)},
    {"collector": ["陈静", "87678"]},
    {"collector": dict(REAL_SLOT["collector"], employee_no=87678)},
    {"demand": dict(REAL_SLOT["demand"], kind="half")},
    {"demand": dict(REAL_SLOT["demand"], term=-3)},
    {"floor": {"monthly": 1350}},
    {"opening_instalment": "2300"},
]


@pytest.mark.parametrize("changes", GARBLED_SET_UP)
def test_a_garbled_set_up_reads_as_none(changes):
    assert RoundState.from_slot(real_slot(**changes)) is None


def test_missing_bookkeeping_takes_a_fresh_rounds_values():
    slot = {key: REAL_SLOT[key] for key in SETUP_KEYS}
    state = RoundState.from_slot(slot)
    assert state.turns == state.concessions == state.offers_seen == 0
    assert state.readings == () and state.agreement is None and not state.finished
    assert state.max_demand_monthly == 30000 and state.cross_turn == 1
    assert (state.seed, state.line_counter, state.last_moves) == (0, 0, ())


@pytest.mark.parametrize("key", BOOKKEEPING_KEYS)
def test_a_round_missing_any_bookkeeping_still_reads(key):
    slot = real_slot()
    del slot[key]
    state = RoundState.from_slot(slot)
    assert state is not None
    assert take_turn(state, "每月1300元，分24期").collector_line


def test_wrongly_typed_bookkeeping_falls_back_field_by_field():
    state = RoundState.from_slot(
        real_slot(
            turns="4",
            concessions=-1,
            reformed="yes",
            crossed_at_turn=[2],
            agreement={"monthly": "1300"},
            finished=1,
            last_moves="counter_offer",
            rng={"seed": 3.0, "counter": None},
            readings=[reading_slot(silent=True), "嗯", None, {"silent": "true"}],
        )
    )
    assert state.turns == 2  # one per reading kept
    assert state.concessions == 0 and not state.reformed and state.crossed_at_turn is None
    assert state.agreement is None and not state.finished
    assert state.last_moves == () and (state.seed, state.line_counter) == (3, 0)
    assert state.readings == (TurnReading(silent=True), TurnReading())


def test_a_stored_agreement_without_finished_counts_as_finished():
    slot = real_slot(agreement={"monthly": 1800, "term": 17})
    del slot["finished"]
    assert RoundState.from_slot(slot).finished


def test_unknown_keys_are_ignored():
    slot = real_slot(version=7, mood="grumpy")
    slot["scenario"] = dict(slot["scenario"], currency="CNY")
    slot["readings"] = [dict(item, sighed=True) for item in slot["readings"]]
    assert RoundState.from_slot(slot) == RoundState.from_slot(REAL_SLOT)


def test_whole_figures_written_as_floats_are_read_as_whole():
    slot = real_slot(turns=4.0, floor={"monthly": 1350.0, "term": 60.0})
    assert RoundState.from_slot(slot) == RoundState.from_slot(REAL_SLOT)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
NESTED = ["scenario", "collector", "demand", "floor", "agreement", "rng"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(value=JSON_VALUES)
def test_no_value_makes_reading_the_slot_raise(value):
    state = RoundState.from_slot(value)
    assert state is None or isinstance(state, RoundState)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    key=st.sampled_from(list(REAL_SLOT)),
    inner=st.sampled_from(["monthly", "term", "balance", "seed", "counter", "name", "kind"]),
    value=JSON_VALUES,
)
def test_whatever_a_hand_edit_leaves_can_be_played_and_scored(key, inner, value):
    slot = real_slot()
    if key in NESTED and isinstance(slot[key], dict):
        slot[key] = dict(slot[key], **{inner: value})
    else:
        slot[key] = value
    state = RoundState.from_slot(slot)
    if state is not None:
        assert take_turn(state, "每月1300元，分24期").collector_line
        score = score_round(state)["score"]
        assert score is None or 0 <= score <= 100
        assert RoundState.from_slot(through_json(state.to_slot())) == state


def test_the_state_is_frozen():
    state = RoundState.from_slot(REAL_SLOT)
    with pytest.raises(AttributeError):
        state.turns = 5
    assert replace(state, turns=5).turns == 5 and state.turns == 4


# --- imports ------------------------------------------------------------------------

PRACTICE = Path(__file__).parents[4] / "coach" / "practice"


def practice_imports(module):
    tree = ast.parse((PRACTICE / f"{module}.py").read_text(encoding="utf-8"))
    names = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    prefix = "coach.practice."
    return {name.removeprefix(prefix) for name in names if name and name.startswith(prefix)}


def test_the_practice_modules_import_each_other_without_a_cycle():
    graph = {path.stem: practice_imports(path.stem) for path in PRACTICE.glob("*.py")}
    done, visiting = set(), set()

    def visit(module):
        assert module not in visiting, f"import cycle through {module}"
        if module in done:
            return
        visiting.add(module)
        for imported in graph.get(module, ()):
            visit(imported)
        visiting.remove(module)
        done.add(module)

    for module in graph:
        visit(module)
    assert graph["state"] == {"turn_reader"} and "collector" not in graph["turn_reader"]
