"""The committed plans, whole: `pulumi up` of dev and prod into the sandbox converges, and a second
preview has nothing to do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from harness import official_tools
from harness.sandbox_process import SENTRY_ORG, SENTRY_TOKEN, SandboxProcess
from lookout import review

from .conftest import Stack


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_committed_plan_deploys_and_converges(api: SandboxProcess, tmp_path: Path, name: str):
    stack = Stack(api, tmp_path, name)
    stack.configure({}, inherit=True)
    stack.pulumi("up", "--yes", with_preview=True)
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
    job = services[f"optio-{name}-system-health"]  # the system-health job, refreshed without a change
    assert (job["type"], job["serviceDetails"]["schedule"]) == ("cron_job", "*/5 * * * *")
    integrations = {i["type"] for i in api.control("GET", "/uptimerobot/integrations").json()}
    assert ("PagerDuty" in integrations) == (name == "prod")  # dev never pages (read back as PagerDuty)
    assert_dashboards(api, stack, name)
    assert_official_tools_read_it(api, tmp_path, name)
    if name == "prod":
        assert_oncall_wired(api, stack)
        assert_widget_drift_is_caught_and_undone(api, stack)
    else:
        assert api.control("GET", "/pagerduty/services").json() == []  # dev never pages
        assert_a_new_window_changes_only_the_monitors_window_ids(stack)


def assert_a_new_window_changes_only_the_monitors_window_ids(stack: Stack) -> None:
    """A weekly window added to the deployed plan: each monitor's review row is one window id added (an
    unordered list: `[]`), known after apply; no unchanged field shown as removed (issue #30)."""
    window = {"name": "deploys", "interval": "weekly", "date": "2026-01-05", "time": "03:00:00"}
    stack.configure({"lookout:maintenance_windows": [{**window, "duration": 30, "days": [1]}]}, inherit=True)

    def run(*args: str, **_: str) -> Any:
        return stack.pulumi(*args, check=False)

    text, found = review.report(run, ["dev"], {}, drift=False, fmt="markdown")
    monitors = [c for c in found if c.kind == "uptimerobot:Monitor"]
    assert len(monitors) == 4 and all(c.op == "update" for c in monitors), text
    assert {f for c in monitors for f in c.fields} == {
        ("maintenance_window_ids[]", None, "(known after apply)")
    }, text
    assert [c.op for c in found if c.kind == "uptimerobot:MaintenanceWindow"] == ["create"]


def assert_official_tools_read_it(api: SandboxProcess, home: Path, name: str) -> None:
    """sentry-cli lists the plan's projects and their issues; PagerDuty's client finds prod's service, and
    an event it sends on the service's own integration opens an incident it reads back, then resolves."""
    listed = official_tools.sentry_cli(api, home, "projects", "list")
    assert f"optio-{name}-backend" in listed and f"optio-{name}-frontend" in listed
    backend = official_tools.sentry_cli(api, home, "issues", "list", project=f"optio-{name}-backend")
    assert "No issues found" in backend
    assert "Scopes:" in official_tools.sentry_cli(api, home, "info")
    rest = official_tools.pagerduty(api)
    services = rest.list_all("services")
    if name == "dev":
        assert services == []  # dev never pages
        return
    (service,) = services
    assert rest.find("services", service["name"])["id"] == service["id"]
    integration = rest.rget(f"/services/{service['id']}/integrations/{service['integrations'][0]['id']}")
    sender = official_tools.events(api, integration["integration_key"])
    dedup = sender.trigger("lookout: the official client's test event", "lookout-e2e", severity="info")
    incidents = rest.list_all("incidents", params={"service_ids[]": [service["id"]]})
    assert [i["title"] for i in incidents] == ["lookout: the official client's test event"]
    sender.resolve(dedup)
    params = {"service_ids[]": [service["id"]], "statuses[]": ["resolved"]}
    assert [i["id"] for i in rest.list_all("incidents", params=params)] == [incidents[0]["id"]]


def assert_dashboards(api: SandboxProcess, stack: Stack, name: str) -> None:
    """One Sentry dashboard of the plan's metrics over both projects, a status page of every monitor, and
    the error budget's burn-rate monitors."""
    (board,) = [d for d in sentry_api(api, "GET", "/dashboards/") if d["title"] == f"optio {name} health"]
    detail = sentry_api(api, "GET", f"/dashboards/{board['id']}/")
    projects = {str(p["id"]) for p in stack.sentry("projects")}
    assert {str(p) for p in detail["projects"]} == projects and detail["environment"] == [name]
    assert [w["title"] for w in detail["widgets"]][:3] == [
        "Error rate (target < 0.1%)",
        "Request rate (requests/minute)",
        "Failed payment rate",
    ]
    assert len(detail["widgets"]) == 9
    findings = detail["widgets"][-1]  # the system-health job's open issues
    assert (findings["widgetType"], findings["queries"][0]["conditions"]) == (
        "issue",
        "is:unresolved lookout-watch",
    )
    (page,) = api.control("GET", "/uptimerobot/psps").json()
    assert page["friendlyName"] == f"optio {name} status"
    assert sorted(page["monitorIds"]) == sorted(m["id"] for m in stack.monitors())
    burns = [d["name"] for d in stack.sentry("detectors") if "budget" in d["name"]]
    assert len(burns) == 2  # the backend's error objective: a fast burn that pages, a slow one that warns


def assert_widget_drift_is_caught_and_undone(api: SandboxProcess, stack: Stack) -> None:
    """Someone edits a widget in Sentry's UI: a refresh shows it, `up` puts the declared query back and
    keeps the widget's identity."""
    (board,) = [d for d in sentry_api(api, "GET", "/dashboards/") if d["title"] == "optio prod health"]
    path = f"/dashboards/{board['id']}/"
    live = sentry_api(api, "GET", path)
    widgets = [_editable(w) for w in live["widgets"]]
    edited = next(w for w in widgets if w["title"] == "API response time p50 / p95 / p99")
    edited["queries"][0]["conditions"] = "span.op:http.server"  # widened to every span, by hand
    sentry_api(api, "PUT", path, {"title": live["title"], "widgets": widgets})

    drifted = stack.pulumi("preview", "--refresh", "--expect-no-changes", check=False)
    assert drifted.returncode != 0 and "prod-dashboard" in drifted.stdout
    stack.pulumi("up", "--refresh", "--yes")
    restored = sentry_api(api, "GET", path)
    widget = next(w for w in restored["widgets"] if w["title"] == edited["title"])
    assert widget["id"] == edited["id"]  # updated in place, not recreated
    assert widget["queries"][0]["conditions"].startswith("is_transaction:true span.op:http.server")
    stack.pulumi("preview", "--refresh", "--expect-no-changes")


def _editable(widget: dict[str, Any]) -> dict[str, Any]:
    """A widget as Sentry's UI sends it back on save: its own fields, none of the read-only ones."""
    keep = ("id", "title", "displayType", "widgetType", "interval", "limit", "layout")
    queries = [
        {k: q[k] for k in ("id", "name", "fields", "aggregates", "columns", "conditions", "orderby")}
        for q in widget["queries"]
    ]
    return {**{k: widget[k] for k in keep if widget.get(k) is not None}, "queries": queries}


def sentry_api(api: SandboxProcess, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """Sentry's own API (not the sandbox's control API), as its web app calls it."""
    response = requests.request(
        method,
        f"{api.vendor_url('sentry')}/organizations/{SENTRY_ORG}{path}",
        json=body,
        headers={"Authorization": f"Bearer {SENTRY_TOKEN}"},
        timeout=10,
    )
    assert response.status_code < 300, (response.status_code, response.text)
    return response.json()


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
