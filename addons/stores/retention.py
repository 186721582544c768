"""How long an idle conversation is kept, and the loop that deletes older ones.

No Rasa import: the deleting itself is ``addons.stores.conversations.purge_idle_conversations``;
``scripts/purge.py`` (``make purge``) runs it once, and the Rasa server every hour
(``addons/channels/rest.py`` starts ``Purger`` with the server).

Default: 90 days without a new message. Negotiating a debt takes weeks (a first call,
a counter-offer, a written agreement, the first instalments), and a user who comes back
after a month should still find their figures and the plan; debt, income and fears
should not stay on a server for ever once the user has gone. ``COACH_RETENTION_DAYS``
changes it (a positive number of days; fractions allowed); the README's "Privacy"
section and the bot's ``utter_privacy`` state the default.
"""

import asyncio
import logging
import math
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

logger = logging.getLogger(__name__)

RETENTION_DAYS_VARIABLE = "COACH_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 90
PURGE_INTERVAL_VARIABLE = "COACH_PURGE_INTERVAL_SECONDS"
DEFAULT_PURGE_INTERVAL = 3600.0  # seconds between two purges of a running server
SECONDS_PER_DAY = 86400


def positive_number(environ: Mapping[str, str], name: str, default: float) -> float:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a positive number, not {value!r}")
    return number


def retention_days(environ: Mapping[str, str] = os.environ) -> float:
    """Days without a message after which a conversation is deleted."""
    return positive_number(environ, RETENTION_DAYS_VARIABLE, DEFAULT_RETENTION_DAYS)


def purge_interval(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between two purges of a running server."""
    return positive_number(environ, PURGE_INTERVAL_VARIABLE, DEFAULT_PURGE_INTERVAL)


def cutoff(now: float, days: float) -> float:
    """The epoch time before which a conversation's latest event makes it idle."""
    return now - days * SECONDS_PER_DAY


def describe(days: float) -> str:
    return f"{days:g} day{'s' if days != 1 else ''}"


Purge = Callable[[float], Awaitable[Any]]


class Purger:
    """Calls ``purge(cutoff)`` now and then every ``interval`` seconds, in the background.

    A failed purge is logged and tried again at the next interval; replies never wait
    for it (the purge itself does its database work in a thread).
    """

    def __init__(
        self,
        purge: Purge,
        days: float | None = None,
        interval: float | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.purge = purge
        self.days = retention_days() if days is None else days
        self.interval = purge_interval() if interval is None else interval
        self.clock = clock
        self.task: asyncio.Task | None = None

    async def run_once(self) -> Any:
        try:
            return await self.purge(cutoff(self.clock(), self.days))
        except Exception:
            logger.exception("Deleting conversations idle for %s failed.", describe(self.days))
            return None

    async def run_forever(self) -> None:
        while True:
            await self.run_once()
            await asyncio.sleep(self.interval)

    def start(self) -> "Purger":
        self.task = asyncio.get_running_loop().create_task(self.run_forever())
        return self

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass
            self.task = None
