"""Slack incoming webhooks (``/slack/services/...``, standing in for ``https://hooks.slack.com/services/...``).

Slack publishes no OpenAPI document for incoming webhooks; the answers follow its documentation
("Sending messages using incoming webhooks", api.slack.com/messaging/webhooks, Handling errors): 200 with
the text ``ok``; 400 ``invalid_payload`` for a body that is not JSON, ``no_text`` without ``text`` or
``blocks``; 404 ``no_service`` for a webhook that does not exist; 429 with ``Retry-After`` past about one
message a second per webhook. Every request is accepted as an existing webhook: the URL is the secret.
"""

from flask import Blueprint, Request, Response, request

from sandbox import deliveries
from sandbox.contract import Contract, Problem, Unspecified
from sandbox.ratelimit import Quota
from sandbox.state import Caller
from sandbox.store import Store

MESSAGES_PER_MINUTE = 60


def _text(status: int, body: str) -> Response:
    return Response(body, status=status, mimetype="text/plain")


routes = Blueprint("slack_webhooks", __name__)


@routes.post("/services/<path:hook>")
def post_message(hook: str) -> Response:
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        return _text(400, "invalid_payload")
    if not data.get("text") and not data.get("blocks"):
        return _text(400, "no_text")
    deliveries.record("slack", hook, text=data.get("text") or "", slack_channel=data.get("channel"))
    return _text(200, "ok")


class SlackVendor:
    name = "slack"
    prefix = "/slack"
    host = "hooks.slack.com"

    def __init__(self) -> None:
        self.api = Blueprint("slack", __name__, url_prefix=self.prefix)
        self.api.register_blueprint(routes)
        self.control = Blueprint("slack_control", __name__, url_prefix="/_control/slack")
        self.contract: Contract = Unspecified("slack", "", "https://hooks.slack.com")

    def seed(self, store: Store) -> None:
        return None

    def inventory(self) -> list[str]:
        return []  # nothing declared lives here

    def run_due(self, until: float) -> None:
        return None

    def authenticate(self, req: Request) -> Caller | None:
        return Caller(1, MESSAGES_PER_MINUTE)  # the webhook URL is the credential

    def default_rate_limit(self) -> int:
        return MESSAGES_PER_MINUTE

    def quota_headers(self, quota: Quota) -> list[tuple[str, str]]:
        return []

    def throttled(self, quota: Quota) -> Response:
        answer = _text(429, "rate_limited")
        answer.headers["Retry-After"] = str(quota.reset_seconds)
        return answer

    def unauthorized(self) -> Response:
        return _text(403, "invalid_token")

    def server_error(self, status: int) -> Response:
        return _text(status, "internal_error")

    def route_not_found(self, method: str, path: str) -> Response:
        return _text(404, "no_service")

    def invalid_request(self, problems: list[Problem]) -> Response:
        return _text(400, "invalid_payload")
