"""What a metric monitor's change of state does (sandbox/sentry/evaluation.py): the metric issue it opens,
escalates, de-escalates or resolves, and the alerts (workflows) linked to the monitor that run on it.

From getsentry/sentry ``src/sentry/`` (sources in docs/vendors/sentry.md, "How a metric monitor fires"):

* one issue per monitor (its fingerprint is the detector), reopened by a later breach; each opening starts
  an open period, whose highest priority is remembered (issues/ingest.py save_issue_from_occurrence);
* a workflow linked to the monitor runs on each occurrence and on the resolve (a ``SET_RESOLVED`` activity:
  workflow_engine/tasks/workflows.py process_workflow_activity); triggers without conditions pass
  (processors/data_condition_group.py: "if there are no conditions on the group, always return True"),
  and so does an action filter without conditions;
* action filters: ``issue_priority_greater_or_equal`` holds when the occurrence's priority reaches the
  comparison, never for a resolve ("Resolutions must match the de-escalation filter");
  ``issue_priority_deescalating`` holds when the open period's highest priority reached the comparison and
  the issue is now below it or resolved (handlers/condition/issue_priority_*_handler.py); other filter types
  are not emulated and do not pass;
* ``config.frequency`` (minutes) keeps a workflow from acting twice on one issue within that time, for
  metric issues too (processors/action.py); Sentry's own metric workflows use 0;
* actions: e-mail and Slack are told of the alert and of its resolution (the Slack resolution is a reply in
  the alert's thread); PagerDuty gets a ``trigger`` while the issue is open (severity ``critical`` for high,
  ``warning`` for medium, unless the action sets a priority) and a ``resolve`` when it closes
  (incidents/typings/metric_detector.py, pagerduty/utils.py build_incident_attachment), under one dedup key
  per open period (ASSUMED, deviation sentry-metric-dedup-key: ``incident_<org id>_<open period>``, as the
  Opsgenie handler names it).

The project's ``issue_stream`` workflows are not run for metric issues (Sentry runs them too unless an
organization option turns that off): the sandbox keeps metric issues to their own monitor's alerts.
"""

from __future__ import annotations

from typing import Any

from sandbox import deliveries
from sandbox.pagerduty import events as pagerduty_events
from sandbox.sentry import firing, integrations, issues, orgs, repo

PRIORITY_NAMES = {75: "high", 50: "medium", 25: "low"}
SEVERITIES = {75: "critical", 50: "warning"}
RESOLVED = 0

Doc = dict[str, Any]


def changed(detector: Doc, group_id: int | None, priority: int, value: float) -> int | None:
    """The monitor's state became `priority` (0: resolved) at `value`; its issue's id, if it has one."""
    group = repo.get(issues.GROUPS, group_id) if group_id is not None else None
    if priority == RESOLVED:
        if group is None or group["status"] == "resolved":
            return group_id
        group.update(status="resolved", substatus=None, lastSeen=repo.now())
        repo.save(issues.GROUPS, group)
        _run_workflows(detector, group, None)
        return int(group["id"])
    project = repo.get(repo.PROJECTS, int(detector["projectId"])) or {}
    if group is None:
        group = _new_group(project, detector)
    if group["status"] == "resolved" or group.get("openPeriod") is None:
        group.update(status="unresolved", substatus="new", openPeriod=repo.new_id(), highestPriority=priority)
    group["priority"] = PRIORITY_NAMES.get(priority, "high")
    group["priorityValue"] = priority
    group["highestPriority"] = max(priority, int(group.get("highestPriority") or 0))
    group["lastSeen"], group["count"] = repo.now(), group["count"] + 1
    repo.save(issues.GROUPS, group)
    _run_workflows(detector, group, priority)
    return int(group["id"])


def _new_group(project: Doc, detector: Doc) -> Doc:
    now = repo.now()
    return {
        "id": repo.new_id(),
        "projectId": project.get("id", int(detector["projectId"])),
        "hash": f"detector:{detector['id']}",
        "shortId": issues.next_short_id(project),
        "title": detector["name"],
        "culprit": "",
        "level": "error",
        "priority": "high",
        "status": "unresolved",
        "substatus": "new",
        "type": "generic",
        "issueType": "metric_issue",
        "issueCategory": "metric",
        "platform": project.get("platform") or "other",
        "firstSeen": now,
        "lastSeen": now,
        "count": 0,
        "openPeriod": None,
    }


def _run_workflows(detector: Doc, group: Doc, priority: int | None) -> None:
    """Run the alerts linked to `detector` for an occurrence at `priority`, or (None) the resolve."""
    project = repo.get(repo.PROJECTS, int(detector["projectId"])) or {}
    for workflow in repo.find(repo.WORKFLOWS):
        if not workflow["enabled"] or str(detector["id"]) not in workflow["detectorIds"]:
            continue
        conditions = (workflow["triggers"] or {}).get("conditions") or []
        if conditions and not firing.triggered(workflow["triggers"], group, "new"):
            continue
        acting = [
            f
            for f in workflow["actionFilters"]
            if firing.passes(f["logicType"], [_filter(c, group, priority) for c in f["conditions"]])
        ]
        if not acting or firing.throttled(workflow, group):
            continue
        firing.remember(workflow, group, f"{'resolve' if priority is None else priority}:{group['lastSeen']}")
        for action_filter in acting:
            for action in action_filter["actions"]:
                if action.get("status", "active") == "active":
                    _act(action, workflow, project, group, priority)


def _filter(condition: Doc, group: Doc, priority: int | None) -> bool:
    kind, comparison = condition["type"], int(condition.get("comparison") or 0)
    if kind == "issue_priority_greater_or_equal":
        return priority is not None and priority >= comparison
    if kind == "issue_priority_deescalating":
        highest = int(group.get("highestPriority") or 0)
        return comparison <= highest and (priority is None or priority < comparison)
    return False


def _act(action: Doc, workflow: Doc, project: Doc, group: Doc, priority: int | None) -> None:
    event = "resolved" if priority is None else SEVERITIES.get(priority, "critical")
    context = {
        "via": "sentry",
        "alert": workflow["name"],
        "issue": group["shortId"],
        "title": group["title"],
        "event": event,
    }
    if action["type"] == "pagerduty":
        _page(action, project, group, priority, context)
    else:
        firing.tell(action, context)


def _page(action: Doc, project: Doc, group: Doc, priority: int | None, context: Doc) -> None:
    config = action.get("config") or {}
    integration = integrations.of_provider(action.get("integrationId"), "pagerduty")
    row = integrations.service(integration, str(config.get("targetIdentifier"))) if integration else None
    if row is None:
        deliveries.record("pagerduty", "", status="failed", reason="no such PagerDuty service row", **context)
        return
    chosen = (action.get("data") or {}).get("priority", "default")
    severity = "info" if priority is None else SEVERITIES.get(priority, "critical")
    if priority is not None and chosen != "default":
        severity = chosen
    event = {
        "routing_key": row["integration_key"],
        "event_action": "resolve" if priority is None else "trigger",
        "dedup_key": f"incident_{orgs.ORG_ID}_{group['openPeriod']}",
        "payload": {
            "summary": f"{'Resolved' if priority is None else severity.title()}: {group['title']}"[:1024],
            "severity": severity,
            "source": str(group["id"]),
            "component": project.get("slug", ""),
        },
        "client": "sentry",
        "links": [
            {"href": f"https://{orgs.ORG_SLUG}.sentry.io/issues/{group['id']}/", "text": group["title"]}
        ],
    }
    try:
        pagerduty_events.process(event)
    except pagerduty_events.EventError as refused:  # Sentry logs the failure; nobody is paged
        deliveries.record("pagerduty", "", status="failed", reason=refused.message, **context)
