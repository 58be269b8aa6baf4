"""``/services``: what incidents are opened on, and who its escalation policy pages (specs/pagerduty-rest-
openapi.json, Service: `escalation_policy` required; `auto_resolve_timeout` default 14400 s and
`acknowledgement_timeout` default 1800 s, null disables either; `status` default active)."""

from typing import Any

from sandbox.collection import Args, Collection, Controlled
from sandbox.pagerduty import repo, web
from sandbox.pagerduty.errors import invalid

Doc = dict[str, Any]
STATUSES = ("active", "warning", "critical", "maintenance", "disabled")
WRITABLE_STATUSES = ("active", "disabled")  # the others follow from incidents and maintenance windows
ALERT_CREATION = ("create_incidents", "create_alerts_and_incidents")
DEFAULT_URGENCY = {"type": "constant", "urgency": "high"}


def _timeout(data: Doc, field: str, default: int | None) -> int | None:
    value = data.get(field, default)
    if value is None or value == 0:
        return None  # 0 or null: the feature is off, read back as null
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise invalid(f"{field} must be a non-negative number of seconds or null")
    return value


def _apply(record: Doc, data: Doc) -> Doc:
    creating = "name" not in record
    if "name" in data or creating:
        name = str(data.get("name") or "").strip()
        if not name:
            raise invalid("Name can't be blank")
        # Names are unique in an account: 400 code 2001, errors ["Name has already been taken"] (observed
        # answers, matched by openshift/pagerduty-operator pkg/pagerduty/service.go; the spec is silent).
        if any(s["name"] == name and s["pid"] != record["pid"] for s in repo.find(repo.SERVICES)):
            raise invalid("Name has already been taken")
        record["name"] = name
    if "escalation_policy" in data or creating:
        policy = data.get("escalation_policy")
        pid = policy.get("id") if isinstance(policy, dict) else None
        if repo.by_pid(repo.POLICIES, str(pid)) is None:
            raise invalid("Escalation policy must be a valid escalation policy reference")
        record["policy"] = pid
    for field, default in (("auto_resolve_timeout", 14400), ("acknowledgement_timeout", 1800)):
        if field in data or creating:
            record[field] = _timeout(data, field, default)
    status = data.get("status", record.get("status", "active"))
    allowed = ("active",) if creating else WRITABLE_STATUSES  # POST /services takes only active (its text)
    if status not in allowed:
        raise invalid(f"status must be one of {', '.join(allowed)}")
    creation = data.get("alert_creation", record.get("alert_creation", "create_alerts_and_incidents"))
    if creation not in ALERT_CREATION:
        raise invalid(f"alert_creation must be one of {', '.join(ALERT_CREATION)}")
    urgency = data.get("incident_urgency_rule", record.get("urgency", DEFAULT_URGENCY))
    if not isinstance(urgency, dict) or urgency.get("type") not in ("constant", "use_support_hours"):
        raise invalid("incident_urgency_rule.type must be constant or use_support_hours")
    record.update(
        status=status,
        alert_creation=creation,
        urgency=urgency,
        description=data.get("description", record.get("description")),
    )
    record.setdefault("created_at", repo.now())
    return repo.save(repo.SERVICES, record)


def create(data: Doc) -> Doc:
    return _apply(repo.new_record(), data)


def delete(record: Doc) -> None:
    """A service goes with its integrations (they have no delete of their own)."""
    for integration in repo.find(repo.INTEGRATIONS):
        if integration["service"] == record["pid"]:
            repo.remove(repo.INTEGRATIONS, integration)
    repo.remove(repo.SERVICES, record)


def dto(record: Doc) -> Doc:
    policy = repo.by_pid(repo.POLICIES, record["policy"]) or {"pid": record["policy"]}
    integrations = [i for i in repo.find(repo.INTEGRATIONS) if i["service"] == record["pid"]]
    return {
        **web.header(record, "service", "services"),
        "name": record["name"],
        "description": record.get("description"),
        "auto_resolve_timeout": record["auto_resolve_timeout"],
        "acknowledgement_timeout": record["acknowledgement_timeout"],
        "created_at": record["created_at"],
        "status": record["status"],
        "last_incident_timestamp": None,
        "escalation_policy": web.ref("escalation_policy", policy, "escalation_policies"),
        "teams": [],
        "integrations": [
            web.ref(i["type"], i, f"services/{record['pid']}/integrations") for i in integrations
        ],
        "incident_urgency_rule": record["urgency"],
        "support_hours": None,
        "scheduled_actions": [],
        "addons": [],
        "alert_creation": record["alert_creation"],
        "alert_grouping_parameters": {"type": None},
        "auto_pause_notifications_parameters": {"enabled": False, "timeout": None},
    }


def _listed(args: Args) -> list[Doc]:
    return [s for s in repo.find(repo.SERVICES) if web.query_matches(s["name"])]


COLLECTION = Collection(
    "pagerduty_services",
    "/services",
    "/services/<id>",
    records=_listed,
    load=lambda args: repo.get_or_404(repo.SERVICES, args["id"]),
    dto=lambda args: dto,
    page=web.pager("services"),
    body=web.wrapped("service"),
    envelope="service",
    create=lambda args, data: create(data),
    update=lambda args, record, data: _apply(record, data),
    update_method="PUT",
    delete=lambda args, record: delete(record),
)
# Out of band (sandbox/pagerduty/control.py): shown as the API shows it, deleted with its integrations.
CONTROLLED = Controlled(repo.SERVICES, dto, delete, names=lambda view: [view["name"]])
