"""The PagerDuty vendor plugged into the shared sandbox pipeline (REST API v2)."""

from flask import Blueprint, Request, Response

from sandbox.collection import Collection, blueprint, declared
from sandbox.contract import Contract, Problem
from sandbox.pagerduty import escalation, repo, web
from sandbox.pagerduty.control import control, inventory
from sandbox.pagerduty.errors import AUTHENTICATION_FAILED, RATE_LIMITED, ApiError, invalid, not_found
from sandbox.ratelimit import Quota
from sandbox.state import Caller
from sandbox.store import Store

API_TOKEN = "sandbox-pagerduty-token"
# 960 requests per minute per API key (reference/pagerduty.md, "Rate limit (2023 refresh)").
REQUESTS_PER_MINUTE = 960
CONTRACT = Contract(repo.VENDOR, "pagerduty-rest-openapi.json", web.API)


def _api_error(error: ApiError) -> Response:
    return error.response()


class PagerDutyVendor:
    name = repo.VENDOR
    prefix = "/pagerduty"
    host = "api.pagerduty.com"  # served at a root of its own (sandbox/roots.py)

    def __init__(self) -> None:
        self.api = Blueprint("pagerduty", __name__, url_prefix=self.prefix)
        collections = declared("sandbox.pagerduty", "COLLECTION", Collection)
        self.api.register_blueprint(blueprint("pagerduty_collections", web.STYLE, *collections))
        for routes in declared("sandbox.pagerduty", "routes", Blueprint):  # beyond a collection's five
            self.api.register_blueprint(routes)
        self.api.register_error_handler(ApiError, _api_error)
        self.control = control
        self.contract = CONTRACT

    def seed(self, store: Store) -> None:
        return None  # people are seeded through the control API, as an admin invites them

    def inventory(self) -> list[str]:
        return inventory()

    def run_due(self, until: float) -> None:
        escalation.run(until)

    def authenticate(self, req: Request) -> Caller | None:
        # `Authorization: Token token=<key>` (reference/pagerduty.md, REST API v2: auth).
        scheme, _, rest = req.headers.get("Authorization", "").partition(" ")
        if scheme != "Token" or rest.strip() != f"token={API_TOKEN}":
            return None
        return Caller(repo.ACCOUNT, REQUESTS_PER_MINUTE)

    def default_rate_limit(self) -> int:
        return REQUESTS_PER_MINUTE

    def quota_headers(self, quota: Quota) -> list[tuple[str, str]]:
        # `ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` (seconds until the window resets).
        return [
            ("ratelimit-limit", str(quota.limit)),
            ("ratelimit-remaining", str(quota.remaining)),
            ("ratelimit-reset", str(quota.reset_seconds)),
        ]

    def throttled(self, quota: Quota) -> Response:
        response = ApiError(429, "Rate Limit Exceeded", RATE_LIMITED).response()
        response.headers.update(dict(self.quota_headers(quota)))
        return response

    def unauthorized(self) -> Response:
        return ApiError(401, "Authentication failed", AUTHENTICATION_FAILED).response()

    def server_error(self, status: int) -> Response:
        return ApiError(
            status, "Internal Server Error" if status == 500 else "Service Unavailable", 2000
        ).response()

    def route_not_found(self, method: str, path: str) -> Response:
        return not_found().response()

    def invalid_request(self, problems: list[Problem]) -> Response:
        return invalid(*(p.summary for p in problems)).response()
