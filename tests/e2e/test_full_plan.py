"""The committed plans, whole: `pulumi up` of dev and prod into the sandbox converges, and a second
preview has nothing to do."""

from __future__ import annotations

import json
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
    if name == "prod":
        assert_oncall_wired(api, stack)
    else:
        assert api.control("GET", "/pagerduty/services").json() == []  # dev never pages


def assert_oncall_wired(api: SandboxProcess, stack: Stack) -> None:
    """lookout:oncall: a rotation of the plan's people, escalating to its backup, on the service that
    UptimeRobot and Sentry page with the key of its Events v2 integration, never a hand-copied one."""
    people = {u["email"]: u["id"] for u in api.control("GET", "/pagerduty/users").json()}
    (schedule,) = api.control("GET", "/pagerduty/schedules").json()
    rotation = [u["user"]["id"] for u in schedule["schedule_layers"][0]["users"]]
    assert rotation == [
        people[e] for e in ("alex@optioeducation.com", "sam@optioeducation.com", "jordan@optioeducation.com")
    ]
    (policy,) = api.control("GET", "/pagerduty/escalation_policies").json()
    targets = [[t["id"] for t in rule["targets"]] for rule in policy["escalation_rules"]]
    assert targets == [[schedule["id"]], [people["cto@optioeducation.com"]]] and policy["num_loops"] == 1
    (service,) = api.control("GET", "/pagerduty/services").json()
    (events,) = api.control("GET", "/pagerduty/integrations").json()
    assert service["escalation_policy"]["id"] == policy["id"] and events["service"]["id"] == service["id"]
    key = events["integration_key"]
    state = json.loads(stack.pulumi("stack", "export", "--show-secrets").stdout)
    sent = [
        revealed(r["inputs"].get("integration_key"))
        for r in state["deployment"]["resources"]
        if r["type"].endswith("dynamic/uptimerobot:Integration") and r["inputs"].get("kind") == "pagerduty"
    ]
    assert sent == [key]  # UptimeRobot pages with the key the PagerDuty integration answered
    sentry_pd = next(
        i for i in api.control("GET", "/sentry/integrations").json() if i["name"] == "Optio PagerDuty"
    )
    rows = [r for r in sentry_pd["configData"]["service_table"] if r["integration_key"] == key]
    assert [r["service"] for r in rows] == [service["name"]]
    actions = [
        a
        for w in api.control("GET", "/sentry/workflows").json()
        for f in w["actionFilters"]
        for a in f["actions"]
    ]
    paging = [a for a in actions if a["type"] == "pagerduty"]
    assert paging and {str(a["config"]["targetIdentifier"]) for a in paging} == {str(rows[0]["id"])}


def revealed(value: object) -> object:
    """A secret of `stack export --show-secrets`: its plaintext (a JSON document) instead of the envelope."""
    if isinstance(value, dict) and "plaintext" in value:
        return json.loads(value["plaintext"])
    return value
