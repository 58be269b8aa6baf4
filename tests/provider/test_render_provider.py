"""Render provider methods against the sandbox: lookups, single-key env vars, restores, rate limits."""

from __future__ import annotations

from typing import Any

import pytest

from harness.sandbox_process import SandboxProcess
from providers.render import client as render
from providers.render.resources import (
    EnvVarProvider,
    LogStreamProvider,
    NotificationOverrideProvider,
    OwnerNotificationSettingsProvider,
    ServiceHealthCheckProvider,
)

from .conftest import checked, count, fault, wire

BACKEND = "optio-dev-backend"


def service(api: SandboxProcess, name: str) -> dict[str, Any]:
    return next(s for s in api.control("GET", "/render/services").json() if s["name"] == name)


def env(api: SandboxProcess, name: str) -> dict[str, str]:
    return {
        e["key"]: e["value"]
        for e in api.control("GET", f"/render/services/{service(api, name)['id']}/env-vars").json()
    }


def test_name_lookup_skips_previews_and_suggests_close_names(configured: SandboxProcess):
    transport = render.client()
    assert render.service(transport, BACKEND)["id"] == service(configured, BACKEND)["id"]
    with pytest.raises(render.ServiceNotFound, match="Did you mean 'optio-dev-backend'"):
        render.service(transport, "optio-dev-backnd")


@pytest.mark.parametrize(
    ("provider_cls", "props", "change"),
    [
        (ServiceHealthCheckProvider, {"service": BACKEND, "path": "/api/health"}, {"path": "/healthz"}),
        (EnvVarProvider, {"service": BACKEND, "key": "APP_VERSION", "value": "1"}, {"value": "2"}),
        (
            NotificationOverrideProvider,
            {"service": BACKEND, "notifications_to_send": "failure"},
            {"notifications_to_send": "all"},
        ),
        (OwnerNotificationSettingsProvider, {"notifications_to_send": "failure"}, {"email_enabled": False}),
        (
            LogStreamProvider,
            {"service": BACKEND, "endpoint": "logs.example.test:514", "token": "t0k3n-secret"},
            {"endpoint": "logs2.example.test:514"},
        ),
        (
            LogStreamProvider,
            {"endpoint": "logs.example.test:514", "token": "t0k3n-secret"},
            {"setting": "drop"},
        ),
    ],
    ids=["health", "env", "override", "owner", "stream-service", "stream-workspace"],
)
def test_full_lifecycle(configured: SandboxProcess, provider_cls, props, change):
    provider = provider_cls()
    created = provider.create(checked(provider, props))
    state = wire(created.outs)
    assert provider.diff(created.id, state, checked(provider, props)).changes is False
    read = provider.read(created.id, state)
    assert read.id == created.id
    assert provider.diff(created.id, wire(read.outs), checked(provider, props)).changes is False
    news = checked(provider, {**props, **change})
    updated = provider.update(created.id, state, news)
    for key, value in change.items():
        assert wire(updated.outs)[key] == value
    provider.delete(created.id, wire(updated.outs))


def test_env_var_restores_a_value_it_found_and_touches_no_other_key(configured: SandboxProcess):
    before = env(configured, BACKEND)
    key = next(iter(before))
    provider = EnvVarProvider()
    created = provider.create(checked(provider, {"service": BACKEND, "key": key, "value": "managed"}))
    assert env(configured, BACKEND) == {**before, key: "managed"}
    provider.delete(created.id, wire(created.outs))
    assert env(configured, BACKEND) == before
    assert count(configured, "PUT /services/{serviceId}/env-vars", "render") == 0  # never the bulk replace


def test_owner_settings_are_restored_on_delete(configured: SandboxProcess):
    owner = configured.control("GET", "/render/owner-notifications").json()
    provider = OwnerNotificationSettingsProvider()
    created = provider.create(checked(provider, {"notifications_to_send": "all", "email_enabled": False}))
    provider.delete(created.id, wire(created.outs))
    assert configured.control("GET", "/render/owner-notifications").json() == owner


def test_write_rate_limit_waits_for_the_reset(configured: SandboxProcess, clock):
    fault(configured, "429", "PATCH", "/services/{serviceId}", vendor="render")
    provider = ServiceHealthCheckProvider()
    provider.create(checked(provider, {"service": BACKEND, "path": "/api/health"}))
    assert len(clock.sleeps) == 1 and clock.sleeps[0] > 0
    assert service(configured, BACKEND)["serviceDetails"]["healthCheckPath"] == "/api/health"
