"""Render's CPU and memory metrics and their limits (sandbox/render/metrics.py), valid against Render's spec
with the deviation table's patches (render-metric-value-unit)."""

from __future__ import annotations

from tests.sandbox.conftest import Client, Server
from tests.sandbox.test_render_fidelity import check


def test_cpu_and_memory_against_the_instance_type_s_limits(
    render: Client, render_ids: dict[str, str], sandbox_server: Server
):
    service = render_ids["optio-prod-backend"]
    sandbox_server.control("PUT", "/render/usage", json={"serviceId": service, "cpu": 0.45, "memory": 480e6})
    sandbox_server.control("POST", "/clock", json={"advance": 600})
    window = {"resource": service, "resolutionSeconds": 60}
    (cpu,) = check(render.get("/metrics/cpu", params=window), 200)
    (limit,) = check(render.get("/metrics/cpu-limit", params=window), 200)
    (memory,) = check(render.get("/metrics/memory", params=window), 200)
    (memory_limit,) = check(render.get("/metrics/memory-limit", params=window), 200)
    assert (cpu["unit"], memory["unit"]) == ("cpu", "bytes")
    assert {"field": "resource", "value": service} in cpu["labels"]
    assert cpu["values"][-1]["value"] / limit["values"][-1]["value"] == 0.9  # a starter instance: 0.5 CPU
    assert memory["values"][-1]["value"] / memory_limit["values"][-1]["value"] > 0.8


def test_a_series_shows_when_the_usage_changed(
    render: Client, render_ids: dict[str, str], sandbox_server: Server
):
    service = render_ids["optio-prod-backend"]
    sandbox_server.control("POST", "/clock", json={"advance": 3600})
    sandbox_server.control("PUT", "/render/usage", json={"serviceId": service, "cpu": 0.5})
    sandbox_server.control("POST", "/clock", json={"advance": 300})
    (cpu,) = check(render.get("/metrics/cpu", params={"resource": service, "resolutionSeconds": 300}), 200)
    values = [point["value"] for point in cpu["values"]]
    assert values[0] == 0.025 and values[-1] == 0.5  # idle (5% of 0.5 CPU), then busy
    assert len(values) == 13  # the last hour, every 5 minutes, both ends included


def test_several_resources_fold_into_one_series_on_request(
    render: Client, render_ids: dict[str, str], sandbox_server: Server
):
    backend, frontend = render_ids["optio-prod-backend"], render_ids["optio-prod-frontend"]
    sandbox_server.control("PUT", "/render/usage", json={"serviceId": backend, "cpu": 0.4})
    sandbox_server.control("PUT", "/render/usage", json={"serviceId": frontend, "cpu": 0.1})
    sandbox_server.control("POST", "/clock", json={"advance": 120})
    both = {"resource": [backend, frontend], "resolutionSeconds": 60}
    assert len(check(render.get("/metrics/cpu", params=both), 200)) == 2
    (peak,) = check(render.get("/metrics/cpu", params={**both, "aggregationMethod": "MAX"}), 200)
    assert peak["values"][-1]["value"] == 0.4


def test_an_unknown_resource_has_no_series(render: Client):
    assert check(render.get("/metrics/memory", params={"resource": "srv-doesnotexist0000000"}), 200) == []
