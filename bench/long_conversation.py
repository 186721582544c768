"""One long conversation (300 turns by default) against running servers: does a turn cost
more as the history grows?

Each turn is timed twice: the client's round trip, and the CPU time the bot's servers
spent on it (``/proc/PID/stat`` before and after), which other load on the machine hardly
changes. The lines are the benchmark's conversation (bench/protocol.py) without its
goodbye, over and over: questions, the repayment form with its figures and the offer.
"""

import statistics
import time
import uuid
from dataclasses import dataclass, field

import requests

from bench.processes import process_cpu_s
from bench.protocol import CONVERSATION, REQUEST_TIMEOUT

LINES = [line for line in CONVERSATION if line != "再见"]
EARLY = (1, 20)  # turns compared, 1-based and inclusive
LATE_SPAN = 20


@dataclass
class LongResult:
    turns: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    failures: int = 0

    def late(self) -> tuple[int, int]:
        return max(1, self.turns - LATE_SPAN + 1), self.turns

    def span(self, values: list[float], which: str) -> list[float]:
        first, last = EARLY if which == "early" else self.late()
        return values[first - 1 : last]

    def latency_p50(self, which: str) -> float:
        chosen = self.span(self.latencies_ms, which)
        return statistics.median(chosen) if chosen else float("nan")

    def cpu_mean(self, which: str) -> float:
        """Mean, not median: /proc counts CPU in 10 ms ticks, a mean over 20 turns evens
        that out."""
        chosen = self.span(self.cpu_ms, which)
        return statistics.fmean(chosen) if chosen else float("nan")


def turn_line(index: int) -> str:
    return LINES[index % len(LINES)]


def run_long_conversation(url: str, pids: list[int], turns: int = 300) -> LongResult:
    """Sends ``turns`` messages under one new sender id, each after the previous reply."""
    result = LongResult(turns=turns)
    sender = f"long-{uuid.uuid4().hex[:12]}"
    with requests.Session() as session:
        for index in range(turns):
            cpu_before = sum(process_cpu_s(pid) for pid in pids)
            started = time.perf_counter()
            try:
                response = session.post(
                    f"{url}/webhooks/rest/webhook",
                    json={"sender": sender, "message": turn_line(index)},
                    timeout=REQUEST_TIMEOUT,
                )
                ok = response.status_code == 200
            except requests.RequestException:
                ok = False
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            result.cpu_ms.append((sum(process_cpu_s(pid) for pid in pids) - cpu_before) * 1000)
            result.failures += int(not ok)
    return result
