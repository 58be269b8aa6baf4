"""Change events (deploys and the like): what ``POST /change/enqueue`` (Events API v2) records on a service's
timeline, read back through REST ``GET /change_events``, ``GET /change_events/{id}`` and
``GET /services/{id}/change_events`` (specs/pagerduty-rest-openapi.json ChangeEvent: ``summary``,
``timestamp``, ``type: change_event``, ``source``, ``services`` and ``integration`` references,
``custom_details``, ``links``; offset pages; ``since``/``until`` filter by timestamp). They page nobody
(specs/pagerduty-events-v2-openapi.json, createChangeEvent). Ids look like the spec's examples
(``01BBYA6PEVW6A852BUO6QYUE7O``: 26 upper-case letters and digits).
"""

import string
from typing import Any

from flask import Blueprint, Response, request

from sandbox.clock import iso, parse_instant
from sandbox.collection import Args, Collection, Controlled
from sandbox.pagerduty import repo, web
from sandbox.pagerduty.errors import invalid, not_found

Doc = dict[str, Any]
_ALPHABET = string.digits + string.ascii_uppercase

routes = Blueprint("pagerduty_change_events", __name__)


def _change_id(seq: int) -> str:
    digits, n = [], seq * 104729 + 36**20
    while n:
        n, r = divmod(n, 36)
        digits.append(_ALPHABET[r])
    return "01" + "".join(reversed(digits)).rjust(24, "0")[-24:]


def record(integration: Doc, service: Doc, data: Doc, now: float) -> Doc:
    """Keep one accepted change event (the body of /change/enqueue, already validated)."""
    payload: Doc = data["payload"]
    change = repo.new_record()
    change.update(
        pid=_change_id(change["id"]),
        summary=str(payload["summary"])[:1024],
        timestamp=str(payload.get("timestamp") or iso(now)),
        source=payload.get("source"),
        custom_details=payload.get("custom_details") or {},
        links=data.get("links") or [],
        images=data.get("images") or [],
        service=service["pid"],
        integration=integration["pid"],
        routing_key=integration["key"],
    )
    return repo.save(repo.CHANGES, change)


def dto(change: Doc) -> Doc:
    service = repo.by_pid(repo.SERVICES, change["service"]) or {"pid": change["service"]}
    integration = repo.by_pid(repo.INTEGRATIONS, change["integration"]) or {"pid": change["integration"]}
    return {
        "id": change["pid"],
        "type": "change_event",
        "summary": change["summary"],
        "timestamp": change["timestamp"],
        "source": change["source"],
        "services": [web.ref("service", service, "services")],
        "integration": {**web.ref("inbound_integration", integration, "integrations")},
        "routing_key": change["routing_key"],
        "custom_details": change["custom_details"],
        "links": change["links"],
        "images": change["images"],
    }


def _instant(name: str) -> float | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return parse_instant(raw)
    except ValueError:
        raise invalid(f"{name} is not a date-time") from None


def _listed(service_pid: str | None = None) -> list[Doc]:
    since, until = _instant("since"), _instant("until")
    found = [
        c
        for c in repo.find(repo.CHANGES)
        if (service_pid is None or c["service"] == service_pid)
        and (since is None or parse_instant(c["timestamp"]) >= since)
        and (until is None or parse_instant(c["timestamp"]) < until)
    ]
    return sorted(found, key=lambda c: c["timestamp"], reverse=True)  # newest first, as the spec's example


def _load(args: Args) -> Doc:
    found = next((c for c in repo.find(repo.CHANGES) if c["pid"] == args["id"]), None)
    if found is None:
        raise not_found()
    return found


@routes.get("/services/<id>/change_events")
def service_change_events(id: str) -> Response:
    service = repo.get_or_404(repo.SERVICES, id)
    return web.pager("change_events")(_listed(service["pid"]), dto)


COLLECTION = Collection(
    "pagerduty_change_events",
    "/change_events",
    "/change_events/<id>",
    records=lambda args: _listed(),
    load=_load,
    dto=lambda args: dto,
    page=web.pager("change_events"),
    envelope="change_event",
)
# Out of band (sandbox/pagerduty/control.py): shown as the API shows it, deleted without its checks.
CONTROLLED = Controlled(
    repo.CHANGES, dto, lambda record: repo.remove(repo.CHANGES, record), names=None
)  # sent by deploys, never declared
