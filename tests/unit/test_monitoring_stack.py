"""The MonitoringStack's resource graph for the committed dev and prod plans, under Pulumi mocks."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pulumi
import pytest

from lookout import stackfile
from stacks.monitoring import MonitoringStack

SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"  # Pulumi's marker of a secret value on the wire
OUTPUTS = {
    "team_id": "41",
    "project_id": "42",
    "dsn": "https://pub@o1.ingest.invalid/42",
    "integration_id": "43",
    "integration_key": "k" * 32,  # a PagerDuty Events integration's
    "heartbeat_url": "https://heartbeat.invalid/m1-0123",  # a heartbeat monitor's
}


class Recorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.created: list[tuple[str, str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.created.append((args.typ.rsplit(":", 1)[-1], args.name, args.inputs))
        return f"{args.name}-id", {**args.inputs, **OUTPUTS}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


def deploy(stack: str) -> Recorder:
    recorder = Recorder()
    pulumi.runtime.set_mocks(recorder, project="lookout", stack=stack, preview=False)
    for key in ("slackWebhookUrl", "pagerdutyKey", "logStreamToken"):
        pulumi.runtime.set_config(f"lookout:{key}", f"mock-{key}")

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        component = MonitoringStack(stack, stackfile.load(stack))
        return pulumi.Output.all(*[m.id for m in component.monitors.values()], *component.dsns.values())

    run()
    return recorder


@pytest.fixture(scope="module", params=["dev", "prod"])
def graph(request: pytest.FixtureRequest) -> tuple[str, Recorder]:
    return request.param, deploy(request.param)


def of(recorder: Recorder, kind: str) -> list[dict[str, Any]]:
    return [inputs for typ, _, inputs in recorder.created if typ == kind]


def test_every_service_gets_its_bricks(graph):
    _stack, recorder = graph
    counts = Counter(typ for typ, _, _ in recorder.created)
    # 2 HTTP monitors, the backend's keyword health check, the heartbeat
    assert counts["Monitor"] == 4
    assert counts["Project"] == counts["ClientKey"] == 2
    # the plan's Sentry-measurable thresholds, and the fast and slow error-budget burns, on the backend
    assert counts["MetricMonitor"] == 6 + 2
    assert counts["ServiceHealthCheck"] == 2
    assert counts["EnvVar"] == 6  # SENTRY_DSN, APP_VERSION, SENTRY_ENVIRONMENT on both services
    assert counts["MonitoringStack"] == 1


def test_the_error_budget_burns_are_failure_rate_monitors_derived_from_the_objective(graph):
    _, recorder = graph
    burns = {m["time_window"]: m for m in of(recorder, "MetricMonitor") if "budget" in m["name"]}
    fast, slow = burns[3600], burns[14400]  # 1 h pages; 4 h warns (Sentry has no 6 h window)
    assert (fast["aggregate"], fast["critical"], fast.get("warning")) == ("failure_rate()", 0.0144, None)
    assert (slow.get("critical"), slow["warning"]) == (None, 0.006)  # 14.4x and 6x a 0.1% budget


def test_monitors_follow_the_plan(graph):
    _, recorder = graph
    monitors = {m["name"]: m for m in of(recorder, "Monitor")}
    assert all(m["interval"] == 300 for m in monitors.values())
    http = [m for m in monitors.values() if m.get("type") == "HTTP"]
    assert all(m["ssl_expiration_days"] == [30] for m in http)
    keyword = [m for m in monitors.values() if m.get("type") == "KEYWORD"]
    assert [m["keyword_value"] for m in keyword] == ['"status":"healthy"']
    assert [m["url"].endswith("/api/health") for m in keyword] == [True]


def test_routing_by_severity_and_dev_never_pages(graph):
    stack, recorder = graph
    integrations = {i["kind"] for i in of(recorder, "Integration")}
    alerts = of(recorder, "Alert")
    action_types = {a["type"] for alert in alerts for a in alert["actions"]}
    if stack == "dev":
        assert "pagerduty" not in integrations and "pagerduty" not in action_types
    else:
        assert integrations == {"slack", "pagerduty"} and "pagerduty" in action_types
    by_name = {a["name"]: a for a in alerts}
    warning = by_name[f"{stack}: warning thresholds crossed"]
    assert {a["type"] for a in warning["actions"]} == {"slack"}
    critical = by_name[f"{stack}: critical thresholds crossed"]
    expected = {"slack", "email"} | ({"pagerduty"} if stack == "prod" else set())
    assert {a["type"] for a in critical["actions"]} == expected
    # As Sentry's own metric alerts: told when an issue reaches the level and when it falls back or
    # resolves (without the de-escalation filter nobody hears the resolve), never throttled.
    for alert, level in ((warning, 50), (critical, 75)):
        filters = {(f["type"], f["comparison"]) for f in alert["filters"]}
        assert filters == {("issue_priority_greater_or_equal", level), ("issue_priority_deescalating", level)}
        assert alert["filter_match"] == "any" and alert["frequency"] == 0


def test_dsn_flows_from_sentry_into_render(graph):
    stack, recorder = graph
    env_vars = {(e["service"], e["key"]): e["value"] for e in of(recorder, "EnvVar")}
    dsn = env_vars[(f"optio-{stack}-backend", "SENTRY_DSN")]
    assert dsn["value"] == OUTPUTS["dsn"] and SECRET_SIG in dsn.values()  # passed on as a secret
    assert env_vars[(f"optio-{stack}-backend", "SENTRY_ENVIRONMENT")]["value"] == stack  # values are secret


def test_an_api_is_watched_at_its_health_endpoint_and_a_site_at_its_root(graph):
    """The plan's Step 2 monitors the backend at /api/health and the frontend at its root: an API may well
    answer 404 at `/`, which UptimeRobot reads as down, forever. The backend's HTTP monitor sends HEAD, so
    it is not the keyword monitor's GET on the same URL (UptimeRobot refuses those twice)."""
    _, recorder = graph
    http = {m["name"].split(" ", 1)[1]: m for m in of(recorder, "Monitor") if m.get("type") == "HTTP"}
    backend, frontend = http["backend is reachable"], http["frontend is reachable"]
    assert (backend["http_method"], backend["url"].endswith("/api/health")) == ("HEAD", True)
    assert (frontend["http_method"], frontend["url"].rstrip("/").count("/")) == ("GET", 2)


def test_the_health_job_is_a_render_cron_job_given_its_routes_as_secret_env_vars(graph):
    stack, recorder = graph
    [job] = of(recorder, "CronJob")
    assert (job["name"], job["schedule"]) == (f"optio-{stack}-system-health", "*/5 * * * *")
    assert job["start_command"] == f"python -m lookout watch {stack} --once --from-env"
    env = job["env_vars"]
    assert SECRET_SIG in env.values()  # every value of the job's env is a secret
    assert env["value"]["LOOKOUT_SENTRY_DSN"] == OUTPUTS["dsn"]
    assert env["value"]["LOOKOUT_SLACK_WEBHOOK"] == "mock-slackWebhookUrl"
    assert env["value"]["LOOKOUT_HEARTBEAT_URL"] == OUTPUTS["heartbeat_url"]
    assert env["value"].get("LOOKOUT_PAGERDUTY_KEY") == (
        "k" * 32 if stack == "prod" else None
    )  # dev never pages
