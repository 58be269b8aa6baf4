"""Events API v2 and the Slack webhook sink: what a page reaches, as the control API's deliveries show."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from .conftest import Server
from .test_pagerduty_api import TOKEN, PagerDuty, _iso, person, service


@pytest.fixture
def pd(sandbox_server: Server) -> PagerDuty:
    return PagerDuty(sandbox_server.url + "/pagerduty", api_key=TOKEN)


def paging_service(pd: PagerDuty, server: Server) -> tuple[dict[str, Any], str, list[str]]:
    """A weekly rotation of two people on a service with an Events v2 integration: (service, key, people)."""
    people = [person(server, f"{n}@optio.test", n)["id"] for n in ("ada", "bo")]
    now = server.control("GET", "/clock").json()["now"]
    layer = {
        "name": "weekly",
        "start": _iso(now),
        "rotation_virtual_start": _iso(now - 3600),  # ada's turn began an hour ago
        "rotation_turn_length_seconds": 604800,
        "users": [{"user": {"id": p, "type": "user_reference"}} for p in people],
    }
    body = {"schedule": {"type": "schedule", "name": "s", "time_zone": "UTC", "schedule_layers": [layer]}}
    schedule = pd.post("/schedules", json=body).json()["schedule"]
    rules = [
        {"escalation_delay_in_minutes": 5, "targets": [{"id": schedule["id"], "type": "schedule_reference"}]}
    ]
    ep = pd.post(
        "/escalation_policies",
        json={"escalation_policy": {"type": "escalation_policy", "name": "p", "escalation_rules": rules}},
    ).json()["escalation_policy"]
    made = service(pd, "optio prod", ep["id"])
    integration = {"integration": {"type": "events_api_v2_inbound_integration", "name": "Lookout"}}
    key = pd.post(f"/services/{made['id']}/integrations", json=integration).json()["integration"][
        "integration_key"
    ]
    return made, key, people


def enqueue(server: Server, body: dict[str, Any], path: str = "/enqueue") -> requests.Response:
    return requests.post(f"{server.url}/pagerduty-events/v2{path}", json=body, timeout=10)


def trigger(key: str, dedup: str) -> dict[str, Any]:
    payload = {"summary": "drill", "severity": "critical", "source": "lookout"}
    return {"routing_key": key, "event_action": "trigger", "dedup_key": dedup, "payload": payload}


def test_a_trigger_pages_whoever_is_on_call_once_per_dedup_key_and_resolve_closes_it(
    pd: PagerDuty, sandbox_server
):
    _, key, people = paging_service(pd, sandbox_server)
    answer = enqueue(sandbox_server, trigger(key, "drill-1"))
    assert answer.status_code == 202
    assert answer.json() == {"status": "success", "message": "Event processed", "dedup_key": "drill-1"}
    enqueue(sandbox_server, trigger(key, "drill-1"))  # the same alert again
    (incident,) = pd.get("/incidents", params={"incident_key": "drill-1"}).json()["incidents"]
    assert incident["status"] == "triggered" and incident["assignments"][0]["assignee"]["id"] == people[0]
    pages = sandbox_server.control("GET", "/deliveries").json()
    assert [(d["channel"], d["to"], d["status"], d["severity"]) for d in pages] == [
        ("pagerduty", "ada@optio.test", "paged", "critical")
    ]
    resolve = {"routing_key": key, "event_action": "resolve", "dedup_key": "drill-1"}
    assert enqueue(sandbox_server, resolve).status_code == 202
    assert pd.get(f"/incidents/{incident['id']}").json()["incident"]["status"] == "resolved"
    sandbox_server.control("POST", "/clock", json={"advance": 7 * 86400})  # bo's turn
    enqueue(sandbox_server, trigger(key, "drill-2"))
    assert sandbox_server.control("GET", "/deliveries").json()[-1]["to"] == "bo@optio.test"


def test_a_disabled_service_pages_nobody(pd: PagerDuty, sandbox_server: Server):
    made, key, _ = paging_service(pd, sandbox_server)
    sandbox_server.control("PATCH", f"/pagerduty/services/{made['id']}", json={"status": "disabled"})
    assert enqueue(sandbox_server, trigger(key, "quiet")).status_code == 202
    assert pd.get("/incidents").json()["incidents"] == []
    (delivery,) = sandbox_server.control("GET", "/deliveries").json()
    assert (delivery["status"], delivery["reason"]) == ("suppressed", "disabled")


def test_events_that_are_not_valid_are_400_with_the_reasons(pd: PagerDuty, sandbox_server: Server):
    _, key, _ = paging_service(pd, sandbox_server)
    bad_key = enqueue(sandbox_server, trigger("0" * 32, "x"))
    assert bad_key.status_code == 400 and bad_key.json()["status"] == "invalid event"
    no_dedup = enqueue(sandbox_server, {"routing_key": key, "event_action": "resolve"})
    assert no_dedup.status_code == 400 and no_dedup.json()["errors"]
    garbage = requests.post(f"{sandbox_server.url}/pagerduty-events/v2/enqueue", data="{", timeout=10)
    assert garbage.status_code == 400


def test_a_change_event_pages_nobody_and_shows_on_the_service_timeline(pd: PagerDuty, sandbox_server: Server):
    made, key, _ = paging_service(pd, sandbox_server)
    links = [{"href": "https://ci.example.test/builds/7", "text": "build 7"}]
    for version, at in (("1.2.3", "2026-07-17T08:42:58.315+00:00"), ("1.2.4", "2026-07-18T08:00:00Z")):
        change = {
            "routing_key": key,
            "payload": {"summary": f"deploy {version}", "source": "render", "timestamp": at,
                        "custom_details": {"version": version}},
            "links": links,
        }  # fmt: skip
        answer = enqueue(sandbox_server, change, "/change/enqueue")
        assert answer.status_code == 202 and answer.json()["status"] == "success", answer.text
    assert [d["status"] for d in sandbox_server.control("GET", "/deliveries").json()] == ["change event"] * 2
    assert pd.get("/incidents").json()["incidents"] == []
    timeline = pd.get(f"/services/{made['id']}/change_events").json()
    newest, oldest = timeline["change_events"]  # newest first
    assert (newest["summary"], newest["custom_details"], newest["links"]) == (
        "deploy 1.2.4",
        {"version": "1.2.4"},
        links,
    )
    assert newest["type"] == "change_event" and newest["services"][0]["id"] == made["id"]
    assert len(newest["id"]) == 26 and newest["id"].isalnum()
    assert pd.get(f"/change_events/{oldest['id']}").json()["change_event"]["summary"] == "deploy 1.2.3"
    since = pd.get("/change_events", params={"since": "2026-07-18T00:00:00Z"}).json()["change_events"]
    assert [c["summary"] for c in since] == ["deploy 1.2.4"]
    assert pd.get("/change_events/01NOSUCHCHANGEEVENT0000000").status_code == 404
    no_summary = enqueue(sandbox_server, {"routing_key": key, "payload": {"source": "x"}}, "/change/enqueue")
    assert no_summary.status_code == 400 and no_summary.json()["status"] == "invalid event"
    assert len(pd.get("/change_events").json()["change_events"]) == 2  # the refused one is not kept


def test_slack_webhooks_answer_ok_and_are_recorded(sandbox_server: Server):
    url = f"{sandbox_server.url}/slack/services/T0/B0/secret"
    answer = requests.post(url, json={"text": "[Lookout drill] hello"}, timeout=10)
    assert (answer.status_code, answer.text) == (200, "ok")
    empty = requests.post(url, json={}, timeout=10)
    assert (empty.status_code, empty.text) == (400, "no_text")
    (delivery,) = sandbox_server.control("GET", "/deliveries").json()
    assert (delivery["channel"], delivery["to"], delivery["text"]) == (
        "slack",
        "T0/B0/secret",
        "[Lookout drill] hello",
    )


def test_a_dedup_key_belongs_to_its_routing_key(pd: PagerDuty, sandbox_server: Server):
    """Two integrations sending one dedup key open two alerts: the key identifies an alert of the
    integration it was sent to (docs/vendors/pagerduty.md, Events v2)."""
    made, key, _ = paging_service(pd, sandbox_server)
    integration = {"integration": {"type": "events_api_v2_inbound_integration", "name": "Other tool"}}
    other = pd.post(f"/services/{made['id']}/integrations", json=integration).json()["integration"]
    enqueue(sandbox_server, trigger(key, "disk"))
    enqueue(sandbox_server, trigger(other["integration_key"], "disk"))
    opened = pd.get("/incidents", params={"incident_key": "disk"}).json()["incidents"]
    assert len(opened) == 2
    resolve = {"routing_key": other["integration_key"], "event_action": "resolve", "dedup_key": "disk"}
    enqueue(sandbox_server, resolve)
    statuses = sorted(
        i["status"] for i in pd.get("/incidents", params={"incident_key": "disk"}).json()["incidents"]
    )
    assert statuses == ["resolved", "triggered"]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (None, "'payload' is missing or blank"),
        ({"severity": "critical", "source": "lookout"}, "'payload.summary' is missing or blank"),
        ({"summary": "disk", "severity": "critical"}, "'payload.source' is missing or blank"),
        ({"summary": "disk", "source": "lookout"}, "'payload.severity' is missing or blank"),
        (
            {"summary": "disk", "source": "lookout", "severity": "CRITICAL"},
            "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' "
            "or 'info')",
        ),
    ],
)
def test_a_trigger_needs_a_payload_with_summary_source_and_severity(
    pd: PagerDuty, sandbox_server: Server, payload, reason
):
    _, key, _ = paging_service(pd, sandbox_server)
    body = {"routing_key": key, "event_action": "trigger", "dedup_key": "x"}
    answer = enqueue(sandbox_server, {**body, **({"payload": payload} if payload is not None else {})})
    assert (answer.status_code, answer.json()["status"]) == (400, "invalid event")
    assert reason in answer.json()["errors"]  # as PagerDuty words it (sandbox/pagerduty/events.py)
    assert pd.get("/incidents").json()["incidents"] == []
