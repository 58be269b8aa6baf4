"""The Sentry vendor plugged into the shared sandbox pipeline."""

import re
import secrets

from flask import Blueprint, Request, Response, current_app
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from sandbox.collection import Collection, Style, blueprint, declared
from sandbox.contract import Contract, Problem
from sandbox.ratelimit import Buckets, Quota
from sandbox.roots import mount
from sandbox.sentry import (
    evaluation,
    integrations,
    orgs,
    ratelimits,
)
from sandbox.sentry.control import control, inventory
from sandbox.sentry.errors import NOT_FOUND, ApiError, field_errors
from sandbox.sentry.web import body, paginate
from sandbox.state import Caller, sandbox
from sandbox.store import Store

# Sentry's collections (sandbox/collection.py): Link-header cursor pages, routes with or without the
# trailing slash, the organization of the path resolved first (404 otherwise), 204 on delete.
STYLE = Style(
    page=paginate,
    body=body,
    before=lambda args: orgs.resolve(args["org"]),
    strict_slashes=False,
    deleted=204,
)
CONTRACT = Contract(
    orgs.VENDOR, "sentry-openapi.json", "https://us.sentry.io/api/0", append_slash=True, empty_is_absent=True
)
_RULE_ARG = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _api_error(error: ApiError) -> Response:
    return error.response()


class SentryVendor:
    name = orgs.VENDOR
    prefix = "/sentry/api/0"
    host = "sentry.io"  # served at a root of its own (sandbox/roots.py)

    def __init__(self) -> None:
        self.api = Blueprint("sentry", __name__, url_prefix=self.prefix)
        collections = declared("sandbox.sentry", "COLLECTION", Collection)
        self.api.register_blueprint(blueprint("sentry_collections", STYLE, *collections))
        for routes in declared("sandbox.sentry", "routes", Blueprint):  # beyond a collection's five
            self.api.register_blueprint(routes)
        self.api.register_error_handler(ApiError, _api_error)
        self.control = control
        self.contract = CONTRACT
        self.buckets = Buckets()

    def seed(self, store: Store) -> None:
        orgs.seed(store)
        integrations.seed(store)
        self.buckets.clear()

    def inventory(self) -> list[str]:
        return inventory()

    def run_due(self, until: float) -> None:
        evaluation.run(until)

    def authenticate(self, req: Request) -> Caller | None:
        token = orgs.bearer_token()
        if token is None or orgs.by_token(token) is None:
            return None
        route = _RULE_ARG.sub(r"{\1}", req.url_rule.rule) if req.url_rule else req.path
        bucket = self.buckets.bucket(token, route, ratelimits.window(sandbox().clock.now()))
        return Caller(bucket, orgs.settings()["rateLimit"])

    def default_rate_limit(self) -> int:
        limit: int = orgs.settings()["rateLimit"]
        return limit

    def quota_headers(self, quota: Quota) -> list[tuple[str, str]]:
        return list(ratelimits.headers(quota, sandbox().clock.now()).items())

    def throttled(self, quota: Quota) -> Response:
        # Quirk (sentry.md, conventions): Sentry's API middleware sets no Retry-After; clients wait for the
        # Reset header.
        return ApiError(429, {"detail": ratelimits.throttled_message(quota.limit)}).response()

    def unauthorized(self) -> Response:
        message = "Invalid token" if orgs.bearer_token() else "Authentication credentials were not provided."
        return ApiError(401, {"detail": message}).response()

    def server_error(self, status: int) -> Response:
        if status == 500:
            return ApiError(500, {"detail": "Internal Error", "errorId": secrets.token_hex(16)}).response()
        return ApiError(status, {"detail": "Service unavailable"}).response()

    def route_not_found(self, method: str, path: str) -> Response:
        try:
            current_app.url_map.bind("sandbox").match(mount(self.prefix) + path, method=method)
        except MethodNotAllowed:
            return ApiError(405, {"detail": f'Method "{method}" not allowed.'}).response()
        except HTTPException:
            pass
        return ApiError(404, {"detail": NOT_FOUND}).response()

    def invalid_request(self, problems: list[Problem]) -> Response:
        return ApiError(400, field_errors(problems)).response()
