"""The Optio app of the plan, as Flask: the backend's API (`/api/health` exactly as the plan's Step 3, logins,
payments, a read endpoint) or the frontend's page, with the plan's error handling (a request id on every
answer and in every error body) and Sentry initialised as the plan's Step 1 (refapp/telemetry.py).

`role` picks what it serves: "backend" or "frontend". Its faults (refapp/faults.py) change its answers.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from refapp import telemetry
from refapp.faults import Faults, Share

ROLES = ("backend", "frontend")
REQUEST_ID = "X-Request-ID"
PASSWORD = "correct horse battery staple"  # the one account's (the app has no real users)


class DatabaseError(Exception):
    """What the database client raises when the database cannot be reached."""


def create_app(role: str, environ: Mapping[str, str], faults: Faults | None = None) -> Flask:
    """The app for `role`, configured from `environ` (the service's env vars: SENTRY_DSN, APP_VERSION,
    FLASK_ENV), its faults in `app.extensions["faults"]`."""
    if role not in ROLES:
        raise ValueError(f"role: one of {', '.join(ROLES)}, got {role!r}")
    if role == "backend":  # the plan initialises Sentry in backend/app.py
        telemetry.init(environ)
    app = Flask(f"optio-{role}")
    app.extensions["faults"] = faults = faults or Faults()
    app.extensions["environ"] = dict(environ)
    errors, logins = Share(), Share()

    @app.before_request
    def _request_id() -> None:
        g.request_id = request.headers.get(REQUEST_ID) or secrets.token_hex(8)

    @app.before_request
    def _api_faults() -> None:
        if not request.path.startswith("/api/") or request.path == "/api/health":
            return
        if faults.delay:
            time.sleep(faults.delay)
        if errors.hit(faults.error_share):
            raise RuntimeError("injected failure (error_share)")

    @app.after_request
    def _stamp(response: Response) -> Response:
        response.headers[REQUEST_ID] = g.get("request_id", "")
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[Response, int]:
        # An unhandled exception arrives here as a 500 after Flask has signalled it to Sentry's integration
        # (`got_request_exception`; a handler for Exception itself would stop that signal). Its description
        # is generic: production hides the details, as the plan's error handler does.
        return _error(error.code or 500, error.name, error.description or "")

    app.add_url_rule("/_faults", "faults_view", lambda: jsonify(faults.view()), methods=["GET"])
    app.add_url_rule("/_faults", "faults_update", lambda: _update_faults(faults), methods=["PUT"])
    if role == "backend":
        _backend(app, faults, environ, logins)
    else:
        app.add_url_rule("/", "index", _index)
        app.add_url_rule("/api/health", "frontend_health", lambda: _frontend_health(environ))
    return app


def _backend(app: Flask, faults: Faults, environ: Mapping[str, str], logins: Share) -> None:
    @app.get("/api/health")
    def health_check() -> tuple[Response, int]:
        """The plan's Step 3, line for line (the Stripe check needs `?full=true` and a key: omitted)."""
        status: dict[str, Any] = {
            "status": "healthy",
            "timestamp": datetime.now(timezone.utc).replace(tzinfo=None).isoformat(),
            "version": environ.get("APP_VERSION", "unknown"),
            "environment": environ.get("FLASK_ENV", "production"),
        }
        checks: dict[str, Any] = {}
        healthy = True
        try:
            start = time.time()
            _query_users(faults)
            checks["database"] = {"status": "healthy", "response_time_ms": int((time.time() - start) * 1000)}
        except DatabaseError as failed:
            checks["database"] = {"status": "unhealthy", "error": str(failed)}
            healthy = False
        status["checks"] = checks
        status["status"] = "healthy" if healthy else "unhealthy"
        return jsonify(status), 200 if healthy else 503

    @app.post("/api/auth/login")
    def login() -> tuple[Response, int]:
        if faults.auth_down:
            return _error(503, "Service Unavailable", "authentication service unavailable")
        body = request.get_json(silent=True) or {}
        if body.get("password") != PASSWORD or logins.hit(faults.failed_logins):
            return _error(401, "Unauthorized", "invalid email or password")
        return jsonify({"token": secrets.token_hex(16), "request_id": g.request_id}), 200

    @app.post("/api/payments/checkout")
    def checkout() -> tuple[Response, int]:
        if faults.payments_failing:
            telemetry.report(RuntimeError("payment provider declined the charge: processing error"))
            return _error(502, "Bad Gateway", "payment processing failed")
        return jsonify({"status": "paid", "request_id": g.request_id}), 200

    @app.get("/api/quests")
    def quests() -> tuple[Response, int]:
        _query_users(faults)
        return jsonify({"quests": [{"id": 1, "title": "Start here"}]}), 200


def _query_users(faults: Faults) -> None:
    """`supabase.table('users').select('id').limit(1).execute()`, simulated, in a `db` span (as a Postgres
    driver's Sentry integration records it; the Supabase client itself speaks HTTP)."""
    with telemetry.database_span("SELECT id FROM users LIMIT 1"):
        if faults.database_delay:
            time.sleep(faults.database_delay)
        if faults.database_down:
            raise DatabaseError("could not connect to server: Connection refused")


def _frontend_health(environ: Mapping[str, str]) -> tuple[Response, int]:
    """The plan's "Frontend health check endpoint" (its checklist): the page server answers, no database."""
    body = {
        "status": "healthy",
        "timestamp": datetime.now(timezone.utc).replace(tzinfo=None).isoformat(),
        "version": environ.get("APP_VERSION", "unknown"),
        "environment": environ.get("FLASK_ENV", "production"),
    }
    return jsonify(body), 200


def _index() -> Response:
    return Response("<!doctype html><title>Optio</title><h1>Optio</h1>", mimetype="text/html")


def _update_faults(faults: Faults) -> tuple[Response, int]:
    changes = request.get_json(silent=True)
    if not isinstance(changes, dict):
        return _error(400, "Bad Request", "a JSON object of faults")
    try:
        return jsonify(faults.update(changes).view()), 200
    except ValueError as bad:
        return _error(400, "Bad Request", str(bad))


def _error(status: int, name: str, message: str) -> tuple[Response, int]:
    """The plan's standardized error body."""
    body = {"error": {"code": status, "type": name, "message": message, "request_id": g.get("request_id")}}
    return jsonify(body), status
