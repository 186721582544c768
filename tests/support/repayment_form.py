"""Running validate_repayment_form on a tracker the tests describe."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.repayment_form import ValidateRepaymentForm
from tests.support.trackers import domain, tracker


def validate(
    slots: dict[str, Any],
    intent: str = "inform_finances",
    text: str = "",
    entities: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The form's events and messages for one message inside the repayment form."""
    dispatcher = CollectingDispatcher()
    found = asyncio.run(
        ValidateRepaymentForm().run(
            dispatcher,
            tracker(
                slots,
                intent=intent,
                text=text,
                entities=entities,
                active_loop="repayment_form",
                events=events,
            ),
            domain(),
        )
    )
    return found, dispatcher.messages
