"""Which stored conversations `make review` reads (addons/stores/conversations.py): those with
an event in the date range, never one whose user confirmed a deletion, on SQLite and PostgreSQL."""

import asyncio

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.stores.conversations import senders_to_review
from coach.review.turns import DELETE_ACTION

DOMAIN = Domain.from_dict({"intents": ["greet", "affirm"]})
DAY = 86400.0


def conversation(sender: str, day: float, deleted: bool = False) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(UserUttered("你好", {"name": "greet"}, timestamp=day * DAY))
    tracker.update(ActionExecuted("utter_greet", timestamp=day * DAY + 1))
    if deleted:  # the channel's deletion after it failed: the events are still there
        tracker.update(UserUttered("是的", {"name": "affirm"}, timestamp=day * DAY + 2))
        tracker.update(ActionExecuted(DELETE_ACTION, timestamp=day * DAY + 3))
    return tracker


def check_the_senders(store) -> None:
    async def run() -> tuple[list[str], list[str], list[str]]:
        for tracker in (
            conversation("early", 10),
            conversation("late", 20),
            conversation("asked-to-delete", 20, deleted=True),
        ):
            await store.save(tracker)
        return (
            await senders_to_review(store, None, None, DELETE_ACTION),
            await senders_to_review(store, 15 * DAY, None, DELETE_ACTION),
            await senders_to_review(store, 5 * DAY, 15 * DAY, DELETE_ACTION),
        )

    everything, since, between = asyncio.run(run())
    assert everything == ["early", "late"]
    assert since == ["late"]
    assert between == ["early"]


def test_on_sqlite(tmp_path):
    check_the_senders(SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db")))


def test_on_postgresql():
    from tests.support.stores import require_postgres, sql_store_on_postgres

    require_postgres()
    with sql_store_on_postgres(DOMAIN) as store:
        check_the_senders(store)
