"""The review queue of misunderstood turns (`make review`).

Reads every conversation of the tracker store named in the endpoints file (``ENDPOINTS``,
default ``var/endpoints.yml``: SQLite by default, PostgreSQL with PROFILE=scale) and writes
the turns worth a person's look to ``REVIEW_OUT`` (default ``var/review/queue.jsonl``), one
JSON object a line, its text masked and its conversation a salted hash (coach/review/).
Conversations whose users confirmed deleting their data are never read. Then it runs the
markers of markers.yml (``rasa evaluate markers``) and prints how many conversations reached
each milestone. A reviewer fills in ``correct_intent``; `make review-apply` takes it into
training (scripts/review_apply.py). docs/operations.md has the details.

    .venv/bin/python scripts/review.py [--endpoints F] [--out F] [--since 2026-12-01]
                                       [--until 2026-12-08] [--no-markers]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from coach.review.turns import (  # noqa: E402
    DELETE_ACTION,
    QueueItem,
    ReviewSummary,
    conversation_key,
    review_conversation,
)

DEFAULT_SALT_FILE = ROOT / "var" / "review_salt"


def epoch(day: str) -> float:
    """Midnight UTC of a YYYY-MM-DD date, as epoch seconds."""
    parsed = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def load_salt(path: Path) -> bytes:
    """The salt of the conversation hashes, made once (readable by this user only)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(os.urandom(32))
    return path.read_bytes()


async def review(
    endpoints_file: str, salt: bytes, since: float | None, until: float | None
) -> tuple[ReviewSummary, list[QueueItem]]:
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import AvailableEndpoints

    from addons.stores.conversations import senders_to_review, unwrap

    warnings.filterwarnings("ignore", category=DeprecationWarning)  # Rasa's SQLAlchemy use
    endpoints = AvailableEndpoints.read_endpoints(endpoints_file)
    store = unwrap(TrackerStore.create(endpoints.tracker_store))
    summary, queue = ReviewSummary(), []
    for sender_id in await senders_to_review(store, since, until, DELETE_ACTION):
        tracker = await store.retrieve_full_tracker(sender_id)
        events = [event.as_dict() for event in tracker.events] if tracker else []
        read, items = review_conversation(
            events, conversation_key(salt, sender_id), since=since, until=until
        )
        if read:
            summary.add(read, items)
            queue += items
    return summary, queue


def private(path: Path, newline: str | None = None) -> TextIO:
    """``path`` opened for writing, readable by this user only (users' wording, if masked)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "w", encoding="utf-8", newline=newline)


def write_queue(path: Path, queue: list[QueueItem]) -> None:
    with private(path) as handle:
        for item in sorted(queue, key=lambda item: item.timestamp):
            handle.write(json.dumps(item.as_json(), ensure_ascii=False) + "\n")


def marker_counts(endpoints_file: str, salt: bytes, out_dir: Path) -> Counter[str]:
    """How many conversations reached each marker of markers.yml; the CSV Rasa writes
    (raw sender ids) stays in a temporary directory, a hashed copy goes to ``out_dir``."""
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "markers.csv"
        command = [
            str(ROOT / ".venv" / "bin" / "rasa"),
            "evaluate",
            "markers",
            "all",
            "--no-stats",  # else it writes stats-*.csv into the working directory
            "--config",
            str(ROOT / "markers.yml"),
            "--endpoints",
            endpoints_file,
            "-d",
            str(ROOT / "domain.yml"),
            str(raw),
        ]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"rasa evaluate markers failed:\n{done.stderr[-2000:]}")
        with raw.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    return write_hashed_markers(rows, salt, out_dir / "markers.csv")


def write_hashed_markers(rows: list[dict[str, str]], salt: bytes, path: Path) -> Counter[str]:
    reached: set[tuple[str, str]] = set()
    with private(path, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["conversation", "session_idx", "marker", "num_preceding_user_turns"])
        for row in rows:
            conversation = conversation_key(salt, row["sender_id"])
            reached.add((conversation, row["marker"]))
            writer.writerow(
                [conversation, row["session_idx"], row["marker"], row["num_preceding_user_turns"]]
            )
    return Counter(marker for _, marker in reached)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--endpoints", default=os.environ.get("ENDPOINTS", "var/endpoints.yml"))
    parser.add_argument(
        "--out", default=os.environ.get("REVIEW_OUT", "var/review/queue.jsonl"), type=Path
    )
    parser.add_argument("--salt-file", default=DEFAULT_SALT_FILE, type=Path)
    parser.add_argument("--since", type=epoch, help="first day, YYYY-MM-DD (UTC)")
    parser.add_argument("--until", type=epoch, help="day after the last, YYYY-MM-DD (UTC)")
    parser.add_argument("--no-markers", action="store_true", help="skip rasa evaluate markers")
    args = parser.parse_args(argv)
    if not Path(args.endpoints).is_file():
        parser.error(f"no endpoints file {args.endpoints} (run `make setup` first)")
    salt = load_salt(args.salt_file)
    summary, queue = asyncio.run(review(args.endpoints, salt, args.since, args.until))
    write_queue(args.out, queue)
    print("\n".join(summary.lines()))
    print(f"Queue: {args.out}")
    if not args.no_markers:
        counts = marker_counts(args.endpoints, salt, args.out.parent)
        print("Conversations that reached each marker (markers.yml):")
        for marker in marker_names():
            print(f"  {marker}: {counts[marker]}")
    return 0


def marker_names() -> list[str]:
    import yaml

    return list(yaml.safe_load((ROOT / "markers.yml").read_text(encoding="utf-8")))


if __name__ == "__main__":
    sys.exit(main())
