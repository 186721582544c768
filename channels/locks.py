"""A Redis lock store whose ticket updates are atomic across Rasa servers.

Rasa 3.6's ``RedisLockStore`` reads a conversation's lock, changes it in Python and
writes it back. Two servers that get a message of the same conversation at the same
moment both read "no lock", both write a lock holding ticket 0 and both go ahead: the
turns run at the same time and one turn's events are lost from the tracker store
(measured: 4 of 20 simultaneous pairs; tests/e2e/test_scale_out.py). The same
read-change-write makes a finishing server drop the ticket another server just added.

Here every change is one Redis transaction (WATCH/MULTI, retried when another server
changed the lock in between), a lock without tickets is deleted in the same
transaction, and the key expires with its last ticket, so a killed server leaves no
lock behind for longer than ``TICKET_LOCK_LIFETIME`` (60 s). A waiting message checks
the lock every 0.1 s instead of every second.

endpoints.scale.yml: ``lock_store: type: channels.locks.AtomicRedisLockStore`` with the
same settings as Rasa's ``redis`` lock store (url, port, db, password, key_prefix, ...).
"""

import json
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

WAIT_BETWEEN_ATTEMPTS = 0.1  # seconds; Rasa's default is 1
Result = TypeVar("Result")
Change = Callable[[TicketLock | None], tuple[TicketLock | None, Result]]


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's RedisLockStore with each read-change-write of a lock done atomically."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    def _change(self, conversation_id: str, change: Change) -> Result:
        """Applies ``change`` to the stored lock in one transaction; returns its result."""
        key = self._key(conversation_id)

        def attempt(pipe) -> Result:
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

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_BETWEEN_ATTEMPTS,
    ) -> AsyncGenerator[TicketLock, None]:
        async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as lock:
            yield lock
