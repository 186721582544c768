"""A Redis lock store whose ticket updates are atomic and whose tickets stay short-lived.

Rasa 3.6's ``RedisLockStore`` reads a conversation's lock, changes it in Python and
writes it back. Two servers that get a message of the same conversation at the same
moment both read "no lock", both write a lock holding ticket 0 and both go ahead: the
turns run at the same time and one turn's events are lost from the tracker store
(measured: 4 of 20 simultaneous pairs; tests/e2e/test_scale_out.py). The same
read-change-write makes a finishing server drop the ticket another server just added.

Here every change is one Redis transaction (WATCH/MULTI, retried when another server
changed the lock in between), a lock without tickets is deleted in the same
transaction, and the key expires with its last ticket. A waiting message checks the
lock every 0.1 s instead of every second.

Crashed servers. Rasa gives every ticket one fixed lifetime (``TICKET_LOCK_LIFETIME``,
60 s): a server killed in the middle of a turn blocked its conversation for the rest
of that minute (measured: 53 s when killed 7 s into a turn). Here a ticket lives
``lock_lifetime`` seconds (default 5) and a thread of the server that holds it (or
waits with it) pushes its expiry forward every ``lock_refresh_interval`` seconds
(default a fifth of the lifetime). A turn of any length (action server round trips up
to Rasa's 5-minute action timeout) keeps its lock while its server lives; a killed
server's tickets are no longer refreshed and expire within ``lock_lifetime`` seconds
(measured: 4.3-4.8 s). The refresh is a thread, not an asyncio task, so a turn that
keeps the event loop busy (NLU inference, a synchronous database call) does not lose
its lock either; a server stalled for longer than the lifetime does (it is logged).

endpoints.scale.yml: ``lock_store: type: addons.stores.locks.AtomicRedisLockStore`` with the
same settings as Rasa's ``redis`` lock store (url, port, db, password, key_prefix, ...)
plus ``lock_lifetime`` and ``lock_refresh_interval`` (seconds).
"""

import json
import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

WAIT_BETWEEN_ATTEMPTS = 0.1  # seconds; Rasa's default is 1
DEFAULT_LOCK_LIFETIME = 5.0  # seconds a ticket outlives the last refresh of its server
REFRESHES_PER_LIFETIME = 5  # the default refresh interval is lifetime / 5
Result = TypeVar("Result")
Change = Callable[[TicketLock | None], tuple[TicketLock | None, Result]]


def lock_timing(lock_lifetime: Any, refresh_interval: Any) -> tuple[float, float]:
    """The validated (lifetime, refresh interval) in seconds."""
    lifetime = float(lock_lifetime)
    if not lifetime > 0:
        raise ValueError(f"lock_lifetime must be a positive number of seconds, not {lifetime}")
    refresh = lifetime / REFRESHES_PER_LIFETIME if refresh_interval is None else refresh_interval
    refresh = float(refresh)
    if not 0 < refresh <= lifetime / 2:
        raise ValueError(
            f"lock_refresh_interval ({refresh} s) must be positive and at most half of "
            f"lock_lifetime ({lifetime} s), so that one late refresh does not lose the lock"
        )
    return lifetime, refresh


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's RedisLockStore with atomic lock changes and refreshed short tickets."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        self.lock_lifetime, self.refresh_interval = lock_timing(
            kwargs.pop("lock_lifetime", DEFAULT_LOCK_LIFETIME),
            kwargs.pop("lock_refresh_interval", None),
        )
        super().__init__(**kwargs)
        # The (conversation, ticket) pairs this process holds or waits with: lifetimes.
        self._tickets: dict[tuple[str, int], float] = {}
        self._tickets_guard = threading.Lock()
        self._refresher: threading.Thread | None = None

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    def _change(self, conversation_id: str, change: Change[Result]) -> Result:
        """Applies ``change`` to the stored lock in one transaction; returns its result."""
        key = self._key(conversation_id)

        def attempt(pipe: Any) -> Result:
            serialised = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(serialised)) if serialised else None
            lock, result = change(lock)
            pipe.multi()
            if lock is None or not lock.tickets:
                pipe.delete(key)
            else:
                last_expiry = max(ticket.expires for ticket in lock.tickets)
                pipe.set(key, lock.dumps(), px=max(1, int((last_expiry - time.time()) * 1000)))
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def add_ticket(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, add_ticket)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def drop_ticket(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, drop_ticket)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # The lock is deleted with its last ticket, in the same transaction.
        self.finish_serving(conversation_id, ticket_number)

    def refresh_ticket(self, conversation_id: str, ticket_number: int, lifetime: float) -> bool:
        """Moves a live ticket's expiry to ``lifetime`` seconds from now.

        False when the ticket is gone or has already expired: it is never brought
        back, since another server may already have gone ahead.
        """

        def extend(lock: TicketLock | None) -> tuple[TicketLock | None, bool]:
            now = time.time()
            for ticket in lock.tickets if lock else ():
                if ticket.number == ticket_number and ticket.expires > now:
                    ticket.expires = max(ticket.expires, now + lifetime)
                    return lock, True
            return lock, False

        return self._change(conversation_id, extend)

    def _refresh_held_tickets(self) -> None:
        with self._tickets_guard:
            held = list(self._tickets)
        for conversation_id, ticket in held:
            with self._tickets_guard:  # not between a turn's end and its cleanup
                lifetime = self._tickets.get((conversation_id, ticket))
                if lifetime is None:
                    continue
                try:
                    refreshed = self.refresh_ticket(conversation_id, ticket, lifetime)
                except Exception as error:  # Redis away: the ticket may expire
                    logger.warning("Could not refresh a conversation lock: %s", error)
                    continue
            if not refreshed:
                logger.warning(
                    "The lock of conversation %s expired while its turn was running "
                    "(the server was stalled for longer than the lock's lifetime).",
                    conversation_id,
                )

    def _refresh_forever(self) -> None:
        while True:
            time.sleep(self.refresh_interval)
            self._refresh_held_tickets()

    def _hold(self, conversation_id: str, ticket: int, lifetime: float) -> None:
        with self._tickets_guard:
            self._tickets[(conversation_id, ticket)] = lifetime
            if self._refresher is None:
                self._refresher = threading.Thread(
                    target=self._refresh_forever, name="lock-refresh", daemon=True
                )
                self._refresher.start()

    def _let_go(self, conversation_id: str, ticket: int) -> None:
        with self._tickets_guard:
            self._tickets.pop((conversation_id, ticket), None)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float | None = None,
        wait_time_in_seconds: float = WAIT_BETWEEN_ATTEMPTS,
    ) -> AsyncGenerator[TicketLock, None]:
        """The conversation's lock, held (and refreshed) until the block ends.

        ``lock_lifetime`` None (what Rasa passes) means this store's ``lock_lifetime``.
        """
        lifetime = self.lock_lifetime if lock_lifetime is None else lock_lifetime
        ticket = self.issue_ticket(conversation_id, lifetime)
        self._hold(conversation_id, ticket, lifetime)
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            self._let_go(conversation_id, ticket)
            self.cleanup(conversation_id, ticket)
