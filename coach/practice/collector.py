"""The simulated debt collector (催收员) of the practice round.

A round is a frozen ``RoundState`` (``coach.practice.state``): every function here takes one
and returns a new one; the Rasa shell keeps it in a slot between turns. A round is started in
``coach.practice.round_start``; the personas' and difficulties' ways of negotiating live in
``coach.practice.collector_style`` and the lines it says in ``coach.practice.collector_speech``;
this module holds the negotiation (what it hears, concedes and answers). The collector opens by
demanding the full balance, then listens: each learner turn is heard as learner moves
(``coach.practice.learner_moves``) and answered with at most two moves, an answer to the
first learner move in the ``answers`` table of ``content/collector_lines.yml`` and one push
(the negotiation's next step).

Negotiation rules:

- The floor (lowest monthly amount it may accept) is lender policy, never the learner's
  budget: the balance left after any down payment over the longest term the lender grants
  (``lender_policy`` in collector_lines.yml: 60 months for cards). The hardship path lowers
  it (part of the balance waived): only once the learner has given a reason and asked for
  个性化分期 (Art. 70) or 停息; the collector then asks for proof and a written application.
- It concedes only to something new: a changed offer (a first offer, or one above the last),
  a first reason, the hardship path, a new down payment. A repeated or lowered offer earns
  nothing. Each concession moves a share of the gap towards the offer (never below the
  floor); every extra new thing in the same turn makes the step bigger.
- It closes a one-off payment only after asking "您是说今天一次性还清X元吗？" and hearing a
  clear yes; a one-off settlement below the balance is negotiated on its own track, from
  95 % of the balance down to 80 % at most.

Personas (``collector_style.STYLES``): ``polite`` bank staff concede in bigger steps and grant a waiver once a
plan is on the table; ``pushy`` refuses the first offer and presses with lawful means only
(credit record, a lawsuit through a court); ``abusive`` crosses legal lines (insults, threats
to tell family and employer, posing as a court) on turn 1 or 2, when insulted and when
stonewalled, backs off when called out, may relapse once (two rounds in three, by seed) and
backs off for good when called out again; ``outsourced`` is a third-party agency collecting
for an online lender, which says so when asked and sells 协商还款 with a down payment and fees
running on.

Difficulty (``difficulties`` in content/roleplay.yml, ``DifficultySettings``): how fast it
concedes (a factor on the persona's step), its first instalment demand (a factor), whether
it holds out on the first offer, and whether pressure escalates (the first no to the full
balance gets the full demand once more). Standard is the persona as calibrated.

Every line comes from ``content/collector_lines.yml`` (``collector_speech``). A round picks, for each move, a
variation it has not used yet, never one of its last reply; the choice is seeded by the
round's seed and line counter, so a round is reproducible from its seed.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from coach.practice.collector_speech import (
    balance_left,
    collector_lines,
    line_key_move,
    say,
)
from coach.practice.collector_style import MAX_STEP, difficulty_settings, negotiating_style
from coach.practice.learner_moves import LearnerTurn, hear
from coach.practice.lender_policy import (
    round_up,
    settlement_floor,
    settlement_opening,
)
from coach.practice.round_start import floor_monthly
from coach.practice.state import (
    Demand,
    Plan,
    RoundState,
)
from coach.practice.turn_reader import TurnReading, read_turn

Moves = list[str]
Push = tuple[RoundState, str | None]

MAX_USER_TURNS = 12
SNAP_SHARE = 0.15
SNAP_MIN = 100
LEVER_BONUS = 0.15
SETTLEMENT_MOVES = ("counter_settlement", "hold_settlement", "final_settlement")
# After distress the collector presses no further; it still takes a deal that is on offer.
GENTLE_PUSHES = frozenset(
    {"accept_offer", "close_agreement", "close_full_payment", "close_settlement"}
    | {"confirm_lump_sum", "counter_offer"}
)


@dataclass(frozen=True)
class TurnResult:
    state: RoundState
    collector_line: str
    finished: bool
    moves: tuple[str, ...] = ()


# --- starting a round -------------------------------------------------------------


def term_for(balance: float, monthly: float, max_term: int) -> int:
    """Months needed to clear ``balance`` at ``monthly``, at most ``max_term``."""
    return max(1, min(math.ceil(balance / monthly), max_term))


# --- lines ------------------------------------------------------------------------


# --- negotiation arithmetic -------------------------------------------------------


def next_demand(demand: float, offer: float, floor: float, step: float) -> int:
    """One concession: a share of the gap towards the offer, never below the floor.

    Close to the target (the offer, or the floor if the offer is below it) the
    collector closes the gap at once.
    """
    target = max(offer, floor)
    if demand <= target:
        return int(demand)
    proposed = demand - step * (demand - target)
    if proposed - target <= max(SNAP_MIN, SNAP_SHARE * target):
        return math.ceil(target)
    return max(math.ceil(target), round_up(proposed))


def offered_monthly(reading: TurnReading, balance: float) -> int | None:
    """The monthly amount an offer stands for (a term alone means balance / term)."""
    if reading.offered_monthly is not None:
        return round(reading.offered_monthly)
    if reading.offered_term:
        return math.ceil(balance / reading.offered_term)
    return None


def acceptable(offer: float, state: RoundState) -> bool:
    return offer >= state.demand.monthly and offer >= state.floor.monthly


def _plan(monthly: int, state: RoundState) -> Plan:
    term = term_for(balance_left(state), monthly, state.scenario.max_term_months)
    return Plan(monthly=int(monthly), term=term)


def _with_demand(state: RoundState, monthly: int) -> RoundState:
    plan = _plan(monthly, state)
    return replace(
        state,
        demand=Demand(monthly=plan.monthly, term=plan.term, kind="instalment"),
        max_demand_monthly=max(state.max_demand_monthly, monthly),
    )


def _instalments_started(state: RoundState) -> RoundState:
    if state.demand.kind != "full":
        return state
    return _with_demand(state, max(state.opening_instalment, state.floor.monthly))


def _agreed(state: RoundState, plan: Plan) -> RoundState:
    return replace(state, agreement=plan, finished=True, pending_lump_sum=None)


def _refloored(state: RoundState) -> RoundState:
    floor = floor_monthly(state.scenario, state.down_payment, state.hardship)
    return replace(state, floor=Plan(monthly=floor, term=state.scenario.max_term_months))


def _earlier_offers(state: RoundState) -> list[int]:
    """The monthly offers of the learner's earlier turns, in order."""
    found = (offered_monthly(reading, balance_left(state)) for reading in state.readings[:-1])
    return [offer for offer in found if offer is not None]


# --- listening: what is new this turn ------------------------------------------------


def _unreformed_abuser(state: RoundState) -> bool:
    return negotiating_style(state).crosses_line and not state.reformed


def _may_cross(state: RoundState) -> bool:
    """Crossing a line is the abusive collector's until it is called out (never again
    after its one relapse)."""
    return _unreformed_abuser(state) and not state.relapsed


def _may_relapse(state: RoundState) -> bool:
    """Two rounds in three (by seed), the abusive collector relapses once after backing off."""
    abusive = negotiating_style(state).crosses_line and state.crossed_line and state.seed % 3 != 0
    return abusive and state.reformed and not state.relapsed


def _gave_reason_before(state: RoundState) -> bool:
    return any(reading.gave_reason for reading in state.readings[:-1])


def _opens_hardship(state: RoundState, turn: LearnerTurn) -> bool:
    asked = bool({"asks_art70", "asks_freeze"} & turn.moves)
    reason = "gives_reason" in turn.moves or _gave_reason_before(state)
    return asked and reason and not state.hardship


def _listen(state: RoundState, turn: LearnerTurn) -> tuple[RoundState, frozenset[str]]:
    """The round after what is new in ``turn``, and the names of the new things (levers):
    a first reason, the hardship path, a new down payment."""
    levers = set()
    if "gives_reason" in turn.moves and not _gave_reason_before(state):
        levers.add("reason")
    if _opens_hardship(state, turn):
        state, levers = replace(state, hardship=True), levers | {"hardship"}
    if turn.down_payment and turn.down_payment != state.down_payment:
        state, levers = replace(state, down_payment=turn.down_payment), levers | {"down"}
    moved = bool(levers & {"hardship", "down"})
    return (_refloored(state) if moved else state), frozenset(levers)


# --- the answer: one reply to what the learner said --------------------------------


def _stonewalled(state: RoundState, turn: LearnerTurn) -> bool:
    offer = offered_monthly(turn.reading, balance_left(state))
    repeated = offer is not None and offer in _earlier_offers(state)
    return bool({"silence", "refuses"} & turn.moves) or repeated


def _abuse_due(state: RoundState, turn: LearnerTurn) -> set[str]:
    """The abusive collector's own moves: its scheduled crossing, crossing again when
    stonewalled, and its one relapse after backing off."""
    if not negotiating_style(state).crosses_line:
        return set()
    stonewalled = _stonewalled(state, turn)
    due = state.turns == state.cross_turn or (state.crossed_line and stonewalled)
    if _may_cross(state) and due:
        return {"abuse_due"}
    return {"relapse_due"} if _may_relapse(state) and stonewalled else set()


def _plan_on_table(state: RoundState) -> bool:
    return state.offers_seen > 0 or state.demand.kind != "full"


def _grants_waiver(state: RoundState) -> bool:
    if _unreformed_abuser(state):
        return False
    return state.hardship or (negotiating_style(state).grants_waiver and _plan_on_table(state))


def _condition_holds(condition: str, state: RoundState) -> bool:
    over_the_line = _unreformed_abuser(state) and state.crossed_line
    holds = {
        "called_out_again": over_the_line and state.relapsed,
        "called_out": over_the_line and not state.relapsed,
        "unreformed_abusive": _unreformed_abuser(state),
        "hardship": state.hardship,
        "granted": _grants_waiver(state),
    }
    return holds[condition]


ANSWER_CONDITIONS = ("called_out_again", "called_out", "unreformed_abusive", "hardship", "granted")


def _variant(state: RoundState, entry: Mapping[str, str]) -> str:
    """The collector move answering a learner move (an ``answers`` entry) in this state."""
    for condition in ANSWER_CONDITIONS:
        if condition in entry and _condition_holds(condition, state):
            move = entry[condition]
            if move != "cross_line" or _may_cross(state):
                return move
    return entry["answer"]


def _reformed(state: RoundState) -> RoundState:
    return replace(state, reformed=True)


def _crossed(state: RoundState) -> RoundState:
    turn = state.crossed_at_turn if state.crossed_line else state.turns
    return replace(state, crossed_line=True, crossed_at_turn=turn)


EFFECTS: dict[str, Callable[[RoundState], RoundState]] = {
    "cross_line": _crossed,
    "relapse": lambda state: replace(state, relapsed=True, reformed=False),
    "back_off_after_rights": _reformed,
    "back_off_again": _reformed,
    "acknowledge_rights": _reformed,
    "answer_recording": _reformed,
    "grant_waiver": lambda state: replace(state, waiver_granted=True),
}


def _answer(state: RoundState, turn: LearnerTurn) -> tuple[RoundState, str | None]:
    """The answer to the first learner move of the ``answers`` table, and its effect."""
    heard = set(turn.moves) | _abuse_due(state, turn)
    for entry in collector_lines()["answers"]:
        if entry["learner"] in heard:
            move = _variant(state, entry)
            effect = EFFECTS.get(move)
            return (effect(state) if effect else state), move
    return state, None


# --- the push: the negotiation's next step ---------------------------------------------


def _ask_to_confirm(state: RoundState, amount: int) -> Push:
    return replace(state, pending_lump_sum=amount), "confirm_lump_sum"


def _close_sum(state: RoundState, amount: int) -> Push:
    move = "close_full_payment" if amount >= balance_left(state) else "close_settlement"
    return _agreed(state, Plan(monthly=amount, term=1)), move


def _bank(state: RoundState, levers: frozenset[str]) -> RoundState:
    """Keep a reason heard but not yet paid for: the next concession is bigger."""
    return replace(state, reason_pending=True) if "reason" in levers else state


def _step(state: RoundState, levers: frozenset[str]) -> float:
    extra = len(levers) - 1 + int(state.reason_pending and "reason" not in levers)
    return min(MAX_STEP, negotiating_style(state).step + LEVER_BONUS * max(0, extra))


def _concede(state: RoundState, offer: int, levers: frozenset[str]) -> Push:
    before = state.demand.monthly
    demand = next_demand(before, offer, state.floor.monthly, _step(state, levers))
    state = replace(
        _with_demand(state, demand),
        concessions=state.concessions + int(demand < before),
        reason_pending=False,
    )
    if acceptable(offer, state):
        return _agreed(state, _plan(offer, state)), "accept_offer"
    return state, "final_pressure" if demand <= state.floor.monthly else "counter_offer"


def _holds_out(state: RoundState) -> bool:
    return state.offers_seen == 1 and negotiating_style(state).refuses_first_offer


def _on_offer(state: RoundState, offer: int, levers: frozenset[str]) -> Push:
    earlier = _earlier_offers(state)
    state = _instalments_started(replace(state, offers_seen=state.offers_seen + 1))
    if _plan(offer, state).term == 1:
        return _ask_to_confirm(state, balance_left(state))
    if offer not in earlier and (not earlier or offer > earlier[-1]):
        levers = levers | {"offer"}
    if _holds_out(state):
        return _bank(state, levers), "refuse_first_offer"
    if acceptable(offer, state):
        return _agreed(state, _plan(offer, state)), "accept_offer"
    if not levers:
        lowered = bool(earlier) and offer < earlier[-1]
        return state, "offer_went_down" if lowered else "hold_firm"
    return _concede(state, offer, levers)


def _first_settlement(state: RoundState, amount: int) -> Push:
    opening = settlement_opening(balance_left(state))
    state = replace(state, settlement_demand=opening)
    return _ask_to_confirm(state, amount) if amount >= opening else (state, "counter_settlement")


def _on_lump_sum(state: RoundState, amount: int) -> Push:
    """A one-off sum: the whole balance is confirmed; less is a settlement to negotiate,
    conceded only to a raised sum."""
    earlier = state.lump_sum_offers
    state = replace(state, lump_sum_offers=(*earlier, amount))
    if amount >= balance_left(state):
        return _ask_to_confirm(state, balance_left(state))
    demand = state.settlement_demand
    if demand is None:
        return _first_settlement(state, amount)
    if amount >= demand:
        return _ask_to_confirm(state, amount)
    if amount in earlier or (earlier and amount < earlier[-1]):
        return state, "hold_settlement"
    floor = settlement_floor(state.scenario.balance, state.down_payment)
    lower = next_demand(demand, amount, floor, negotiating_style(state).step)
    state = replace(state, settlement_demand=lower, concessions=state.concessions + 1)
    if amount >= lower:
        return _ask_to_confirm(state, amount)
    return state, "final_settlement" if lower <= floor else "counter_settlement"


def _on_acceptance(state: RoundState) -> Push:
    """The learner takes what is on the table; a one-off payment is confirmed first."""
    if state.settlement_demand and set(state.last_moves) & set(SETTLEMENT_MOVES):
        offered = state.lump_sum_offers[-1] if state.lump_sum_offers else 0
        return _ask_to_confirm(state, max(state.settlement_demand, offered))
    if state.demand.kind == "full" or state.demand.term == 1:
        return _ask_to_confirm(state, balance_left(state))
    return _agreed(state, _plan(_not_below_offer(state, state.demand.monthly), state)), (
        "close_agreement"
    )


def _not_below_offer(state: RoundState, monthly: int) -> int:
    """The amount a deal closes at: never less than the learner's latest monthly offer
    (a learner who offered 3300 and then says 好 does not get 3200 written down)."""
    earlier = _earlier_offers(state)
    return max(monthly, earlier[-1]) if earlier else monthly


def _on_news(state: RoundState, levers: frozenset[str]) -> Push:
    """Something new without an offer: it moves towards the learner's standing offer."""
    if _insists(state):
        return _bank(state, levers), "demand_full"
    if state.demand.kind == "full":
        return _bank(_instalments_started(state), levers), "demand_instalment"
    earlier = _earlier_offers(state)
    if earlier:
        return _concede(state, earlier[-1], levers)
    return _bank(state, levers), "ask_for_plan"


def _insists(state: RoundState) -> bool:
    """On a difficulty whose pressure escalates, the first no to the full balance gets the
    full demand once more before it talks instalments."""
    if state.demand.kind != "full" or not difficulty_settings(state.difficulty).insists_on_full:
        return False
    said = sum(1 for key in state.spoken if line_key_move(key) == "demand_full")
    return said < 2


def _on_refusal(state: RoundState) -> Push:
    """A no to the full balance opens instalments; a no to instalments is answered alone."""
    if _insists(state):
        return state, "demand_full"
    if state.demand.kind == "full":
        return _instalments_started(state), "demand_instalment"
    return state, None


def _on_deal(state: RoundState, turn: LearnerTurn, levers: frozenset[str]) -> Push:
    if turn.lump_sum is not None:
        return _on_lump_sum(state, turn.lump_sum)
    offer = offered_monthly(turn.reading, balance_left(state))
    if offer is not None:
        return _on_offer(state, offer, levers)
    if "accepts" in turn.moves:
        return _on_acceptance(state)
    if levers:
        return _on_news(state, levers)
    return _on_stalling(state, turn)


def _on_stalling(state: RoundState, turn: LearnerTurn) -> Push:
    if "refuses" in turn.moves:
        return _on_refusal(state)
    if "silence" in turn.moves:
        return state, "push_for_plan"
    if "acknowledges" in turn.moves:
        return state, "ask_for_plan"
    return state, None


def _push(state: RoundState, turn: LearnerTurn, levers: frozenset[str]) -> Push:
    """The negotiation's next step; a pending one-off payment closes only on a clear yes."""
    pending = state.pending_lump_sum
    if pending is not None and turn.says_yes:
        return _close_sum(state, pending)
    state = replace(state, pending_lump_sum=None)
    state, push = _on_deal(state, turn, levers)
    if push is None and pending is not None:
        return _on_refusal(state)
    return state, push


# --- reacting to one turn ---------------------------------------------------------


def _reply(answer: str | None, push: str | None) -> Moves:
    """At most two moves: the answer, then the push."""
    if answer == "answer_refusal" and push == "confirm_lump_sum":
        answer = None
    if answer == "comfort" and push not in GENTLE_PUSHES:
        push = None
    moves = [move for move in (answer, push) if move]
    return moves or ["ask_for_plan"]


def react(state: RoundState, turn: LearnerTurn) -> tuple[RoundState, Moves]:
    """The collector's moves in answer to one learner turn, and the state after them."""
    state, levers = _listen(state, turn)
    state, answer = _answer(state, turn)
    state, push = _push(state, turn, levers)
    moves = _reply(answer, push)
    if not state.finished and state.turns >= MAX_USER_TURNS:
        state = replace(state, finished=True, pending_lump_sum=None)
        moves = [*([answer] if answer else []), "no_deal_close"]
    return state, moves


def take_turn(state: RoundState, user_text: str, reading: TurnReading | None = None) -> TurnResult:
    """Read the learner's line, answer it, and return the round's next state. A replay
    passes the reading the turn had (``reading``) instead of reading the line again."""
    if state.finished:
        state, line = say(state, ["round_over"])
        return TurnResult(state, line, True, ("round_over",))
    reading = read_turn(user_text) if reading is None else reading
    state = replace(state, turns=state.turns + 1, readings=(*state.readings, reading))
    state, moves = react(state, hear(user_text, reading, balance_left(state)))
    state, line = say(state, moves)
    return TurnResult(state, line, state.finished, tuple(moves))


def finish_round(state: RoundState) -> RoundState:
    """The round marked finished (the user said 结束练习)."""
    return replace(state, finished=True)
