"""The channel shapes each turn's reply from the conversation's stored events."""

import asyncio

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.channels.shaping import shaped_reply, turn_of

RIGHTS = "\n".join(f"· 第{n}条：催收不得骚扰、辱骂、威胁，不得向家人透露欠款。" for n in range(12))


def stored(*events):
    store = InMemoryTrackerStore(Domain.empty())
    tracker = DialogueStateTracker.from_events("s1", list(events))
    asyncio.run(store.save(tracker))
    return store


def user(text, intent):
    return UserUttered(text, {"name": intent, "confidence": 1.0})


def test_the_turn_is_the_latest_user_message_with_the_bot_texts_before_it():
    events = [
        e.as_dict()
        for e in (user("我有哪些权利", "ask_legal_rights"), BotUttered(RIGHTS), user("太长了", "x"))
    ]
    turn = turn_of(events, "太长了")
    assert turn.intent == "x" and turn.earlier == [RIGHTS]


def test_a_stored_conversation_shapes_the_reply_and_keeps_the_recipient():
    store = stored(
        user("我有哪些权利", "ask_legal_rights"),
        BotUttered(RIGHTS),
        user("他们就在门口", "ask_home_visit"),
    )
    reply = [{"recipient_id": "s1", "text": RIGHTS}]
    shaped = asyncio.run(shaped_reply(store, "s1", "他们就在门口", reply))
    assert shaped[0]["text"].startswith("先顾安全") and shaped[0]["recipient_id"] == "s1"
    assert shaped[-1]["buttons"][0]["payload"] == "/ask_home_visit"


def test_without_a_store_the_reply_is_left_as_it_is():
    reply = [{"recipient_id": "s1", "text": RIGHTS}]
    assert asyncio.run(shaped_reply(None, "s1", "他们就在门口", reply)) == reply
