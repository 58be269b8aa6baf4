"""Render's service metrics: `GET /metrics/cpu`, `/metrics/memory`, `/metrics/cpu-limit` and
`/metrics/memory-limit` (operations `get-cpu`, `get-memory`, `get-cpu-limit`, `get-memory-limit`).

A time series per instance of each `resource` asked for (the key repeated for several, ORed), over
`startTime`..`endTime` (default: the last hour) at `resolutionSeconds` (default 60, at least 30): `[{labels:
[{field, value}], values: [{timestamp, value}], unit}]`. CPU is in cores (unit `cpu`), memory in bytes
(unit `bytes`), as Render's own MCP server models them (render-oss/render-mcp-server pkg/metrics); the
limits are the instance type's (Render's instance types: starter 0.5 CPU / 512 MB, standard 1 / 2 GB,
pro 2 / 4 GB). Utilisation is usage over limit. `aggregationMethod` (AVG, MAX, MIN; cpu only) folds the
instances' series into one. A resource without the metric (not a service, or unknown) has no series: `[]`.

The usage is what the control API sets (`PUT /_control/render/services/<id>/usage {"cpu": 0.45,
"memory": 400000000}`), from that instant on the sandbox clock; before any is set a service idles at 5%
CPU and 30% memory (assumption render-idle-usage).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.clock import iso, parse_instant
from sandbox.render import repo
from sandbox.render.errors import invalid
from sandbox.state import sandbox

Doc = dict[str, Any]
routes = Blueprint("render_metrics", __name__)

MB = 1024 * 1024
LIMITS = {  # plan: (CPU cores, memory bytes)
    "free": (0.1, 512 * MB),
    "starter": (0.5, 512 * MB),
    "standard": (1.0, 2048 * MB),
    "pro": (2.0, 4096 * MB),
    "pro_plus": (4.0, 8192 * MB),
    "pro_max": (4.0, 16384 * MB),
    "pro_ultra": (8.0, 32768 * MB),
}
IDLE = (0.05, 0.30)  # share of the limit a service uses until told otherwise
RETENTION = 30 * 86400.0  # the longest a plan keeps metrics (Render's "Service metrics" page)
USAGE = "metrics-usage"  # {"id", "serviceId", "changes": [[at, cpu, memory], ...]}
AGGREGATIONS: dict[str, Callable[[Sequence[float]], float]] = {
    "AVG": statistics.fmean,
    "MAX": max,
    "MIN": min,
}


def set_usage(service_id: str, cpu: float | None, memory: float | None) -> Doc:
    """From now on the service uses `cpu` cores and `memory` bytes (None: as before)."""
    record = repo.first_by(USAGE, "serviceId", service_id) or {
        "id": repo.next_seq(),
        "serviceId": service_id,
        "changes": [],
    }
    at = sandbox().clock.now()
    last = _usage_at(_service(service_id) or {}, record["changes"], at)
    record["changes"].append([at, last[0] if cpu is None else cpu, last[1] if memory is None else memory])
    return repo.save(USAGE, record)


def usage_of(service: Doc, body: Doc) -> tuple[float | None, float | None]:
    """Cores and bytes from a control body: given as such, or as percentages of the instance's limit."""
    limits = _limits(service)
    cpu, memory = body.get("cpu"), body.get("memory")
    if "cpuPercent" in body:
        cpu = limits[0] * float(body["cpuPercent"]) / 100
    if "memoryPercent" in body:
        memory = limits[1] * float(body["memoryPercent"]) / 100
    return cpu, memory


def _service(service_id: str) -> Doc | None:
    record = repo.service_record(service_id)
    return record["doc"] if record else None


def _limits(service: Doc) -> tuple[float, float]:
    plan = (service.get("serviceDetails") or {}).get("plan") or "starter"
    return LIMITS.get(plan, LIMITS["starter"])


def _usage_at(service: Doc, changes: list[list[float]], at: float) -> tuple[float, float]:
    current = [c for c in changes if c[0] <= at]
    if current:
        return current[-1][1], current[-1][2]
    cpu, memory = _limits(service)
    return cpu * IDLE[0], memory * IDLE[1]


def _window() -> tuple[float, float, float]:
    now = sandbox().clock.now()
    try:
        end = parse_instant(request.args["endTime"]) if "endTime" in request.args else now
        start = parse_instant(request.args["startTime"]) if "startTime" in request.args else end - 3600
        step = float(request.args.get("resolutionSeconds", 60))
    except ValueError as error:
        raise invalid(str(error)) from None
    return max(start, now - RETENTION), min(end, now), step


def _series(metric: str) -> Response:
    start, end, step = _window()
    found: list[Doc] = []
    for resource in request.args.getlist("resource"):
        service = _service(resource)
        if service is None or service.get("type") == "static_site":  # static sites have no such metrics
            continue
        record = repo.first_by(USAGE, "serviceId", resource)
        changes = record["changes"] if record else []
        times = [start + i * step for i in range(int((end - start) // step) + 1)]
        values = [_value(metric, service, changes, t) for t in times]
        labels = [{"field": "resource", "value": resource}, {"field": "instance", "value": f"{resource}-0"}]
        found.append({"labels": labels, "times": times, "values": values})
    method = request.args.get("aggregationMethod")
    if method and found:
        folded = [AGGREGATIONS[method](column) for column in zip(*(s["values"] for s in found), strict=True)]
        found = [{"labels": [], "times": found[0]["times"], "values": folded}]
    unit = "cpu" if metric.startswith("cpu") else "bytes"
    return jsonify(
        [
            {
                "labels": s["labels"],
                "values": [
                    {"timestamp": iso(t), "value": v} for t, v in zip(s["times"], s["values"], strict=True)
                ],
                "unit": unit,
            }
            for s in found
        ]
    )


def _value(metric: str, service: Doc, changes: list[list[float]], at: float) -> float:
    limits = _limits(service)
    if metric.endswith("-limit"):
        return limits[0] if metric.startswith("cpu") else limits[1]
    cpu, memory = _usage_at(service, changes, at)
    return cpu if metric == "cpu" else memory


@routes.get("/metrics/cpu")
def cpu() -> Response:
    return _series("cpu")


@routes.get("/metrics/memory")
def memory() -> Response:
    return _series("memory")


@routes.get("/metrics/cpu-limit")
def cpu_limit() -> Response:
    return _series("cpu-limit")


@routes.get("/metrics/memory-limit")
def memory_limit() -> Response:
    return _series("memory-limit")
