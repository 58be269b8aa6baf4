"""``/escalation_policies``: who is paged, in which order, after how long (specs/pagerduty-rest-openapi.json,
EscalationPolicy and EscalationRule)."""

from typing import Any

from sandbox.collection import Args, Collection, Controlled
from sandbox.pagerduty import repo, web
from sandbox.pagerduty.errors import invalid, not_found

Doc = dict[str, Any]
# The target types the spec's enum lists (EscalationPolicy escalation_rules targets).
TARGETS = {
    "user_reference": repo.USERS,
    "user": repo.USERS,
    "schedule_reference": repo.SCHEDULES,
    "schedule": repo.SCHEDULES,
    "schedule_v3_reference": repo.SCHEDULES,
}
HANDOFFS = ("if_has_services", "always")


def _rules(data: Doc, old: list[Doc]) -> list[Doc]:
    rules = data.get("escalation_rules")
    if not isinstance(rules, list) or not rules:
        raise invalid("Escalation rules must have at least one rule")
    kept = {rule["id"] for rule in old}
    shaped = []
    for i, rule in enumerate(rules):
        delay = rule.get("escalation_delay_in_minutes") if isinstance(rule, dict) else None
        if isinstance(delay, bool) or not isinstance(delay, int) or delay < 1:
            raise invalid(f"escalation_rules[{i}].escalation_delay_in_minutes must be a positive integer")
        targets = []
        for target in rule.get("targets") or []:
            stored = TARGETS.get(str(target.get("type")))
            if stored is None or repo.by_pid(stored, str(target.get("id"))) is None:
                raise not_found()  # deviation pagerduty-reference-not-found
            targets.append({"id": str(target["id"]), "collection": stored})
        if not targets:
            raise invalid(f"escalation_rules[{i}] must have at least one target")
        rule_id = rule.get("id") if rule.get("id") in kept else repo.public_id(repo.new_record()["id"])
        shaped.append({"id": rule_id, "delay": delay, "targets": targets})
    return shaped


def _apply(record: Doc, data: Doc) -> Doc:
    if "name" in data or "name" not in record:
        name = str(data.get("name") or "").strip()
        if not name:
            raise invalid("Name can't be blank")
        if any(p["name"] == name and p["pid"] != record["pid"] for p in repo.find(repo.POLICIES)):
            raise invalid("Name has already been taken")
        record["name"] = name
    if "escalation_rules" in data or "rules" not in record:
        record["rules"] = _rules(data, record.get("rules", []))
    loops = data.get("num_loops", record.get("num_loops", 0))
    if isinstance(loops, bool) or not isinstance(loops, int) or loops < 0:
        raise invalid("num_loops must be a non-negative integer")  # EscalationPolicy.num_loops minimum 0
    handoff = data.get("on_call_handoff_notifications", record.get("handoff", "if_has_services"))
    if handoff not in HANDOFFS:
        raise invalid(f"on_call_handoff_notifications must be one of {', '.join(HANDOFFS)}")
    record.update(
        num_loops=loops, handoff=handoff, description=data.get("description", record.get("description"))
    )
    return repo.save(repo.POLICIES, record)


def create(data: Doc) -> Doc:
    return _apply(repo.new_record(), data)


def delete(record: Doc) -> None:
    if any(s["policy"] == record["pid"] for s in repo.find(repo.SERVICES)):
        raise invalid("Escalation policy is in use by one or more services")
    repo.remove(repo.POLICIES, record)


def _target(target: Doc) -> Doc:
    found = repo.by_pid(target["collection"], target["id"])
    kind = "user" if target["collection"] == repo.USERS else "schedule"
    path = "users" if kind == "user" else "schedules"
    return web.ref(kind, found or {"pid": target["id"]}, path)


def dto(record: Doc) -> Doc:
    services = [s for s in repo.find(repo.SERVICES) if s["policy"] == record["pid"]]
    return {
        **web.header(record, "escalation_policy", "escalation_policies"),
        "name": record["name"],
        "description": record.get("description"),
        "num_loops": record["num_loops"],
        "on_call_handoff_notifications": record["handoff"],
        "escalation_rules": [
            {
                "id": rule["id"],
                "escalation_delay_in_minutes": rule["delay"],
                "targets": [_target(t) for t in rule["targets"]],
            }
            for rule in record["rules"]
        ],
        "services": [web.ref("service", s, "services") for s in services],
        "teams": [],
    }


def _listed(args: Args) -> list[Doc]:
    return [p for p in repo.find(repo.POLICIES) if web.query_matches(p["name"])]


COLLECTION = Collection(
    "pagerduty_escalation_policies",
    "/escalation_policies",
    "/escalation_policies/<id>",
    records=_listed,
    load=lambda args: repo.get_or_404(repo.POLICIES, args["id"]),
    dto=lambda args: dto,
    page=web.pager("escalation_policies"),
    body=web.wrapped("escalation_policy"),
    envelope="escalation_policy",
    create=lambda args, data: create(data),
    update=lambda args, record, data: _apply(record, data),
    update_method="PUT",
    delete=lambda args, record: delete(record),
)
# Out of band (sandbox/pagerduty/control.py): shown as the API shows it, deleted without its checks.
CONTROLLED = Controlled(
    repo.POLICIES, dto, lambda record: repo.remove(repo.POLICIES, record), names=lambda view: [view["name"]]
)
