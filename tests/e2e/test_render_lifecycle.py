"""Render settings on existing services through the real CLI and the sandbox."""

from __future__ import annotations

import json
from typing import Any

from .conftest import Stack, plan
from .test_sentry_lifecycle import sentry_plan

EXIT_NO_CHANGES_EXPECTED = 7
BACKEND, FRONTEND = "optio-dev-backend", "optio-dev-frontend"


def render_plan(*services: dict[str, Any], **render: Any) -> dict[str, Any]:
    block = {"services": list(services), "appVersion": "1.0.0", **render}
    return {**plan({"name": "site", "url": "https://e2e.example.test"}), "lookout:render": block}


def svc(stack: Stack, name: str) -> dict[str, Any]:
    return next(s for s in stack.api.control("GET", "/render/services").json() if s["name"] == name)


def env(stack: Stack, name: str) -> dict[str, str]:
    listed = stack.api.control("GET", f"/render/services/{svc(stack, name)['id']}/env-vars").json()
    return {item["key"]: item["value"] for item in listed}


def health(stack: Stack, name: str) -> str:
    return svc(stack, name)["serviceDetails"]["healthCheckPath"]


def test_settings_apply_update_in_place_and_restore_on_delete(stack: Stack):
    stack.api.control(
        "PATCH",
        f"/render/services/{svc(stack, FRONTEND)['id']}",
        json={"serviceDetails": {"healthCheckPath": "/old"}},
    )
    before_backend_env = env(stack, BACKEND)
    services = [
        {"name": BACKEND, "healthCheckPath": "/api/health", "notifications": "failure"},
        {"name": FRONTEND, "healthCheckPath": "/api/health"},
    ]
    stack.configure(render_plan(*services, healthCheckTiming={"intervalSeconds": 60, "timeoutSeconds": 10}))
    out = stack.pulumi("up", "--yes")
    assert "Render fixes health-check timing" in out.stdout + out.stderr
    assert health(stack, BACKEND) == health(stack, FRONTEND) == "/api/health"
    after = env(stack, BACKEND)
    assert after == {**before_backend_env, "APP_VERSION": "1.0.0"}  # only its own key was touched
    overrides = {o["serviceId"]: o for o in stack.api.control("GET", "/render/notification-overrides").json()}
    assert overrides[svc(stack, BACKEND)["id"]]["notificationsToSend"] == "failure"
    assert stack.api.control("GET", "/render/deploys").json() == []  # deploy is opt-in

    before = stack.requests()
    stack.pulumi("preview", "--expect-no-changes")
    assert stack.requests() == before

    stack.configure(
        render_plan({**services[0], "healthCheckPath": "/healthz"}, services[1], appVersion="1.0.1")
    )
    out = stack.pulumi("up", "--yes").stdout
    assert "3 updated" in out  # the path, and APP_VERSION on both services
    assert health(stack, BACKEND) == "/healthz" and env(stack, BACKEND)["APP_VERSION"] == "1.0.1"

    stack.configure(render_plan(services[0]))
    stack.pulumi("up", "--yes")
    assert health(stack, FRONTEND) == "/old"  # the path found before Lookout came back
    assert "APP_VERSION" not in env(stack, FRONTEND)

    stack.pulumi("destroy", "--yes")
    assert health(stack, BACKEND) == "" and env(stack, BACKEND) == before_backend_env
    overrides = {o["serviceId"]: o for o in stack.api.control("GET", "/render/notification-overrides").json()}
    assert overrides.get(svc(stack, BACKEND)["id"], {}).get("notificationsToSend", "default") == "default"


def test_drift_in_the_health_check_path_is_repaired(stack: Stack):
    stack.configure(render_plan({"name": BACKEND, "healthCheckPath": "/api/health"}))
    stack.pulumi("up", "--yes")
    stack.api.control(
        "PATCH",
        f"/render/services/{svc(stack, BACKEND)['id']}",
        json={"serviceDetails": {"healthCheckPath": "/"}},
    )
    drift = stack.pulumi("preview", "--refresh", "--expect-no-changes", check=False)
    assert drift.returncode == EXIT_NO_CHANGES_EXPECTED
    stack.pulumi("up", "--refresh", "--yes")
    assert health(stack, BACKEND) == "/api/health"


def test_deploy_on_change_deploys(stack: Stack):
    stack.configure(render_plan({"name": BACKEND}, deployOnChange=True))
    stack.pulumi("up", "--yes")
    deploys = stack.api.control("GET", "/render/deploys").json()
    assert [d["serviceId"] for d in deploys] == [svc(stack, BACKEND)["id"]]


def test_log_stream_token_and_dsn_stay_secret(stack: Stack):
    overrides = sentry_plan()
    overrides["lookout:render"] = {
        "services": [{"name": BACKEND, "sentryProject": "e2e-backend"}],
        "logStream": {"endpoint": "logs.example.test:514"},
    }
    stack.configure(overrides)
    stack.pulumi("up", "--yes")
    dsn = env(stack, BACKEND)["SENTRY_DSN"]
    streams = stack.api.control("GET", "/render/log-streams").json()
    assert [s["token"] for s in streams] == ["sandbox-log-token"]
    exported = stack.pulumi("stack", "export").stdout
    preview = stack.pulumi("preview", "--json").stdout
    for secret in (dsn, "sandbox-log-token"):
        assert secret not in exported and secret not in preview
    assert json.loads(preview)["changeSummary"] == {
        "same": len(json.loads(exported)["deployment"]["resources"]) - 1
    }


def test_misspelt_service_name_fails_with_suggestions(stack: Stack):
    stack.configure(render_plan({"name": "optio-dev-backnd", "healthCheckPath": "/api/health"}))
    failed = stack.pulumi("up", "--yes", check=False)
    assert failed.returncode != 0
    assert (
        "no Render service named 'optio-dev-backnd'" in failed.stdout and "optio-dev-backend" in failed.stdout
    )


def test_suspended_service_fails_clearly_without_retrying(stack: Stack):
    service = svc(stack, BACKEND)
    stack.api.control(
        "PATCH", f"/render/services/{service['id']}", json={"suspended": "suspended", "suspenders": ["user"]}
    )
    stack.configure(render_plan({"name": BACKEND, "healthCheckPath": "/api/health"}))
    failed = stack.pulumi("up", "--yes", check=False)
    assert failed.returncode != 0
    assert "is suspended (by: user)" in failed.stdout and "Resume it" in failed.stdout
    assert svc(stack, BACKEND)["serviceDetails"]["healthCheckPath"] == ""
