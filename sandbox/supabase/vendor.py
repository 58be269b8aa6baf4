"""The Supabase Management API v1 plugged into the shared sandbox pipeline (``/supabase`` standing in for
``https://api.supabase.com``; the spec's paths begin with ``/v1``).

Auth: ``Authorization: Bearer <access token>`` (a personal token ``sbp_`` and 40 hex digits, the format
the official CLI checks). Rate limit: 120 requests a minute per user and project (Supabase's API
reference, "Rate limits"), reported in ``x-ratelimit-limit``, ``x-ratelimit-remaining`` and
``x-ratelimit-reset`` (seconds until the window ends; recorded on staging answers). Errors are
``{"message"}`` (sandbox/supabase/errors.py).
"""

from __future__ import annotations

import re

from flask import Blueprint, Request, Response

from sandbox.clock import Clock
from sandbox.collection import declared
from sandbox.contract import Contract, Problem
from sandbox.ratelimit import Buckets, Quota
from sandbox.state import Caller
from sandbox.store import Store
from sandbox.supabase import backups, repo
from sandbox.supabase.control import control
from sandbox.supabase.errors import ApiError

ACCESS_TOKEN = "sbp_5a7d0c1e9b3f4a6d8c2e0f1a3b5c7d9e1f2a4b6c"  # harness.sandbox_process.SUPABASE_TOKEN
REQUESTS_PER_MINUTE = 120
CONTRACT = Contract(repo.VENDOR, "supabase-management-openapi.json", "https://api.supabase.com")
_PROJECT = re.compile(r"^/v1/projects/([a-z]{20})(?:/|$)")


def _api_error(error: ApiError) -> Response:
    return error.response()


class SupabaseVendor:
    name = repo.VENDOR
    prefix = "/supabase"
    host = "api.supabase.com"  # served at a root of its own (sandbox/roots.py)

    def __init__(self) -> None:
        self.api = Blueprint("supabase", __name__, url_prefix=self.prefix)
        for routes in declared("sandbox.supabase", "routes", Blueprint):
            self.api.register_blueprint(routes)
        self.api.register_error_handler(ApiError, _api_error)
        self.control = control
        self.contract = CONTRACT
        self.buckets = Buckets()

    def seed(self, store: Store) -> None:
        repo.seed(store, Clock(store).now())  # seeding runs outside any request
        self.buckets.clear()

    def inventory(self) -> list[str]:
        return []  # a plan makes nothing in Supabase: Lookout only reads it

    def run_due(self, until: float) -> None:
        backups.run(until)

    def authenticate(self, req: Request) -> Caller | None:
        scheme, _, token = req.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or token.strip() != ACCESS_TOKEN:
            return None
        project = _PROJECT.match(req.path[len(self.prefix) :])
        scope = project[1] if project else "organization"  # per user and per project (or organization)
        return Caller(self.buckets.bucket(token.strip(), "api", scope), REQUESTS_PER_MINUTE)

    def default_rate_limit(self) -> int:
        return REQUESTS_PER_MINUTE

    def quota_headers(self, quota: Quota) -> list[tuple[str, str]]:
        return [
            ("x-ratelimit-limit", str(quota.limit)),
            ("x-ratelimit-remaining", str(quota.remaining)),
            ("x-ratelimit-reset", str(quota.reset_seconds)),
        ]

    def throttled(self, quota: Quota) -> Response:
        # The body of a real 429 was never recorded (assumption supabase-429-body).
        response = ApiError(429, "Too Many Requests").response()
        response.headers.update(dict(self.quota_headers(quota)))
        return response

    def unauthorized(self) -> Response:
        return ApiError(401, "Unauthorized").response()

    def server_error(self, status: int) -> Response:
        return ApiError(
            status, "Internal Server Error" if status == 500 else "Service Unavailable"
        ).response()

    def route_not_found(self, method: str, path: str) -> Response:
        return ApiError(404, "Not Found").response()

    def invalid_request(self, problems: list[Problem]) -> Response:
        return ApiError(400, "; ".join(p.summary for p in problems) or "Bad Request").response()
