"""The Sentry step of `lookout drill`: for every project the plan watches for new issues, a clearly marked
test event goes to the project's DSN (the path an exception in the app takes), then the API shows that it
became an issue and that the project's new-issue alert fired; the issue is then resolved.

Sentry processes events after it answers, so the event, its issue and the alert's `lastTriggered` are asked
for again with growing pauses (on the transport's clock). An alert counts as fired for this event when its
`lastTriggered` changed after the event was sent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from providers.sentry import client as sentry
from providers.sentry import ingest
from stacks import names
from stacks.checks import Check, compile_plan
from stacks.payloads import NewIssues
from stacks.plan import Plan
from stacks.system_health import told_by_sentry, watch_project
from transport import Expected, NotFound, Transport

ATTEMPTS = 6


@dataclass(frozen=True)
class Outcome:
    status: str  # confirmed, failed, would send
    target: str
    detail: str


def new_issue_checks(plan: Plan) -> list[Check]:
    return [c for c in compile_plan(plan) if isinstance(c.payload, NewIssues) and c.channels]


def drill(check: Check, stack: str, dsns: dict[str, Any], marker: str, dry_run: bool) -> Outcome:
    assert isinstance(check.payload, NewIssues)
    project = check.payload.project
    target = f"project {project}: new-issue alert → {', '.join(check.channels)}"
    if dry_run:
        return Outcome(
            "would send", target, "a marked test event to the project's DSN; the issue is resolved"
        )
    dsn = dsns.get(check.service or "")
    if not dsn:
        return Outcome("failed", target, "no DSN among the stack outputs: deploy the stack first")
    try:
        return _send_and_confirm(stack, str(check.service), str(dsn), marker, target)
    except (Expected, ValueError) as exc:
        return Outcome("failed", target, str(exc))


def system_health(plan: Plan, stack: str, dsns: dict[str, Any], marker: str, dry_run: bool) -> Outcome | None:
    """The system-health job's route for a critical finding (lookout/watch.py): a marked event tagged as
    the job tags one, to the backend's project, where the alerts that tell its routes must fire (the
    new-issues alert and, for what a critical finding adds, the system-health alert). None: no job."""
    backend = watch_project(plan)
    if backend is None or not any(c.vendor == "lookout" for c in compile_plan(plan)):
        return None
    routes = told_by_sentry(plan, "critical")
    target = f"project {plan.project_slug(backend)}: system-health finding → {', '.join(routes)}"
    if dry_run:
        return Outcome("would send", target, "a marked critical finding to the project's DSN; it is resolved")
    dsn = dsns.get(backend.name)
    if not dsn:
        return Outcome("failed", target, "no DSN among the stack outputs: deploy the stack first")
    tags = {"lookout.severity": "critical", "lookout.check": "drill"}  # as the job tags a finding
    expected = {names.system_health_alert(plan)} if routes != told_by_sentry(plan, "warning") else set()
    try:
        return _send_and_confirm(stack, str(backend.name), str(dsn), marker, target, tags, expected)
    except (Expected, ValueError) as exc:
        return Outcome("failed", target, str(exc))


def _send_and_confirm(
    stack: str,
    service: str,
    dsn: str,
    marker: str,
    target: str,
    tags: dict[str, str] | None = None,
    expected: set[str] | frozenset[str] = frozenset(),
) -> Outcome:
    rest, org = sentry.client(), sentry.org()
    address = ingest.parse_dsn(dsn)
    before = _last_triggered(rest, org, address.project_id)
    event_id = uuid.uuid4().hex
    what = "a system-health finding" if tags else "the new-issue alert"
    event = {
        "event_id": event_id,
        "message": f"[Lookout drill] {stack} {service}: a test of {what}; resolved by it",
        "level": "error",
        "platform": "python",
        "fingerprint": [
            "lookout-drill",
            stack,
            service,
            marker,
            *sorted(tags or {}),
        ],  # a new issue every run
        "tags": {"lookout.drill": marker, **(tags or {})},
    }
    ingest.send(address, event)
    found = poll(rest, lambda: _event(rest, org, event_id))
    if found is None:
        return Outcome("failed", target, f"event {event_id[:8]} was accepted but no issue appeared")
    issue = sentry_one(rest.request("GET", f"/organizations/{org}/issues/{found['groupId']}/"))
    fired = poll(rest, lambda: _fired(rest, org, address.project_id, before))
    rest.request("PUT", f"/organizations/{org}/issues/{issue['id']}/", json_body={"status": "resolved"})
    short = issue.get("shortId", issue["id"])
    if not fired:
        return Outcome("failed", target, f"issue {short} was created but no alert of the project fired")
    missing = sorted(set(expected) - set(fired))
    if missing:
        return Outcome("failed", target, f"issue {short}: {', '.join(missing)} did not fire")
    shown = ", ".join(f"“{name}”" for name in fired)
    return Outcome("confirmed", target, f"event → issue {short}; {shown} fired; issue resolved")


def sentry_one(body: Any) -> dict[str, Any]:
    return body if isinstance(body, dict) else {}


def poll(rest: Transport, ask: Any) -> Any:
    """`ask()` until it gives something, with growing pauses (1, 2, 4, 8, 8 s on the transport's clock):
    what a vendor processes after answering (Sentry's events, PagerDuty's Events v2) shows a moment later."""
    delay = 1.0
    for attempt in range(ATTEMPTS):
        answer = ask()
        if answer:
            return answer
        if attempt < ATTEMPTS - 1:
            rest.clock.sleep(delay)
            delay = min(delay * 2, 8.0)
    return None


def _event(rest: Transport, org: str, event_id: str) -> dict[str, Any] | None:
    try:
        return sentry_one(rest.request("GET", f"/organizations/{org}/eventids/{event_id}/"))
    except NotFound:
        return None


def _last_triggered(rest: Transport, org: str, project_id: str) -> dict[str, Any]:
    workflows = sentry.list_all(rest, f"/organizations/{org}/workflows/", project=project_id)
    return {str(w["id"]): (w.get("name"), w.get("lastTriggered")) for w in workflows}


def _fired(rest: Transport, org: str, project_id: str, before: dict[str, Any]) -> list[str]:
    now = _last_triggered(rest, org, project_id)
    return [
        str(name)
        for workflow_id, (name, last) in now.items()
        if last and last != (before.get(workflow_id) or (None, None))[1]
    ]
