"""The PagerDuty REST API v2 emulator: wrapped bodies, references, offset pages, errors and rate-limit
headers as specs/pagerduty-rest-openapi.json and reference/pagerduty.md describe them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest

from .conftest import Client, Server

TOKEN = "sandbox-pagerduty-token"


@dataclass
class PagerDuty(Client):
    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Token token={self.api_key}",
            "Accept": "application/vnd.pagerduty+json;version=2",
            "Content-Type": "application/json",
        }


@pytest.fixture
def pd(sandbox_server: Server) -> PagerDuty:
    return PagerDuty(sandbox_server.url + "/pagerduty", api_key=TOKEN)


def person(server: Server, email: str, name: str = "") -> dict[str, Any]:
    made: dict[str, Any] = server.control(
        "POST", "/pagerduty/users", json={"email": email, "name": name}
    ).json()
    return made


def policy(pd: PagerDuty, name: str, *user_ids: str, **more: Any) -> dict[str, Any]:
    rules = [
        {
            "escalation_delay_in_minutes": 30,
            "targets": [{"id": u, "type": "user_reference"} for u in user_ids],
        }
    ]
    body = {
        "escalation_policy": {"type": "escalation_policy", "name": name, "escalation_rules": rules, **more}
    }
    answer = pd.post("/escalation_policies", json=body)
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()["escalation_policy"]
    return made


def service(pd: PagerDuty, name: str, policy_id: str, **more: Any) -> dict[str, Any]:
    ref = {"id": policy_id, "type": "escalation_policy_reference"}
    answer = pd.post(
        "/services", json={"service": {"type": "service", "name": name, "escalation_policy": ref, **more}}
    )
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()["service"]
    return made


def test_a_wrong_token_is_refused_with_the_error_body(pd: PagerDuty):
    pd.api_key = "nope"
    answer = pd.get("/services")
    assert answer.status_code == 401
    assert set(answer.json()["error"]) >= {"message", "code"}


def test_a_service_gets_the_documented_defaults_and_references_its_policy(
    pd: PagerDuty, sandbox_server: Server
):
    ada = person(sandbox_server, "ada@example.test", "Ada")
    ep = policy(pd, "Prod on-call", ada["id"])
    made = service(pd, "optio-prod", ep["id"])
    assert made["type"] == "service" and made["id"].startswith("P") and len(made["id"]) == 7
    assert (made["auto_resolve_timeout"], made["acknowledgement_timeout"], made["status"]) == (
        14400,
        1800,
        "active",
    )
    assert made["alert_creation"] == "create_alerts_and_incidents"
    assert made["escalation_policy"]["id"] == ep["id"]
    assert made["escalation_policy"]["type"] == "escalation_policy_reference"
    read = pd.get(f"/services/{made['id']}").json()["service"]
    assert read == made


def test_null_timeouts_disable_the_features(pd: PagerDuty, sandbox_server: Server):
    ep = policy(pd, "p", person(sandbox_server, "a@example.test")["id"])
    made = service(pd, "quiet", ep["id"], auto_resolve_timeout=None, acknowledgement_timeout=None)
    assert made["auto_resolve_timeout"] is None and made["acknowledgement_timeout"] is None


def test_invalid_input_is_400_with_the_reasons(pd: PagerDuty):
    body = {
        "service": {
            "type": "service",
            "name": "x",
            "escalation_policy": {"id": "PNOPE00", "type": "escalation_policy_reference"},
        }
    }
    answer = pd.post("/services", json=body)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == 2001 and error["errors"]


def test_a_missing_object_is_404_not_found_2100(pd: PagerDuty):
    answer = pd.get("/services/PNOPE00")
    assert answer.status_code == 404 and answer.json() == {"error": {"message": "Not Found", "code": 2100}}


def test_a_policy_update_replaces_its_rules_and_targets_read_back_as_references(
    pd: PagerDuty, sandbox_server: Server
):
    ada, bo = (person(sandbox_server, f"{n}@example.test", n)["id"] for n in ("ada", "bo"))
    ep = policy(pd, "p", ada)
    target = ep["escalation_rules"][0]["targets"][0]
    assert (target["id"], target["type"]) == (ada, "user_reference") and target["summary"] == "ada"
    rules = [
        {"escalation_delay_in_minutes": 30, "targets": [{"id": ada, "type": "user_reference"}]},
        {"escalation_delay_in_minutes": 15, "targets": [{"id": bo, "type": "user_reference"}]},
    ]
    body = {
        "escalation_policy": {
            "type": "escalation_policy",
            "name": "p",
            "escalation_rules": rules,
            "num_loops": 2,
        }
    }
    answer = pd.put(f"/escalation_policies/{ep['id']}", json=body)
    assert answer.status_code == 200, answer.text
    updated = answer.json()["escalation_policy"]
    assert [r["escalation_delay_in_minutes"] for r in updated["escalation_rules"]] == [30, 15]
    assert updated["num_loops"] == 2 and updated["on_call_handoff_notifications"] == "if_has_services"
    assert all(r["id"] for r in updated["escalation_rules"])


def test_a_policy_in_use_cannot_be_deleted_until_its_service_is(pd: PagerDuty, sandbox_server: Server):
    ep = policy(pd, "p", person(sandbox_server, "a@example.test")["id"])
    made = service(pd, "s", ep["id"])
    assert pd.delete(f"/escalation_policies/{ep['id']}").status_code == 400
    assert pd.delete(f"/services/{made['id']}").status_code == 204
    assert pd.delete(f"/escalation_policies/{ep['id']}").status_code == 204


def test_an_events_v2_integration_has_a_key_and_goes_with_its_service(pd: PagerDuty, sandbox_server: Server):
    ep = policy(pd, "p", person(sandbox_server, "a@example.test")["id"])
    made = service(pd, "s", ep["id"])
    body = {"integration": {"type": "events_api_v2_inbound_integration", "name": "Lookout"}}
    answer = pd.post(f"/services/{made['id']}/integrations", json=body)
    assert answer.status_code == 201
    integration = answer.json()["integration"]
    assert len(integration["integration_key"]) == 32 and integration["service"]["id"] == made["id"]
    path = f"/services/{made['id']}/integrations/{integration['id']}"
    assert pd.get(path).json()["integration"]["integration_key"] == integration["integration_key"]
    listed = pd.get(f"/services/{made['id']}").json()["service"]["integrations"]
    assert [(i["id"], i["summary"]) for i in listed] == [(integration["id"], "Lookout")]
    pd.delete(f"/services/{made['id']}")
    assert sandbox_server.control("GET", "/pagerduty/integrations").json() == []


def test_the_inventory_names_services_and_integrations_and_counts_twins(
    pd: PagerDuty, sandbox_server: Server
):
    """The fault suite compares inventories: two services of one name are a duplicate, an integration is
    told apart by its service; people and incidents are not the plan's to make."""
    ep = policy(pd, "Backend on call", person(sandbox_server, "a@example.test")["id"])
    first = service(pd, "Backend", ep["id"])
    second = service(pd, "Backend 2", ep["id"])
    # The API refuses a second name, so the twin is made the way a web-app rename would make it
    sandbox_server.control("PATCH", f"/pagerduty/services/{second['id']}", json={"name": "Backend"})
    body = {"integration": {"type": "events_api_v2_inbound_integration", "name": "Lookout"}}
    pd.post(f"/services/{first['id']}/integrations", json=body)
    inventory = sandbox_server.control("GET", "/inventory").json()
    mine = {name: n for name, n in inventory.items() if name.startswith("pagerduty ")}
    assert mine == {
        "pagerduty escalation_policies Backend on call": 1,
        "pagerduty services Backend": 2,
        "pagerduty integrations Backend Lookout": 1,
    }


def test_an_integration_is_deleted_through_the_undocumented_route(pd: PagerDuty, sandbox_server: Server):
    ep = policy(pd, "p", person(sandbox_server, "a@example.test")["id"])
    made = service(pd, "s", ep["id"])
    body = {"integration": {"type": "events_api_v2_inbound_integration", "name": "Lookout"}}
    integration = pd.post(f"/services/{made['id']}/integrations", json=body).json()["integration"]
    path = f"/services/{made['id']}/integrations/{integration['id']}"
    assert pd.delete(path).status_code == 204
    assert pd.get(path).status_code == 404
    assert (
        sandbox_server.control("GET", "/violations").json()["total"] == 0
    )  # excused: pagerduty-integration-delete


def test_a_target_that_does_not_resolve_is_404(pd: PagerDuty, sandbox_server: Server):
    rules = [{"escalation_delay_in_minutes": 5, "targets": [{"id": "PNOBODY", "type": "user_reference"}]}]
    body = {"escalation_policy": {"type": "escalation_policy", "name": "x", "escalation_rules": rules}}
    answer = pd.post("/escalation_policies", json=body)
    assert answer.status_code == 404 and answer.json()["error"]["code"] == 2100


def test_a_service_is_created_active_only(pd: PagerDuty, sandbox_server: Server):
    ep = policy(pd, "p", person(sandbox_server, "a@example.test")["id"])
    ref = {"id": ep["id"], "type": "escalation_policy_reference"}
    body = {"service": {"type": "service", "name": "x", "escalation_policy": ref, "status": "disabled"}}
    assert pd.post("/services", json=body).status_code == 400


def test_offset_and_limit_stay_within_ten_thousand(pd: PagerDuty):
    assert pd.get("/users", params={"offset": 9950, "limit": 100}).status_code == 400
    assert pd.get("/users", params={"offset": 9900, "limit": 100}).status_code == 200


def test_users_are_found_by_a_piece_of_their_address(pd: PagerDuty, sandbox_server: Server):
    person(sandbox_server, "ada@optio.test", "Ada Lovelace")
    person(sandbox_server, "bo@optio.test", "Bo")
    found = pd.get("/users", params={"query": "ADA@optio"}).json()["users"]
    assert [u["email"] for u in found] == ["ada@optio.test"]


def test_lists_page_by_offset_with_more_and_total_only_when_asked(pd: PagerDuty, sandbox_server: Server):
    for i in range(5):
        person(sandbox_server, f"p{i}@example.test")
    first = pd.get("/users", params={"limit": 2}).json()
    assert (len(first["users"]), first["limit"], first["offset"], first["more"], first["total"]) == (
        2,
        2,
        0,
        True,
        None,
    )
    last = pd.get("/users", params={"limit": 2, "offset": 4, "total": "true"}).json()
    assert (len(last["users"]), last["more"], last["total"]) == (1, False, 5)


def test_every_answer_carries_the_rate_limit_headers(pd: PagerDuty):
    answer = pd.get("/services")
    assert answer.headers["ratelimit-limit"] == "960"
    assert int(answer.headers["ratelimit-remaining"]) == 959
    assert 0 < int(answer.headers["ratelimit-reset"]) <= 60


def window_body(service_id: str, start: str, end: str) -> dict[str, Any]:
    services = [{"id": service_id, "type": "service_reference"}]
    return {
        "maintenance_window": {
            "type": "maintenance_window",
            "start_time": start,
            "end_time": end,
            "services": services,
        }
    }


def test_a_maintenance_window_names_its_author_starts_no_earlier_than_now_and_ends_as_history(
    pd: PagerDuty, sandbox_server: Server
):
    ada = person(sandbox_server, "ada@example.test", "Ada")
    made = service(pd, "s", policy(pd, "p", ada["id"])["id"])
    now = sandbox_server.control("GET", "/clock").json()["now"]
    start, end = _iso(now - 3600), _iso(now + 3600)
    assert (
        pd.post("/maintenance_windows", json=window_body(made["id"], start, end)).status_code == 400
    )  # no From
    pd.session.headers["From"] = "ada@example.test"
    answer = pd.post("/maintenance_windows", json=window_body(made["id"], start, end))
    assert answer.status_code == 201, answer.text
    window = answer.json()["maintenance_window"]
    assert window["created_by"]["id"] == ada["id"] and window["start_time"] > start  # moved to now
    assert pd.get("/maintenance_windows", params={"filter": "ongoing"}).json()["maintenance_windows"] != []
    assert pd.delete(f"/maintenance_windows/{window['id']}").status_code == 204  # ongoing: ended early
    ended = pd.get(f"/maintenance_windows/{window['id']}").json()["maintenance_window"]
    assert ended["end_time"] < end
    assert pd.delete(f"/maintenance_windows/{window['id']}").status_code == 405  # history stays
    future = pd.post("/maintenance_windows", json=window_body(made["id"], _iso(now + 7200), _iso(now + 9000)))
    assert pd.delete(f"/maintenance_windows/{future.json()['maintenance_window']['id']}").status_code == 204
    assert [w["id"] for w in pd.get("/maintenance_windows").json()["maintenance_windows"]] == [window["id"]]


def _iso(timestamp: float) -> str:
    return (
        datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    )


def layer(user_id: str, start: str, name: str = "weekly") -> dict[str, Any]:
    return {
        "name": name,
        "start": start,
        "rotation_virtual_start": start,
        "rotation_turn_length_seconds": 604800,
        "users": [{"user": {"id": user_id, "type": "user_reference"}}],
    }


def test_schedule_layers_come_back_reversed_with_a_past_start_moved_to_now(
    pd: PagerDuty, sandbox_server: Server
):
    ada, bo = (person(sandbox_server, f"{n}@example.test", n)["id"] for n in ("ada", "bo"))
    now = sandbox_server.control("GET", "/clock").json()["now"]
    layers = [layer(ada, _iso(now - 86400), "first"), layer(bo, _iso(now + 86400), "second")]
    body = {
        "schedule": {"type": "schedule", "name": "s", "time_zone": "Europe/Berlin", "schedule_layers": layers}
    }
    answer = pd.post("/schedules", json=body)
    assert answer.status_code == 201, answer.text
    made = answer.json()["schedule"]
    assert [layer["name"] for layer in made["schedule_layers"]] == ["second", "first"]
    first = made["schedule_layers"][1]
    assert datetime.fromisoformat(first["start"]).timestamp() >= now - 1  # moved from yesterday to now
    assert first["start"].endswith(("+01:00", "+02:00"))  # shown in the schedule's zone
    assert {u["id"] for u in made["users"]} == {ada, bo}


def test_a_schedule_in_use_cannot_be_deleted(pd: PagerDuty, sandbox_server: Server):
    ada = person(sandbox_server, "ada@example.test", "Ada")["id"]
    now = sandbox_server.control("GET", "/clock").json()["now"]
    body = {
        "schedule": {
            "type": "schedule",
            "name": "s",
            "time_zone": "UTC",
            "schedule_layers": [layer(ada, _iso(now))],
        }
    }
    made = pd.post("/schedules", json=body).json()["schedule"]
    rules = [
        {"escalation_delay_in_minutes": 5, "targets": [{"id": made["id"], "type": "schedule_reference"}]}
    ]
    ep = pd.post(
        "/escalation_policies",
        json={"escalation_policy": {"type": "escalation_policy", "name": "p", "escalation_rules": rules}},
    ).json()["escalation_policy"]
    refused = pd.delete(f"/schedules/{made['id']}")
    assert refused.status_code == 400
    assert refused.json()["error"]["errors"] == [
        "Schedule can't be deleted if it's being used by escalation policies"
    ]
    assert pd.get(f"/schedules/{made['id']}").json()["schedule"]["escalation_policies"][0]["id"] == ep["id"]
    pd.delete(f"/escalation_policies/{ep['id']}")
    assert pd.delete(f"/schedules/{made['id']}").status_code == 204
