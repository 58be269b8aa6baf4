"""Service events (``GET /services/{serviceId}/events``): what happened to a service, newest first, as
``[{"cursor", "event": {"id", "timestamp", "serviceId", "type", "details"}}]`` (specs/render-openapi.json,
serviceEventWithCursor), filtered by ``type`` (repeatable or comma-separated), ``startTime`` and
``endTime``. The sandbox records the events of what it runs (sandbox/render/runtime.py).
"""

from typing import Any

from flask import Blueprint, Response

from sandbox.clock import iso
from sandbox.render import repo, web

routes = Blueprint("render_events", __name__)

EVENTS = "service-events"  # {"id": seq, "serviceId", "doc": event}
TYPES = (
    "build_ended",
    "build_started",
    "deploy_ended",
    "deploy_started",
    "server_available",
    "server_failed",
    "server_restarted",
)  # fmt: skip  (those the sandbox records; the spec lists more)

Doc = dict[str, Any]


def record(service_id: str, kind: str, details: Doc, at: float) -> Doc:
    seq = repo.next_seq()
    event = {
        "id": repo.render_id("evt", f"{service_id}:{seq}"),
        "timestamp": iso(at),
        "serviceId": service_id,
        "type": kind,
        "details": details,
    }
    return repo.save(EVENTS, {"id": seq, "serviceId": service_id, "doc": event})


@routes.get("/services/<serviceId>/events")
def list_events(service_id: str) -> Response:
    repo.service_or_404(service_id)
    kinds = web.array_arg("type")
    window = (web.time_arg("startTime"), web.time_arg("endTime"))
    records = [
        record
        for record in repo.find_by(EVENTS, "serviceId", service_id)
        if (not kinds or record["doc"]["type"] in kinds)
        and web.in_time_range(record["doc"]["timestamp"], *window)
    ]
    return web.json_response(web.page(records, lambda record: {"event": record["doc"]}, descending=True))
