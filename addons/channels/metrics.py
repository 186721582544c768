"""``GET /metrics``: the coach's counters in Prometheus' text format (addons/patches/metrics.py).

A channel only because Rasa builds a server's routes from credentials.yml: its URL prefix
is ``/metrics`` itself (not ``/webhooks/metrics``), and building its route installs the
counting. It takes no messages. The counters hold intent and milestone names and numbers
only; docs/operations.md has the scrape config. Keep the path off the public proxy
(deploy/nginx.conf serves only ``/webhooks/``).
"""

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.handling import OnNewMessage
from addons.patches import metrics


class MetricsInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "metrics"

    def url_prefix(self) -> str:
        return "/metrics"  # urljoin("/webhooks/", "/metrics") is "/metrics"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        metrics.install()
        blueprint = Blueprint("coach_metrics", __name__)

        @blueprint.route("", methods=["GET"], strict_slashes=False)
        async def scrape(request: Request) -> HTTPResponse:
            body = generate_latest(metrics.REGISTRY)
            return response.raw(body, content_type=CONTENT_TYPE_LATEST)

        return blueprint
