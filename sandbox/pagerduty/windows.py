"""``/maintenance_windows``: services that open no incidents for a while (specs/pagerduty-rest-openapi.json,
MaintenanceWindow and its operations): a start in the past becomes now; the end must be in the future and
after the start; creating one names its author in the required ``From`` header; a future window is
deleted, an ongoing one ended, and an ended one refused with 405."""

from typing import Any

from flask import request

from sandbox.clock import iso, parse_instant
from sandbox.collection import Args, Collection, Controlled
from sandbox.pagerduty import repo, web
from sandbox.pagerduty.errors import ApiError, invalid
from sandbox.state import sandbox

Doc = dict[str, Any]
FILTERS = ("past", "future", "ongoing", "open", "all")


def _instant(data: Doc, field: str) -> float:
    try:
        return parse_instant(data.get(field))
    except ValueError:
        raise invalid(f"{field} must be an ISO 8601 date-time") from None


def _services(data: Doc) -> list[str]:
    ids = [str(ref.get("id")) for ref in data.get("services") or [] if isinstance(ref, dict)]
    if not ids:
        raise invalid("Services must name at least one service")
    missing = [pid for pid in ids if repo.by_pid(repo.SERVICES, pid) is None]
    if missing:
        raise invalid(f"Service {missing[0]} not found")
    return ids


def _apply(record: Doc, data: Doc) -> Doc:
    now = sandbox().clock.now()
    start = _instant(data, "start_time") if "start_time" in data or "start" not in record else record["start"]
    end = _instant(data, "end_time") if "end_time" in data or "end" not in record else record["end"]
    start = max(start, now)  # "If this date is in the past, it will be updated to be the current time."
    if end <= now or end <= start:
        raise invalid("End time must be in the future and after the start time")
    if "services" in data or "services" not in record:
        record["services"] = _services(data)
    record.update(start=start, end=end, description=data.get("description", record.get("description")))
    return repo.save(repo.WINDOWS, record)


def create(data: Doc) -> Doc:
    author = next(
        (
            u
            for u in repo.find(repo.USERS)
            if u["email"].casefold() == request.headers.get("From", "").casefold()
        ),
        None,
    )
    if author is None:
        raise invalid("From must be the e-mail address of a user of the account")
    record = repo.new_record()
    record.update(author=author["pid"], sequence_number=record["id"])
    return _apply(record, data)


def _state(record: Doc, now: float) -> str:
    return "past" if record["end"] <= now else "ongoing" if record["start"] <= now else "future"


def delete(record: Doc) -> None:
    now = sandbox().clock.now()
    state = _state(record, now)
    if state == "past":
        raise ApiError(405, "The maintenance window can't be deleted because it has already ended.", 2001)
    if state == "ongoing":
        record["end"] = now  # ended early, kept as history
        repo.save(repo.WINDOWS, record)
        return
    repo.remove(repo.WINDOWS, record)


def dto(record: Doc) -> Doc:
    author = repo.by_pid(repo.USERS, record["author"]) or {"pid": record["author"]}
    return {
        **web.header(record, "maintenance_window", "maintenance_windows"),
        "summary": record.get("description") or record["pid"],
        "sequence_number": record["sequence_number"],
        "start_time": iso(record["start"]),
        "end_time": iso(record["end"]),
        "description": record.get("description"),
        "created_by": web.ref("user", author, "users"),
        "services": [
            web.ref("service", repo.by_pid(repo.SERVICES, pid) or {"pid": pid}, "services")
            for pid in record["services"]
        ],
        "teams": [],
    }


def _listed(args: Args) -> list[Doc]:
    wanted = request.args.get("filter", "all")  # the spec names no default: without one, nothing is hidden
    if wanted not in FILTERS:
        raise invalid(f"filter must be one of {', '.join(FILTERS)}")
    now = sandbox().clock.now()
    services = set(request.args.getlist("service_ids[]"))

    def keep(record: Doc) -> bool:
        state = _state(record, now)
        shown = wanted == "all" or state == wanted or (wanted == "open" and state != "past")
        return shown and (not services or bool(services & set(record["services"])))

    return [w for w in repo.find(repo.WINDOWS) if keep(w) and web.query_matches(w.get("description"))]


COLLECTION = Collection(
    "pagerduty_maintenance_windows",
    "/maintenance_windows",
    "/maintenance_windows/<id>",
    records=_listed,
    load=lambda args: repo.get_or_404(repo.WINDOWS, args["id"]),
    dto=lambda args: dto,
    page=web.pager("maintenance_windows"),
    body=web.wrapped("maintenance_window"),
    envelope="maintenance_window",
    create=lambda args, data: create(data),
    update=lambda args, record, data: _apply(record, data),
    update_method="PUT",
    delete=lambda args, record: delete(record),
)
# Out of band (sandbox/pagerduty/control.py): shown as the API shows it, deleted without its checks.
CONTROLLED = Controlled(
    repo.WINDOWS, dto, lambda record: repo.remove(repo.WINDOWS, record), names=lambda view: [view["summary"]]
)
