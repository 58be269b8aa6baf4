"""The UptimeRobot vendor plugged into the shared sandbox pipeline."""

from flask import Blueprint, Request, Response

from sandbox.collection import Collection, blueprint, declared
from sandbox.contract import Problem
from sandbox.ratelimit import Quota
from sandbox.state import Caller, sandbox
from sandbox.store import Store
from sandbox.uptimerobot import accounts, checker, schemas, web
from sandbox.uptimerobot.control import control, inventory
from sandbox.uptimerobot.errors import UNAUTHORIZED_CODE, ApiError, BadRequest, nest_error

THROTTLED_BODY = "ThrottlerException: Too Many Requests"


def _api_error(error: ApiError) -> Response:
    return error.response()


def _bad_request(error: BadRequest) -> Response:
    return error.response()


class UptimeRobotVendor:
    name = accounts.VENDOR
    prefix = "/uptimerobot/v3"
    host = "api.uptimerobot.com"  # served at a root of its own (sandbox/roots.py)

    def __init__(self) -> None:
        self.contract = schemas.CONTRACT
        schemas.spec_path()  # a missing spec file fails at start-up, not on a request
        self.api = Blueprint("uptimerobot", __name__, url_prefix=self.prefix)
        collections = declared("sandbox.uptimerobot", "COLLECTION", Collection)
        self.api.register_blueprint(blueprint("uptimerobot_collections", web.STYLE, *collections))
        for routes in declared("sandbox.uptimerobot", "routes", Blueprint):  # beyond a collection's five
            self.api.register_blueprint(routes)
        self.api.register_error_handler(ApiError, _api_error)
        self.api.register_error_handler(BadRequest, _bad_request)
        self.control = control

    def seed(self, store: Store) -> None:
        accounts.seed(store)

    def inventory(self) -> list[str]:
        return inventory()

    def run_due(self, until: float) -> None:
        checker.run(until)

    def authenticate(self, req: Request) -> Caller | None:
        scheme, _, key = req.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            return None
        account = accounts.by_key(sandbox().store, key.strip())
        return None if account is None else Caller(account.id, account.rate_limit)

    def default_rate_limit(self) -> int:
        return accounts.PLANS[accounts.DEFAULT_PLAN].rate_limit

    def quota_headers(self, quota: Quota) -> list[tuple[str, str]]:
        # Quirk (live v3): X-RateLimit-Reset counts seconds until the window ends, not a Unix time.
        return [
            ("X-RateLimit-Limit", str(quota.limit)),
            ("X-RateLimit-Remaining", str(quota.remaining)),
            ("X-RateLimit-Reset", str(quota.reset_seconds)),
        ]

    def throttled(self, quota: Quota) -> Response:
        headers = {"Retry-After": str(quota.reset_seconds)}
        return Response(THROTTLED_BODY, status=429, mimetype="text/plain", headers=headers)

    def unauthorized(self) -> Response:
        return ApiError(401, "Unauthorized", UNAUTHORIZED_CODE).response()

    def server_error(self, status: int) -> Response:
        return nest_error(status, "Internal server error" if status == 500 else "Service Unavailable")

    def route_not_found(self, method: str, path: str) -> Response:
        return nest_error(404, f"Cannot {method} {path}")

    def invalid_request(self, problems: list[Problem]) -> Response:
        return nest_error(400, schemas.nest_messages(problems))
