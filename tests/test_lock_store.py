"""channels.locks.AtomicRedisLockStore against the real Redis of the scale-out profile.

Skipped when Redis is not reachable, unless CI is set (then it fails).
"""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from channels.locks import AtomicRedisLockStore
from tests.e2e.stores import lock_key, redis_client, redis_settings, throwaway_key_prefix


@pytest.fixture
def key_prefix():
    with throwaway_key_prefix() as prefix:
        yield prefix


def a_server(key_prefix: str) -> AtomicRedisLockStore:
    """A lock store with a connection of its own, as each Rasa server has."""
    settings = redis_settings()
    return AtomicRedisLockStore(
        host=settings["host"],
        port=settings["port"],
        db=settings["db"],
        password=settings["password"],
        key_prefix=key_prefix,
    )


def test_servers_asking_at_the_same_moment_each_get_a_ticket_of_their_own(key_prefix):
    servers = [a_server(key_prefix) for _ in range(8)]

    def take_tickets(store):
        return [store.issue_ticket("alice", lock_lifetime=30) for _ in range(25)]

    with ThreadPoolExecutor(len(servers)) as pool:
        tickets = [t for batch in pool.map(take_tickets, servers) for t in batch]
    assert sorted(tickets) == list(range(200))
    assert len(servers[0].get_lock("alice").tickets) == 200


def test_the_lock_is_deleted_with_its_last_ticket(key_prefix):
    first, second = a_server(key_prefix), a_server(key_prefix)
    one, two = first.issue_ticket("bob"), second.issue_ticket("bob")
    first.cleanup("bob", one)
    assert second.get_lock("bob").now_serving == two
    second.cleanup("bob", two)
    assert not redis_client().exists(lock_key(key_prefix, "bob"))


def test_a_lock_left_by_a_killed_server_expires_with_its_ticket(key_prefix):
    a_server(key_prefix).issue_ticket("carol", lock_lifetime=2)
    assert 0 < redis_client().pttl(lock_key(key_prefix, "carol")) <= 2000


def test_a_second_message_waits_for_the_first_and_then_goes_on_quickly(key_prefix):
    first, second = a_server(key_prefix), a_server(key_prefix)
    order = []

    async def turn(store, name, seconds):
        async with store.lock("dave"):
            order.append(f"{name} starts")
            await asyncio.sleep(seconds)
            order.append(f"{name} ends")

    async def both():
        started = time.perf_counter()
        first_turn = asyncio.create_task(turn(first, "first", 0.3))
        await asyncio.sleep(0.05)
        await turn(second, "second", 0)
        await first_turn
        return time.perf_counter() - started

    elapsed = asyncio.run(both())
    assert order == ["first starts", "first ends", "second starts", "second ends"]
    assert elapsed < 0.3 + 0.3, f"the second turn waited {elapsed - 0.3:.2f} s too long"
