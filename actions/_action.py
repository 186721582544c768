"""The one signature of the project's simple actions: a name and an answer.

Rasa calls ``run`` with the domain; an action that does not read it says only ``answer``.
The base is abstract, so rasa-sdk's scan of ``Action`` subclasses does not register it.
"""

from abc import ABCMeta, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher


class Reply(Action, metaclass=ABCMeta):
    action_name: ClassVar[str]

    def name(self) -> str:
        return self.action_name

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        return await self.answer(dispatcher, tracker)

    @abstractmethod
    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """The events of the answer, after it has been sent through ``dispatcher``."""
