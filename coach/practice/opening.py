"""A round the learner opens by typing: their first line is turn 1 of the call.

After a start of practice (the persona picker waits), a typed line that reads like
picking up the phone (喂你好, 我是本人, 你是哪个机构的: ``controls.reads_like_a_call``)
starts the round with the default collector. The collector answers it: its opening words
(who it is, the debt), then its answer to what the learner said when that is more than
a generic push for a plan. Pure: no Rasa import.
"""

from coach.practice.collector import TurnResult, take_turn
from coach.practice.collector_speech import opening_line
from coach.practice.state import RoundState

# Moves that answer nothing in particular: after a bare greeting, the opening says it all.
GENERIC_PUSHES = frozenset({"ask_for_plan", "push_for_plan"})


def answer_first_line(state: RoundState, text: str) -> TurnResult:
    """The round after the learner's own first line, with the collector's reply to it."""
    result = take_turn(state, text)
    opening = opening_line(state)
    if result.finished or set(result.moves) <= GENERIC_PUSHES:
        line = opening if not result.finished else result.collector_line
    else:
        line = f"{opening}{result.collector_line}"
    return TurnResult(result.state, line, result.finished, result.moves)
