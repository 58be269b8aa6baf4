"""Sentry's event ingestion (Relay) plugged into the shared sandbox pipeline, beside the REST API. Relay
publishes no OpenAPI document: requests are checked by the routes themselves (sandbox/sentry/ingest.py)."""

from flask import Blueprint, Request, Response

from sandbox.contract import Contract, Problem, Unspecified
from sandbox.ratelimit import Quota
from sandbox.sentry import ingest
from sandbox.sentry.orgs import INGEST_HOST
from sandbox.state import Caller
from sandbox.store import Store

EVENTS_PER_MINUTE = 600  # the sandbox's own figure: Relay's limits are per plan and key


def _relay_error(error: ingest.RelayError) -> Response:
    return error.response()


class SentryIngestVendor:
    name = "sentry-ingest"
    prefix = "/sentry-ingest"
    host = INGEST_HOST  # the host of every DSN (sandbox/sentry/keys.py)

    def __init__(self) -> None:
        self.api = Blueprint("sentry_ingest_api", __name__, url_prefix=self.prefix)
        self.api.register_blueprint(ingest.ingest_api)
        self.api.register_error_handler(ingest.RelayError, _relay_error)
        self.control = Blueprint("sentry_ingest_control", __name__, url_prefix="/_control/sentry-ingest")
        self.contract: Contract = Unspecified(self.name, "", f"https://{INGEST_HOST}")

    def seed(self, store: Store) -> None:
        return None

    def inventory(self) -> list[str]:
        return []  # nothing declared lives here

    def run_due(self, until: float) -> None:
        return None

    def authenticate(self, req: Request) -> Caller | None:
        return Caller(1, EVENTS_PER_MINUTE)  # the key is checked by the route, with Relay's own errors

    def default_rate_limit(self) -> int:
        return EVENTS_PER_MINUTE

    def quota_headers(self, quota: Quota) -> list[tuple[str, str]]:
        return []

    def throttled(self, quota: Quota) -> Response:
        # develop-docs/sdk/expected-features/rate-limiting: Retry-After and X-Sentry-Rate-Limits
        # ("seconds:categories:scope", no categories meaning all of them).
        answer = ingest.RelayError(429, "event submission rejected with_reason: TooManyRequests").response()
        answer.headers["Retry-After"] = str(quota.reset_seconds)
        answer.headers["X-Sentry-Rate-Limits"] = f"{quota.reset_seconds}::organization"
        return answer

    def unauthorized(self) -> Response:
        return ingest.RelayError(401, "missing authorization information").response()

    def server_error(self, status: int) -> Response:
        return ingest.RelayError(status, "internal server error").response()

    def route_not_found(self, method: str, path: str) -> Response:
        return ingest.RelayError(404, "not found").response()

    def invalid_request(self, problems: list[Problem]) -> Response:
        return ingest.RelayError(400, "invalid event envelope", *(p.summary for p in problems)).response()
