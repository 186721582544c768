"""What the WeChat channel keeps between messages, per process. No Rasa import.

* the buttons each conversation was shown (menu id → payload), so a tap maps back;
* the parts of a cut reply still to be shown on 「继续」;
* the answer to each message (by ``MsgId``, events by sender + ``CreateTime``): WeChat
  retries a message it got no answer to within 5 s, up to three times, and a retry must
  get the same reply without running the turn again. A retry that arrives while its turn
  is still running waits for that turn.

All of it is bounded in size and age and forgotten when the conversation is deleted.
Behind several servers, a retry that reaches another server finds the reply in the
conversation's stored events (addons/channels/replies.py) instead.
"""

import asyncio
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from addons.channels.wechat.render import Part

MAX_ANSWERS = 2000
ANSWER_SECONDS = 15 * 60
MAX_BUTTONS = 60  # per conversation: the latest replies' buttons
MAX_CONVERSATIONS = 5000

T = TypeVar("T")
Key = tuple[str, str]


class Bounded(Generic[T]):
    """An ordered mapping that drops its oldest entries beyond ``size``."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict[str, T] = OrderedDict()

    def get(self, key: str) -> T | None:
        return self.items.get(key)

    def put(self, key: str, value: T) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)

    def pop(self, key: str) -> T | None:
        return self.items.pop(key, None)


class ConversationMemory:
    def __init__(self) -> None:
        self.buttons: Bounded[Bounded[str]] = Bounded(MAX_CONVERSATIONS)
        self.counters: dict[str, int] = {}
        self.pending: Bounded[list[Part]] = Bounded(MAX_CONVERSATIONS)
        self.answers: OrderedDict[Key, tuple[float, str]] = OrderedDict()
        self.running: dict[Key, asyncio.Future[str]] = {}
        # Menu ids of this process: a tap on a button shown before a restart is not
        # mistaken for a new one (it is read as its title's text instead).
        self.prefix = secrets.token_hex(2)

    # --- buttons ---------------------------------------------------------------------

    def button_id(self, sender: str, payload: str) -> str:
        """A new menu id for ``payload`` in ``sender``'s conversation."""
        number = self.counters.get(sender, 0) + 1
        self.counters[sender] = number
        shown = self.buttons.get(sender)
        if shown is None:
            shown = Bounded(MAX_BUTTONS)
            self.buttons.put(sender, shown)
        menu_id = f"{self.prefix}{number}"
        shown.put(menu_id, payload)
        return menu_id

    def tapped(self, sender: str, menu_id: str) -> str | None:
        """The payload of the button ``menu_id`` shown to ``sender``, if it is known."""
        shown = self.buttons.get(sender)
        return shown.get(menu_id) if shown is not None else None

    # --- the rest of a cut reply -----------------------------------------------------

    def keep_rest(self, sender: str, parts: list[Part]) -> None:
        if parts:
            self.pending.put(sender, list(parts))
        else:
            self.pending.pop(sender)

    def has_rest(self, sender: str) -> bool:
        return bool(self.pending.get(sender))

    # --- one answer per message ------------------------------------------------------

    def answered(self, key: Key) -> str | None:
        entry = self.answers.get(key)
        if entry is None:
            return None
        at, answer = entry
        if time.monotonic() - at > ANSWER_SECONDS:
            del self.answers[key]
            return None
        return answer

    def remember(self, key: Key, answer: str) -> None:
        self.answers[key] = (time.monotonic(), answer)
        self.answers.move_to_end(key)
        while len(self.answers) > MAX_ANSWERS:
            self.answers.popitem(last=False)

    def once(self, key: Key, answer: Callable[[], Awaitable[str]]) -> "asyncio.Future[str]":
        """The running or finished answer to ``key``; ``answer()`` runs once for it.

        The answer is remembered when it finishes, even if WeChat stopped waiting.
        """
        earlier = self.answered(key)
        if earlier is not None:
            done: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            done.set_result(earlier)
            return done
        task = self.running.get(key)
        if task is None:
            task = asyncio.ensure_future(answer())
            self.running[key] = task
            task.add_done_callback(lambda finished: self._finished(key, finished))
        return task

    def _finished(self, key: Key, task: "asyncio.Future[str]") -> None:
        if self.running.get(key) is task:
            del self.running[key]
        if not task.cancelled() and task.exception() is None:
            self.remember(key, task.result())

    def forget(self, sender: str, keep: str | None = None) -> None:
        """Drops what is kept of ``sender``'s conversation (it was deleted)."""
        self.buttons.pop(sender)
        self.counters.pop(sender, None)
        self.pending.pop(sender)
        for key in [k for k in self.answers if k[0] == sender and k[1] != keep]:
            del self.answers[key]
