"""The PagerDuty Events API v2 plugged into the shared sandbox pipeline, beside the REST API."""

from flask import Blueprint, Request, Response, jsonify

from sandbox.contract import Contract, Problem
from sandbox.pagerduty import events
from sandbox.ratelimit import Quota
from sandbox.state import Caller
from sandbox.store import Store

# About 120 events a minute per routing key (reference/pagerduty.md, Events API v2).
EVENTS_PER_MINUTE = 120
CONTRACT = Contract("pagerduty-events", "pagerduty-events-v2-openapi.json", "https://events.pagerduty.com/v2")


def _event_error(error: events.EventError) -> Response:
    return error.response()


class PagerDutyEventsVendor:
    name = "pagerduty-events"
    prefix = "/pagerduty-events/v2"
    host = "events.pagerduty.com"

    def __init__(self) -> None:
        self.api = Blueprint("pagerduty_events_api", __name__, url_prefix=self.prefix)
        self.api.register_blueprint(events.events_api)
        self.api.register_error_handler(events.EventError, _event_error)
        self.control = Blueprint(
            "pagerduty_events_control", __name__, url_prefix="/_control/pagerduty-events"
        )
        self.contract = CONTRACT

    def seed(self, store: Store) -> None:
        return None

    def inventory(self) -> list[str]:
        return []  # nothing declared lives here

    def run_due(self, until: float) -> None:
        return None

    def authenticate(self, req: Request) -> Caller | None:
        return Caller(1, EVENTS_PER_MINUTE)  # the routing key in the body is the credential

    def default_rate_limit(self) -> int:
        return EVENTS_PER_MINUTE

    def quota_headers(self, quota: Quota) -> list[tuple[str, str]]:
        return []  # the Events API documents none

    def throttled(self, quota: Quota) -> Response:
        error = events.EventError(429, "throttled", "Too many events for this routing key; retry later", [])
        return error.response()

    def unauthorized(self) -> Response:
        return events.invalid("Invalid routing key").response()

    def server_error(self, status: int) -> Response:
        answer = jsonify({"status": "error", "message": "Internal Server Error", "errors": []})
        answer.status_code = status
        return answer

    def route_not_found(self, method: str, path: str) -> Response:
        answer = jsonify({"status": "not found", "message": f"Cannot {method} {path}", "errors": []})
        answer.status_code = 404
        return answer

    def invalid_request(self, problems: list[Problem]) -> Response:
        return events.invalid(*(events.reason(p) for p in problems)).response()
