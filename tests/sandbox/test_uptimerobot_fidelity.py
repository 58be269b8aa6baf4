"""Every response exercised here is validated against UptimeRobot's published OpenAPI spec with openapi-core.

The spec documents no error responses, so 4xx answers are checked against the bodies the live API answers
instead (docs/vendors/uptimerobot.md, conventions) (``check_error``).
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from sandbox.uptimerobot.schemas import CONTRACT
from tests.sandbox.conftest import PAGERDUTY_KEY, PREFIX, Client, Server, http_monitor, window_body

SPEC_SERVER = "https://api.uptimerobot.com/v3"

MONITOR_BODIES = {
    "HTTP": http_monitor(httpMethodType="GET", tagNames=["prod"], config={"sslExpirationPeriodDays": [7]}),
    "KEYWORD": http_monitor(
        type="KEYWORD", keywordType="ALERT_NOT_EXISTS", keywordCaseType="CaseSensitive", keywordValue="error"
    ),
    "PING": {"type": "PING", "friendlyName": "Router", "url": "203.0.113.1", "interval": 300, "timeout": 30},
    "PORT": {
        "type": "PORT",
        "friendlyName": "Mail",
        "url": "mail.test",
        "port": 25,
        "interval": 300,
        "timeout": 30,
    },
    "HEARTBEAT": {"type": "HEARTBEAT", "friendlyName": "Backup", "interval": 86400, "gracePeriod": 300},
}
INTEGRATION_BODIES = {
    "Slack": {"webhookURL": "https://hooks.slack.test/x", "customValue": "#ops", "friendlyName": "Ops"},
    "Webhook": {
        "urlToNotify": "https://hook.test",
        "postValue": "{}",
        "sendAsJSON": True,
        "customHeaders": {},
    },
    "Pagerduty": {"integrationKey": PAGERDUTY_KEY, "location": "eu", "autoResolve": True},
}


def openapi() -> OpenAPI:
    """The spec with the deviation table's patches (sandbox/deviations/), as the sandbox itself uses it."""
    return CONTRACT.openapi


def check(response: requests.Response, status: int) -> Any:
    """Assert the status and validate status + body against the spec; returns the JSON body (or None)."""
    assert response.status_code == status, response.text
    prepared = response.request.copy()
    prepared.url = SPEC_SERVER + str(prepared.url).split(PREFIX, 1)[1]
    openapi().validate_response(RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(response))
    return response.json() if response.content else None


def check_error(response: requests.Response, status: int, code: str | None = None) -> None:
    """4xx bodies as the live API answers them: ``{message, code}`` or NestJS ``{message[], error,
    statusCode}``."""
    assert response.status_code == status, response.text
    body = response.json()
    if code is not None:
        assert body == {"message": body["message"], "code": code} and isinstance(body["message"], str)
    else:
        assert isinstance(body["message"], list) and all(isinstance(m, str) for m in body["message"])
        assert (body["error"], body["statusCode"]) == ("Bad Request", 400)


@pytest.fixture
def seeded(ur: Client, sandbox_server: Server) -> dict[str, int]:
    """Objects for monitors to link to: a maintenance window, an alert contact, an integration."""
    window = check(ur.post("/maintenance-windows", json=window_body()), 201)
    contact = check(ur.post("/alert-contacts", json={"type": "Email", "value": "ops@example.test"}), 201)
    slack = {"type": "Slack", "data": INTEGRATION_BODIES["Slack"]}
    integration = check(ur.post("/integrations", json=slack), 201)
    sandbox_server.control("PUT", "/uptimerobot/settings", json={"plan": "enterprise"})
    return {"window": window["id"], "contact": contact["id"], "integration": integration["id"]}


@pytest.mark.parametrize("kind", MONITOR_BODIES)
def test_monitor_lifecycle_matches_the_spec(ur: Client, seeded: dict[str, int], kind: str):
    assigned = [
        {"alertContactId": seeded[name], "threshold": 1, "recurrence": 2}
        for name in ("contact", "integration")
    ]
    body = {
        **MONITOR_BODIES[kind],
        "maintenanceWindowsIds": [seeded["window"]],
        "assignedAlertContacts": assigned,
    }
    monitor = check(ur.post("/monitors", json=body), 201)
    path = f"/monitors/{monitor['id']}"
    check(ur.get(path), 200)
    check(ur.patch(path, json={"friendlyName": "Renamed & moved", "interval": 600, "config": None}), 200)
    check(ur.post(f"{path}/pause"), 201)
    check(ur.post(f"{path}/start"), 201)
    listed = check(ur.get("/monitors", params={"limit": 1}), 200)
    assert listed["nextLink"] is not None
    check(ur.delete(path), 200)
    check_error(ur.get(path), 404, "000-004")


def test_monitor_lists_match_the_spec(ur: Client):
    for number in range(3):
        check(ur.post("/monitors", json=http_monitor(url=f"https://{number}.test", tagNames=["a"])), 201)
    check(ur.post("/psps", files=[("friendlyName", (None, "Status")), ("monitorIds", (None, "0"))]), 201)
    page = check(ur.get("/monitors", params={"limit": 2}), 200)
    page = check(ur.session.get(page["nextLink"], headers={"Authorization": f"Bearer {ur.api_key}"}), 200)
    assert len(page["data"]) == 1 and page["nextLink"] is None
    check(ur.get("/monitors", params={"status": "STARTED", "tags": "a", "name": "shop"}), 200)
    check(ur.get("/tags"), 200)


def test_monitor_errors_use_the_documented_bodies(ur: Client):
    check_error(Client(ur.base, api_key=None).get("/monitors"), 401, "003-005")
    check_error(ur.post("/monitors", json={"type": "HTTP"}), 400)
    check_error(ur.post("/monitors", json=http_monitor(interval=30)), 400)


def test_alert_contacts_match_the_spec(ur: Client):
    contact = check(
        ur.post("/alert-contacts", json={"type": "Email", "value": "a@b.test", "friendlyName": "A"}), 201
    )
    path = f"/alert-contacts/{contact['id']}"
    check(ur.get(path), 200)
    check(ur.patch(path, json={"friendlyName": "B", "isActive": False, "sslExpirationReminder": True}), 200)
    check(ur.get("/alert-contacts"), 200)
    check(ur.delete(path), 200)
    check_error(ur.get(path), 404, "000-004")
    check_error(ur.post("/alert-contacts", json={"type": "Email", "value": "owner@sandbox.test"}), 400)


@pytest.mark.parametrize("kind", INTEGRATION_BODIES)
def test_integrations_match_the_spec(ur: Client, kind: str):
    integration = check(ur.post("/integrations", json={"type": kind, "data": INTEGRATION_BODIES[kind]}), 201)
    path = f"/integrations/{integration['id']}"
    check(ur.get(path), 200)
    check(ur.patch(path, json={"type": kind, "data": {"friendlyName": "Renamed"}}), 200)
    check(ur.get("/integrations"), 200)
    check_error(
        ur.post("/integrations", json={"type": kind, "data": INTEGRATION_BODIES[kind]}), 409, "021-004"
    )
    check(ur.delete(path), 200)
    check_error(ur.get(path), 404, "021-005")
    discord = {"webhookURL": "https://discord.test/hook", "customValue": "", "friendlyName": "Ops"}
    check_error(ur.post("/integrations", json={"type": "Discord", "data": discord}), 403, "021-003")


def test_maintenance_windows_match_the_spec(ur: Client):
    window = check(ur.post("/maintenance-windows", json=window_body(interval="monthly", days=[1, -1])), 201)
    path = f"/maintenance-windows/{window['id']}"
    check(ur.get(path), 200)
    check(ur.patch(path, json={"status": "paused", "interval": "once", "date": "2027-01-31"}), 200)
    check(ur.get("/maintenance-windows"), 200)
    check(ur.delete(path), 204)
    check_error(ur.get(path), 404, "000-004")


def test_status_pages_match_the_spec(ur: Client):
    monitor = check(ur.post("/monitors", json=http_monitor()), 201)
    form = [
        ("friendlyName", "Status"),
        ("monitorIds", str(monitor["id"])),
        ("customSettings[page][theme]", "dark"),
    ]
    page = check(ur.post("/psps", files=[(name, (None, value)) for name, value in form]), 201)
    path = f"/psps/{page['id']}"
    check(ur.get(path), 200)
    check(
        ur.patch(
            path, files=[("password", (None, "x")), ("customSettings[features][showBars]", (None, "true"))]
        ),
        200,
    )
    check(ur.get(f"/monitors/{monitor['id']}"), 200)  # embeds the status page
    check(ur.get("/psps"), 200)
    check(ur.delete(path), 200)
    check_error(ur.get(path), 404, "000-004")


def test_user_me_matches_the_spec(ur: Client):
    check(ur.get("/user/me"), 200)
