"""The REST channel at ``/webhooks/rest/webhook``, with the guard and the fallback.

Same URL and JSON as Rasa's ``rest`` channel (CONTRACT.md), but a malformed body gets a
400 with a clear JSON error instead of a 500, empty or over-long messages are answered
by the channel, and a turn in which the bot said nothing gets the "please try again"
reply. Rasa's ``?stream=true`` option is not supported: replies come as one JSON list.
"""


from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.handling import OnNewMessage, handle_chat


class CoachRestInput(RestInput):
    """Rasa's RestInput with the coach's input checks."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint("coach_rest_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await handle_chat(request, on_new_message, self.name())

        return blueprint
