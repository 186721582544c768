"""What the simulated collector says: its lines from ``content/collector_lines.yml``, the
choice of a variation for each move (one not used this round, never one of its last reply,
seeded by the round's seed and line counter), the fields a template is filled with, and the
intro's opening line and scenario sentence.
"""

import random
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from coach.content import load_content
from coach.practice.collector_style import negotiating_style
from coach.practice.lender_policy import (
    policy,
    remaining_balance,
    round_up,
    settlement_opening,
)
from coach.practice.state import (
    RoundState,
)

PLAN_MOVES = ("accept_offer", "close_agreement")

OPENING_MOVES = ("opening", "demand_full")


def collector_lines() -> dict[str, Any]:
    return load_content("collector_lines")


def speaking_as(state: RoundState, move: str) -> str:
    """Whose lines a move uses: a reformed abusive collector talks like a pushy one, apart
    from the moves only it has; a move no persona has of its own is ``shared``."""
    personas = collector_lines()["personas"]
    reformed = negotiating_style(state).crosses_line and state.reformed
    if reformed and move in personas["pushy"]:
        return "pushy"
    return state.persona if move in personas[state.persona] else "shared"


def _variations(speaker: str, move: str) -> list[str]:
    lines = collector_lines()
    table = lines["shared"] if speaker == "shared" else lines["personas"][speaker]
    return [str(line) for line in table[move]]


def move_variations(state: RoundState, move: str) -> list[str]:
    """The templates the collector may use for ``move`` in this state."""
    return _variations(speaking_as(state, move), move)


def _choose(state: RoundState, move: str, taken: Sequence[str]) -> str:
    """The key (speaker/move/variation) of the line for ``move``: one not used this round,
    else one not in the last reply; seeded by the round's seed and line counter."""
    speaker = speaking_as(state, move)
    keys = [f"{speaker}/{move}/{i}" for i in range(len(_variations(speaker, move)))]
    used = set(state.spoken) | set(taken)
    fresh = [key for key in keys if key not in used]
    pool = fresh or [key for key in keys if key not in state.last_spoken] or keys
    rng = random.Random(state.seed * 7919 + state.line_counter + len(taken))
    return pool[rng.randrange(len(pool))]


def _template(key: str) -> tuple[str, str]:
    """(move, template) of a line key; a key from older content falls back to a variation
    that exists."""
    speaker, move, index = key.rsplit("/", 2)
    options = _variations(speaker, move)
    return move, options[int(index) % len(options)]


def _render(state: RoundState, keys: Sequence[str]) -> str:
    parts = (_template(key) for key in keys)
    return "".join(template.format(**_fields(state, move)) for move, template in parts)


def say(state: RoundState, moves: Sequence[str]) -> tuple[RoundState, str]:
    """The state after saying ``moves``, and the line said."""
    keys: list[str] = []
    for move in moves:
        keys.append(_choose(state, move, keys))
    state = replace(
        state,
        spoken=(*state.spoken, *keys),
        last_spoken=tuple(keys),
        last_moves=tuple(moves),
        line_counter=state.line_counter + len(moves),
    )
    return state, _render(state, keys)


def overdue_phrase(months: float) -> str:
    """How long the debt is overdue, as the lines say it: 3个月, or 一段时间."""
    content = load_content("roleplay")
    if months and months > 0:
        return str(content["overdue_months"].format(months=round(months)))
    return str(content["overdue_unknown"])


def persona_label(state: RoundState) -> str:
    """The persona's Chinese description, e.g. 强硬型催收员（施压、定期限）."""
    labels = load_content("roleplay")["personas"]
    return str(labels[state.persona])


def balance_left(state: RoundState) -> int:
    """The balance left to spread over instalments, after the learner's down payment."""
    return remaining_balance(state.scenario.balance, state.down_payment)


def _agency(state: RoundState) -> str:
    return str(random.Random(state.seed).choice(collector_lines()["agencies"]))


def _sum_fields(state: RoundState) -> dict[str, Any]:
    balance = state.scenario.balance
    agreed = state.agreement.monthly if state.agreement else balance
    settlement = state.settlement_demand or settlement_opening(balance_left(state))
    return {
        "amount": state.pending_lump_sum or agreed,
        "settlement": settlement,
        "down_payment": round_up(balance * float(policy()["down_payment_share"])),
        "offered_down": state.down_payment,
        "remaining": balance_left(state),
    }


def _fields(state: RoundState, move: str) -> dict[str, Any]:
    scenario = state.scenario
    plan = (state.agreement if move in PLAN_MOVES else None) or state.demand.plan
    return {
        "lender": scenario.lender_label,
        "balance": scenario.balance,
        "overdue": overdue_phrase(scenario.months_overdue),
        "monthly": plan.monthly,
        "term": plan.term,
        "agency": _agency(state),
        **state.collector.to_slot(),
        **_sum_fields(state),
    }


def line_key_move(key: str) -> str:
    """The move of a line key said this round; "" for a key that names no line."""
    parts = key.split("/")
    if len(parts) != 3 or not parts[2].isdigit():
        return ""
    speaker, move, _index = parts
    lines = collector_lines()
    table = lines["shared"] if speaker == "shared" else lines["personas"].get(speaker, {})
    return move if move in table else ""


def opening_line(state: RoundState) -> str:
    """The collector's first words: who they are, then the demand to pay in full (the lines
    the round chose when it began; picked afresh for a round stored without them)."""
    keys = state.spoken[: len(OPENING_MOVES)]
    if tuple(map(line_key_move, keys)) == OPENING_MOVES:
        return _render(state, keys)
    return say(replace(state, spoken=(), last_spoken=(), line_counter=0), OPENING_MOVES)[1]


def scenario_text(state: RoundState) -> str:
    """One sentence on the lender, balance and overdue time, for the intro."""
    scenario = state.scenario
    return str(
        load_content("roleplay")["scenario_text"].format(
            lender=scenario.lender_label,
            balance=scenario.balance,
            overdue=overdue_phrase(scenario.months_overdue),
            affordable=scenario.affordable_monthly,
        )
    )
