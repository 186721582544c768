"""Notices when an action failed during one user message. No Rasa import.

When a custom action fails (the action server is down, or an action raised), Rasa's
processor logs the exception with ``logger.exception`` and carries on: the user may get
nothing, or only the messages sent before the failure. ``watch_turn()`` collects such
log records for the message being handled; a context variable keeps concurrent requests
apart (each request is its own asyncio task with its own context).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

WATCHED_LOGGER = "rasa.core.processor"
_current: ContextVar[list[str] | None] = ContextVar("coach_turn_failures", default=None)


class TurnFailureHandler(logging.Handler):
    """Records logged exceptions into the current turn's list, if one is watched."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        failures = _current.get()
        if failures is not None and record.exc_info:
            failures.append(record.getMessage())


def install(logger_name: str = WATCHED_LOGGER) -> None:
    """Adds the handler to Rasa's processor logger once."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(h, TurnFailureHandler) for h in logger.handlers):
        logger.addHandler(TurnFailureHandler())


@contextmanager
def watch_turn() -> Iterator[list[str]]:
    """Yields the list that collects the failures logged inside the ``with`` block."""
    install()
    failures: list[str] = []
    token = _current.set(failures)
    try:
        yield failures
    finally:
        _current.reset(token)
