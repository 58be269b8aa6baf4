"""The Sentry emulator's platform behaviour: rate limits on the virtual clock, injected faults, request
counters, persistence, and its control API (settings, environments, out-of-band data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from tests.sandbox.conftest import (
    ORG,
    SENTRY_PREFIX,
    SENTRY_TOKEN,
    Client,
    Server,
    new_team,
    start_server,
)
from tests.sandbox.sentry_bodies import alert, metric_monitor, slack_action

TEAMS = f"/organizations/{ORG}/teams/"

Doc = dict[str, Any]


def start_of_window(server: Server, window: int) -> float:
    """Move the virtual clock to just after a window boundary, so a test has ``window`` seconds in one."""
    now = server.control("GET", "/clock").json()["now"]
    return float(
        server.control("POST", "/clock", json={"advance": window - now % window + 0.01}).json()["now"]
    )


def test_rate_limit_per_endpoint_window_and_recovery(sentry: Client, sandbox_server: Server):
    sandbox_server.control("PUT", "/sentry/settings", json={"rateLimit": 3, "rateWindow": 60})
    now = start_of_window(sandbox_server, 60)
    responses = [sentry.get(TEAMS) for _ in range(3)]
    assert [r.headers["X-Sentry-Rate-Limit-Remaining"] for r in responses] == ["2", "1", "0"]
    reset = int(responses[0].headers["X-Sentry-Rate-Limit-Reset"])
    assert reset % 60 == 0 and 0 < reset - now <= 60  # epoch seconds, not a countdown
    assert {r.headers["X-Sentry-Rate-Limit-Limit"] for r in responses} == {"3"}
    assert {r.headers["X-Sentry-Rate-Limit-ConcurrentLimit"] for r in responses} == {"25"}
    assert {r.headers["X-Sentry-Rate-Limit-ConcurrentRemaining"] for r in responses} == {"24"}
    throttled = sentry.get(TEAMS)
    assert throttled.status_code == 429 and "Retry-After" not in throttled.headers
    assert throttled.json() == {
        "detail": "You are attempting to use this endpoint too frequently. Limit is 3 requests in 60 seconds"
    }
    assert throttled.headers["X-Sentry-Rate-Limit-Remaining"] == "0"
    assert int(throttled.headers["X-Sentry-Rate-Limit-Reset"]) == reset
    assert (
        sentry.get(f"/organizations/{ORG}/projects/").status_code == 200
    )  # another endpoint, another window
    sandbox_server.control("POST", "/clock", json={"advance": reset - now})
    recovered = sentry.get(TEAMS)
    assert recovered.status_code == 200 and recovered.headers["X-Sentry-Rate-Limit-Remaining"] == "2"


def test_default_limits_are_generous(sandbox_server: Server):
    client = Client(sandbox_server.url + SENTRY_PREFIX, api_key=SENTRY_TOKEN)
    settings = sandbox_server.control("GET", "/sentry/settings").json()
    assert settings == {
        "rateLimit": 40,
        "rateWindow": 1,
        "concurrentLimit": 25,
        "shuffle": True,
        "features": [],
        "dashboardLimit": 20,
        "prebuiltDashboards": True,
    }
    assert client.get(TEAMS).headers["X-Sentry-Rate-Limit-Limit"] == "40"


def test_settings_are_partial_and_checked(sandbox_server: Server):
    changed = sandbox_server.control(
        "PUT", "/sentry/settings", json={"rateLimit": 7, "shuffle": False}
    ).json()
    assert (changed["rateLimit"], changed["shuffle"], changed["rateWindow"]) == (7, False, 1)
    reverted = sandbox_server.control("PUT", "/sentry/settings", json={"rateLimit": None}).json()
    assert reverted["rateLimit"] == 40 and reverted["shuffle"] is False
    for bad in ({"rateWindow": 61}, {"rateLimit": 0}, {"features": "x"}, {"plan": "team"}):
        response = requests.put(f"{sandbox_server.url}/_control/sentry/settings", json=bad, timeout=5)
        assert response.status_code == 400 and "error" in response.json(), bad


def fault(server: Server, kind: str, method: str, path: str) -> None:
    server.control("POST", "/faults", json={"vendor": "sentry", "kind": kind, "method": method, "path": path})


def test_rate_limit_fault_answers_a_real_429(sentry: Client, sandbox_server: Server):
    fault(sandbox_server, "429", "GET", "/organizations/{org}/teams/")
    throttled = sentry.get(TEAMS)
    assert throttled.status_code == 429 and "Retry-After" not in throttled.headers
    assert throttled.json()["detail"].startswith("You are attempting to use this endpoint too frequently.")
    assert throttled.headers["X-Sentry-Rate-Limit-Remaining"] == "0"
    assert sentry.get(TEAMS).status_code == 200


@pytest.mark.parametrize(("kind", "detail"), [("500", "Internal Error"), ("503", "Service unavailable")])
def test_server_error_faults(sentry: Client, sandbox_server: Server, kind: str, detail: str):
    fault(sandbox_server, kind, "GET", f"{SENTRY_PREFIX}{TEAMS}")
    response = sentry.get(TEAMS)
    assert response.status_code == int(kind) and response.json()["detail"] == detail
    assert sentry.get(TEAMS).status_code == 200


def test_drop_fault_applies_nothing(sentry: Client, sandbox_server: Server):
    fault(sandbox_server, "drop", "POST", "/organizations/{org}/teams/")
    with pytest.raises(requests.ConnectionError):
        sentry.post(TEAMS, json={"slug": "backend"})
    assert sentry.get(TEAMS).json() == []


def test_lost_fault_applies_the_request(sentry: Client, sandbox_server: Server):
    fault(sandbox_server, "lost", "POST", "/organizations/{org}/teams/")
    with pytest.raises(requests.ConnectionError):
        sentry.post(TEAMS, json={"slug": "backend"})
    assert [team["slug"] for team in sentry.get(TEAMS).json()] == ["backend"]


def test_requests_are_counted_by_route_template(sentry: Client, sandbox_server: Server):
    team = new_team(sentry)
    sentry.get(f"/teams/{ORG}/{team['id']}/")
    sentry.get(f"/teams/{ORG}/backend")
    counts = sandbox_server.control("GET", "/requests").json()["byRoute"]
    assert counts["sentry POST /organizations/{org}/teams/"] == 1
    assert counts["sentry GET /teams/{org}/{team}/"] == 2
    log = sandbox_server.control("GET", "/log").json()
    assert log[-1]["path"] == f"{SENTRY_PREFIX}/teams/{ORG}/backend" and SENTRY_TOKEN not in str(log)


def seed(server: Server, collection: str, body: Doc) -> Doc:
    response = server.control("POST", f"/sentry/{collection}", json=body)
    assert response.status_code == 201
    seeded: Doc = response.json()
    return seeded


SEEDS: dict[str, tuple[str, str, Any]] = {
    # collection: (API path of one object, its counter route, body)
    "teams": ("/teams/{org}/{id}/", "/teams/{org}/{team}/", {"slug": "seeded"}),
    "projects": (
        "/projects/{org}/{id}/",
        "/projects/{org}/{proj}/",
        {"team": "base", "name": "P", "slug": "p"},
    ),
    "keys": ("/projects/{org}/base/keys/{id}/", "/projects/{org}/{proj}/keys/{key_id}/", {"project": "base"}),
    "detectors": (
        "/organizations/{org}/detectors/{id}/",
        "/organizations/{org}/detectors/{id}/",
        {"project": "base", **metric_monitor(dataSources=[{"aggregate": "count()", "timeWindow": 45}])},
    ),
    "workflows": ("/organizations/{org}/workflows/{id}/", "/organizations/{org}/workflows/{id}/", None),
    "integrations": (
        "/organizations/{org}/integrations/{id}/",
        "/organizations/{org}/integrations/{id}/",
        {"name": "Other Slack", "provider": {"key": "slack"}},
    ),
}


@pytest.mark.parametrize("collection", SEEDS)
def test_seed_edit_list_and_delete_out_of_band(sentry: Client, sandbox_server: Server, collection: str):
    seed(sandbox_server, "teams", {"slug": "base"})
    seed(sandbox_server, "projects", {"team": "base", "name": "Base", "slug": "base"})
    path_template, route, body = SEEDS[collection]
    body = body or alert([], [{**slack_action(), "integrationId": "1"}])  # not validated: no such integration
    sandbox_server.control("DELETE", "/requests")
    doc = seed(sandbox_server, collection, body)
    path = path_template.format(org=ORG, id=doc["id"])
    assert sentry.get(path).json()["name"] == doc["name"]
    edited = sandbox_server.control(
        "PATCH", f"/sentry/{collection}/{doc['id']}", json={"name": "edited"}
    ).json()
    assert edited["name"] == "edited" == sentry.get(path).json()["name"]
    assert doc["id"] in [item["id"] for item in sandbox_server.control("GET", f"/sentry/{collection}").json()]
    sandbox_server.control("DELETE", f"/sentry/{collection}/{doc['id']}")
    assert sentry.get(path).status_code == 404
    assert sandbox_server.control("GET", "/requests").json()["byRoute"] == {f"sentry GET {route}": 3}


def test_control_errors(sandbox_server: Server):
    base = f"{sandbox_server.url}/_control/sentry"
    assert requests.get(f"{base}/nope", timeout=5).status_code == 404
    assert requests.delete(f"{base}/teams/1", timeout=5).status_code == 404
    missing = requests.post(f"{base}/environments", json={"project": "nope", "name": "prod"}, timeout=5)
    assert missing.status_code == 404 and "error" in missing.json()
    seed(sandbox_server, "teams", {"slug": "t"})
    seed(sandbox_server, "projects", {"team": "t", "name": "P", "slug": "p"})
    bad_name = requests.post(f"{base}/environments", json={"project": "p", "name": "a/b"}, timeout=5)
    assert bad_name.status_code == 400
    assert sandbox_server.control("GET", "/sentry/environments").json() == []


def test_sentry_data_survives_a_restart(tmp_path: Path):
    db, log = tmp_path / "restart.db", tmp_path / "sandbox.log"
    first = start_server(db, log)
    try:
        team = new_team(Client(first.url + SENTRY_PREFIX, api_key=SENTRY_TOKEN))
    finally:
        first.stop()
    second = start_server(db, log)
    try:
        again = Client(second.url + SENTRY_PREFIX, api_key=SENTRY_TOKEN).get(f"/teams/{ORG}/backend/").json()
        assert again["id"] == team["id"]
    finally:
        second.stop()
