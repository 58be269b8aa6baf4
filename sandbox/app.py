"""App factory and the request pipeline every vendor shares.

For each request under a vendor prefix the pipeline counts it, authenticates it, applies injected faults,
enforces the vendor's rate limit and finally logs it. Vendors plug in through the ``Vendor`` protocol.
"""

import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from sandbox.clock import Clock
from sandbox.control import control
from sandbox.faults import DROP_CONNECTION, HOLD_RESPONSE, Fault, drop_connection
from sandbox.pagerduty import VENDOR as PAGERDUTY
from sandbox.pagerduty.events_vendor import PagerDutyEventsVendor
from sandbox.ratelimit import Quota
from sandbox.render import VENDOR as RENDER
from sandbox.roots import mount
from sandbox.sentry import VENDOR as SENTRY
from sandbox.sentry.ingest_vendor import SentryIngestVendor
from sandbox.slack import VENDOR as SLACK
from sandbox.state import Caller, Sandbox, Vendor, sandbox
from sandbox.store import Store
from sandbox.supabase import VENDOR as SUPABASE
from sandbox.uptimerobot import VENDOR as UPTIMEROBOT
from sandbox.uptimerobot.heartbeat import HeartbeatVendor

_RULE_ARG = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def default_vendors() -> list[Vendor]:
    return [
        UPTIMEROBOT,
        HeartbeatVendor(),
        SENTRY,
        SentryIngestVendor(),
        RENDER,
        PAGERDUTY,
        PagerDutyEventsVendor(),
        SLACK,
        SUPABASE,
    ]


def create_app(db_path: str | Path, vendors: Sequence[Vendor] | None = None) -> Flask:
    app = Flask("sandbox")
    app.json.sort_keys = False  # type: ignore[attr-defined]
    store = Store(db_path)
    state = Sandbox(store, Clock(store), list(vendors) if vendors is not None else default_vendors())
    if state.store.is_empty():
        state.reset()
    else:
        state.seed_missing()
    app.extensions["sandbox"] = state
    app.register_blueprint(control)
    for vendor in state.vendors:
        app.register_blueprint(vendor.api)
        app.register_blueprint(vendor.control)
    app.before_request(_before_vendor_request)
    app.after_request(_after_vendor_request)
    app.register_error_handler(HTTPException, _http_error)
    app.wsgi_app = _ConnectionFaults(app.wsgi_app, state.store.lock)  # type: ignore[method-assign]
    return app


def _route_template(vendor: Vendor) -> str:
    rule = request.url_rule
    if rule is None:
        return request.path[len(vendor.prefix) :] or "/"
    return _RULE_ARG.sub(r"{\1}", rule.rule)[len(vendor.prefix) :]


def _before_vendor_request() -> Response | None:
    """Count, then faults, then auth and the rate limit; a returned response short-circuits the request."""
    state = sandbox()
    vendor = state.vendor_for(request.path)
    if vendor is None:
        return None
    g.started, g.contract_seconds = time.perf_counter(), 0.0
    route = _route_template(vendor)
    g.vendor, g.fault = vendor, None
    state.store.count_request(f"{vendor.name} {request.method} {route}")
    caller = vendor.authenticate(request)
    g.caller = caller
    paths = (route, vendor.prefix + route, request.path[len(vendor.prefix) :], request.path)
    g.fault = state.faults.take(vendor.name, request.method, paths)
    if g.fault is not None:
        response = _apply_fault(state, vendor, caller, g.fault)
        if response is not None:
            return response
    if request.url_rule is None:
        return None  # the router answers with the vendor's "route not found"
    return _admit(state, vendor, caller) or _check_contract(state, vendor)


def _admit(state: Sandbox, vendor: Vendor, caller: Caller | None) -> Response | None:
    """401 without a valid key; otherwise count the request against the account's window."""
    if caller is None:
        return vendor.unauthorized()
    g.quota = state.limiter.hit(_limiter_key(vendor, caller), caller.rate_limit, state.clock.now())
    return None if g.quota.allowed else vendor.throttled(g.quota)


def _check_contract(state: Sandbox, vendor: Vendor) -> Response | None:
    """After authentication and the rate limit, as the vendors' own validation runs: a request that breaks
    the vendor's official spec is recorded as a violation and answered as the vendor answers bad input."""
    path = request.path[len(vendor.prefix) :] or "/"
    started = time.perf_counter()
    problems = vendor.contract.check(request, vendor.prefix, path)
    g.contract_seconds = time.perf_counter() - started
    if not problems:
        return None
    state.store.record_violation(
        {
            "vendor": vendor.name,
            "method": request.method,
            "path": path,
            "problems": [p.summary for p in problems],
        }
    )
    if any(p.rule == "path" for p in problems):
        return vendor.route_not_found(request.method, _host_path(vendor))
    return vendor.invalid_request(problems)


def _apply_fault(state: Sandbox, vendor: Vendor, caller: Caller | None, fault: Fault) -> Response | None:
    kind = fault.kind
    if kind == "429":
        key = _limiter_key(vendor, caller) if caller else f"{vendor.name}:anonymous"
        limit = caller.rate_limit if caller else vendor.default_rate_limit()
        quota = state.limiter.peek(key, limit, state.clock.now())
        reset = quota.reset_seconds if fault.retry_after is None else fault.retry_after
        g.quota = Quota(limit=limit, remaining=0, reset_seconds=reset, allowed=False)
        return vendor.throttled(g.quota)
    if kind in ("500", "503"):
        return vendor.server_error(int(kind))
    if kind == "slow":
        request.environ[HOLD_RESPONSE] = (fault.delay, None)
        return None  # handled normally; the response leaves `delay` seconds later
    if kind == "hold":
        request.environ[HOLD_RESPONSE] = (fault.delay, state.faults.released)
        return None  # handled normally; the response leaves when the faults are cleared
    request.environ[DROP_CONNECTION] = True
    if kind == "drop":
        request.get_data()  # read the body so that closing the socket cannot reset it mid-upload
        return Response(status=502)  # never sent: the socket is closed first
    return None  # "lost": handle the request normally, then drop the connection


def _limiter_key(vendor: Vendor, caller: Caller) -> str:
    return f"{vendor.name}:{caller.account_id}"


def _after_vendor_request(response: Response) -> Response:
    vendor: Vendor | None = g.get("vendor")
    if vendor is None:
        return response
    quota: Quota | None = g.get("quota")
    if quota is not None:
        pairs = vendor.quota_headers(quota)  # a name may come twice (Render repeats some)
        for name in {name for name, _ in pairs}:
            del response.headers[name]
        for name, value in pairs:
            response.headers.add(name, value)
    fault: Fault | None = g.fault
    dropped = fault is not None and fault.kind == "drop"
    entry = {
        "vendor": vendor.name,
        "method": request.method,
        "path": request.full_path.rstrip("?"),
        "status": None if dropped else response.status_code,
        "fault": fault.kind if fault else None,
    }
    state = sandbox()
    state.store.append_log(entry)
    state.store.count_status(vendor.name, None if dropped else response.status_code)
    state.timings.record(time.perf_counter() - g.started, g.contract_seconds)
    return response


def _http_error(error: HTTPException) -> Any:
    state = sandbox()
    vendor = state.vendor_mounted_at(request.path)
    if vendor is not None and error.code in (404, 405):
        # No route: recorded (GET /_control/unserved), so that a client's call the sandbox lacks shows.
        path = _host_path(vendor)
        state.store.record_unserved(vendor.name, request.method, path)
        return vendor.route_not_found(request.method, path)
    return error


def _host_path(vendor: Vendor) -> str:
    """The request's path as the vendor's host has it: ``/v3/monitors`` of ``/uptimerobot/v3/monitors``."""
    return request.path[len(mount(vendor.prefix)) :] or "/"


class _ConnectionFaults:
    """Serialises request handling and closes the socket of requests marked by a connection fault."""

    def __init__(self, app: Callable[..., Iterable[bytes]], lock: threading.RLock) -> None:
        self._app = app
        self._lock = lock

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with self._lock:
            result = self._app(environ, start_response)
        if environ.get(DROP_CONNECTION):
            drop_connection(environ)
        hold = environ.get(HOLD_RESPONSE)
        if hold:
            seconds, released = hold
            if released is None:
                time.sleep(seconds)  # network latency, simulated: the one wall-clock wait of the sandbox
            else:
                released.wait(seconds)
        return result
