"""Render at work on the sandbox clock (sandbox/render/runtime.py): the health check restarts a service that
fails it for 60 s, deploys build and go live or fail, each step a service event the API lists, and the
workspace is e-mailed as its notification settings say."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from refapp.app import create_app
from refapp.server import Server as AppServer
from refapp.tls import Authority

from .conftest import RENDER_OWNER, Client, Server
from .test_render_fidelity import check

HOST = "optio-api.onrender.com"


@pytest.fixture
def app() -> Iterator[AppServer]:
    served = create_app("backend", {"APP_VERSION": "1.2.3"})
    with AppServer(served, tls=Authority().context([HOST], timedelta(days=90))) as server:
        yield server


@pytest.fixture
def service(sandbox_server: Server, render: Client, app: AppServer) -> dict[str, Any]:
    """A web service checked at /api/health, served by the reference app, with the checks on."""
    details = {"url": f"https://{HOST}", "healthCheckPath": "/api/health"}
    made: dict[str, Any] = sandbox_server.control(
        "POST", "/render/services", json={"name": "optio-api", "serviceDetails": details}
    ).json()
    sandbox_server.control("PUT", "/hosts", json={HOST: app.address})
    sandbox_server.control("PUT", "/checks", json={"running": True})
    sandbox_server.control("DELETE", "/deliveries")
    return made


def advance(server: Server, seconds: float) -> None:
    server.control("POST", "/clock", json={"advance": seconds})


def kinds(render: Client, service: dict[str, Any], **params: Any) -> list[str]:
    page = check(render.get(f"/services/{service['id']}/events", params=params), 200)
    return [item["event"]["type"] for item in reversed(page)]  # oldest first


def emails(server: Server) -> list[str]:
    found = server.control("GET", "/deliveries").json()
    return [d["event"] for d in found if d["channel"] == "email" and d.get("via") == "render"]


def notify(server: Server, render: Client, owner: str, service: dict[str, Any], override: str) -> None:
    body = {"emailEnabled": True, "notificationsToSend": owner}
    check(render.patch(f"/notification-settings/owners/{RENDER_OWNER}", json=body), 200)
    path = f"/notification-settings/overrides/services/{service['id']}"
    check(render.patch(path, json={"notificationsToSend": override}), 200)


def test_a_failing_health_check_restarts_the_service_after_a_minute(
    sandbox_server: Server, render: Client, app: AppServer, service
):
    notify(sandbox_server, render, "failure", service, "default")
    advance(sandbox_server, 30)
    assert kinds(render, service) == []  # healthy
    app.app.extensions["faults"].update({"database_down": True})  # /api/health answers 503
    advance(sandbox_server, 30)
    assert kinds(render, service) == []  # failing for less than a minute: traffic stops, no restart yet
    advance(sandbox_server, 60)
    assert kinds(render, service) == ["server_failed", "server_restarted"]
    failed = check(render.get(f"/services/{service['id']}/events", params={"type": "server_failed"}), 200)
    assert failed[0]["event"]["details"]["reason"]["unhealthy"] == "health check returned 503 on /api/health"
    assert emails(sandbox_server) == ["server_failed"]
    advance(sandbox_server, 300)
    assert kinds(render, service) == ["server_failed", "server_restarted"]  # one restart per failure
    app.app.extensions["faults"].update({"database_down": False})
    advance(sandbox_server, 30)
    assert kinds(render, service)[-1] == "server_available"
    assert emails(sandbox_server) == ["server_failed"]


def test_a_deploy_builds_then_goes_live_or_fails_and_the_settings_decide_who_hears(
    sandbox_server: Server, render: Client, service
):
    notify(sandbox_server, render, "failure", service, "default")
    deploy = check(render.post(f"/services/{service['id']}/deploys", json={}), 201)
    advance(sandbox_server, 60)
    assert kinds(render, service) == ["build_started"]
    advance(sandbox_server, 90)
    assert kinds(render, service) == ["build_started", "build_ended", "deploy_started", "deploy_ended"]
    live = check(render.get(f"/services/{service['id']}/deploys", params={"status": "live"}), 200)
    assert [d["deploy"]["id"] for d in live] == [deploy["id"]]
    assert emails(sandbox_server) == []  # a finished deploy is not a failure
    newer = check(render.post(f"/services/{service['id']}/deploys", json={}), 201)
    advance(sandbox_server, 150)
    statuses = {
        d["deploy"]["id"]: d["deploy"]["status"]
        for d in check(render.get(f"/services/{service['id']}/deploys"), 200)
    }
    assert statuses == {deploy["id"]: "deactivated", newer["id"]: "live"}  # one live deploy at a time

    sandbox_server.control("PUT", "/render/builds", json={"serviceId": "optio-api", "fails": True})
    broken = check(render.post(f"/services/{service['id']}/deploys", json={}), 201)
    advance(sandbox_server, 150)
    ended = check(render.get(f"/services/{service['id']}/events", params={"type": "deploy_ended"}), 200)
    assert ended[0]["event"]["details"]["deployStatus"] == "failed"
    failed = check(render.get(f"/services/{service['id']}/deploys", params={"status": "build_failed"}), 200)
    assert [d["deploy"]["id"] for d in failed] == [broken["id"]]
    assert emails(sandbox_server) == ["deploy failed"]

    notify(sandbox_server, render, "failure", service, "all")  # the service's override decides
    sandbox_server.control("PUT", "/render/builds", json={"serviceId": "optio-api", "fails": False})
    check(render.post(f"/services/{service['id']}/deploys", json={}), 201)
    advance(sandbox_server, 150)
    assert emails(sandbox_server) == ["deploy failed", "deploy succeeded"]
    notify(sandbox_server, render, "all", service, "none")
    check(render.post(f"/services/{service['id']}/deploys", json={}), 201)
    advance(sandbox_server, 150)
    assert len(emails(sandbox_server)) == 2


def test_a_deploy_whose_new_instance_stays_unhealthy_is_given_up_after_15_minutes(
    sandbox_server: Server, render: Client, app: AppServer, service
):
    notify(sandbox_server, render, "failure", service, "default")
    app.app.extensions["faults"].update({"database_down": True})
    check(render.post(f"/services/{service['id']}/deploys", json={}), 201)
    advance(sandbox_server, 300)
    in_progress = check(render.get(f"/services/{service['id']}/deploys"), 200)
    assert in_progress[0]["deploy"]["status"] == "update_in_progress"
    advance(sandbox_server, 15 * 60)
    given_up = check(render.get(f"/services/{service['id']}/deploys"), 200)
    assert given_up[0]["deploy"]["status"] == "update_failed"
    assert "deploy failed" in emails(sandbox_server)
