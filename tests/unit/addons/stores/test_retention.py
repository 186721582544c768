"""Retention: conversations idle for longer than the retention period are deleted.

The date rules (addons/stores/retention.py), the purge on SQLite, PostgreSQL (skipped when
no server is reachable, unless CI is set) and the in-memory store with events of
backdated timestamps, the purge under the conversation's lock, the server's loop and
``scripts/purge.py``.
"""

import asyncio
import logging
import subprocess
import sys
import time

import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.stores.conversations import purge_idle_conversations
from addons.stores.retention import (
    DEFAULT_RETENTION_DAYS,
    SECONDS_PER_DAY,
    Purger,
    cutoff,
    purge_interval,
    retention_days,
)
from coach.paths import ROOT

DOMAIN = Domain.from_dict({"intents": ["greet"]})
DAY = SECONDS_PER_DAY
NOW = time.time()


# --- The date rules ------------------------------------------------------------------


def test_the_default_is_ninety_days_and_the_variable_changes_it():
    assert DEFAULT_RETENTION_DAYS == 90
    assert retention_days({}) == 90
    assert retention_days({"COACH_RETENTION_DAYS": " 30 "}) == 30
    assert retention_days({"COACH_RETENTION_DAYS": "0.5"}) == 0.5
    assert retention_days({"COACH_RETENTION_DAYS": ""}) == 90
    assert purge_interval({}) == 3600
    assert purge_interval({"COACH_PURGE_INTERVAL_SECONDS": "2"}) == 2


@pytest.mark.parametrize("value", ["0", "-3", "ninety", "nan", "inf"])
def test_a_retention_that_is_no_positive_number_is_a_clear_error(value):
    with pytest.raises(ValueError, match="COACH_RETENTION_DAYS must be a positive number"):
        retention_days({"COACH_RETENTION_DAYS": value})


def test_the_cutoff_is_the_period_before_now():
    # What is idle for longer (91 days deleted, 89.9 kept) is checked on each store below.
    assert cutoff(1_000_000.0, 1) == 1_000_000.0 - 86400


# --- The purge on each store, with backdated events -----------------------------------


def conversation(sender: str, *days_ago: float) -> DialogueStateTracker:
    """A user message and a reply for each of ``days_ago``, with those timestamps."""
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for days in days_ago:
        timestamp = NOW - days * DAY
        tracker.update(UserUttered("我欠了4万8", {"name": "greet"}, timestamp=timestamp))
        tracker.update(ActionExecuted("utter_greet", timestamp=timestamp + 1))
        tracker.update(BotUttered("好的", timestamp=timestamp + 2))
    return tracker


CONVERSATIONS = {
    "gone-for-long": (200, 120, 91),  # idle 91 days: deleted
    "back-last-month": (200, 120, 30),  # old events, but a message 30 days ago: kept
    "almost-ninety": (89.9,),  # kept
    "today": (0,),  # kept
}


async def save_all(store) -> None:
    for sender, days_ago in CONVERSATIONS.items():
        await store.save(conversation(sender, *days_ago))


async def purge_and_list(store, lock_store=None, days=90) -> tuple[list, list]:
    await save_all(store)
    lock_store = lock_store or InMemoryLockStore()
    deleted = await purge_idle_conversations(lock_store, store, cutoff(time.time(), days))
    return sorted(deleted), sorted(await store.keys())


KEPT = ["almost-ninety", "back-last-month", "today"]


def check_the_purge(store, lock_store=None) -> None:
    deleted, kept = asyncio.run(purge_and_list(store, lock_store))
    assert deleted == ["gone-for-long"]
    assert kept == KEPT
    tracker = asyncio.run(store.retrieve_full_tracker("back-last-month"))
    assert len(tracker.events) == 9, "a kept conversation keeps its old events too"
    deleted, kept = asyncio.run(purge_and_list(store, lock_store, days=10))
    assert deleted == ["almost-ninety", "back-last-month", "gone-for-long"]
    assert kept == ["today"]


def test_the_purge_on_sqlite(tmp_path):
    check_the_purge(SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db")))


def test_the_purge_on_the_in_memory_store():
    check_the_purge(InMemoryTrackerStore(DOMAIN))


def test_the_purge_on_postgresql_with_the_redis_lock():
    """The scale-out profile: PostgreSQL tracker store, addons.stores.locks Redis lock store."""
    from tests.support.stores import a_server, sql_store_on_postgres, throwaway_key_prefix

    with sql_store_on_postgres(DOMAIN) as store, throwaway_key_prefix() as prefix:
        check_the_purge(store, a_server(prefix))


# --- Under the conversation's lock ----------------------------------------------------


async def purge_while_the_user_comes_back(store) -> tuple[list, list]:
    """The user writes again while their turn holds the lock and the purge runs."""
    lock_store = InMemoryLockStore()
    await store.save(conversation("returning", 100))
    await store.save(conversation("silent", 100))
    turn_started = asyncio.Event()

    async def turn():
        async with lock_store.lock("returning"):
            turn_started.set()
            tracker = await store.retrieve("returning")
            await asyncio.sleep(0.3)
            tracker.update(UserUttered("我回来了", {"name": "greet"}))
            await store.save(tracker)

    user = asyncio.create_task(turn())
    await turn_started.wait()
    deleted = await purge_idle_conversations(lock_store, store, cutoff(time.time(), 90))
    await user
    return sorted(deleted), sorted(await store.keys())


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_a_conversation_that_becomes_active_during_the_purge_is_kept_whole(tmp_path, kind):
    if kind == "sqlite":
        store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    else:
        store = InMemoryTrackerStore(DOMAIN)
    deleted, kept = asyncio.run(purge_while_the_user_comes_back(store))
    assert deleted == ["silent"]
    assert kept == ["returning"]
    events = asyncio.run(store.retrieve_full_tracker("returning")).events
    texts = [e.text for e in events if isinstance(e, UserUttered)]
    assert texts == ["我欠了4万8", "我回来了"], "neither half-deleted nor lost"


def test_a_conversation_that_cannot_be_locked_does_not_stop_the_purge(tmp_path, caplog):
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))

    class OneBrokenLock(InMemoryLockStore):
        def lock(self, conversation_id, *args, **kwargs):
            if conversation_id == "gone-for-long":
                raise RuntimeError("Redis away")
            return super().lock(conversation_id, *args, **kwargs)

    async def run():
        await save_all(store)
        await store.save(conversation("also-gone", 95))
        return await purge_idle_conversations(OneBrokenLock(), store, cutoff(time.time(), 90))

    with caplog.at_level(logging.ERROR, logger="addons.stores.conversations"):
        assert asyncio.run(run()) == ["also-gone"]
    assert "1 of 2 idle conversations were not deleted" in caplog.text
    assert "gone-for-long" not in caplog.text, "no conversation id in the logs"


# --- The server's loop ----------------------------------------------------------------


def test_the_server_purges_at_start_and_then_at_every_interval():
    cutoffs = []

    async def purge(cut):
        cutoffs.append(cut)

    async def run():
        purger = Purger(purge, days=90, interval=0.05, clock=lambda: 100 * DAY).start()
        await asyncio.sleep(0.18)
        await purger.stop()
        assert purger.task is None

    asyncio.run(run())
    assert 3 <= len(cutoffs) <= 5
    assert set(cutoffs) == {10 * DAY}


def test_a_failed_purge_is_logged_and_tried_again(caplog):
    calls = []

    async def purge(_):
        calls.append(1)
        raise RuntimeError("database away")

    async def run():
        purger = Purger(purge, days=90, interval=0.05).start()
        await asyncio.sleep(0.12)
        await purger.stop()

    with caplog.at_level(logging.ERROR, logger="addons.stores.retention"):
        asyncio.run(run())
    assert len(calls) >= 2
    assert "Deleting conversations idle for 90 days failed" in caplog.text


def test_replies_go_on_while_the_purge_runs(tmp_path):
    """The database work runs in a thread: the event loop stays free."""
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))

    async def run():
        for k in range(300):
            await store.save(conversation(f"old-{k}", 100))
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.001)

        clock = asyncio.create_task(ticker())
        deleted = await purge_idle_conversations(
            InMemoryLockStore(), store, cutoff(time.time(), 90)
        )
        clock.cancel()
        return len(deleted), ticks

    deleted, ticks = asyncio.run(run())
    assert deleted == 300
    assert ticks > 20


# --- make purge -----------------------------------------------------------------------


def test_the_purge_script_deletes_the_idle_conversations_of_an_endpoints_file(tmp_path):
    db = tmp_path / "tracker.db"
    asyncio.run(save_all(SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))))
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {db}\n"
        "lock_store:\n  type: in_memory\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "purge.py"), "--endpoints", str(endpoints)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Deleted 1 conversation(s) idle for more than 90 days." in result.stdout
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    assert sorted(asyncio.run(store.keys())) == KEPT


def test_the_purge_script_refuses_a_bad_retention(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "purge.py"), "--days", "-1"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "--days must be a positive number" in result.stderr


# --- What the bot and the README say --------------------------------------------------


def test_the_bot_and_the_readme_state_the_default():
    domain = (ROOT / "domain.yml").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"存多久：闲置超过{DEFAULT_RETENTION_DAYS}天自动删除" in domain
    privacy = readme.split("## Privacy", 1)[1].split("\n## ", 1)[0]
    assert f"idle for more than {DEFAULT_RETENTION_DAYS} days" in privacy
    assert "no expiry" not in privacy
