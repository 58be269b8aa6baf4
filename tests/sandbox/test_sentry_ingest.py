"""Sentry event ingestion (Relay's store and envelope endpoints), the issues it creates, and the alerts it
runs into the e-mail, Slack and PagerDuty sinks. API answers are validated against Sentry's spec."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from .conftest import ORG, Client, Server, new_project, new_team
from .sentry_bodies import PAGERDUTY_ID, alert, email_action, pagerduty_action, slack_action
from .test_pagerduty_api import TOKEN, PagerDuty
from .test_pagerduty_events import paging_service
from .test_sentry_fidelity import check

INGEST = "/sentry-ingest"


@pytest.fixture
def api(sentry: Client, sandbox_server: Server) -> dict[str, Any]:
    """Project ``api`` (no default alert) and its key."""
    team = new_team(sentry)
    project = new_project(sentry, default_rules=False)
    key = sentry.get(f"/projects/{ORG}/api/keys/").json()[0]
    return {"team": team, "project": project, "key": key["public"], "id": project["id"]}


def auth(key: str) -> dict[str, str]:
    return {"X-Sentry-Auth": f"Sentry sentry_version=7, sentry_client=lookout-test/1.0, sentry_key={key}"}


def store(
    server: Server, project_id: Any, event: Any, headers: dict[str, str] | None = None
) -> requests.Response:
    data = event if isinstance(event, bytes) else json.dumps(event).encode()
    url = f"{server.url}{INGEST}/api/{project_id}/store/"
    return requests.post(url, data=data, headers=headers or {}, timeout=10)


def envelope(
    server: Server, project_id: Any, raw: bytes, headers: dict[str, str] | None = None
) -> requests.Response:
    url = f"{server.url}{INGEST}/api/{project_id}/envelope/"
    return requests.post(url, data=raw, headers=headers or {}, timeout=10)


def send(server: Server, api: dict[str, Any], message: str, **event: Any) -> str:
    answer = store(server, api["id"], {"message": message, **event}, auth(api["key"]))
    assert answer.status_code == 200, answer.text
    event_id: str = answer.json()["id"]
    return event_id


def issue_of(sentry: Client, event_id: str) -> dict[str, Any]:
    found = check(sentry.get(f"/organizations/{ORG}/eventids/{event_id}/"), 200)
    issue: dict[str, Any] = check(sentry.get(f"/organizations/{ORG}/issues/{found['groupId']}/"), 200)
    return issue


def deliveries(server: Server) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = server.control("GET", "/deliveries").json()
    return found


def test_an_event_makes_an_issue_that_the_api_finds_by_event_id(sentry: Client, sandbox_server: Server, api):
    event_id = send(sandbox_server, api, "Payment 4711 failed\nstack...", level="error", culprit="pay()")
    found = check(sentry.get(f"/organizations/{ORG}/eventids/{event_id}/"), 200)
    assert (found["projectSlug"], found["eventId"]) == ("api", event_id)
    issue = check(sentry.get(f"/organizations/{ORG}/issues/{found['groupId']}/"), 200)
    assert (issue["shortId"], issue["title"], issue["culprit"]) == ("API-1", "Payment 4711 failed", "pay()")
    assert (issue["level"], issue["priority"], issue["status"], issue["substatus"]) == (
        "error",
        "high",
        "unresolved",
        "new",
    )
    assert issue["count"] == "1"


def test_events_group_by_message_with_numbers_normalised_unless_a_fingerprint_says_otherwise(
    sentry: Client, sandbox_server: Server, api
):
    first = issue_of(sentry, send(sandbox_server, api, "Payment 4711 failed", level="warning"))
    again = issue_of(sentry, send(sandbox_server, api, "Payment 815 failed", level="warning"))
    assert (again["id"], again["count"], again["priority"]) == (first["id"], "2", "medium")
    apart = issue_of(sentry, send(sandbox_server, api, "Payment 4711 failed", fingerprint=["drill", "x1"]))
    assert apart["id"] != first["id"]
    assert apart["shortId"] == "API-2"
    listed = check(sentry.get(f"/projects/{ORG}/api/issues/", params={"query": "is:unresolved"}), 200)
    assert sorted(i["shortId"] for i in listed) == ["API-1", "API-2"]


@pytest.mark.parametrize(
    ("headers", "query", "status", "body"),
    [
        ({}, "", 401, {"detail": "missing authorization information"}),
        (
            {"X-Sentry-Auth": "Sentry sentry_version=7"},
            "",
            401,
            {"detail": "bad x-sentry-auth header", "causes": ["missing public key in auth header"]},
        ),
        (auth("abc"), "", 400, {"detail": "bad sentry DSN public key", "causes": ["invalid project key"]}),
        (auth("0" * 32), "", 403, {"detail": "event submission rejected with_reason: ProjectId"}),
        (
            auth("KEY"),
            "?sentry_key=KEY",
            401,
            {"detail": "bad x-sentry-auth header", "causes": ["multiple authorization payloads detected"]},
        ),
    ],
)
def test_relay_refuses_missing_bad_and_unknown_keys_with_its_own_errors(
    sandbox_server: Server, api, headers, query, status, body
):
    headers = {k: v.replace("KEY", api["key"]) for k, v in headers.items()}
    url = f"{sandbox_server.url}{INGEST}/api/{api['id']}/store/{query.replace('KEY', api['key'])}"
    answer = requests.post(url, data=b'{"message": "x"}', headers=headers, timeout=10)
    assert (answer.status_code, answer.json()) == (status, body)
    assert deliveries(sandbox_server) == []


def test_a_key_of_another_project_is_refused_and_bodies_are_checked(
    sentry: Client, sandbox_server: Server, api
):
    other = new_project(sentry, slug="web", default_rules=False)
    refused = store(sandbox_server, other["id"], {"message": "x"}, auth(api["key"]))
    assert (refused.status_code, refused.json()["detail"]) == (
        403,
        "event submission rejected with_reason: ProjectId",
    )
    assert store(sandbox_server, api["id"], b"", auth(api["key"])).json() == {"detail": "empty request body"}
    bad = store(sandbox_server, api["id"], b"{nope", auth(api["key"]))
    assert (bad.status_code, bad.json()["detail"]) == (400, "invalid JSON data")
    path = store(sandbox_server, "api", {"message": "x"}, auth(api["key"]))
    assert (path.status_code, path.json()) == (400, {"detail": "bad project path parameter"})


def test_an_envelope_authenticated_by_its_dsn_carries_the_event(sentry: Client, sandbox_server: Server, api):
    event_id = "9ec79c33ec9942ab8353589fcb2e04dc"
    payload = json.dumps({"message": "from an envelope", "level": "fatal"}).encode()
    dsn = f"https://{api['key']}@o1.ingest.us.sentry.io/{api['id']}"
    raw = b"\n".join(
        [
            json.dumps({"event_id": event_id, "dsn": dsn}).encode(),
            json.dumps({"type": "event", "length": len(payload)}).encode(),
            payload,
            json.dumps({"type": "client_report"}).encode(),
            b"{}",
        ]
    )
    answer = envelope(sandbox_server, api["id"], raw)
    assert (answer.status_code, answer.json()) == (200, {"id": event_id})
    assert issue_of(sentry, event_id)["priority"] == "high"
    only_report = envelope(
        sandbox_server, api["id"], b'{"dsn": "' + dsn.encode() + b'"}\n{"type":"session"}\n{}'
    )
    assert (only_report.status_code, only_report.json()) == (200, {})
    broken = envelope(sandbox_server, api["id"], b"not json\n", auth(api["key"]))
    assert broken.json() == {"detail": "invalid event envelope", "causes": ["missing envelope header"]}


def test_an_unknown_event_id_is_404_and_a_malformed_one_400(sentry: Client, api):
    missing = sentry.get(f"/organizations/{ORG}/eventids/{'a' * 32}/")
    assert (missing.status_code, missing.json()) == (404, {"detail": "The requested resource does not exist"})
    malformed = sentry.get(f"/organizations/{ORG}/eventids/not-an-id/")
    assert malformed.status_code == 400
    assert malformed.json()["detail"].startswith("Event ID must be a valid UUID hex")


def _new_issue_alert(sentry: Client, api: dict[str, Any], actions: list[dict[str, Any]], **body: Any) -> str:
    detectors = sentry.get(f"/organizations/{ORG}/detectors/", params={"project": api["id"]}).json()
    stream = next(d["id"] for d in detectors if d["type"] == "issue_stream")
    workflow = alert([stream], actions, **body)
    workflow["actionFilters"][0]["conditions"] = []
    made: dict[str, Any] = sentry.post(f"/organizations/{ORG}/workflows/", json=workflow).json()
    return str(made["id"])


def test_a_new_issue_runs_the_alert_into_email_slack_and_pagerduty_once_and_again_on_regression(
    sentry: Client, sandbox_server: Server, api
):
    pd = PagerDuty(sandbox_server.url + "/pagerduty", api_key=TOKEN)
    _, key, _ = paging_service(pd, sandbox_server)
    row = {"id": 1, "service": "optio prod", "integration_key": key}
    sandbox_server.control(
        "PATCH", f"/sentry/integrations/{PAGERDUTY_ID}", json={"configData": {"service_table": [row]}}
    )
    actions = [email_action(api["team"]["id"]), slack_action("alerts"), pagerduty_action("1")]
    workflow_id = _new_issue_alert(sentry, api, actions)
    assert check(sentry.get(f"/organizations/{ORG}/workflows/{workflow_id}/"), 200)["lastTriggered"] is None

    issue = issue_of(sentry, send(sandbox_server, api, "checkout broke", level="error"))
    reached = {(d["channel"], d["to"], d.get("status")) for d in deliveries(sandbox_server)}
    assert reached == {
        ("email", "owner@sandbox.test", None),
        ("slack", "#alerts", None),
        ("pagerduty", "ada@optio.test", "paged"),
    }
    page = next(d for d in deliveries(sandbox_server) if d["channel"] == "pagerduty")
    assert (page["dedup_key"], page["severity"], page["via"]) == (issue["shortId"], "critical", "sentry")
    fired = check(sentry.get(f"/organizations/{ORG}/workflows/{workflow_id}/"), 200)
    assert fired["lastTriggered"] is not None

    send(sandbox_server, api, "checkout broke")  # the same issue, ongoing: no trigger matches
    assert len(deliveries(sandbox_server)) == 3

    check(sentry.put(f"/organizations/{ORG}/issues/{issue['id']}/", json={"status": "resolved"}), 200)
    send(sandbox_server, api, "checkout broke")  # regressed, but within the alert's 30 minutes
    assert len(deliveries(sandbox_server)) == 3
    check(sentry.put(f"/organizations/{ORG}/issues/{issue['id']}/", json={"status": "resolved"}), 200)
    sandbox_server.control("POST", "/clock", json={"advance": 31 * 60})
    send(sandbox_server, api, "checkout broke")
    assert issue_of(sentry, send(sandbox_server, api, "checkout broke"))["substatus"] == "regressed"
    assert sorted(d["channel"] for d in deliveries(sandbox_server)[3:]) == [
        "email",
        "slack",
    ]  # PD: still open


def test_alerts_of_other_environments_and_disabled_actions_stay_silent(
    sentry: Client, sandbox_server: Server, api
):
    sandbox_server.control("POST", "/sentry/environments", json={"project": "api", "name": "production"})
    _new_issue_alert(sentry, api, [slack_action("alerts")], environment="production")
    quiet = {**email_action(api["team"]["id"]), "status": "disabled"}
    _new_issue_alert(sentry, api, [quiet], name="disabled e-mail")
    send(sandbox_server, api, "only in staging", environment="staging")
    assert deliveries(sandbox_server) == []
    send(sandbox_server, api, "in production", environment="production")
    assert [(d["channel"], d["to"]) for d in deliveries(sandbox_server)] == [("slack", "#alerts")]


def test_an_alert_without_triggers_fires_on_every_event_as_its_frequency_allows(
    sentry: Client, sandbox_server: Server, api
):
    """workflow_engine/processors/data_condition_group.py: a condition group without conditions passes."""
    detectors = sentry.get(f"/organizations/{ORG}/detectors/", params={"project": api["id"]}).json()
    stream = next(d["id"] for d in detectors if d["type"] == "issue_stream")
    for name, minutes in (("every", 0), ("hourly", 60)):
        workflow = alert([stream], [slack_action("alerts")], name=name, config={"frequency": minutes})
        workflow["triggers"]["conditions"], workflow["actionFilters"][0]["conditions"] = [], []
        check(sentry.post(f"/organizations/{ORG}/workflows/", json=workflow), 201)
    for _ in range(3):
        send(sandbox_server, api, "checkout broke")
    fired = [d["alert"] for d in deliveries(sandbox_server)]
    assert fired.count("every") == 3 and fired.count("hourly") == 1


def test_a_tag_filter_lets_only_tagged_events_fire_and_an_unfired_alert_keeps_its_last_triggered(
    sentry: Client, sandbox_server: Server, api
):
    """`tagged_event` (rules/filters/tagged_event.py): key and value compared in lower case. A workflow whose
    action filters let nothing through has not fired: no fire history, `lastTriggered` unchanged
    (workflow_engine create_workflow_fire_histories records the workflows of the actions that fire)."""
    tagged = {
        "type": "tagged_event",
        "comparison": {"key": "lookout.severity", "match": "eq", "value": "critical"},
    }
    detectors = sentry.get(f"/organizations/{ORG}/detectors/", params={"project": api["id"]}).json()
    stream = next(d["id"] for d in detectors if d["type"] == "issue_stream")
    workflow = alert([stream], [email_action(api["team"]["id"])])
    workflow["actionFilters"][0]["conditions"] = [tagged]
    workflow_id = sentry.post(f"/organizations/{ORG}/workflows/", json=workflow).json()["id"]
    path = f"/organizations/{ORG}/workflows/{workflow_id}/"

    send(sandbox_server, api, "an app error", level="error")
    send(sandbox_server, api, "a warning finding", level="warning", tags={"lookout.severity": "warning"})
    assert deliveries(sandbox_server) == []
    assert check(sentry.get(path), 200)["lastTriggered"] is None

    send(sandbox_server, api, "a critical finding", tags={"Lookout.Severity": "CRITICAL"})
    assert [d["title"] for d in deliveries(sandbox_server)] == ["a critical finding"]
    assert check(sentry.get(path), 200)["lastTriggered"] is not None
