"""``/incidents`` (read-only here): what Events API v2 triggers open on a service, assigned to whoever the
service's escalation policy reaches first (specs/pagerduty-rest-openapi.json Incident; GET /incidents with
``incident_key``, ``statuses[]``, ``service_ids[]``).

Who is on call follows the schedule layers the way PagerDuty counts turns: from each layer's
``rotation_virtual_start``, one ``rotation_turn_length_seconds`` per person, in order, the highest layer
winning (restrictions are not modelled: a restricted layer is treated as always on).
"""

import math
from typing import Any

from flask import request

from sandbox.collection import Args, Collection, Controlled
from sandbox.pagerduty import repo, web

Doc = dict[str, Any]
SEVERE = ("critical", "error")  # severity_based urgency: these are high, the others low


def on_call(policy_pid: str, now: float, rule: int = 0) -> str | None:
    """The user a rule of the policy (the first by default) reaches now: a user target, or who is on call
    in a schedule."""
    policy = repo.by_pid(repo.POLICIES, policy_pid)
    if policy is None or len(policy["rules"]) <= rule:
        return None
    for target in policy["rules"][rule]["targets"]:
        if target["collection"] == repo.USERS:
            return str(target["id"])
        schedule = repo.by_pid(repo.SCHEDULES, target["id"])
        for layer in reversed((schedule or {}).get("layers", [])):  # the last sent is the highest
            if layer.get("end") is None or layer["end"] > now:
                turns = math.floor(
                    (now - layer["rotation_virtual_start"]) / layer["rotation_turn_length_seconds"]
                )
                return str(layer["users"][turns % len(layer["users"])])
    return None


def urgency(service: Doc, severity: str) -> str:
    rule = service.get("urgency") or {}
    if rule.get("urgency") == "severity_based":
        return "high" if severity in SEVERE else "low"
    return str(rule.get("urgency", "high"))


def open_incident(service: Doc, routing_key: str, key: str, title: str, severity: str, now: float) -> Doc:
    """An incident of the alert `key` that the integration of `routing_key` received."""
    record = repo.new_record()
    record.update(
        incident_key=key,
        routing_key=routing_key,
        title=title,
        status="triggered",
        service=service["pid"],
        policy=service["policy"],
        assignee=on_call(service["policy"], now),
        urgency=urgency(service, severity),
        created_at=repo.now(),
        rule=0,  # the escalation rule reached, and the loop (sandbox/pagerduty/escalation.py)
        loop=0,
        rule_since=now,
    )
    return repo.save(repo.INCIDENTS, record)


def dto(record: Doc) -> Doc:
    service = repo.by_pid(repo.SERVICES, record["service"]) or {"pid": record["service"]}
    policy = repo.by_pid(repo.POLICIES, record["policy"]) or {"pid": record["policy"]}
    assignee = repo.by_pid(repo.USERS, record["assignee"] or "") if record.get("assignee") else None
    return {
        **web.header(record, "incident", "incidents"),
        "summary": f"[#{record['id']}] {record['title']}",
        "incident_number": record["id"],
        "title": record["title"],
        "created_at": record["created_at"],
        "status": record["status"],
        "incident_key": record["incident_key"],
        "service": web.ref("service", service, "services"),
        "assignments": [{"at": record["created_at"], "assignee": web.ref("user", assignee, "users")}]
        if assignee
        else [],
        "urgency": record["urgency"],
        "escalation_policy": web.ref("escalation_policy", policy, "escalation_policies"),
    }


def _listed(args: Args) -> list[Doc]:
    key = request.args.get("incident_key")
    statuses = set(request.args.getlist("statuses[]"))
    services = set(request.args.getlist("service_ids[]"))
    return [
        i
        for i in repo.find(repo.INCIDENTS)
        if (key is None or i["incident_key"] == key)
        and (not statuses or i["status"] in statuses)
        and (not services or i["service"] in services)
    ]


COLLECTION = Collection(
    "pagerduty_incidents",
    "/incidents",
    "/incidents/<id>",
    records=_listed,
    load=lambda args: repo.get_or_404(repo.INCIDENTS, args["id"]),
    dto=lambda args: dto,
    page=web.pager("incidents"),
    envelope="incident",
)
# Out of band (sandbox/pagerduty/control.py): shown as the API shows it, deleted without its checks.
CONTROLLED = Controlled(
    repo.INCIDENTS, dto, lambda record: repo.remove(repo.INCIDENTS, record), names=None
)  # raised by events, never declared
