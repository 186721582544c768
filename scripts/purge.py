"""Delete the conversations idle for longer than the retention period, once (`make purge`).

Opens the tracker store and the lock store of an endpoints file as Rasa does (default
``var/endpoints.yml``) and deletes every conversation whose latest event is older than
``COACH_RETENTION_DAYS`` days (default 90; see addons/stores/retention.py), each under its
conversation lock. A running server does the same every hour; this is for a server that
is stopped, or to purge at once. With the default profile's in-memory lock store the
lock is this script's own: a user writing to a running server at the very moment their
90-day-old conversation is purged may then keep it (the scale-out profile's Redis lock
is shared with the servers).

    .venv/bin/python scripts/purge.py [--endpoints var/endpoints.yml] [--days 90]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from addons.stores.retention import cutoff, describe, retention_days  # noqa: E402


async def purge(endpoints_file: str, days: float) -> int:
    from rasa.core.lock_store import LockStore
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import AvailableEndpoints

    from addons.stores.conversations import purge_idle_conversations

    warnings.filterwarnings("ignore", category=DeprecationWarning)  # Rasa's SQLAlchemy use
    endpoints = AvailableEndpoints.read_endpoints(endpoints_file)
    tracker_store = TrackerStore.create(endpoints.tracker_store)
    lock_store = LockStore.create(endpoints.lock_store)
    deleted = await purge_idle_conversations(lock_store, tracker_store, cutoff(time.time(), days))
    return len(deleted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--endpoints", default="var/endpoints.yml")
    parser.add_argument("--days", type=float, help="default: $COACH_RETENTION_DAYS or 90")
    args = parser.parse_args(argv)
    try:
        days = retention_days() if args.days is None else args.days
        if not days > 0:
            raise ValueError(f"--days must be a positive number, not {days}")
    except ValueError as error:
        parser.error(str(error))
    if not Path(args.endpoints).is_file():
        parser.error(f"no endpoints file {args.endpoints} (run `make setup` first)")
    deleted = asyncio.run(purge(args.endpoints, days))
    print(f"Deleted {deleted} conversation(s) idle for more than {describe(days)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
