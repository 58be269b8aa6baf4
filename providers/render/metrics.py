"""Render's service metrics (`GET /metrics/cpu`, `/metrics/memory` and their `-limit` series): a service's
use of its instance's CPU and memory, as a share of the limit. CPU is in cores, memory in bytes; a series
per instance, `[{labels, values: [{timestamp, value}], unit}]` (docs/vendors/render.md, "Metrics")."""

from __future__ import annotations

from statistics import fmean
from typing import Any

from transport import Transport

RESOLUTION = 60  # seconds between points; Render's minimum is 30


def utilisation(transport: Transport, service_id: str, metric: str, minutes: int) -> float | None:
    """Mean use of `metric` ("cpu" or "memory") over its last `minutes` one-minute points, as a share of
    its limit, the busiest instance's; None when Render has no point (a service without instances). The
    window is Render's default (the last hour, on Render's clock) cut to its end."""
    window = {"resource": service_id, "resolutionSeconds": RESOLUTION}
    used = _by_instance(transport.request("GET", f"/metrics/{metric}", params=window))
    limits = _by_instance(transport.request("GET", f"/metrics/{metric}-limit", params=window))
    shares = [
        fmean(values[-minutes:]) / fmean(limits[name][-minutes:])
        for name, values in used.items()
        if limits.get(name) and fmean(limits[name]) > 0
    ]
    return max(shares) if shares else None


def _by_instance(series: Any) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for one in series or []:
        labels = {label.get("field"): label.get("value") for label in one.get("labels") or []}
        name = str(labels.get("instance") or labels.get("resource") or "")
        values = [float(p["value"]) for p in one.get("values") or [] if p.get("value") is not None]
        if values:  # Render may send null points: no data, not zero
            found[name] = values
    return found
