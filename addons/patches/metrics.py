"""The coach's Prometheus counters, counted at one hook: Rasa's ``MessageProcessor``.

Every channel hands a user's message to ``MessageProcessor.handle_message`` (the REST and
web chat channels through addons/channels/handling.py, Rasa's own channels through the
agent), so wrapping it counts every conversation once per message, whatever the channel.
The wrapper times the message to the end of its reply; ``run_anonymization_pipeline``, which
Rasa calls once per message with the finished tracker just before saving it, hands over
that turn's events, which ``coach.review.outcomes.turn_outcome`` reads. Only names of
intents and milestones become labels: never text, figures or conversation ids.

``install()`` is called by the metrics channel (addons/channels/metrics.py) when Rasa builds
its routes; nothing is patched by importing this module.
"""

import logging
import time
from collections.abc import Callable, Reversible
from contextvars import ContextVar
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import UserUttered

from coach.review.outcomes import MILESTONES, turn_outcome

logger = logging.getLogger(__name__)

disable_created_metrics()  # no *_created series: a start time per label says nothing useful
REGISTRY = CollectorRegistry(auto_describe=True)
MESSAGES = Counter("coach_messages", "User messages handled.", registry=REGISTRY)
INTENTS = Counter(
    "coach_intent", "User messages by the intent understood.", ["intent"], registry=REGISTRY
)
FALLBACKS = Counter(
    "coach_fallback", "Messages the coach fell back on (unsure or no rule).", registry=REGISTRY
)
CRISES = Counter("coach_crisis", "Messages the crisis safety net answered.", registry=REGISTRY)
MILESTONE_COUNTER = Counter(
    "coach_milestone", "Outcome milestones reached.", ["milestone"], registry=REGISTRY
)
RESPONSE_SECONDS = Histogram(
    "coach_response_seconds",
    "Seconds from a user's message to the coach's finished reply.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
OTHER_INTENT = "other"  # an intent the model does not know (never a user-chosen label)
for _milestone in MILESTONES:  # every milestone shows, at 0, from the start
    MILESTONE_COUNTER.labels(milestone=_milestone)

_turn_events: ContextVar[list[dict[str, Any]] | None] = ContextVar("turn_events", default=None)
_installed = False


def latest_turn_events(events: Reversible[Any]) -> list[dict[str, Any]]:
    """The tracker's events from its latest user message on, as dicts (read from the end:
    the cost does not grow with the conversation)."""
    turn: list[Any] = []
    for event in reversed(events):
        turn.append(event)
        if isinstance(event, UserUttered):
            break
    return [event.as_dict() for event in reversed(turn)]


def count_turn(events: list[dict[str, Any]], known_intents: frozenset[str]) -> None:
    outcome = turn_outcome(events)
    if outcome is None:
        return
    MESSAGES.inc()
    intent = outcome.intent if outcome.intent in known_intents else OTHER_INTENT
    INTENTS.labels(intent=intent).inc()
    if outcome.fell_back:
        FALLBACKS.inc()
    if outcome.crisis:
        CRISES.inc()
    for milestone in outcome.milestones:
        MILESTONE_COUNTER.labels(milestone=milestone).inc()


def count_milestone(milestone: str) -> None:
    """A milestone reached outside a turn (the web chat's delete button: ``data_deleted``)."""
    if milestone in MILESTONES:
        MILESTONE_COUNTER.labels(milestone=milestone).inc()


def processor_intents(processor: Any) -> frozenset[str]:
    domain = getattr(processor, "domain", None)
    return frozenset(getattr(domain, "intents", None) or ()) | {"nlu_fallback"}


def counting_handle_message(original: Callable) -> Callable:
    async def handle_message(self: Any, message: Any) -> Any:
        started = time.perf_counter()
        token = _turn_events.set(None)
        try:
            return await original(self, message)
        finally:
            events = _turn_events.get()
            _turn_events.reset(token)
            if events is not None:
                RESPONSE_SECONDS.observe(time.perf_counter() - started)
                try:
                    count_turn(events, processor_intents(self))
                except Exception:  # a counter must never cost a reply
                    logger.exception("Counting a message for /metrics failed.")

    return handle_message


def capturing_anonymization(original: Callable) -> Callable:
    async def run_anonymization_pipeline(self: Any, tracker: Any) -> None:
        _turn_events.set(latest_turn_events(tracker.events))
        await original(self, tracker)

    return run_anonymization_pipeline


def install() -> bool:
    """Wraps the processor once; returns whether the counters are live."""
    global _installed
    if not _installed:
        MessageProcessor.handle_message = counting_handle_message(MessageProcessor.handle_message)
        MessageProcessor.run_anonymization_pipeline = capturing_anonymization(
            MessageProcessor.run_anonymization_pipeline
        )
        _installed = True
        logger.info("Counting messages for /metrics.")
    return True
