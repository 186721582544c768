"""bench.long_conversation and its rows in bench.report: turns 1-20 against the last 20."""

from bench.long_conversation import LongResult
from bench.report import BotResult, long_rows, long_target


def result(latencies: list[float], cpu: list[float]) -> LongResult:
    return LongResult(turns=len(latencies), latencies_ms=latencies, cpu_ms=cpu)


def test_the_first_and_last_twenty_turns_are_compared():
    long = result([10.0] * 20 + [99.0] * 260 + [14.0] * 20, [20.0] * 20 + [0.0] * 260 + [30.0] * 20)
    assert long.late() == (281, 300)
    assert long.latency_p50("early") == 10.0 and long.latency_p50("late") == 14.0
    assert long.cpu_mean("early") == 20.0 and long.cpu_mean("late") == 30.0


def test_a_conversation_slower_by_half_at_its_end_fails_the_target():
    flat = BotResult(long=result([10.0] * 20 + [15.0] * 20, [10.0] * 40))
    slower = BotResult(long=result([10.0] * 20 + [15.1] * 20, [10.0] * 40))
    assert "**PASS**" in long_target(flat)[0]
    assert "**FAIL**" in long_target(slower)[0]


def test_the_table_has_a_row_for_each_bot_measured():
    project = BotResult(long=result([10.0] * 40, [10.0] * 40))
    rows = long_rows(project, BotResult())
    assert len(rows) == 3 and rows[2].startswith("| project | 40 | 10.0 | 10.0 | 1.00× |")
