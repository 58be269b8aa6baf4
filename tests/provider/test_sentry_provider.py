"""Sentry provider methods against the sandbox: CRUD, child ids, reordering, 429s, retired routes."""

from __future__ import annotations

from typing import Any

import pytest

from harness.sandbox_process import SandboxProcess
from providers.base import SpecProvider
from providers.sentry import client as sentry
from providers.sentry.resources import (
    AlertProvider,
    ClientKeyProvider,
    IntegrationLookupProvider,
    MetricMonitorProvider,
    PagerDutyServiceProvider,
    ProjectDetectorsProvider,
    ProjectProvider,
    TeamProvider,
)
from sandbox.sentry.integrations import PAGERDUTY_ID
from transport import Gone

from .conftest import checked, count, fault, wire


def create(provider: SpecProvider, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = provider.create(checked(provider, props))
    return result.id, wire(result.outs)


@pytest.fixture
def project(configured: SandboxProcess) -> dict[str, Any]:
    create(TeamProvider(), {"slug": "core"})
    _, outs = create(
        ProjectProvider(),
        {"team": "core", "slug": "api", "name": "API", "platform": "python", "default_key": "keep"},
    )
    return outs


def monitor_props(project: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "project": project["project_id"],
        "name": "error rate",
        "dataset": "transactions",
        "aggregate": "failure_rate()",
        "critical": 0.05,
        "warning": 0.01,
        **extra,
    }


def test_project_rename_is_in_place_and_default_key_choice_is_honoured(configured: SandboxProcess, project):
    provider = ProjectProvider()
    keys = configured.control("GET", "/sentry/keys").json()
    assert [k["name"] for k in keys] == ["Default"]  # default_key="keep"

    news = checked(
        provider,
        {"team": "core", "slug": "api-v2", "name": "API", "platform": "python", "default_key": "keep"},
    )
    assert provider.diff(project["project_id"], project, news).replaces == []
    updated = provider.update(project["project_id"], project, news)
    assert wire(updated.outs)["slug"] == "api-v2"
    assert wire(updated.outs)["project_id"] == project["project_id"]

    create(
        provider,
        {"team": "core", "slug": "web", "name": "Web", "platform": "javascript", "default_key": "remove"},
    )
    assert [k for k in configured.control("GET", "/sentry/keys").json() if k["name"] == "Default"] == keys


def test_client_key_adopts_the_default_key_and_keeps_dsns_as_outputs(configured: SandboxProcess, project):
    provider = ClientKeyProvider()
    key_id, outs = create(provider, {"project": project["project_id"], "name": "Default", "adopt": True})
    assert len(configured.control("GET", "/sentry/keys").json()) == 1
    assert outs["dsn"].startswith("https://") and outs["public_key"] in outs["dsn"]
    read = provider.read(key_id, outs)
    assert (
        provider.diff(
            key_id, wire(read.outs), checked(provider, {"project": project["project_id"], "name": "Default"})
        ).changes
        is False
    )
    provider.delete(key_id, outs)
    assert configured.control("GET", "/sentry/keys").json() == []


def test_keys_list_follows_link_pagination(configured: SandboxProcess, project):
    provider = ClientKeyProvider()
    for n in range(12):  # keys list 10 per page
        create(provider, {"project": project["project_id"], "name": f"k{n}"})
    _, outs = create(provider, {"project": project["project_id"], "name": "k11", "adopt": True})
    assert outs["name"] == "k11"
    assert count(configured, "GET /projects/{org}/{proj}/keys/", "sentry") >= 2


def test_monitor_update_keeps_child_ids_and_reordering_is_not_a_change(configured: SandboxProcess, project):
    provider = MetricMonitorProvider()
    monitor_id, outs = create(provider, monitor_props(project))
    for _ in range(3):  # the sandbox shuffles conditions on every read
        read = provider.read(monitor_id, outs)
        assert (
            provider.diff(monitor_id, wire(read.outs), checked(provider, monitor_props(project))).changes
            is False
        )

    configured.control("DELETE", "/sentry/audit")
    news = checked(provider, monitor_props(project, critical=0.08))
    updated = provider.update(monitor_id, outs, news)
    assert wire(updated.outs)["critical"] == 0.08
    audit = configured.control("GET", "/sentry/audit").json()
    assert audit and all(entry["action"] == "updated" for entry in audit)


def test_alert_on_default_detector_and_monitor(configured: SandboxProcess, project):
    monitor_id, _ = create(MetricMonitorProvider(), monitor_props(project))
    _, slack = create(IntegrationLookupProvider(), {"provider": "slack", "name": "Lookout Slack"})
    _, defaults = create(ProjectDetectorsProvider(), {"project": project["project_id"]})
    assert defaults["issue_stream_id"] and defaults["error_id"]
    team = configured.control("GET", "/sentry/teams").json()[0]
    props = {
        "name": "route everything",
        "triggers": ["first_seen_event", "regression_event"],
        "project": project["project_id"],
        "default_detectors": ["issue_stream"],
        "monitor_ids": [monitor_id],
        "actions": [
            {"type": "email", "target_type": "team", "target_id": str(team["id"])},
            {"type": "slack", "integration_id": slack["integration_id"], "channel": "#alerts"},
        ],
    }
    provider = AlertProvider()
    alert_id, outs = create(provider, props)
    assert sorted(outs["detector_ids"]) == sorted([defaults["issue_stream_id"], monitor_id])
    read = provider.read(alert_id, outs)
    assert provider.diff(alert_id, wire(read.outs), checked(provider, props)).changes is False

    configured.control("DELETE", "/sentry/audit")
    changed = {**props, "frequency": 60}
    provider.update(alert_id, outs, checked(provider, changed))
    assert all(entry["action"] == "updated" for entry in configured.control("GET", "/sentry/audit").json())


def test_unknown_environment_fails_before_writing(configured: SandboxProcess, project):
    with pytest.raises(sentry.UnknownEnvironment, match="staging"):
        MetricMonitorProvider().create(
            checked(MetricMonitorProvider(), monitor_props(project, environment="staging"))
        )
    configured.control(
        "POST", "/sentry/environments", json={"project": project["project_id"], "name": "staging"}
    )
    create(MetricMonitorProvider(), monitor_props(project, environment="staging"))


def test_rate_limit_waits_until_the_reset_header(configured: SandboxProcess, clock, project):
    fault(configured, "429", "GET", "/projects/{org}/{proj}/", vendor="sentry")
    ProjectProvider().read(project["project_id"], project)
    assert len(clock.sleeps) == 1 and 0 <= clock.sleeps[0] <= 60


def test_retired_alert_rule_routes_fail_loudly_without_retry(configured: SandboxProcess):
    transport = sentry.client()
    with pytest.raises(Gone, match="deprecated on 2026-05-14"):
        transport.request("GET", f"/organizations/{sentry.org()}/alert-rules/")
    assert count(configured, "GET /organizations/{org}/alert-rules/", "sentry") == 1


# -- muted alerts (issue #12): disabled monitors, alerts and keys are drift, and an update restores them -----


def sentry_put(path: str, body: dict[str, Any]) -> None:
    """An out-of-band edit through Sentry's own API, as the UI would make it."""
    sentry.client().request("PUT", f"/organizations/{sentry.org()}/{path}", json_body=body)


def live(configured: SandboxProcess, collection: str, id_: str) -> dict[str, Any]:
    return next(o for o in configured.control("GET", f"/sentry/{collection}").json() if str(o["id"]) == id_)


def test_monitor_disabled_through_the_api_is_drift_and_an_update_enables_it(configured, project):
    provider = MetricMonitorProvider()
    declared = checked(provider, monitor_props(project))
    monitor_id, outs = create(provider, monitor_props(project))
    assert outs["enabled"] is True and live(configured, "detectors", monitor_id)["enabled"] is True

    sentry_put(f"detectors/{monitor_id}/", {"name": "error rate", "type": "metric_issue", "enabled": False})
    read = provider.read(monitor_id, outs)
    assert read.inputs is not None and read.inputs["enabled"] is False
    assert provider.diff(monitor_id, wire(read.outs), declared).changes is True
    provider.update(monitor_id, wire(read.outs), declared)
    assert live(configured, "detectors", monitor_id)["enabled"] is True
    again = provider.read(monitor_id, wire(read.outs))
    assert provider.diff(monitor_id, wire(again.outs), declared).changes is False


def test_monitor_declared_disabled_is_created_disabled(configured, project):
    provider = MetricMonitorProvider()
    monitor_id, outs = create(provider, monitor_props(project, enabled=False))
    assert live(configured, "detectors", monitor_id)["enabled"] is False
    read = provider.read(monitor_id, outs)
    assert (
        provider.diff(
            monitor_id, wire(read.outs), checked(provider, monitor_props(project, enabled=False))
        ).changes
        is False
    )


def test_alert_disabled_through_the_api_is_drift_and_an_update_enables_it(configured, project):
    monitor_id, _ = create(MetricMonitorProvider(), monitor_props(project))
    team = configured.control("GET", "/sentry/teams").json()[0]
    props = {
        "name": "thresholds",
        "monitor_ids": [monitor_id],
        "actions": [{"type": "email", "target_type": "team", "target_id": str(team["id"])}],
    }
    provider = AlertProvider()
    declared = checked(provider, props)
    alert_id, outs = create(provider, props)
    sentry_put(f"workflows/{alert_id}/", {"name": "thresholds", "enabled": False})
    read = provider.read(alert_id, outs)
    assert read.inputs is not None and read.inputs["enabled"] is False
    assert provider.diff(alert_id, wire(read.outs), declared).changes is True
    provider.update(alert_id, wire(read.outs), declared)
    assert live(configured, "workflows", alert_id)["enabled"] is True


def test_client_key_deactivated_through_the_api_is_drift_and_an_update_activates_it(configured, project):
    provider = ClientKeyProvider()
    props = {"project": project["project_id"], "name": "lookout dev"}
    declared = checked(provider, props)
    key_id, outs = create(provider, props)
    assert outs["active"] is True
    path = f"/projects/{sentry.org()}/{project['project_id']}/keys/{outs['key_id']}/"
    sentry.client().request("PUT", path, json_body={"isActive": False})
    read = provider.read(key_id, outs)
    assert read.inputs is not None and read.inputs["active"] is False
    assert provider.diff(key_id, wire(read.outs), declared).changes is True
    updated = provider.update(key_id, wire(read.outs), declared)
    assert sentry.client().request("GET", path)["isActive"] is True
    assert provider.diff(key_id, wire(updated.outs), declared).changes is False


def test_client_key_declared_inactive_is_deactivated_right_after_the_create(configured, project):
    provider = ClientKeyProvider()
    props = {"project": project["project_id"], "name": "spare", "active": False}
    key_id, outs = create(provider, props)
    path = f"/projects/{sentry.org()}/{project['project_id']}/keys/{outs['key_id']}/"
    assert sentry.client().request("GET", path)["isActive"] is False
    read = provider.read(key_id, outs)
    assert provider.diff(key_id, wire(read.outs), checked(provider, props)).changes is False


def test_pagerduty_service_row_lifecycle_keeps_the_other_rows(configured: SandboxProcess):
    provider = PagerDutyServiceProvider()
    key = "a" * 32
    props = {"integration_id": str(PAGERDUTY_ID), "service": "optio prod", "integration_key": key}
    created = provider.create(checked(provider, props))
    row_id = wire(created.outs)["service_id"]
    table = configured.control("GET", "/sentry/integrations").json()
    rows = next(i for i in table if i["id"] == str(PAGERDUTY_ID))["configData"]["service_table"]
    assert [r["service"] for r in rows] == ["optio-backend", "optio prod"]  # the seeded row is kept
    assert provider.diff(created.id, wire(created.outs), checked(provider, props)).changes is False
    news = checked(provider, {**props, "integration_key": "b" * 32})
    assert provider.diff(created.id, wire(created.outs), news).changes is True
    updated = provider.update(created.id, wire(created.outs), news)
    assert wire(updated.outs)["service_id"] == row_id  # the same row: alerts that target it keep working
    provider.delete(created.id, wire(updated.outs))
    assert provider.read(created.id, wire(updated.outs)).id is None
    rows = next(
        i for i in configured.control("GET", "/sentry/integrations").json() if i["id"] == str(PAGERDUTY_ID)
    )
    assert [r["service"] for r in rows["configData"]["service_table"]] == ["optio-backend"]


def test_a_pagerduty_service_row_changed_in_sentry_is_drift(configured: SandboxProcess):
    provider = PagerDutyServiceProvider()
    props = checked(
        provider, {"integration_id": str(PAGERDUTY_ID), "service": "s", "integration_key": "c" * 32}
    )
    created = provider.create(props)
    integration = next(
        i for i in configured.control("GET", "/sentry/integrations").json() if i["id"] == str(PAGERDUTY_ID)
    )
    table = [
        {**r, "integration_key": "d" * 32} if r["service"] == "s" else r
        for r in integration["configData"]["service_table"]
    ]
    configured.control(
        "PATCH", f"/sentry/integrations/{PAGERDUTY_ID}", json={"configData": {"service_table": table}}
    )
    read = provider.read(created.id, wire(created.outs))
    assert provider.diff(created.id, wire(read.outs), props).changes is True
