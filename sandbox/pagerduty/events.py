"""PagerDuty Events API v2 (``/pagerduty-events/v2``): ``/enqueue`` (trigger, acknowledge, resolve) and
``/change/enqueue`` (change events: on the service's timeline, paging nobody), faithful to
specs/pagerduty-events-v2-openapi.json: 202 ``{status, message, dedup_key}``; 400 ``{status, message,
errors}`` for an event that is not valid; 429 when the routing key is throttled (about 120 events a minute
per routing key: reference/pagerduty.md). No auth header: the routing key in the body is the credential.

A trigger opens an incident on the integration's service unless one is open for the same dedup key,
unless the service is disabled or in a maintenance window (then nobody is paged: recorded as
suppressed); a page is recorded as a delivery to whoever the escalation policy reaches first.
"""

import hashlib
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox import deliveries
from sandbox.contract import Problem
from sandbox.pagerduty import changes, incidents, repo
from sandbox.state import sandbox

events_api = Blueprint("pagerduty_events", __name__)

Doc = dict[str, Any]


class EventError(Exception):
    def __init__(self, status: int, label: str, message: str, errors: list[str]) -> None:
        super().__init__(message)
        self.status, self.label, self.message, self.errors = status, label, message, errors

    def response(self) -> Response:
        answer = jsonify({"status": self.label, "message": self.message, "errors": self.errors})
        answer.status_code = self.status
        return answer


def invalid(*errors: str) -> EventError:
    return EventError(400, "invalid event", "Event object is invalid", list(errors))


def reason(problem: Problem) -> str:
    """An ``errors`` entry as Events v2 words it, for what the contract check refuses. Recorded answers:
    "'payload.source' is missing or blank" (PagerDuty/go-pagerduty#476), "'payload.severity' is missing
    or blank" (SigNoz/signoz#9536), "'event_action' is missing or blank" (go-pagerduty event_v2_test.go),
    the severity's enum (robusta-dev/robusta#1153; PagerDuty/go-pdagent eventqueue/processor_test.go);
    "'payload.summary' is missing or blank" follows them (ASSUMED). Other problems keep the contract's
    summary (field and rule, never the value)."""
    if problem.rule == "required":
        return f"'{problem.field}' is missing or blank"
    if problem.rule == "enum" and problem.field == "payload.severity":
        return (
            "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' "
            "or 'info')"
        )
    return problem.summary


def _event() -> Doc:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):  # the spec's own example of an error answer
        raise EventError(
            400, "Unrecognized object", "Event object format is unrecognized", ["JSON parse error"]
        )
    return data


def _integration_of(routing_key: Any) -> tuple[Doc, Doc]:
    """The Events integration whose key this is, and its service; 400 "Invalid routing key" otherwise."""
    integration = next(
        (
            i
            for i in repo.find(repo.INTEGRATIONS)
            if i["key"] == routing_key and i["type"].startswith("events")
        ),
        None,
    )
    service = repo.by_pid(repo.SERVICES, integration["service"]) if integration else None
    if integration is None or service is None:
        raise invalid("Invalid routing key")
    return integration, service


def _in_maintenance(service: Doc, now: float) -> bool:
    return any(
        service["pid"] in w["services"] and w["start"] <= now < w["end"] for w in repo.find(repo.WINDOWS)
    )


@events_api.post("/enqueue")
def enqueue() -> tuple[Response, int]:
    key = process(_event())
    return jsonify({"status": "success", "message": "Event processed", "dedup_key": key}), 202


def process(data: Doc) -> str:
    """One alert event (trigger, acknowledge or resolve), as ``/enqueue`` takes it; its dedup key. Also
    how the sandbox's Sentry sends its PagerDuty actions (sandbox/sentry/firing.py)."""
    integration, service = _integration_of(data.get("routing_key"))
    action = data.get("event_action")
    now = sandbox().clock.now()
    payload: Doc = data["payload"] if isinstance(data.get("payload"), dict) else {}
    key = data.get("dedup_key") or hashlib.sha256(f"{now}:{payload}".encode()).hexdigest()[:32]
    if action != "trigger" and not data.get("dedup_key"):
        raise invalid("'dedup_key' is required for acknowledge and resolve events")
    if action == "trigger" and not payload:  # the spec leaves it optional: only a trigger needs one
        raise invalid("'payload' is missing or blank")
    # A dedup key names an alert of the integration it is sent to (docs/vendors/pagerduty.md).
    open_ = [
        i
        for i in repo.find(repo.INCIDENTS)
        if i["incident_key"] == key
        and i.get("routing_key") == integration["key"]
        and i["status"] != "resolved"
    ]
    if action == "trigger" and not open_:  # an open incident with the same key: deduplicated
        _trigger(service, integration["key"], key, payload, now, str(data.get("client") or ""))
    for incident in open_:
        if action in ("acknowledge", "resolve"):
            incident["status"] = "acknowledged" if action == "acknowledge" else "resolved"
            repo.save(repo.INCIDENTS, incident)
    return str(key)


def _trigger(service: Doc, routing_key: str, key: str, payload: Doc, now: float, sender: str) -> None:
    via = {"via": sender} if sender else {}
    if service["status"] == "disabled" or _in_maintenance(service, now):
        why = "disabled" if service["status"] == "disabled" else "in maintenance"
        deliveries.record(
            "pagerduty", "", status="suppressed", reason=why, service=service["name"], dedup_key=key, **via
        )
        return
    severity = str(payload.get("severity", "critical"))
    title = str(payload.get("summary", ""))
    incident = incidents.open_incident(service, routing_key, key, title, severity, now)
    if sender:  # who sent it, for the escalation's pages too
        incident["via"] = sender
        repo.save(repo.INCIDENTS, incident)
    person = repo.by_pid(repo.USERS, incident["assignee"] or "") if incident["assignee"] else None
    deliveries.record(
        "pagerduty",
        person["email"] if person else "",
        status="paged" if person else "nobody on call",
        service=service["name"],
        severity=severity,
        urgency=incident["urgency"],
        dedup_key=key,
        incident=incident["pid"],
        summary=incident["title"],
        **via,
    )


@events_api.post("/change/enqueue")
def change_enqueue() -> tuple[Response, int]:
    data = _event()
    integration, service = _integration_of(data.get("routing_key"))
    payload = data.get("payload")
    if not isinstance(payload, dict) or not payload.get("summary"):
        raise invalid("'payload.summary' is missing or blank")
    change = changes.record(integration, service, data, sandbox().clock.now())
    deliveries.record(
        "pagerduty", "", status="change event", service=service["name"], summary=change["summary"]
    )
    return jsonify({"status": "success", "message": "Change event processed"}), 202
