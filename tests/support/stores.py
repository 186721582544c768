"""PostgreSQL and Redis for the production-profile end-to-end tests.

The tracker-store and lock-store settings are taken from ``endpoints.scale.yml`` itself,
so the tests run the profile that production runs; only the names that must not collide
between test runs are replaced: each test session gets a throw-away database (Rasa
creates it through ``login_db``, the session drops it) and its own Redis key prefix.

When PostgreSQL or Redis cannot be reached the tests are skipped with the reason, unless
the environment variable ``CI`` is set: on CI an unreachable store is a failure.
"""

import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import redis
import yaml

from addons.stores.locks import AtomicRedisLockStore
from coach.paths import ROOT
from devtools.servers import (
    ActionServer,
    RasaServer,
    free_port,
    sqlite_tracker_store,
    start_together,
    write_endpoints,
)

SCALE_PROFILE = ROOT / "endpoints.scale.yml"


def scale_profile() -> dict:
    """endpoints.scale.yml, with ${VARIABLES} expanded as Rasa expands them."""
    with SCALE_PROFILE.open(encoding="utf-8") as handle:
        profile = yaml.safe_load(handle)
    return {
        section: {
            key: os.path.expandvars(value) if isinstance(value, str) else value
            for key, value in settings.items()
        }
        for section, settings in profile.items()
    }


def postgres_settings() -> dict:
    store = scale_profile()["tracker_store"]
    return {
        "host": store.get("url", "localhost"),
        "port": int(store.get("port", 5432)),
        "user": store.get("username"),
        "password": store.get("password"),
        "login_db": store.get("login_db", "postgres"),
    }


def redis_settings() -> dict:
    store = scale_profile()["lock_store"]
    return {
        "host": store.get("url", "localhost"),
        "port": int(store.get("port", 6379)),
        "db": int(store.get("db", 1)),
        "password": store.get("password"),
    }


# --- Reachability ---------------------------------------------------------------------


def unavailable(reason: str) -> None:
    """Skips the test with ``reason``; on CI (``CI`` set) fails it instead."""
    if "CI" in os.environ:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(f"{reason} (set CI=1 to make this a failure)")


def require_postgres() -> None:
    settings = postgres_settings()
    try:
        connect(settings["login_db"]).close()
    except psycopg2.Error as error:
        unavailable(
            f"PostgreSQL is not reachable at {settings['host']}:{settings['port']}: {error}"
        )


def require_redis() -> None:
    settings = redis_settings()
    try:
        redis_client().ping()
    except redis.RedisError as error:
        unavailable(f"Redis is not reachable at {settings['host']}:{settings['port']}: {error}")


# --- PostgreSQL -----------------------------------------------------------------------


def connect(database: str) -> Any:
    settings = postgres_settings()
    return psycopg2.connect(
        host=settings["host"],
        port=settings["port"],
        user=settings["user"],
        password=settings["password"],
        dbname=database,
        connect_timeout=5,
    )


def unique_name(kind: str) -> str:
    """Lower-case and alphanumeric: valid as a database name and as a Redis key prefix."""
    return f"e2e{kind}{os.getpid()}x{uuid.uuid4().hex[:8]}"


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A database name no one uses; Rasa creates it, the database is dropped afterwards."""
    require_postgres()
    name = unique_name("db")
    try:
        yield name
    finally:
        drop_database(name)


def drop_database(name: str) -> None:
    connection = connect(postgres_settings()["login_db"])
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            # WITH (FORCE), PostgreSQL 13+: a server killed in a test may leave sessions.
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        connection.close()


def postgres_tracker_store(database: str) -> str:
    """endpoints.scale.yml's tracker store, writing to ``database``."""
    store = dict(scale_profile()["tracker_store"], db=database)
    return yaml.safe_dump({"tracker_store": store}, sort_keys=False)


def stored_events(database: str, sender_id: str) -> list[dict]:
    """The conversation's rows of the ``events`` table in the order they were written."""
    connection = connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, type_name, timestamp, intent_name, action_name, data "
                "FROM events WHERE sender_id = %s ORDER BY id",
                (sender_id,),
            )
            rows = cursor.fetchall()
    finally:
        connection.close()
    return [
        {
            "id": row_id,
            "type_name": type_name,
            "timestamp": timestamp,
            "intent_name": intent_name,
            "action_name": action_name,
            "data": json.loads(data),
        }
        for row_id, type_name, timestamp, intent_name, action_name, data in rows
    ]


def stored_senders(database: str) -> list[str]:
    connection = connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT sender_id FROM events")
            return sorted(row[0] for row in cursor.fetchall())
    finally:
        connection.close()


# --- Redis ----------------------------------------------------------------------------


def redis_client() -> redis.Redis:
    settings = redis_settings()
    return redis.Redis(
        host=settings["host"],
        port=settings["port"],
        db=settings["db"],
        password=settings["password"],
        socket_timeout=5,
        socket_connect_timeout=5,
    )


@contextmanager
def throwaway_key_prefix() -> Iterator[str]:
    """A Redis key prefix of this run's own; its keys are removed afterwards."""
    require_redis()
    prefix = unique_name("lk")
    try:
        yield prefix
    finally:
        client = redis_client()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def redis_lock_store(key_prefix: str) -> str:
    """endpoints.scale.yml's lock store, with its keys under ``key_prefix``."""
    store = dict(scale_profile()["lock_store"], key_prefix=key_prefix)
    return yaml.safe_dump({"lock_store": store}, sort_keys=False)


def lock_key(key_prefix: str, sender_id: str) -> str:
    """The Redis key under which Rasa's RedisLockStore keeps a conversation's lock."""
    return f"{key_prefix}:lock:{sender_id}"


def lock_keys(key_prefix: str) -> list[str]:
    return sorted(key.decode() for key in redis_client().scan_iter(f"{key_prefix}:*"))


# --- Reading a stored conversation ----------------------------------------------------


def as_rest_messages(bot_event: dict) -> list[dict]:
    """The REST channel's messages for one stored ``bot`` event (Rasa's send_response)."""
    data = bot_event["data"]
    extra = data.get("data") or {}
    text, buttons = data.get("text"), extra.get("buttons") or extra.get("quick_replies")
    messages = []
    if buttons:
        messages.append({"text": text, "buttons": buttons})
    elif text:
        messages.extend({"text": part} for part in text.strip().split("\n\n"))
    for key in ("custom", "image", "attachment"):
        if extra.get(key):
            messages.append({key: extra[key]})
    return messages


def turns(events: list[dict]) -> list[dict]:
    """Each stored user message with the REST messages of the bot events that followed it."""
    result: list[dict] = []
    for event in events:
        if event["type_name"] == "user":
            result.append({"user": event["data"]["text"], "replies": []})
        elif event["type_name"] == "bot" and result:
            result[-1]["replies"].extend(as_rest_messages(event))
    return result


def without_recipient(messages: list[dict]) -> list[dict]:
    return [{k: v for k, v in m.items() if k != "recipient_id"} for m in messages]


def start_both_profiles(
    cleanup: ExitStack, workdir: Path, token: str, port: Callable[[], int] = free_port
) -> dict[str, Any]:
    """One Rasa server per profile, sharing one action server, started at once.

    ``sqlite`` is the default profile, ``postgres`` the scale-out one (PostgreSQL tracker
    store, Redis lock store, each thrown away afterwards); ``database`` names the
    PostgreSQL database. Every process stops when ``cleanup`` closes.
    """
    database = cleanup.enter_context(throwaway_database())
    key_prefix = cleanup.enter_context(throwaway_key_prefix())
    actions = ActionServer(workdir, port())
    cleanup.callback(actions.stop)
    actions.start()
    stores = {
        "sqlite": (sqlite_tracker_store(workdir),),
        "postgres": (postgres_tracker_store(database), redis_lock_store(key_prefix)),
    }
    bots = {}
    for name, store in stores.items():
        (workdir / name).mkdir()
        endpoints = write_endpoints(workdir / name, actions.port, *store)
        bots[name] = RasaServer(workdir / name, port(), endpoints, ["--auth-token", token])
        cleanup.callback(bots[name].stop)
    start_together(*bots.values())
    return {"database": database, **bots}


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


@contextmanager
def sql_store_on_postgres(domain: Any) -> Iterator[Any]:
    """Rasa's SQL tracker store on a throwaway PostgreSQL database, disposed afterwards."""
    from rasa.core.tracker_store import SQLTrackerStore

    settings = postgres_settings()
    with throwaway_database() as database:
        store = SQLTrackerStore(
            domain,
            dialect="postgresql",
            host=settings["host"],
            port=settings["port"],
            db=database,
            username=settings["user"],
            password=settings["password"],
            login_db=settings["login_db"],
        )
        try:
            yield store
        finally:
            store.engine.dispose()
