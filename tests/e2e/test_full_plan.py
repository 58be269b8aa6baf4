"""The committed plans, whole: `pulumi up` of dev and prod into the sandbox converges, and a second
preview has nothing to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from lookout.harness.sandbox_process import SandboxProcess

from .conftest import Stack


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_committed_plan_deploys_and_converges(api: SandboxProcess, tmp_path: Path, name: str):
    stack = Stack(api, tmp_path, name)
    stack.configure({}, inherit=True)
    stack.pulumi("up", "--yes")
    before = stack.requests()
    stack.pulumi("preview", "--expect-no-changes")
    assert stack.requests() == before
    stack.pulumi("preview", "--refresh", "--expect-no-changes")

    monitors = stack.monitors()
    assert len(monitors) == 4 and {m["interval"] for m in monitors} == {300}
    assert {p["slug"] for p in stack.sentry("projects")} == {
        f"optio-{name}-backend",
        f"optio-{name}-frontend",
    }
    services = {s["name"]: s for s in api.control("GET", "/render/services").json()}
    assert services[f"optio-{name}-backend"]["serviceDetails"]["healthCheckPath"] == "/api/health"
    integrations = {i["type"] for i in api.control("GET", "/uptimerobot/integrations").json()}
    assert ("PagerDuty" in integrations) == (name == "prod")  # dev never pages (read back as PagerDuty)
