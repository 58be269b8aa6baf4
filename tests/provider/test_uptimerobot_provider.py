"""Create/read/update/delete of every UptimeRobot resource, and the faults a provider must survive."""

from __future__ import annotations

from typing import Any

import pytest

from harness.sandbox_process import SandboxProcess
from providers.base import SpecProvider
from providers.uptimerobot import client as uptimerobot
from providers.uptimerobot.resources import (
    AlertContactProvider,
    IntegrationProvider,
    MaintenanceWindowProvider,
    MonitorProvider,
    StatusPageProvider,
)

from .conftest import checked, count, fault, wire

SLACK = "https://hooks.slack.com/services/TSANDBOX/BSANDBOX/not-a-real-secret"
CASES: list[tuple[type[SpecProvider], dict[str, Any], dict[str, Any]]] = [
    (MonitorProvider, {"name": "api", "url": "https://api.example.test/health"}, {"interval": 600}),
    (MonitorProvider, {"name": "beat", "type": "HEARTBEAT", "grace_period": 60}, {"grace_period": 120}),
    (MonitorProvider, {"name": "db", "type": "PORT", "url": "db.example.test", "port": 5432}, {"port": 6432}),
    (MonitorProvider, {"name": "ping", "type": "PING", "url": "example.test"}, {"timeout": 10}),
    (
        MonitorProvider,
        {
            "name": "kw",
            "type": "KEYWORD",
            "url": "https://kw.example.test",
            "keyword_type": "ALERT_NOT_EXISTS",
            "keyword_value": "ok",
        },
        {"keyword_case_sensitive": True},
    ),
    (AlertContactProvider, {"name": "ops", "email": "ops@example.test"}, {"notify_on": "Down"}),
    (
        IntegrationProvider,
        {"name": "slack", "kind": "slack", "webhook_url": SLACK, "channel": "#ops"},
        {"channel": "#alerts"},
    ),
    (
        IntegrationProvider,
        {"name": "hook", "kind": "webhook", "url": "https://hooks.example.test/x"},
        {"send_as_json": False},
    ),
    (
        IntegrationProvider,
        {"name": "pd", "kind": "pagerduty", "integration_key": "k" * 32},
        {"location": "eu"},
    ),
    (
        MaintenanceWindowProvider,
        {
            "name": "deploys",
            "interval": "weekly",
            "date": "2026-12-01",
            "time": "02:00:00",
            "duration": 30,
            "days": [2, 4],
        },
        {"duration": 45},
    ),
    (StatusPageProvider, {"name": "Status", "password": "letmein-please"}, {"hide_url_links": True}),
]


@pytest.mark.parametrize(
    ("provider_cls", "props", "change"), CASES, ids=lambda c: getattr(c, "__name__", None)
)
def test_full_lifecycle(configured: SandboxProcess, provider_cls, props, change):
    provider = provider_cls()
    created = provider.create(checked(provider, props))
    state = wire(created.outs)
    assert created.id and state["target"] == "sandbox"
    assert provider.diff(created.id, state, checked(provider, props)).changes is False

    read = provider.read(created.id, state)
    assert read.id == created.id
    assert provider.diff(created.id, wire(read.outs), checked(provider, props)).changes is False
    assert set(read.inputs) <= set(provider.spec.input_fields())

    news = checked(provider, {**props, **change})
    assert provider.diff(created.id, state, news).changes is True
    updated = provider.update(created.id, state, news)
    for key, value in change.items():
        assert updated.outs[key] == value
    assert provider.diff(created.id, wire(updated.outs), news).changes is False

    provider.delete(created.id, wire(updated.outs))
    assert provider.read(created.id, wire(updated.outs)).id is None  # gone
    provider.delete(created.id, wire(updated.outs))  # deleting again is not an error


def test_created_monitor_uses_get_not_the_api_head_default(configured: SandboxProcess):
    provider = MonitorProvider()
    created = provider.create(checked(provider, {"name": "api", "url": "https://x.example.test"}))
    live = configured.control("GET", "/uptimerobot/monitors").json()
    assert [m["httpMethodType"] for m in live] == ["GET"]
    assert wire(created.outs)["http_method"] == "GET"


def test_drift_is_reported_as_changed_inputs(configured: SandboxProcess):
    provider = MonitorProvider()
    props = checked(provider, {"name": "api", "url": "https://x.example.test"})
    created = provider.create(props)
    configured.control("PATCH", f"/uptimerobot/monitors/{created.id}", json={"interval": 900})
    read = provider.read(created.id, wire(created.outs))
    assert wire(read.inputs)["interval"] == 900
    assert provider.diff(created.id, wire(read.outs), props).changes is True


@pytest.mark.parametrize("kind", ["500", "drop"])
def test_create_retried_after_a_failure_that_created_nothing(configured: SandboxProcess, kind):
    fault(configured, kind, "POST", "/monitors")
    provider = MonitorProvider()
    provider.create(checked(provider, {"name": "api", "url": "https://x.example.test"}))
    assert len(configured.control("GET", "/uptimerobot/monitors").json()) == 1
    assert count(configured, "POST /monitors") == 2


def test_create_whose_response_was_lost_adopts_instead_of_duplicating(configured: SandboxProcess):
    fault(configured, "lost", "POST", "/monitors")
    provider = MonitorProvider()
    created = provider.create(checked(provider, {"name": "api", "url": "https://x.example.test"}))
    live = configured.control("GET", "/uptimerobot/monitors").json()
    assert len(live) == 1 and str(live[0]["id"]) == created.id
    assert count(configured, "POST /monitors") == 1


def test_rate_limited_reads_wait_for_the_window(configured: SandboxProcess, clock):
    provider = MonitorProvider()
    created = provider.create(checked(provider, {"name": "api", "url": "https://x.example.test"}))
    fault(configured, "429", "GET", "/monitors/{id}", count=2)
    assert provider.read(created.id, wire(created.outs)).id == created.id
    assert len(clock.sleeps) == 2 and all(s > 0 for s in clock.sleeps)


def test_secret_inputs_never_reach_errors(configured: SandboxProcess):
    provider = IntegrationProvider()
    props = checked(provider, {"name": "slack", "kind": "slack", "webhook_url": SLACK})
    provider.create(props)
    renamed = checked(provider, {**props, "name": "slack-2"})
    with pytest.raises(Exception) as info:  # same webhook, other settings: refused, never duplicated
        provider.create(renamed)
    assert "differs in name" in str(info.value)
    assert "not-a-real-secret" not in str(info.value)


# -- muted alerts (issue #12): paused monitors and contacts are drift, and an update unmutes them ----------


def status_of(api: SandboxProcess, collection: str, id_: str) -> str:
    return next(
        str(o["status"])
        for o in api.control("GET", f"/uptimerobot/{collection}").json()
        if str(o["id"]) == id_
    )


def test_monitor_paused_through_the_api_is_drift_and_an_update_starts_it(configured: SandboxProcess):
    provider = MonitorProvider()
    declared = checked(provider, {"name": "api", "url": "https://x.example.test"})
    created = provider.create(declared)
    assert wire(created.outs)["active"] is True and status_of(configured, "monitors", created.id) != "PAUSED"

    uptimerobot.client().request(
        "POST", f"/monitors/{created.id}/pause", json_body={}
    )  # as the dashboard does
    read = provider.read(created.id, wire(created.outs))
    assert read.inputs is not None and read.inputs["active"] is False
    assert provider.diff(created.id, wire(read.outs), declared).changes is True

    before = count(configured, "POST /monitors/{id}/start")
    updated = provider.update(created.id, wire(read.outs), declared)
    assert count(configured, "POST /monitors/{id}/start") == before + 1
    assert status_of(configured, "monitors", created.id) != "PAUSED"
    again = provider.read(created.id, wire(updated.outs))
    assert provider.diff(created.id, wire(again.outs), declared).changes is False


def test_monitor_declared_paused_is_created_paused_and_started_when_declared_active(
    configured: SandboxProcess,
):
    provider = MonitorProvider()
    props = {"name": "api", "url": "https://x.example.test", "active": False}
    created = provider.create(checked(provider, props))
    assert status_of(configured, "monitors", created.id) == "PAUSED"
    read = provider.read(created.id, wire(created.outs))
    assert provider.diff(created.id, wire(read.outs), checked(provider, props)).changes is False

    # an update that does not change the state sends neither pause nor start
    renamed = checked(provider, {**props, "name": "api-2"})
    provider.update(created.id, wire(read.outs), renamed)
    assert count(configured, "POST /monitors/{id}/pause") == 1
    assert count(configured, "POST /monitors/{id}/start") == 0

    active = checked(provider, {**props, "active": True})
    provider.update(created.id, wire(read.outs), active)
    assert status_of(configured, "monitors", created.id) != "PAUSED"


def test_contact_paused_through_the_api_is_drift_and_an_update_resumes_it(configured: SandboxProcess):
    provider = AlertContactProvider()
    declared = checked(provider, {"name": "ops", "email": "ops@example.test"})
    created = provider.create(declared)
    assert status_of(configured, "alert-contacts", created.id) == "NotActivated"
    # a contact waiting for its confirmation e-mail is not a paused one: no drift, and no isActive sent
    read = provider.read(created.id, wire(created.outs))
    assert provider.diff(created.id, wire(read.outs), declared).changes is False
    provider.update(created.id, wire(read.outs), checked(provider, {**declared, "notify_on": "Down"}))
    assert status_of(configured, "alert-contacts", created.id) == "NotActivated"

    uptimerobot.client().request("PATCH", f"/alert-contacts/{created.id}", json_body={"isActive": False})
    read = provider.read(created.id, wire(created.outs))
    assert read.inputs is not None and read.inputs["active"] is False
    assert provider.diff(created.id, wire(read.outs), declared).changes is True
    updated = provider.update(created.id, wire(read.outs), declared)
    assert status_of(configured, "alert-contacts", created.id) == "Active"
    assert provider.diff(created.id, wire(updated.outs), declared).changes is False


def test_contact_declared_paused_is_paused_right_after_the_create(configured: SandboxProcess):
    provider = AlertContactProvider()
    props = checked(provider, {"name": "ops", "email": "ops@example.test", "active": False})
    created = provider.create(props)
    assert status_of(configured, "alert-contacts", created.id) == "Paused"
    read = provider.read(created.id, wire(created.outs))
    assert provider.diff(created.id, wire(read.outs), props).changes is False
