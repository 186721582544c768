"""The REST channel at ``/webhooks/rest/webhook``, with the guard and the fallback.

Same URL and JSON as Rasa's ``rest`` channel (docs/contract.md), but a malformed body gets a
400 with a clear JSON error instead of a 500, empty or over-long messages are answered
by the channel, and a turn in which the bot said nothing gets the "please try again"
reply. Rasa's ``?stream=true`` option is not supported: replies come as one JSON list.

Its blueprint also starts the server's retention loop (``addons/stores/retention.py``): once
the server is up, and then every hour, the conversations idle for longer than the
retention period are deleted, each under its lock, in the background.
"""

import logging
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.handling import OnNewMessage, handle_chat
from addons.patches import speedups
from addons.stores.conversations import purge_idle_conversations
from addons.stores.retention import Purger, describe

logger = logging.getLogger(__name__)


async def purge_agent_conversations(app: Sanic, cutoff: float, days: float) -> int:
    """Deletes the idle conversations of the app's tracker store; how many went."""
    agent = getattr(app.ctx, "agent", None)
    if agent is None or not agent.is_ready():
        return 0
    deleted = await purge_idle_conversations(agent.lock_store, agent.tracker_store, cutoff)
    if deleted:  # never the ids: they may be phone numbers
        logger.info("Deleted %d conversations idle for %s.", len(deleted), describe(days))
    return len(deleted)


async def start_purging(app: Sanic, _: Any) -> None:
    purger = Purger(lambda cutoff: purge_agent_conversations(app, cutoff, purger.days))
    app.ctx.purger = purger.start()


async def stop_purging(app: Sanic, _: Any) -> None:
    purger = getattr(app.ctx, "purger", None)
    if purger is not None:
        await purger.stop()


class CoachRestInput(RestInput):
    """Rasa's RestInput with the coach's input checks."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        speedups.install()
        blueprint = Blueprint("coach_rest_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await handle_chat(request, on_new_message, self.name())

        blueprint.listener("after_server_start")(start_purging)
        blueprint.listener("before_server_stop")(stop_purging)
        return blueprint
