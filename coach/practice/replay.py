"""Replaying a practice round from one of the learner's turns (重来, 从第3句重来).

The round keeps every turn's reading (its ``quote`` is the learner's words). A replay from
turn N starts the round again with the same seed, collector, case, difficulty and goal
(``round_start.restart``), then plays turns 1 to N-1 again with their readings, so the
collector says what it said then and the learner faces the line that came before their
turn N. Pure: no Rasa import.
"""

from dataclasses import dataclass, replace

from coach.practice.collector import take_turn
from coach.practice.collector_speech import opening_line
from coach.practice.round_start import restart
from coach.practice.state import RoundState


@dataclass(frozen=True)
class Replay:
    state: RoundState  # the round as it stood before turn N
    line: str  # what the collector said just before turn N
    turn: int  # N


def last_start(state: RoundState) -> int:
    """The latest turn a replay may start from: one past the last turn played."""
    return len(state.readings) + 1


def fresh_copy(state: RoundState) -> RoundState:
    """The round as it began (its first instalment demand as it was set then)."""
    return replace(restart(state), opening_instalment=state.opening_instalment)


def replay_from(state: RoundState, turn: int) -> Replay | None:
    """The round before the learner's turn ``turn`` (1-based); None when the round has no
    such turn (beyond one past its last)."""
    if not 1 <= turn <= last_start(state):
        return None
    again = fresh_copy(state)
    line = opening_line(again)
    for reading in state.readings[: turn - 1]:
        result = take_turn(again, reading.quote, reading)
        again, line = result.state, result.collector_line
    return Replay(state=again, line=line, turn=turn)
