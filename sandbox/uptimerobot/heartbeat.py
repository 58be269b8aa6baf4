"""Heartbeat URLs (``/uptimerobot-heartbeat/<token>``, standing in for ``https://heartbeat.uptimerobot.com/<token>``):
a request there tells the heartbeat monitor whose URL it is that its job ran (sandbox/uptimerobot/checker.py).

The vendor shows a plain GET to the URL (uptimerobot/ai `skills/create-heartbeat-monitor`); HEAD and POST are
taken too, and the answer is a small 200 (ASSUMED, deviation uptimerobot-heartbeat-answer: undocumented).
An unknown token answers 404. The token is the credential, as a Slack webhook's URL is.
"""

from __future__ import annotations

from flask import Blueprint, Request, Response, jsonify

from sandbox.contract import Contract, Problem, Unspecified
from sandbox.ratelimit import Quota
from sandbox.state import Caller, sandbox
from sandbox.store import Store
from sandbox.uptimerobot import checker, repo
from sandbox.uptimerobot.accounts import VENDOR

PINGS_PER_MINUTE = 600

pings = Blueprint("uptimerobot_heartbeats", __name__)


@pings.route("/<token>", methods=["GET", "HEAD", "POST"])
def heartbeat(token: str) -> Response:
    # Selected by SQLite on the token (a ping arrives every interval; the whole collection is not read).
    found = sandbox().store.find(VENDOR, repo.MONITORS, None, {"type": "HEARTBEAT", "url": token})
    if not found:
        return _answer(404, "not found")
    checker.ping(found[0], sandbox().clock.now())
    return _answer(200, "ok")


def _answer(status: int, message: str) -> Response:
    answer = jsonify({"status": message})
    answer.status_code = status
    return answer


class HeartbeatVendor:
    name = "uptimerobot-heartbeat"
    prefix = "/uptimerobot-heartbeat"
    host = "heartbeat.uptimerobot.com"

    def __init__(self) -> None:
        self.api = Blueprint("uptimerobot_heartbeat", __name__, url_prefix=self.prefix)
        self.api.register_blueprint(pings)
        self.control = Blueprint("uptimerobot_heartbeat_control", __name__, url_prefix="/_control/heartbeat")
        self.contract: Contract = Unspecified(self.name, "", "https://heartbeat.uptimerobot.com")

    def seed(self, store: Store) -> None:
        return None

    def inventory(self) -> list[str]:
        return []

    def run_due(self, until: float) -> None:
        return None  # the monitors' own vendor checks them

    def authenticate(self, req: Request) -> Caller | None:
        return Caller(1, PINGS_PER_MINUTE)  # the URL is the credential

    def default_rate_limit(self) -> int:
        return PINGS_PER_MINUTE

    def quota_headers(self, quota: Quota) -> list[tuple[str, str]]:
        return []

    def throttled(self, quota: Quota) -> Response:
        return _answer(429, "too many requests")

    def unauthorized(self) -> Response:
        return _answer(404, "not found")

    def server_error(self, status: int) -> Response:
        return _answer(status, "error")

    def route_not_found(self, method: str, path: str) -> Response:
        return _answer(404, "not found")

    def invalid_request(self, problems: list[Problem]) -> Response:
        return _answer(400, "bad request")
