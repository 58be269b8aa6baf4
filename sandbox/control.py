"""Control API of the sandbox, under ``/_control``: no auth, never rate-limited, never counted.

Shared routes (this module)::

    GET    /_control/health             -> 200 {"ok": true}
    POST   /_control/reset              -> 200 {"ok": true}; wipe all data, re-seed every vendor's default
                                           account, zero counters, clear faults, clock offset 0
    GET    /_control/snapshot           -> 200 {"docs", "sequences", "settings"}: every account as it is
    PUT    /_control/snapshot           a GET's answer -> 200 {"ok": true}; the accounts as they were then
                                           (clock offset and settings included), zero counters, clear faults
    GET    /_control/inventory          -> 200 {"<vendor> <collection> <name>": count}: every object a plan
                                           could make twice or lose, named by what tells it from its peers
                                           (each collection's `Controlled.names`), in every account
    GET    /_control/clock              -> 200 {"now": unix seconds, "iso": "...Z", "offset": seconds}
    POST   /_control/clock              {"advance": seconds >= 0} -> 200 same shape as GET; while the
                                           vendors' checks run, everything due meanwhile runs first
    GET|PUT /_control/checks, POST /_control/checks/run   the vendors' checks (sandbox/checks.py)
    GET|PUT|DELETE /_control/hosts, PUT /_control/hosts/trust   the name service (sandbox/hosts.py)
    GET    /_control/roots              -> 200 {"<vendor host>": "http://127.0.0.1:<port>"}: each vendor host
                                           at a root of its own, for the vendors' own tools (sandbox/roots.py)
    GET    /_control/roots/ca           -> 200 the PEM of the CA of the roots' TLS (sandbox/serving.py)
    GET    /_control/faults             -> 200 {"faults": [{vendor, kind, remaining, method, path}]}
    POST   /_control/faults             {"vendor", "kind": "429"|"500"|"503"|"drop"|"lost"|"slow"|"hold",
                                         "method"?, "path"?, "count"? = 1, "delay"?, "retryAfter"?}
                                           -> 201 {"faults": [...]}; 400 {"error"} if invalid
    DELETE /_control/faults             -> 200 {"faults": []}
    GET    /_control/requests           -> 200 {"total": n, "byRoute": {"uptimerobot GET /monitors/{id}": n},
                                                "byStatus": {"uptimerobot 429": n, "sentry dropped": n}}
    DELETE /_control/requests           -> 200 {"total": 0, "byRoute": {}, "byStatus": {}}; empties the log
    GET    /_control/timings            -> 200 {"count": n, "server": {"medianMs", "p95Ms", "totalMs"},
                                                "contract": {...}}: the sandbox's own time per vendor
                                           request and the contract check's part (sandbox/timings.py)
    DELETE /_control/timings            -> 200 the same, emptied
    GET    /_control/log                -> 200 [{"vendor", "method", "path" (with query), "status", "fault"}],
                                           the last 200 vendor requests, oldest first, never any header
    GET    /_control/violations         -> 200 {"total": n, "items": [{"vendor", "method", "path",
                                           "problems": ["field: why"]}]}: requests that broke the vendor's
                                           official spec (sandbox/contract.py), each answered as a bad request
    DELETE /_control/violations         -> 200 {"total": 0, "items": []}
    GET    /_control/unserved           -> 200 {"total": n, "items": [{"vendor", "method", "path", "count"}]}:
                                           calls the sandbox has no route for (an operation of the vendor's
                                           spec it does not serve, or no operation at all), each answered
                                           with the vendor's own 404, by the path as the vendor's host has
                                           it, without the query (``/v3/monitor-groups``)
    DELETE /_control/unserved           -> 200 {"total": 0, "items": []}
    GET    /_control/deliveries         -> 200 [{"id", "at", "channel": "pagerduty"|"slack", "to", ...}]:
                                           who was paged (PagerDuty: the on-call person, service, severity,
                                           dedup key, or "suppressed" and why) or messaged (Slack), oldest
                                           first
    DELETE /_control/deliveries         -> 200 []

A fault applies to the next ``count`` vendor requests whose method matches (any if omitted) and whose path
matches (any if omitted): the route template relative to the vendor prefix (``/monitors/{id}``) or the
literal path (``/monitors/42``), either with or without the prefix. ``429`` answers a real throttling
response with rate-limit headers, ``500``/``503`` a JSON error, ``drop`` closes the connection without
applying the request, ``lost`` applies it and then closes the connection, ``slow`` applies it and sends the
response ``delay`` seconds later (past a client's timeout), ``hold`` applies it and sends the response only
when the faults are cleared (``DELETE /_control/faults``, reset) or after ``delay`` (default 60) seconds: the
log shows it at once, so a test can kill the client at exactly that step. Faulted requests are counted.

UptimeRobot routes (``sandbox/uptimerobot/control.py``)::

    GET    /_control/uptimerobot/settings     -> 200 {"plan", "rateLimit", "monitorLimit",
                                               "readAfterWriteLagSeconds"}
    PUT    /_control/uptimerobot/settings     partial {"plan": free|solo|team|enterprise,
                                               "rateLimit": int|null, "monitorLimit": int|null,
                                               "readAfterWriteLagSeconds": n} for the default account
                                               (null = the plan's value) -> 200 as GET
    POST   /_control/uptimerobot/accounts     {"apiKey", "plan", "email"} -> 201 the account document
    GET    /_control/uptimerobot/<collection> -> 200 [DTO, ...] of every account, unpaginated
    POST   /_control/uptimerobot/<collection> API-shaped create body -> 201 DTO; no validation or plan limits;
                                               ``?apiKey=`` picks the account (default account otherwise)
    PATCH  /_control/uptimerobot/<collection>/<id>  raw field overwrite, e.g. {"interval": 600} -> 200 DTO
    DELETE /_control/uptimerobot/<collection>/<id>  -> 200 {}
    collection: monitors, alert-contacts, integrations, maintenance-windows, psps (unknown -> 404)
    GET|POST|DELETE /_control/uptimerobot/outages  downtime periods behind GET /monitors/{id}/stats/uptime
                                                   (sandbox/uptimerobot/stats.py documents bodies and answers)

Sentry routes (``sandbox/sentry/control.py`` documents bodies and answers)::

    GET|PUT      /_control/sentry/settings              rate limit and window, concurrency, shuffled child
                                                        order, organization features
    GET|POST     /_control/sentry/environments          events with an environment arrived for a project
    GET|DELETE   /_control/sentry/audit                 child creates/updates/deletes of monitors and alerts
    GET|POST|DELETE /_control/sentry/spans              span batches behind GET /organizations/{org}/events/
                                                        (dataset=spans; sandbox/sentry/stats.py)
    GET|POST     /_control/sentry/<collection>          out-of-band list and seed
    PATCH|DELETE /_control/sentry/<collection>/<id>     out-of-band deep-merge edit and delete
    collection: teams, projects, keys, detectors, workflows, integrations (unknown -> 404)

Render routes (``sandbox/render/control.py`` documents bodies and answers)::

    GET|PUT      /_control/render/settings                    rate limits per class (per-service writes,
                                                              other writes, reads); null restores a default
    GET|POST     /_control/render/services                    out-of-band list and seed (previews, other
                                                              types and workspaces too)
    PATCH|DELETE /_control/render/services/<id>               out-of-band deep-merge edit and delete
    GET          /_control/render/services/<id>/env-vars      plain [{key, value}]
    PUT|DELETE   /_control/render/services/<id>/env-vars/<key>  out-of-band env var upsert and delete
    GET          /_control/render/deploys                     deploys created through the API
    GET          /_control/render/notification-overrides      service overrides ever PATCHed
    GET|PATCH    /_control/render/owner-notifications         owner settings, incl. read-only slackEnabled
    GET          /_control/render/log-streams                 owner streams and resource overrides, tokens
                                                              included
"""

from collections import Counter
from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.wrappers import Response

from sandbox import checks, deliveries, hosts
from sandbox.clock import iso
from sandbox.state import sandbox
from sandbox.store import STATUS_PREFIX

control = Blueprint("control", __name__, url_prefix="/_control")


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def _error(message: str, status: int = 400) -> tuple[Response, int]:
    return jsonify({"error": message}), status


@control.get("/health")
def health() -> Response:
    return jsonify({"ok": True})


@control.post("/reset")
def reset() -> Response:
    sandbox().reset()
    return jsonify({"ok": True})


@control.get("/snapshot")
def snapshot() -> Response:
    return jsonify(sandbox().store.dump())


@control.put("/snapshot")
def restore() -> Response | tuple[Response, int]:
    body = _body()
    if not all(
        isinstance(body.get(k), list if k == "docs" else dict) for k in ("docs", "sequences", "settings")
    ):
        return _error("a snapshot is the answer of GET /_control/snapshot: docs, sequences, settings")
    sandbox().restore(body)
    return jsonify({"ok": True})


@control.get("/inventory")
def inventory() -> Response:
    counts = Counter(f"{vendor.name} {name}" for vendor in sandbox().vendors for name in vendor.inventory())
    return jsonify(dict(sorted(counts.items())))


@control.get("/clock")
def clock_now() -> Response:
    return _clock_json()


@control.post("/clock")
def clock_advance() -> Response | tuple[Response, int]:
    seconds = _body().get("advance", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        return _error("advance must be a non-negative number of seconds")
    clock = sandbox().clock
    if checks.running():
        checks.run(clock.now() + float(seconds))
    clock.advance(float(seconds))
    return _clock_json()


@control.get("/checks")
def checks_state() -> Response:
    return jsonify({"running": checks.running()})


@control.put("/checks")
def checks_switch() -> Response | tuple[Response, int]:
    running = _body().get("running")
    if not isinstance(running, bool):
        return _error("running must be true or false")
    checks.switch(running)
    return jsonify({"running": running})


@control.post("/checks/run")
def checks_run() -> Response:
    now = sandbox().clock.now()
    checks.run(now)
    return jsonify({"running": checks.running(), "ran_until": iso(now)})


@control.get("/hosts")
def hosts_table() -> Response:
    return jsonify(hosts.table())


@control.put("/hosts")
def hosts_update() -> Response | tuple[Response, int]:
    try:
        return jsonify(hosts.update(_body()))
    except ValueError as bad:
        return _error(str(bad))


@control.delete("/hosts")
def hosts_clear() -> Response:
    hosts.clear()
    return jsonify({})


@control.put("/hosts/trust")
def hosts_trust() -> Response | tuple[Response, int]:
    pem = _body().get("pem")
    if not isinstance(pem, str) or "BEGIN CERTIFICATE" not in pem:
        return _error("pem must be a PEM certificate (the CA that signs the served certificates)")
    hosts.trust(pem)
    return jsonify({"ok": True})


def _clock_json() -> Response:
    clock = sandbox().clock
    now = clock.now()
    return jsonify({"now": now, "iso": iso(now), "offset": clock.offset})


@control.get("/faults")
def list_faults() -> Response:
    return jsonify({"faults": sandbox().faults.pending()})


@control.post("/faults")
def add_fault() -> tuple[Response, int]:
    try:
        sandbox().faults.add(_body())
    except ValueError as error:
        return _error(str(error))
    return jsonify({"faults": sandbox().faults.pending()}), 201


@control.delete("/faults")
def clear_faults() -> Response:
    sandbox().faults.clear()
    return jsonify({"faults": []})


@control.get("/requests")
def request_counts() -> Response:
    counts = sandbox().store.request_counts()
    routes = {k: n for k, n in counts.items() if not k.startswith(STATUS_PREFIX)}
    statuses = {k[len(STATUS_PREFIX) :]: n for k, n in counts.items() if k.startswith(STATUS_PREFIX)}
    return jsonify({"total": sum(routes.values()), "byRoute": routes, "byStatus": statuses})


@control.delete("/requests")
def clear_request_counts() -> Response:
    sandbox().store.clear_requests()
    return jsonify({"total": 0, "byRoute": {}, "byStatus": {}})


@control.get("/timings")
def timings() -> Response:
    return jsonify(sandbox().timings.summary())


@control.delete("/timings")
def clear_timings() -> Response:
    sandbox().timings.clear()
    return jsonify(sandbox().timings.summary())


@control.get("/log")
def request_log() -> Response:
    return jsonify(sandbox().store.recent_log())


@control.get("/unserved")
def unserved() -> Response:
    items = sandbox().store.unserved()
    return jsonify({"total": sum(item["count"] for item in items), "items": items})


@control.delete("/unserved")
def clear_unserved() -> Response:
    sandbox().store.clear_unserved()
    return unserved()


@control.get("/violations")
def violations() -> Response:
    items = sandbox().store.violations()
    return jsonify({"total": len(items), "items": items})


@control.delete("/violations")
def clear_violations() -> Response:
    sandbox().store.clear_violations()
    return jsonify({"total": 0, "items": []})


@control.get("/deliveries")
def list_deliveries() -> Response:
    return jsonify(deliveries.listed())


@control.delete("/deliveries")
def clear_deliveries() -> Response:
    deliveries.clear()
    return jsonify([])


@control.get("/roots")
def vendor_roots() -> Response:
    return jsonify(sandbox().roots)


@control.get("/roots/ca")
def roots_ca() -> Response:
    return Response(sandbox().ca_pem, mimetype="application/x-pem-file")
