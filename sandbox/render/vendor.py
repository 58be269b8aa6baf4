"""The Render vendor plugged into the shared sandbox pipeline."""

import re

from flask import Blueprint, Request, Response, request

from sandbox.collection import declared
from sandbox.contract import Contract, Problem
from sandbox.ratelimit import Buckets, Quota
from sandbox.render import (
    accounts,
    catalog,
    errors,
    ratelimits,
    runtime,
)
from sandbox.render.control import control, inventory
from sandbox.render.errors import JSON_CONTENT_TYPE, ApiError, request_id
from sandbox.state import Caller, sandbox
from sandbox.store import Store

CONTRACT = Contract(accounts.VENDOR, "render-openapi.json", "https://api.render.com/v1")
_RULE_ARG = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_CAMEL = re.compile(r"(?<!^)([A-Z])")
_ANONYMOUS = "anonymous"


def _api_error(error: ApiError) -> Response:
    return error.response()


def _snake_case_args(endpoint: str | None, values: dict[str, str] | None) -> None:
    """Routes name their arguments as the spec does (``{serviceId}``, which the request counters show);
    views receive them in snake case."""
    if values:
        for name in list(values):
            values[_CAMEL.sub(r"_\1", name).lower()] = values.pop(name)


def _not_acceptable() -> Response | None:
    """406 when the ``Accept`` header rules out JSON (every Render response is JSON)."""
    if "Accept" in request.headers and not request.accept_mimetypes.accept_json:
        return ApiError(406, "not acceptable: the API only serves application/json").response()
    return None


def _stamp(response: Response) -> Response:
    if response.mimetype == "application/json":
        response.headers["Content-Type"] = JSON_CONTENT_TYPE  # as recorded (render.md, conventions)
    response.headers.setdefault("Render-Request-Id", request_id())
    return response


class RenderVendor:
    name = accounts.VENDOR
    prefix = "/render/v1"
    host = "api.render.com"  # served at a root of its own (sandbox/roots.py)

    def __init__(self) -> None:
        self.api = Blueprint("render", __name__, url_prefix=self.prefix)
        for routes in declared("sandbox.render", "routes", Blueprint):
            self.api.register_blueprint(routes)
        self.api.register_error_handler(ApiError, _api_error)
        self.api.url_value_preprocessor(_snake_case_args)
        self.api.before_request(_not_acceptable)
        self.api.after_request(_stamp)
        self.control = control
        self.contract = CONTRACT
        self.buckets = Buckets()

    def seed(self, store: Store) -> None:
        catalog.seed(store)
        self.buckets.clear()

    def inventory(self) -> list[str]:
        return inventory()

    def run_due(self, until: float) -> None:
        runtime.run(until)

    def authenticate(self, req: Request) -> Caller | None:
        scheme, _, key = req.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or key.strip() != accounts.API_KEY:
            return None
        rate_class, scope = self._classify(req)
        return Caller(self.buckets.bucket(key.strip(), rate_class, scope), ratelimits.limit(rate_class))

    def default_rate_limit(self) -> int:
        return ratelimits.limit(self._classify(request)[0])

    def quota_headers(self, quota: Quota) -> list[tuple[str, str]]:
        pairs = list(ratelimits.headers(quota).items())
        return pairs * 2 if (request.method, self._route(request)) in ratelimits.REPEATED_HEADERS else pairs

    def throttled(self, quota: Quota) -> Response:
        # No Retry-After: none was ever recorded (render.md, rate limits); clients wait for Ratelimit-Reset.
        response = ApiError(429, "rate limit exceeded").response()
        response.headers.update(ratelimits.headers(quota))
        return response

    def unauthorized(self) -> Response:
        response = ApiError(401, "unauthorized", "unauthorized").response()
        rate_class, scope = self._classify(request)
        bucket = self.buckets.bucket(_ANONYMOUS, rate_class, scope)
        quota = sandbox().limiter.peek(
            f"{self.name}:{bucket}", ratelimits.limit(rate_class), sandbox().clock.now()
        )
        response.headers.update(ratelimits.headers(quota))  # reported, not counted
        return response

    def server_error(self, status: int) -> Response:
        message = "internal server error" if status == 500 else "service unavailable"
        return ApiError(status, message).response()

    def route_not_found(self, method: str, path: str) -> Response:
        return ApiError(404, "not found").response()

    def _route(self, req: Request) -> str:
        """The spec's path template of the request (``/services/{serviceId}``)."""
        return _RULE_ARG.sub(r"{\1}", req.url_rule.rule)[len(self.prefix) :] if req.url_rule else req.path

    def _classify(self, req: Request) -> tuple[str, str]:
        args = req.view_args or {}
        return ratelimits.classify(
            req.method, self._route(req), args.get("service_id") or args.get("serviceId")
        )

    def invalid_request(self, problems: list[Problem]) -> Response:
        return ApiError(400, errors.contract_message(problems)).response()
