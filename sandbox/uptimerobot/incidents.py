"""Incidents: one opens when a monitor goes down and resolves when it comes back (uptimerobot/ai `AGENTS.md`),
read through ``GET /incidents`` and ``GET /incidents/{id}`` (specs/uptimerobot-openapi.yaml,
IncidentSummaryPaginationDto and IncidentDetailDto).

Values the spec leaves untyped, as the official CLI shows them (uptimerobot/uptimerobot-cli
`src/output/style.ts`, `test/columns.test.ts`): `status` `Ongoing` or `Resolved`, `type` `Downtime`,
`cause` the HTTP status with `reason` "503 Service Unavailable", `duration` in seconds, ids as strings.
`commentsCount` counts the incident's comments (sandbox/uptimerobot/comments.py); an unknown incident is
404 "Incident <id> not found" (000-004, verified live: GoSuccessHQ/uptimerobot-api
tests/Integration/IncidentsReadOnlyTest.php). Its alerts and activity log: incident_activity.py.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.clock import iso, parse_instant
from sandbox.state import sandbox
from sandbox.uptimerobot import accounts, pagination, repo
from sandbox.uptimerobot.accounts import VENDOR
from sandbox.uptimerobot.errors import NOT_FOUND_CODE, ApiError, BadRequest
from sandbox.uptimerobot.verdict import Verdict

Doc = dict[str, Any]

INCIDENTS = "incidents"
ONGOING, RESOLVED = "Ongoing", "Resolved"

routes = Blueprint("uptimerobot_incidents", __name__)


def open_incident(monitor: Doc, at: float, verdict: Verdict, url: str) -> Doc:
    """A new ongoing incident of `monitor`, started `at` for the reason `verdict` gives."""
    store = sandbox().store
    record = {
        "id": store.next_id(VENDOR, accounts.FIRST_ID),
        "monitorId": monitor["id"],
        "status": ONGOING,
        "type": "Downtime",
        "cause": verdict.cause,
        "reason": verdict.reason,
        "startedAt": iso(at),
        "resolvedAt": None,
        "includeInReports": True,
        "rootCause": {
            "url": url,
            "requestHeaders": None,
            "responseHeaders": None,
            "httpResponseCode": verdict.status,
            "responseDownloadUrl": None,
        },
        "_account": int(monitor["userId"]),
        "_started": at,
        "_reached": {},  # alert contact id -> when its `threshold` was reached
        "_told": {},  # alert contact id -> when it was last told the monitor is down
    }
    return store.put(VENDOR, INCIDENTS, int(monitor["userId"]), record)


def resolve(incident: Doc, at: float) -> Doc:
    incident.update(status=RESOLVED, resolvedAt=iso(at))
    return keep(incident)


def keep(incident: Doc) -> Doc:
    return sandbox().store.put(VENDOR, INCIDENTS, int(incident["_account"]), incident)


def of(monitor: Doc) -> Doc | None:
    """The monitor's ongoing incident, if it has one."""
    found = sandbox().store.find(VENDOR, INCIDENTS, int(monitor["userId"]), {"monitorId": monitor["id"]})
    return next((doc for doc in found if doc["status"] == ONGOING), None)


def ongoing() -> list[Doc]:
    return [doc for doc in sandbox().store.find(VENDOR, INCIDENTS) if doc["status"] == ONGOING]


def _duration(record: Doc) -> int:
    end = parse_instant(record["resolvedAt"]) if record["resolvedAt"] else repo.now()
    return max(0, round(end - float(record["_started"])))


def detail(record: Doc) -> Doc:
    keys = ("status", "cause", "reason", "startedAt", "resolvedAt", "rootCause")
    return {"id": str(record["id"]), **{k: record[k] for k in keys}, "duration": _duration(record)}


def summary(record: Doc, names: dict[int, str], comments: dict[str, int]) -> Doc:
    keys = ("status", "type", "cause", "reason", "startedAt", "resolvedAt", "includeInReports")
    monitor = {"id": record["monitorId"], "friendlyName": names.get(record["monitorId"])}
    return {
        "id": str(record["id"]),
        **{k: record[k] for k in keys},
        "monitor": monitor,
        "commentsCount": comments.get(str(record["id"]), 0),
        "duration": _duration(record),
    }


@routes.get("/incidents")
def list_incidents() -> Response:
    account = accounts.current()
    names = {m["id"]: m["friendlyName"] for m in repo.find(repo.MONITORS, account.id)}
    comments = Counter(str(c["incidentId"]) for c in repo.find(repo.COMMENTS, account.id))
    wanted = _filters(names)
    found = [doc for doc in sandbox().store.find(VENDOR, INCIDENTS, account.id) if wanted(doc)]
    found.sort(key=lambda doc: doc["id"])
    return jsonify(pagination.page(found, lambda doc: summary(doc, names, comments)))


@routes.get("/incidents/<id>")
def get_incident(id: str) -> Response:
    return jsonify(detail(find_or_404(accounts.current().id, id)))


def find_or_404(account_id: int, id: str) -> Doc:
    """The account's incident `id` (a string of digits), or the API's 404: {"message": "Incident 1 not
    found", "code": "000-004"} (verified live, GoSuccessHQ/uptimerobot-api
    tests/Integration/IncidentsReadOnlyTest.php)."""
    record = sandbox().store.get(VENDOR, INCIDENTS, int(id), account_id) if id.isdigit() else None
    if record is None:
        raise ApiError(404, f"Incident {id} not found", NOT_FOUND_CODE)
    return record


def _filters(names: dict[int, str]) -> Any:
    args = request.args
    monitor = args.get("monitor_id")
    name = (args.get("monitor_name") or "").lower()
    try:
        after = parse_instant(args["started_after"]) if args.get("started_after") else None
        before = parse_instant(args["started_before"]) if args.get("started_before") else None
    except ValueError:
        raise BadRequest("started_after and started_before must be ISO 8601 dates") from None

    def wanted(doc: Doc) -> bool:
        started = float(doc["_started"])
        return (
            (monitor is None or str(doc["monitorId"]) == str(int(float(monitor))))
            and (not name or name in str(names.get(doc["monitorId"], "")).lower())
            and (after is None or started > after)
            and (before is None or started < before)
        )

    return wanted
