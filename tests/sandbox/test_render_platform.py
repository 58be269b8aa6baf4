"""Render rate-limit classes and headers, auth and error bodies, faults, counters and the control API."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.conftest import RENDER_KEY, RENDER_OWNER, RENDER_PREFIX, Client, Server


def _health_check(render: Client, service_id: str, path: str = "/healthz") -> requests.Response:
    return render.patch(f"/services/{service_id}", json={"serviceDetails": {"healthCheckPath": path}})


def _assert_headers(response: requests.Response, limit: int, remaining: int) -> None:
    assert response.headers["Ratelimit-Limit"] == str(limit)
    assert response.headers["Ratelimit-Remaining"] == str(remaining)
    assert 0 < int(response.headers["Ratelimit-Reset"]) <= 60  # seconds until reset, not an epoch time
    assert response.headers["Render-Request-Id"].startswith("api-")


def test_per_service_class_is_ten_a_minute_per_service(
    render: Client, sandbox_server: Server, render_ids: dict[str, str]
):
    sandbox_server.control("PUT", "/render/settings", json={"serviceRateLimit": None})
    busy, other = render_ids["optio-prod-backend"], render_ids["optio-dev-backend"]
    responses = [_health_check(render, busy, f"/h{n}") for n in range(10)]
    assert [r.status_code for r in responses] == [200] * 10
    for remaining, response in zip(range(9, -1, -1), responses, strict=True):
        _assert_headers(response, 10, remaining)
    throttled = _health_check(render, busy)
    assert (throttled.status_code, throttled.json()) == (429, {"message": "rate limit exceeded"})
    _assert_headers(throttled, 10, 0)
    assert "Retry-After" not in throttled.headers
    # Deploys, suspend and resume share the service's window; other services and other classes do not.
    assert render.post(f"/services/{busy}/deploys", json={}).status_code == 429
    assert render.post(f"/services/{busy}/suspend").status_code == 429
    elsewhere = _health_check(render, other)
    assert elsewhere.status_code == 200 and elsewhere.headers["Ratelimit-Remaining"] == "9"
    assert render.get(f"/services/{busy}").json()["serviceDetails"]["healthCheckPath"] == "/h9"
    assert render.put(f"/services/{busy}/env-vars/APP_VERSION", json={"value": "1"}).status_code == 200
    sandbox_server.control("POST", "/clock", json={"advance": 61})
    recovered = _health_check(render, busy)
    assert recovered.status_code == 200 and recovered.headers["Ratelimit-Remaining"] == "9"


def test_other_writes_share_one_window_per_key(
    render: Client, sandbox_server: Server, render_ids: dict[str, str]
):
    sandbox_server.control("PUT", "/render/settings", json={"writeRateLimit": 3})
    backend = render_ids["optio-prod-backend"]
    writes = [render.put(f"/services/{backend}/env-vars/K{n}", json={"value": "v"}) for n in range(3)]
    assert [r.headers["Ratelimit-Remaining"] for r in writes] == ["2", "1", "0"]
    assert render.put(f"/logs/streams/resource/{backend}", json={"setting": "drop"}).status_code == 429
    assert render.delete(f"/services/{backend}/env-vars/K0").status_code == 429
    read = render.get(f"/services/{backend}/env-vars/K0")
    assert read.status_code == 200 and read.headers["Ratelimit-Limit"] == "100000"
    assert _health_check(render, backend).status_code == 200  # the per-service class


def test_reads_have_their_own_window_and_defaults(render: Client, sandbox_server: Server):
    defaults = sandbox_server.control("PUT", "/render/settings", json={"readRateLimit": 2}).json()
    assert defaults["readRateLimit"] == 2
    assert [render.get("/owners").status_code for _ in range(3)] == [200, 200, 429]
    sandbox_server.control("POST", "/clock", json={"advance": 60})
    assert render.get("/owners").status_code == 200
    reset = {"serviceRateLimit": None, "writeRateLimit": None, "readRateLimit": None}
    assert sandbox_server.control("PUT", "/render/settings", json=reset).json() == {
        "serviceRateLimit": 10,
        "writeRateLimit": 30,
        "readRateLimit": 400,
    }
    bad = requests.put(f"{sandbox_server.url}/_control/render/settings", json={"readRateLimit": 0}, timeout=5)
    assert bad.status_code == 400 and "readRateLimit" in bad.json()["error"]


def test_auth_and_route_errors(render: Client):
    for key in (None, "wrong-key"):
        denied = Client(render.base, api_key=key).get("/services")
        assert (denied.status_code, denied.json()) == (401, {"id": "unauthorized", "message": "unauthorized"})
        assert "Render-Request-Id" in denied.headers and "Ratelimit-Limit" in denied.headers
    unknown = render.get("/nothing-here")
    assert (unknown.status_code, unknown.json()) == (404, {"message": "not found"})
    assert unknown.headers["Content-Type"] == "application/json; charset=utf-8"
    headers = {"Authorization": f"Bearer {RENDER_KEY}", "Accept": "text/html"}
    refused = requests.get(f"{render.base}/owners", headers=headers, timeout=5)
    assert refused.status_code == 406 and set(refused.json()) == {"message"}


def _fault(server: Server, kind: str, method: str, path: str) -> None:
    server.control("POST", "/faults", json={"vendor": "render", "kind": kind, "method": method, "path": path})


@pytest.mark.parametrize(
    ("kind", "message"), [("500", "internal server error"), ("503", "service unavailable")]
)
def test_server_error_faults(render: Client, sandbox_server: Server, kind: str, message: str):
    _fault(sandbox_server, kind, "GET", "/services/{serviceId}")
    failed = render.get("/services/srv-x")
    assert (failed.status_code, failed.json()) == (int(kind), {"message": message})
    assert "Render-Request-Id" in failed.headers
    assert render.get("/services/srv-x").status_code == 404


def test_rate_limit_fault(render: Client, sandbox_server: Server):
    _fault(sandbox_server, "429", "GET", f"{RENDER_PREFIX}/owners")
    throttled = render.get("/owners")
    assert (throttled.status_code, throttled.json()) == (429, {"message": "rate limit exceeded"})
    assert throttled.headers["Ratelimit-Remaining"] == "0" and int(throttled.headers["Ratelimit-Reset"]) > 0
    assert render.get("/owners").status_code == 200


@pytest.mark.parametrize(("kind", "applied"), [("drop", False), ("lost", True)])
def test_connection_faults(
    render: Client, sandbox_server: Server, render_ids: dict[str, str], kind: str, applied: bool
):
    service_id = render_ids["optio-dev-backend"]
    _fault(sandbox_server, kind, "PUT", "/services/{serviceId}/env-vars/{envVarKey}")
    with pytest.raises(requests.ConnectionError):
        render.put(f"/services/{service_id}/env-vars/APP_VERSION", json={"value": "2"})
    present = render.get(f"/services/{service_id}/env-vars/APP_VERSION").status_code == 200
    assert present is applied


def test_requests_are_counted_by_route_template_and_logged(
    render: Client, sandbox_server: Server, render_ids: dict[str, str]
):
    service_id = render_ids["optio-dev-backend"]
    sandbox_server.control("DELETE", "/requests")
    render.patch(f"/services/{service_id}", json={})
    render.patch(f"/services/{service_id}", json={})
    render.get(f"/services/{service_id}/env-vars/FLASK_ENV")
    assert sandbox_server.control("GET", "/requests").json()["byRoute"] == {
        "render PATCH /services/{serviceId}": 2,
        "render GET /services/{serviceId}/env-vars/{envVarKey}": 1,
    }
    log = sandbox_server.control("GET", "/log").json()
    assert log[-1] == {
        "vendor": "render",
        "method": "GET",
        "path": f"{RENDER_PREFIX}/services/{service_id}/env-vars/FLASK_ENV",
        "status": 200,
        "fault": None,
    }
    assert RENDER_KEY not in str(log)


def test_control_seeds_edits_and_deletes_services(render: Client, sandbox_server: Server):
    body = {"name": "optio-cron", "type": "cron_job", "serviceDetails": {"schedule": "*/5 * * * *"}}
    seeded = sandbox_server.control("POST", "/render/services", json=body).json()
    path = f"/render/services/{seeded['id']}"
    assert render.get(f"/services/{seeded['id']}").json() == seeded
    assert seeded["serviceDetails"]["schedule"] == "*/5 * * * *" and seeded["dashboardUrl"].endswith(
        f"/cron/{seeded['id']}"
    )
    web = sandbox_server.control(
        "POST", "/render/services", json={"name": "optio-web", "runtime": "node"}
    ).json()
    edit = {"serviceDetails": {"healthCheckPath": "/x"}, "suspended": "suspended", "suspenders": ["user"]}
    edited = sandbox_server.control("PATCH", f"/render/services/{web['id']}", json=edit).json()
    assert (
        edited["serviceDetails"]["healthCheckPath"] == "/x" and edited["serviceDetails"]["runtime"] == "node"
    )
    assert render.get(f"/services/{web['id']}").json()["suspended"] == "suspended"
    sandbox_server.control("PUT", f"/render/services/{web['id']}/env-vars/SENTRY_DSN", json={"value": "d"})
    assert render.get(f"/services/{web['id']}/env-vars/SENTRY_DSN").json() == {
        "key": "SENTRY_DSN",
        "value": "d",
    }
    sandbox_server.control("DELETE", f"/render/services/{web['id']}/env-vars/SENTRY_DSN")
    assert sandbox_server.control("GET", f"/render/services/{web['id']}/env-vars").json() == []
    sandbox_server.control("DELETE", path)
    assert render.get(f"/services/{seeded['id']}").status_code == 404
    assert sandbox_server.control("GET", "/requests").json()["total"] == 4  # control calls are never counted
    missing = requests.patch(f"{sandbox_server.url}/_control{path}", json={}, timeout=5)
    assert missing.status_code == 404 and "error" in missing.json()


def test_reset_restores_the_seeded_workspace(
    render: Client, sandbox_server: Server, render_ids: dict[str, str]
):
    render.put(f"/services/{render_ids['optio-dev-backend']}/env-vars", json=[])
    render.patch(f"/notification-settings/owners/{RENDER_OWNER}", json={"emailEnabled": False})
    sandbox_server.control("POST", "/reset")
    fresh = {s["name"]: s["id"] for s in sandbox_server.control("GET", "/render/services").json()}
    assert fresh == render_ids  # deterministic ids
    listed = sandbox_server.control("GET", f"/render/services/{fresh['optio-dev-backend']}/env-vars").json()
    assert [item["key"] for item in listed] == ["DATABASE_URL", "FLASK_ENV"]
    assert sandbox_server.control("GET", "/render/owner-notifications").json()["emailEnabled"] is True
