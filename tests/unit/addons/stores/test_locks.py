"""addons.stores.locks.AtomicRedisLockStore against the real Redis of the scale-out profile.

Skipped when Redis is not reachable, unless CI is set (then it fails).
"""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from addons.stores.locks import AtomicRedisLockStore, lock_timing
from tests.support.stores import (
    a_server,
    lock_key,
    redis_client,
    redis_settings,
    scale_profile,
    throwaway_key_prefix,
)


@pytest.fixture
def key_prefix():
    with throwaway_key_prefix() as prefix:
        yield prefix


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


# --- Short tickets, refreshed while their server lives (a killed one's expire) --------


def a_quick_server(key_prefix: str, lifetime: float = 1.0, refresh=None) -> AtomicRedisLockStore:
    store = a_server(key_prefix)
    store.lock_lifetime, store.refresh_interval = lock_timing(lifetime, refresh)
    return store


def test_the_lock_settings_come_from_the_endpoints_file(key_prefix):
    settings = redis_settings()
    config = EndpointConfig(
        url=settings["host"],
        port=settings["port"],
        db=settings["db"],
        key_prefix=key_prefix,
        type="addons.stores.locks.AtomicRedisLockStore",
        lock_lifetime=7,
        lock_refresh_interval=2,
    )
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert (store.lock_lifetime, store.refresh_interval) == (7.0, 2.0)
    assert lock_timing(5, None) == (5.0, 1.0)


def test_the_scale_profile_keeps_a_killed_servers_lock_a_few_seconds_only():
    lock_store = scale_profile()["lock_store"]
    lifetime, refresh = lock_timing(
        lock_store["lock_lifetime"], lock_store["lock_refresh_interval"]
    )
    assert lifetime <= 10 and refresh <= lifetime / 2


@pytest.mark.parametrize("lifetime,refresh", [(0, None), (-1, None), (5, 3), (5, 0)])
def test_lock_settings_that_could_lose_a_lock_are_refused(lifetime, refresh):
    with pytest.raises(ValueError):
        lock_timing(lifetime, refresh)


def test_a_ticket_lives_the_stores_lifetime_by_default(key_prefix):
    store = a_server(key_prefix)

    async def hold():
        async with store.lock("erin"):
            return redis_client().pttl(lock_key(key_prefix, "erin"))

    assert 0 < asyncio.run(hold()) <= store.lock_lifetime * 1000


def wait_for_the_lock(store, conversation: str, entered: list) -> float:
    """In a thread of its own (another server): seconds until ``store`` got the lock."""

    async def take():
        started = time.perf_counter()
        async with store.lock(conversation):
            entered.append(time.perf_counter())
            return time.perf_counter() - started

    return asyncio.run(take())


def test_a_turn_longer_than_the_lifetime_keeps_its_lock(key_prefix):
    holder, other = a_quick_server(key_prefix), a_quick_server(key_prefix)
    entered = []

    async def long_turn(pool):
        async with holder.lock("frank"):
            waiting = pool.submit(wait_for_the_lock, other, "frank", entered)
            await asyncio.sleep(3)  # three lifetimes
            ended = time.perf_counter()
        return ended, waiting

    with ThreadPoolExecutor(1) as pool:
        ended, waiting = asyncio.run(long_turn(pool))
        waited = waiting.result(timeout=10)
    assert entered and entered[0] >= ended, "the other server got in during the turn"
    assert waited >= 2.9
    assert not redis_client().exists(lock_key(key_prefix, "frank"))


def test_a_turn_that_blocks_the_event_loop_keeps_its_lock(key_prefix):
    """The refresh is a thread: NLU or a synchronous database call may hold the loop."""
    holder, other = a_quick_server(key_prefix), a_quick_server(key_prefix)
    entered = []

    async def blocking_turn(pool):
        async with holder.lock("gina"):
            waiting = pool.submit(wait_for_the_lock, other, "gina", entered)
            time.sleep(2.5)  # the whole event loop stalls
            ended = time.perf_counter()
        return ended, waiting

    with ThreadPoolExecutor(1) as pool:
        ended, waiting = asyncio.run(blocking_turn(pool))
        waiting.result(timeout=10)
    assert entered[0] >= ended


def test_a_killed_servers_lock_is_free_within_its_lifetime(key_prefix):
    """A server killed mid-turn refreshes nothing: its ticket expires, the next goes on."""
    killed, other = a_quick_server(key_prefix), a_quick_server(key_prefix)
    killed.issue_ticket("hugo", lock_lifetime=killed.lock_lifetime)  # and then dies
    waited = wait_for_the_lock(other, "hugo", [])
    assert 0.8 <= waited <= killed.lock_lifetime + 0.5


def test_an_expired_ticket_is_never_brought_back(key_prefix):
    store = a_quick_server(key_prefix, lifetime=0.3, refresh=0.1)
    ticket = store.issue_ticket("iris", lock_lifetime=0.3)
    other = store.issue_ticket("iris", lock_lifetime=30)
    time.sleep(0.4)
    assert store.refresh_ticket("iris", ticket, 5) is False
    assert store.refresh_ticket("iris", other, 5) is True
    assert store.get_lock("iris").now_serving == other
