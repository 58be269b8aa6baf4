"""What Sentry's workflow engine does with an ingested event: the alerts (workflows) linked to the project's
``issue_stream`` or ``error`` monitor are evaluated, and the actions of those that fire are sent to the
sandbox's sinks (sandbox/deliveries.py), so tests and the drill can see who was told.

From getsentry/sentry ``workflow_engine``: a workflow fires when its triggers pass (``any``/``any-short``:
one condition, ``all``: every one, ``none``: none; no conditions: every event of an unresolved issue,
processors/data_condition_group.py "if there are no conditions on the group, always return True") for the
issue's state: ``first_seen_event`` for a new issue, ``regression_event`` for a resolved one that
came back, ``new_high_priority_issue`` for a new issue of high priority; ``environment`` narrows it to
events of that environment; ``config.frequency`` (minutes) keeps one workflow from firing twice for the
same issue within that time. Each firing is a WorkflowFireHistory row, whose latest date is the
workflow's ``lastTriggered``. Then each action filter whose conditions pass
(``issue_priority_greater_or_equal`` and ``level`` are evaluated; other filter types are not emulated and
do not pass) runs its active actions:

* e-mail to a team or to issue owners with the ActiveMembers/AllMembers fallthrough reaches the members
  (the sandbox organization's one member is on every team it created); to a user, that user;
* Slack posts to the channel of the action (``integrations/slack/actions/notification.py``);
* PagerDuty sends an Events v2 trigger to the service row's integration key
  (``integrations/pagerduty/client.py`` send_trigger): dedup key the issue's short id, summary the title,
  severity from the action's priority (``default`` follows the event's level: debug/info info, warning
  warning, error error, fatal critical), source the culprit or ``<unknown>``, component the project slug,
  client ``sentry``.
"""

from typing import Any

from sandbox import deliveries
from sandbox.clock import parse_instant
from sandbox.pagerduty import events as pagerduty_events
from sandbox.sentry import integrations, orgs, repo
from sandbox.state import sandbox

FIRES = "workflow_fires"
PRIORITY_VALUES = {"low": 25, "medium": 50, "high": 75}  # models/group.py PriorityLevel
LEVEL_VALUES = {"debug": 10, "info": 20, "warning": 30, "error": 40, "fatal": 50}  # logging levels
PAGERDUTY_SEVERITIES = {
    "debug": "info",
    "info": "info",
    "warning": "warning",
    "error": "error",
    "fatal": "critical",
}

Doc = dict[str, Any]


def last_triggered(workflow_id: Any) -> str | None:
    dates = [f["date"] for f in repo.find(FIRES) if f["workflow"] == str(workflow_id)]
    return max(dates) if dates else None


def process(project: Doc, group: Doc, event: Doc, state: str) -> None:
    """Run the project's alerts for `event`, which left `group` in `state` (new, regressed, ongoing)."""
    monitors = {
        str(d["id"])
        for d in repo.find(repo.DETECTORS)
        if d["projectId"] == str(project["id"]) and d["type"] in ("issue_stream", "error")
    }
    for workflow in repo.find(repo.WORKFLOWS):
        if not workflow["enabled"] or not monitors & set(workflow["detectorIds"]):
            continue
        if workflow["environment"] and workflow["environment"] != event.get("environment"):
            continue
        if not triggered(workflow["triggers"], group, state) or throttled(workflow, group):
            continue
        through = [
            f
            for f in workflow["actionFilters"]
            if passes(f["logicType"], [_filter(c, group, event) for c in f["conditions"]])
        ]
        if not through:
            continue  # nothing fires: no fire history (workflow_engine create_workflow_fire_histories)
        remember(workflow, group, event["eventID"])
        for action_filter in through:
            for action in action_filter["actions"]:
                if action.get("status", "active") == "active":
                    _act(action, workflow, project, group)


def remember(workflow: Doc, group: Doc, event_id: str) -> None:
    """A firing of `workflow` on `group` (its WorkflowFireHistory row)."""
    fire = {"workflow": str(workflow["id"]), "group": group["id"], "eventId": event_id, "date": repo.now()}
    repo.save(FIRES, {"id": repo.new_id(), **fire})


def passes(logic: str, results: list[bool]) -> bool:
    """A condition group's logic; a group without conditions passes (a filter that filters nothing)."""
    if not results or logic == "all":
        return all(results)
    return not any(results) if logic == "none" else any(results)


def triggered(triggers: Doc | None, group: Doc, state: str) -> bool:
    conditions = (triggers or {}).get("conditions") or []
    if not conditions:
        return group["status"] != "resolved"  # tasks/post_process.py: only unresolved issues are processed
    met = {
        "first_seen_event": state == "new",
        "regression_event": state == "regressed",
        "new_high_priority_issue": state == "new" and group["priority"] == "high",
    }
    results = [met.get(c["type"], False) == bool(c.get("conditionResult", True)) for c in conditions]
    return passes((triggers or {}).get("logicType", "any-short"), results)


def _tagged(comparison: Doc, event: Doc) -> bool:
    """`tagged_event`: the event's tag `key` against `value` (getsentry/sentry rules/filters/tagged_event.py,
    as workflow_engine's tagged_event_handler runs it): key and values compared in lower case; `is`/`ns`:
    the tag is set or not; `eq`, `ne`, `sw`, `nsw`, `ew`, `new`, `co`, `nc` on the value."""
    key, value = str(comparison.get("key", "")).lower(), str(comparison.get("value", "")).lower()
    tags = event.get("tags") or {}
    pairs = tags.items() if isinstance(tags, dict) else (tuple(t) for t in tags if len(t) == 2)
    values = [str(v).lower() for k, v in pairs if str(k).lower() == key]
    match = comparison.get("match", "eq")
    tests = {
        "is": bool(values),
        "ns": not values,
        "eq": any(v == value for v in values),
        "ne": all(v != value for v in values),
        "sw": any(v.startswith(value) for v in values),
        "nsw": all(not v.startswith(value) for v in values),
        "ew": any(v.endswith(value) for v in values),
        "new": all(not v.endswith(value) for v in values),
        "co": any(value in v for v in values),
        "nc": all(value not in v for v in values),
    }
    return tests.get(str(match), False)


def _filter(condition: Doc, group: Doc, event: Doc) -> bool:
    kind, comparison = condition["type"], condition.get("comparison")
    if kind == "tagged_event" and isinstance(comparison, dict):
        return _tagged(comparison, event)
    if kind == "issue_priority_greater_or_equal":
        return PRIORITY_VALUES[group["priority"]] >= int(comparison or 0)
    if kind == "level" and isinstance(comparison, dict):
        level, wanted = LEVEL_VALUES[group["level"]], int(comparison.get("level", 0))
        match = comparison.get("match", "eq")
        return level >= wanted if match == "gte" else level <= wanted if match == "lte" else level == wanted
    return False


def throttled(workflow: Doc, group: Doc) -> bool:
    minutes = int((workflow.get("config") or {}).get("frequency") or 0)
    latest = max(
        (
            f["date"]
            for f in repo.find(FIRES)
            if f["workflow"] == str(workflow["id"]) and f["group"] == group["id"]
        ),
        default=None,
    )
    if latest is None or minutes == 0:
        return False
    return sandbox().clock.now() - parse_instant(latest) < minutes * 60


def _act(action: Doc, workflow: Doc, project: Doc, group: Doc) -> None:
    context = {"via": "sentry", "alert": workflow["name"], "issue": group["shortId"], "title": group["title"]}
    if action["type"] == "pagerduty":
        _page(action, project, group, context)
    else:
        tell(action, context)


def tell(action: Doc, context: Doc) -> None:
    """An e-mail or Slack action: the people or channel it names are told, with `context`."""
    kind, config = action["type"], action.get("config") or {}
    if kind == "email":
        for address in _recipients(config, action.get("data") or {}):
            deliveries.record("email", address, **context)
    elif kind == "slack":
        channel = str(config.get("targetDisplay") or "").lstrip("#")
        deliveries.record("slack", f"#{channel}", slack_channel=config.get("targetIdentifier"), **context)


def _recipients(config: Doc, data: Doc) -> list[str]:
    members = sandbox().store.find(orgs.VENDOR, orgs.MEMBERS, orgs.ORG_ID)
    target = config.get("targetType")
    if target == "user":
        found = orgs.user(str(config.get("targetIdentifier")))
        return [found["email"]] if found else []
    if target == "issue_owners" and data.get("fallthroughType") == "NoOne":
        return []  # the sandbox has no ownership rules: only the fallthrough can reach anyone
    return [m["email"] for m in members]


def _page(action: Doc, project: Doc, group: Doc, context: Doc) -> None:
    integration = integrations.of_provider(action.get("integrationId"), "pagerduty")
    row = (
        integrations.service(integration, str((action.get("config") or {}).get("targetIdentifier")))
        if integration
        else None
    )
    if row is None:
        deliveries.record("pagerduty", "", status="failed", reason="no such PagerDuty service row", **context)
        return
    priority = (action.get("data") or {}).get("priority", "default")
    severity = PAGERDUTY_SEVERITIES[group["level"]] if priority == "default" else priority
    event = {
        "routing_key": row["integration_key"],
        "event_action": "trigger",
        "dedup_key": group["shortId"],
        "payload": {
            "summary": group["title"][:1024],
            "severity": severity,
            "source": group["culprit"] or "<unknown>",
            "component": project["slug"],
            "custom_details": {"title": group["title"]},
        },
        "client": "sentry",
        "links": [
            {
                "href": f"https://{orgs.ORG_SLUG}.sentry.io/issues/{group['id']}/",
                "text": "View Sentry Issue Details",
            }
        ],
    }
    try:
        pagerduty_events.process(event)
    except pagerduty_events.EventError as refused:  # Sentry logs the failure; nobody is paged
        deliveries.record("pagerduty", "", status="failed", reason=refused.message, **context)
