"""The load protocol: one realistic conversation, sent over REST, one or many at a time."""

import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import requests

# greet, a stage question, the repayment form with its figures and the offer, a script
# question, goodbye: the same lines for both bots.
CONVERSATION = [
    "你好",
    "催收员为什么老是给我打电话，他们是银行的人吗",
    "帮我算算怎么还",
    "5万",
    '/inform_finances{"lender_type":"credit_card"}',
    "三个月",
    "9000",
    "五千五",
    "没有",
    "那我具体该怎么跟催收说分期",
    "再见",
]
OFFER_AFTER = CONVERSATION.index("没有")  # the project answers this line with its offer
REQUEST_TIMEOUT = 60.0


@dataclass
class PhaseResult:
    latencies_ms: list[float] = field(default_factory=list)
    failures: int = 0
    empty_replies: int = 0
    wall_seconds: float = 0.0
    conversations_done: int = 0
    offers: int = 0
    timed_out: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def messages(self) -> int:
        return len(self.latencies_ms) + self.failures

    def record(self, latency_ms: float, ok: bool, body: Any) -> None:
        with self.lock:
            if ok:
                self.latencies_ms.append(latency_ms)
            else:
                self.failures += 1
            self.empty_replies += int(ok and not body)

    def p(self, percent: int) -> float:
        return percentile(self.latencies_ms, percent)

    def rate(self) -> float:
        return self.messages / self.wall_seconds if self.wall_seconds else float("nan")


def percentile(values: list[float], percent: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def send(session: requests.Session, url: str, sender: str, text: str) -> tuple[float, bool, Any]:
    """One round trip; returns (latency ms, ok, the JSON reply or None)."""
    started = time.perf_counter()
    try:
        response = session.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=REQUEST_TIMEOUT,
        )
        ok = response.status_code == 200
        body = response.json() if ok else None
    except (requests.RequestException, ValueError):
        ok, body = False, None
    return (time.perf_counter() - started) * 1000, ok, body


def has_offer(body: Any) -> bool:
    messages = body if isinstance(body, list) else []
    customs = [m.get("custom") for m in messages if isinstance(m, dict)]
    return any(isinstance(c, dict) and c.get("type") == "repayment_offer" for c in customs)


def conversation(url: str, result: PhaseResult, deadline: float, stop: threading.Event) -> None:
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    with requests.Session() as session:
        for index, text in enumerate(CONVERSATION):
            if stop.is_set() or time.monotonic() > deadline:
                result.timed_out = True
                return
            latency_ms, ok, body = send(session, url, sender, text)
            result.record(latency_ms, ok, body)
            offered = index == OFFER_AFTER and has_offer(body)
            with result.lock:
                result.offers += int(offered)
    with result.lock:
        result.conversations_done += 1


def warm_up(url: str, conversations: int = 1) -> None:
    """Whole conversations whose figures are thrown away (loads every code path once)."""
    never = threading.Event()
    for _ in range(conversations):
        conversation(url, PhaseResult(), time.monotonic() + 300, never)


def run_phase(url: str, conversations: int, concurrency: int, time_limit: float) -> PhaseResult:
    result, stop = PhaseResult(), threading.Event()
    deadline = time.monotonic() + time_limit
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="bench")
    started = time.perf_counter()
    try:
        futures = [
            pool.submit(conversation, url, result, deadline, stop) for _ in range(conversations)
        ]
        wait(futures, timeout=time_limit + REQUEST_TIMEOUT + 5)
    finally:
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
    result.wall_seconds = time.perf_counter() - started
    return result
