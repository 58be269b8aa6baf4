"""``/schedules``: who is on call when (specs/pagerduty-rest-openapi.json Schedule, ScheduleLayer).

Live behaviour the spec does not tell, from PagerDuty/terraform-provider-pagerduty (pagerduty/resource_
pagerduty_schedule.go and util/util.go) and PagerDuty/public-support-scripts#60:
* a GET lists the layers in the reverse of the order a POST or PUT sent them;
* a layer's ``start`` in the past becomes now, its last update (TF #200, SuppressScheduleLayerStartDiff);
* layers are never removed, only ended (``end`` set), and ended layers stay in the answers as history;
* a schedule an escalation policy uses cannot be deleted (400, "Schedule can't be deleted if it's being
  used by escalation policies": resourcePagerDutyScheduleDelete compares that text).
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sandbox.clock import parse_instant
from sandbox.collection import Args, Collection, Controlled
from sandbox.pagerduty import repo, web
from sandbox.pagerduty.errors import invalid, not_found
from sandbox.state import sandbox

Doc = dict[str, Any]
IN_USE = "Schedule can't be deleted if it's being used by escalation policies"


def _zone(name: Any) -> ZoneInfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid("Time zone is not a valid time zone") from None


def _instant(value: Any, field: str) -> float:
    try:
        return parse_instant(value)
    except ValueError:
        raise invalid(f"{field} must be an ISO 8601 date-time") from None


def _layer(data: Any, old: dict[str, Doc], now: float) -> Doc:
    if not isinstance(data, dict):
        raise invalid("schedule_layers must be objects")
    users = []
    for entry in data.get("users") or []:
        user = entry.get("user") if isinstance(entry, dict) else None
        if not isinstance(user, dict) or user.get("type") not in ("user", "user_reference"):
            raise invalid("Schedule layer users must be user references")
        if repo.by_pid(repo.USERS, str(user.get("id"))) is None:
            raise not_found()
        users.append(str(user["id"]))
    if not users:
        raise invalid("Schedule layer must have at least one user")
    turn = data.get("rotation_turn_length_seconds")
    if isinstance(turn, bool) or not isinstance(turn, int) or turn < 1:
        raise invalid("rotation_turn_length_seconds must be a positive integer")
    previous = old.get(str(data.get("id")))
    layer = previous or {"id": repo.public_id(repo.new_record()["id"])}
    end = data.get("end")
    layer.update(
        name=str(data.get("name") or f"Layer {len(old) + 1}"),
        start=max(_instant(data.get("start"), "start"), now),  # a past start becomes now
        end=None if end is None else _instant(end, "end"),
        rotation_virtual_start=_instant(data.get("rotation_virtual_start"), "rotation_virtual_start"),
        rotation_turn_length_seconds=turn,
        users=users,
        restrictions=list(data.get("restrictions") or []),
    )
    return layer


def _apply(record: Doc, data: Doc) -> Doc:
    now = sandbox().clock.now()
    if "time_zone" in data or "time_zone" not in record:
        _zone(data.get("time_zone"))
        record["time_zone"] = str(data["time_zone"])
    if "name" in data or "name" not in record:
        record["name"] = str(data.get("name") or "").strip() or record["pid"]
    record["description"] = data.get("description", record.get("description"))
    if "schedule_layers" in data or "layers" not in record:
        sent = data.get("schedule_layers")
        if not isinstance(sent, list) or not sent:
            raise invalid("Schedule must have at least one layer")
        old = {layer["id"]: layer for layer in record.get("layers", [])}
        layers = [_layer(item, old, now) for item in sent]
        kept = {layer["id"] for layer in layers}
        # Layers a PUT leaves out are kept as they were (clients end them explicitly).
        record["layers"] = [layer for layer in record.get("layers", []) if layer["id"] not in kept] + layers
    return repo.save(repo.SCHEDULES, record)


def create(data: Doc) -> Doc:
    return _apply(repo.new_record(), data)


def delete(record: Doc) -> None:
    targets = [t for p in repo.find(repo.POLICIES) for rule in p["rules"] for t in rule["targets"]]
    if any(t["collection"] == repo.SCHEDULES and t["id"] == record["pid"] for t in targets):
        raise invalid(IN_USE)
    repo.remove(repo.SCHEDULES, record)


def _at(timestamp: float | None, zone: ZoneInfo) -> str | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, zone).isoformat()


def _user(pid: str) -> Doc:
    return web.ref("user", repo.by_pid(repo.USERS, pid) or {"pid": pid}, "users")


def dto(record: Doc) -> Doc:
    zone = ZoneInfo(record["time_zone"])
    layers = [
        {
            "id": layer["id"],
            "name": layer["name"],
            "start": _at(layer["start"], zone),
            "end": _at(layer["end"], zone),
            "rotation_virtual_start": _at(layer["rotation_virtual_start"], zone),
            "rotation_turn_length_seconds": layer["rotation_turn_length_seconds"],
            "users": [{"user": _user(pid)} for pid in layer["users"]],
            "restrictions": layer["restrictions"],
            "rendered_schedule_entries": [],
            "rendered_coverage_percentage": None,
        }
        for layer in reversed(record["layers"])  # a GET lists them in the reverse of the order sent
    ]
    policies = [
        p
        for p in repo.find(repo.POLICIES)
        if any(t["id"] == record["pid"] for rule in p["rules"] for t in rule["targets"])
    ]
    people = list(dict.fromkeys(pid for layer in record["layers"] for pid in layer["users"]))
    empty: Doc = {"rendered_schedule_entries": [], "rendered_coverage_percentage": None}
    return {
        **web.header(record, "schedule", "schedules"),
        "name": record["name"],
        "time_zone": record["time_zone"],
        "description": record.get("description"),
        "schedule_layers": layers,
        "escalation_policies": [web.ref("escalation_policy", p, "escalation_policies") for p in policies],
        "users": [_user(pid) for pid in people],
        "teams": [],
        "final_schedule": {"name": "Final Schedule", **empty},
        "overrides_subschedule": {"name": "Overrides", **empty},
    }


def _listed(args: Args) -> list[Doc]:
    return [s for s in repo.find(repo.SCHEDULES) if web.query_matches(s["name"])]


COLLECTION = Collection(
    "pagerduty_schedules",
    "/schedules",
    "/schedules/<id>",
    records=_listed,
    load=lambda args: repo.get_or_404(repo.SCHEDULES, args["id"]),
    dto=lambda args: dto,
    page=web.pager("schedules"),
    body=web.wrapped("schedule"),
    envelope="schedule",
    create=lambda args, data: create(data),
    update=lambda args, record, data: _apply(record, data),
    update_method="PUT",
    delete=lambda args, record: delete(record),
)
# Out of band (sandbox/pagerduty/control.py): shown as the API shows it, deleted without its checks.
CONTROLLED = Controlled(
    repo.SCHEDULES, dto, lambda record: repo.remove(repo.SCHEDULES, record), names=lambda view: [view["name"]]
)
