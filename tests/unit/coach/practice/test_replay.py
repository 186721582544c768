"""Replaying a round from the learner's turn N: same seed, turns 1..N-1 played again."""

import pytest

from coach.practice.collector import take_turn
from coach.practice.collector_speech import opening_line
from coach.practice.replay import fresh_copy, last_start, replay_from
from coach.practice.round_start import new_round
from coach.practice.state import RoundState

LINES = [
    "你好，我是张伟，这笔钱是我欠的，我愿意还。",
    "你们这样是违法的，我在录音",
    "今天全部还清做不到，每月能还1300，分37期。",
    "因为我失业了，收入少了一半",
    "如果能停息，我可以每月还1500。",
    "好的，就这么定",
]


def played(persona, seed, difficulty="standard", goal=None):
    state = new_round(persona, None, seed=seed, difficulty=difficulty, goal=goal)
    states, lines = [state], [opening_line(state)]
    for line in LINES:
        if state.finished:
            break
        result = take_turn(state, line)
        state = result.state
        states.append(state)
        lines.append(result.collector_line)
    return state, states, lines


@pytest.mark.parametrize("persona", ["polite", "pushy", "abusive", "outsourced"])
@pytest.mark.parametrize("difficulty", ["easy", "standard", "hard"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_replay_from_turn_n_is_the_round_as_it_stood_before_turn_n(persona, difficulty, seed):
    state, states, lines = played(persona, seed, difficulty)
    for turn in range(1, len(states) + 1):
        replay = replay_from(state, turn)
        assert replay is not None and replay.turn == turn
        assert replay.state == states[turn - 1]
        assert replay.line == lines[turn - 1]


def test_a_replay_survives_the_slot():
    state, _, _ = played("abusive", 1)
    back = RoundState.from_slot(state.to_slot())
    assert back is not None
    assert replay_from(back, 3) == replay_from(state, 3)


def test_from_the_first_turn_is_the_round_as_it_began():
    state, states, _ = played("pushy", 4)
    assert fresh_copy(state) == states[0]
    assert replay_from(state, 1).state.turns == 0


def test_a_turn_the_round_does_not_have_is_no_replay():
    state, _, _ = played("polite", 0)
    assert replay_from(state, 0) is None
    assert replay_from(state, last_start(state) + 1) is None


def test_the_goal_and_difficulty_stay():
    state, _, _ = played("pushy", 2, difficulty="hard", goal="freeze")
    again = replay_from(state, 2).state
    assert (again.difficulty, again.goal) == ("hard", "freeze")


def test_a_replayed_turn_keeps_its_reading_even_when_its_quote_was_cut():
    long_line = "因为我失业了，" * 30 + "每月能还1300，分37期。"
    state = new_round("pushy", None, seed=1)
    after = take_turn(state, long_line).state
    assert after.readings[0].quote.endswith("…")
    replay = replay_from(after, 2)
    assert replay.state.readings[0] == after.readings[0]
