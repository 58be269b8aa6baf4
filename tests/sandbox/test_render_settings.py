"""Render env vars, notification settings, log streams and owners."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.conftest import RENDER_OWNER, Client, Server

SEEDED_BACKEND_KEYS = ["DATABASE_URL", "FLASK_ENV"]


@pytest.fixture
def backend(render_ids: dict[str, str]) -> str:
    return render_ids["optio-prod-backend"]


def _vars(server: Server, service_id: str) -> dict[str, str]:
    listed = server.control("GET", f"/render/services/{service_id}/env-vars").json()
    return {item["key"]: item["value"] for item in listed}


def test_env_vars_list_wraps_values_in_plaintext(render: Client, backend: str):
    page = render.get(f"/services/{backend}/env-vars").json()
    assert [set(item) for item in page] == [{"envVar", "cursor"}] * 2
    assert [item["envVar"]["key"] for item in page] == SEEDED_BACKEND_KEYS
    assert page[1]["envVar"] == {"key": "FLASK_ENV", "value": "prod"}
    first = render.get(f"/services/{backend}/env-vars", params={"limit": 1}).json()
    second = render.get(
        f"/services/{backend}/env-vars", params={"limit": 1, "cursor": first[0]["cursor"]}
    ).json()
    last = render.get(
        f"/services/{backend}/env-vars", params={"limit": 1, "cursor": second[0]["cursor"]}
    ).json()
    assert [first[0]["envVar"]["key"], second[0]["envVar"]["key"], last] == [*SEEDED_BACKEND_KEYS, []]


def test_single_key_upsert_leaves_other_vars_untouched(render: Client, sandbox_server: Server, backend: str):
    before = _vars(sandbox_server, backend)
    created = render.put(
        f"/services/{backend}/env-vars/SENTRY_DSN", json={"value": "https://k@sentry.test/1"}
    )
    assert (created.status_code, created.json()) == (
        200,
        {"key": "SENTRY_DSN", "value": "https://k@sentry.test/1"},
    )
    updated = render.put(
        f"/services/{backend}/env-vars/SENTRY_DSN", json={"value": "https://k@sentry.test/2"}
    )
    assert updated.json()["value"] == "https://k@sentry.test/2"
    assert render.get(f"/services/{backend}/env-vars/SENTRY_DSN").json() == updated.json()
    assert _vars(sandbox_server, backend) == {**before, "SENTRY_DSN": "https://k@sentry.test/2"}
    deleted = render.delete(f"/services/{backend}/env-vars/SENTRY_DSN")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert _vars(sandbox_server, backend) == before
    missing = render.get(f"/services/{backend}/env-vars/SENTRY_DSN")
    assert (missing.status_code, missing.json()) == (404, {"message": "not found: SENTRY_DSN"})
    assert render.delete(f"/services/{backend}/env-vars/SENTRY_DSN").status_code == 404


def test_generated_values_and_key_validation(render: Client, backend: str):
    generated = render.put(f"/services/{backend}/env-vars/SECRET_KEY", json={"generateValue": True}).json()
    assert generated["key"] == "SECRET_KEY" and len(generated["value"]) >= 16
    cases: dict[str, Any] = {
        "A=B": {"value": "x"},
        "HAS SPACE": {"value": "x"},
        "APP_VERSION": {"value": 7},
        "APP_VERSION ": {},
        "BOTH": {"value": "x", "generateValue": True},
    }
    for key, body in cases.items():
        response = render.put(f"/services/{backend}/env-vars/{key}", json=body)
        assert response.status_code == 400 and set(response.json()) == {"message"}, (key, response.text)
    assert "key" in render.put(f"/services/{backend}/env-vars/A=B", json={"value": "x"}).json()["message"]


def test_bulk_put_replaces_the_whole_set(render: Client, sandbox_server: Server, backend: str):
    replaced = render.put(f"/services/{backend}/env-vars", json=[{"key": "APP_VERSION", "value": "1.2.3"}])
    assert replaced.status_code == 200
    assert [item["envVar"] for item in replaced.json()] == [{"key": "APP_VERSION", "value": "1.2.3"}]
    assert _vars(sandbox_server, backend) == {"APP_VERSION": "1.2.3"}  # DATABASE_URL and FLASK_ENV are gone
    duplicate = render.put(
        f"/services/{backend}/env-vars", json=[{"key": "A", "value": "1"}, {"key": "A", "value": "2"}]
    )
    assert duplicate.status_code == 400 and "key" in duplicate.json()["message"]
    assert render.put(f"/services/{backend}/env-vars", json={"key": "A"}).status_code == 400
    assert _vars(sandbox_server, backend) == {"APP_VERSION": "1.2.3"}


def test_owner_notification_settings(render: Client, sandbox_server: Server):
    path = f"/notification-settings/owners/{RENDER_OWNER}"
    settings = render.get(path).json()
    assert settings == {
        "ownerId": RENDER_OWNER,
        "slackEnabled": False,
        "emailEnabled": True,
        "previewNotificationsEnabled": False,
        "notificationsToSend": "failure",
    }
    patched = render.patch(path, json={"notificationsToSend": "all", "slackEnabled": True}).json()
    assert patched == {**settings, "notificationsToSend": "all"}  # slackEnabled is read-only
    assert render.patch(path, json={"previewNotificationsEnabled": "true"}).status_code == 400  # a bool here
    assert render.patch(path, json={"notificationsToSend": "default"}).status_code == 400
    sandbox_server.control("PATCH", "/render/owner-notifications", json={"slackEnabled": True})
    assert render.get(path).json()["slackEnabled"] is True
    assert render.get("/notification-settings/owners/tea-nobody000000000000001").status_code == 404


def test_service_overrides_always_exist_and_use_strings(
    render: Client, sandbox_server: Server, backend: str, render_ids: dict[str, str]
):
    path = f"/notification-settings/overrides/services/{backend}"
    default = {
        "serviceId": backend,
        "previewNotificationsEnabled": "default",
        "notificationsToSend": "default",
    }
    assert render.get(path).json() == default
    patched = render.patch(path, json={"previewNotificationsEnabled": "false", "notificationsToSend": "all"})
    assert patched.json() == {**default, "previewNotificationsEnabled": "false", "notificationsToSend": "all"}
    assert render.patch(path, json={"previewNotificationsEnabled": False}).status_code == 400  # a string here
    assert render.patch(path, json={"notificationsToSend": "some"}).status_code == 400
    assert render.delete(path).status_code == 404  # there is no DELETE: PATCH back to "default"
    assert (
        render.patch(
            path, json={"previewNotificationsEnabled": "default", "notificationsToSend": "default"}
        ).json()
        == default
    )
    listed = render.get("/notification-settings/overrides", params={"serviceId": backend}).json()
    assert [set(item) for item in listed] == [{"override", "cursor"}] and listed[0]["override"] == default
    all_services = render.get("/notification-settings/overrides", params={"ownerId": RENDER_OWNER}).json()
    assert {item["override"]["serviceId"] for item in all_services} == set(render_ids.values())
    assert sandbox_server.control("GET", "/render/notification-overrides").json() == [default]


def test_owner_log_stream_never_returns_its_token(render: Client, sandbox_server: Server):
    path = f"/logs/streams/owner/{RENDER_OWNER}"
    assert render.get(path).json() == {"message": f"not found: {RENDER_OWNER}"}
    body = {"endpoint": "logs.example.test:6514", "token": "s3cret", "preview": "drop"}
    stored = render.put(path, json=body)
    assert stored.json() == {"ownerId": RENDER_OWNER, "endpoint": "logs.example.test:6514", "preview": "drop"}
    assert render.get(path).json() == stored.json()
    assert sandbox_server.control("GET", "/render/log-streams").json() == [{"ownerId": RENDER_OWNER, **body}]
    assert render.put(path, json={"endpoint": "x"}).status_code == 400  # preview is required
    assert render.delete(path).status_code == 204
    assert render.get(path).status_code == 404


def test_resource_log_stream_overrides(render: Client, sandbox_server: Server, backend: str):
    path = f"/logs/streams/resource/{backend}"
    missing = render.get(path)
    assert (missing.status_code, missing.json()) == (404, {"message": f"not found: {backend}"})
    sent = render.put(path, json={"setting": "send", "endpoint": "logs.example.test:6514", "token": "t0k"})
    assert sent.json() == {"resourceId": backend, "endpoint": "logs.example.test:6514", "setting": "send"}
    assert "token" not in render.get(path).json()
    stored = sandbox_server.control("GET", "/render/log-streams").json()
    assert stored == [
        {"resourceId": backend, "endpoint": "logs.example.test:6514", "token": "t0k", "setting": "send"}
    ]
    assert render.get("/logs/streams/resource", params={"resourceId": backend}).json() == [sent.json()]
    assert render.get("/logs/streams/resource", params={"setting": "drop"}).json() == []
    assert render.put(path, json={"setting": "send"}).status_code == 400  # send needs an endpoint
    assert render.put(path, json={"setting": "drop", "endpoint": "x:1"}).status_code == 400
    dropped = render.put(path, json={"setting": "drop"}).json()
    assert dropped == {"resourceId": backend, "endpoint": "", "setting": "drop"}
    assert render.delete(path).status_code == 204
    assert render.get(path).status_code == 404
    assert render.delete(path).status_code == 404


def test_owners(render: Client):
    listed = render.get("/owners").json()
    owner = {"id": RENDER_OWNER, "name": "Optio", "email": "owner@sandbox.test", "type": "team"}
    assert [item["owner"] for item in listed] == [owner] and "cursor" in listed[0]
    assert render.get("/owners", params={"email": "owner@sandbox.test"}).json() == listed
    assert render.get("/owners", params={"name": "Opt"}).json() == []  # exact matches only
    assert render.get(f"/owners/{RENDER_OWNER}").json() == owner
    assert render.get("/owners/tea-nobody000000000000001").status_code == 404
