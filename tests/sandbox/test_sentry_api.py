"""Behaviour of the Sentry emulator: teams, projects, client keys, environments, integrations, the retired
alert APIs, authentication and pagination."""

from __future__ import annotations

import re

import pytest
import requests

from tests.sandbox.conftest import (
    ORG,
    Client,
    Server,
    created,
    new_project,
    new_team,
)
from tests.sandbox.sentry_bodies import PAGERDUTY_ID, SLACK_ID

NOT_FOUND = {"detail": "The requested resource does not exist"}
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def assert_field_error(response: requests.Response, field: str, fragment: str = "") -> None:
    assert response.status_code == 400, response.text
    messages = response.json()[field]
    assert isinstance(messages, list) and fragment in " ".join(messages), messages


def test_team_crud_and_conflicts(sentry: Client):
    team = new_team(sentry, "backend")
    assert (team["slug"], team["name"], team["memberCount"], team["isMember"]) == (
        "backend",
        "backend",
        1,
        True,
    )
    assert isinstance(team["id"], str) and team["id"].isdigit()
    taken = sentry.post(f"/organizations/{ORG}/teams/", json={"slug": "backend"})
    message = "A team with this slug already exists."
    assert (taken.status_code, taken.json()) == (409, {"non_field_errors": [message], "detail": message})
    named = created(sentry.post(f"/organizations/{ORG}/teams/", json={"name": "Ops Crew"}))
    assert named["slug"] == "ops-crew" and named["name"] == "Ops Crew"
    assert_field_error(sentry.post(f"/organizations/{ORG}/teams/", json={"slug": "123"}), "slug", "numeric")
    assert_field_error(sentry.post(f"/organizations/{ORG}/teams/", json={"slug": "x" * 51}), "slug", "50")
    assert sentry.post(f"/organizations/{ORG}/teams/", json={}).json() == {
        "non_field_errors": ["Name or slug is required"]
    }
    listed = sentry.get(f"/organizations/{ORG}/teams/", params={"query": "slug:backend"}).json()
    assert [t["slug"] for t in listed] == ["backend"]
    by_id = sentry.get(f"/teams/{ORG}/{team['id']}/").json()
    assert by_id["slug"] == "backend" and by_id["organization"]["slug"] == ORG
    assert_field_error(sentry.put(f"/teams/{ORG}/backend/", json={"name": "x"}), "slug", "required")
    renamed = sentry.put(f"/teams/{ORG}/backend/", json={"slug": "platform", "name": "Platform"}).json()
    assert (renamed["id"], renamed["slug"], renamed["name"]) == (team["id"], "platform", "Platform")
    assert_field_error(sentry.put(f"/teams/{ORG}/platform/", json={"slug": "ops-crew"}), "slug", "in use")
    assert sentry.delete(f"/teams/{ORG}/platform/").status_code == 204
    assert sentry.get(f"/teams/{ORG}/platform/").json() == NOT_FOUND
    assert new_team(sentry, "platform")["id"] != team["id"]  # the slug is free at once


def test_project_crud_slug_rename_and_conflicts(sentry: Client):
    new_team(sentry)
    project = new_project(sentry, slug="api")
    assert project["teams"][0]["slug"] == "backend" and project["platform"] == "python-flask"
    path = f"/projects/{ORG}/api/"
    assert sentry.get(f"/projects/{ORG}/{project['id']}/").json()["slug"] == "api"  # numeric: an id
    conflict = sentry.post(f"/teams/{ORG}/backend/projects/", json={"name": "Api", "slug": "api"})
    assert (conflict.status_code, conflict.json()) == (
        409,
        {"detail": "A project with this slug already exists."},
    )
    assert_field_error(sentry.post(f"/teams/{ORG}/backend/projects/", json={"slug": "x"}), "name", "required")
    long_name = {"name": "n" * 51, "slug": "long"}
    assert_field_error(sentry.post(f"/teams/{ORG}/backend/projects/", json=long_name), "name", "50")
    bad_platform = {"name": "Web", "platform": "cobol"}
    assert_field_error(sentry.post(f"/teams/{ORG}/backend/projects/", json=bad_platform), "platform")
    assert sentry.post(f"/teams/{ORG}/nope/projects/", json={"name": "W"}).json() == NOT_FOUND
    new_project(sentry, slug="web", platform="javascript-react")
    renamed = sentry.put(path, json={"slug": "api-v2", "name": "API v2"}).json()
    assert (renamed["id"], renamed["slug"], renamed["name"]) == (project["id"], "api-v2", "API v2")
    assert renamed["platform"] == "python-flask"  # partial update
    taken = sentry.put(f"/projects/{ORG}/api-v2/", json={"slug": "web"})
    assert (taken.status_code, taken.json()) == (
        400,
        {"slug": ["Another project (web) is already using that slug"]},
    )
    assert sentry.get(path).json() == NOT_FOUND
    listed = sentry.get(f"/organizations/{ORG}/projects/").json()
    assert [p["slug"] for p in listed] == ["api-v2", "web"]
    assert sentry.delete(f"/projects/{ORG}/api-v2/").status_code == 204
    assert sentry.get(f"/projects/{ORG}/api-v2/").status_code == 404
    assert new_project(sentry, slug="api-v2")["id"] != project["id"]


def test_project_team_links(sentry: Client):
    new_team(sentry)
    new_team(sentry, "ops")
    new_project(sentry)
    linked = created(sentry.post(f"/projects/{ORG}/api/teams/ops/"))
    assert [t["slug"] for t in linked["teams"]] == ["backend", "ops"]
    unlinked = sentry.delete(f"/projects/{ORG}/api/teams/backend/")
    assert unlinked.status_code == 200 and [t["slug"] for t in unlinked.json()["teams"]] == ["ops"]
    team = sentry.get(f"/teams/{ORG}/ops/", params={"expand": "projects"}).json()
    assert [p["slug"] for p in team["projects"]] == ["api"]


@pytest.mark.parametrize("default_rules", [True, False])
def test_project_creation_side_effects(sentry: Client, default_rules: bool):
    new_team(sentry)
    project = new_project(sentry, default_rules=default_rules)
    keys = sentry.get(f"/projects/{ORG}/api/keys/").json()
    assert [key["name"] for key in keys] == ["Default"]
    monitors = sentry.get(f"/organizations/{ORG}/detectors/", params={"project": project["id"]}).json()
    assert sorted(m["type"] for m in monitors) == ["error", "issue_stream"]
    alerts = sentry.get(f"/organizations/{ORG}/workflows/", params={"project": "api"}).json()
    if not default_rules:
        assert alerts == []
        return
    error_monitor = next(m for m in monitors if m["type"] == "error")
    assert [a["name"] for a in alerts] == ["Send a notification for high priority issues"]
    assert alerts[0]["detectorIds"] == [error_monitor["id"]] and error_monitor["workflowIds"] == [
        alerts[0]["id"]
    ]


def test_client_keys(sentry: Client, sandbox_server: Server):
    new_team(sentry)
    project = new_project(sentry)
    path = f"/projects/{ORG}/api/keys/"
    key = created(
        sentry.post(path, json={"name": "prod-backend", "rateLimit": {"window": 3600, "count": 10}})
    )
    assert HEX32.match(key["id"]) and key["public"] == key["id"] and HEX32.match(key["secret"])
    assert key["projectId"] == int(project["id"]) and key["rateLimit"] is None  # plan without the feature
    host = f"o1000001.ingest.us.sentry.io/{project['id']}"
    assert key["dsn"]["public"] == f"https://{key['id']}@{host}"
    assert key["dsn"]["secret"] == f"https://{key['id']}:{key['secret']}@{host}"
    assert key["dsn"]["cdn"] == f"https://js.sentry-cdn.com/{key['id']}.min.js"
    sandbox_server.control("PUT", "/sentry/settings", json={"features": ["projects:rate-limits"]})
    key_path = f"{path}{key['id']}/"
    limited = sentry.put(key_path, json={"rateLimit": {"window": 60, "count": 5}}).json()
    assert limited["rateLimit"] == {"window": 60, "count": 5}
    assert sentry.put(key_path, json={"name": "renamed"}).json()["rateLimit"] == {"window": 60, "count": 5}
    assert sentry.put(key_path, json={"rateLimit": None}).json()["rateLimit"] is None
    too_long = sentry.put(key_path, json={"rateLimit": {"window": 90000, "count": 1}})
    assert (too_long.status_code, too_long.json()) == (
        400,
        {"rateLimit": {"window": ["Ensure this value is less than or equal to 86400."]}},
    )
    assert sentry.put(key_path, json={"isActive": False}).json()["isActive"] is False
    assert [k["name"] for k in sentry.get(path, params={"status": "inactive"}).json()] == ["renamed"]
    assert sentry.get(key_path).json()["name"] == "renamed"
    assert sentry.delete(key_path).status_code == 204
    assert sentry.get(key_path).json() == NOT_FOUND
    assert sentry.get(f"/projects/{ORG}/api/keys/{'0' * 32}/").status_code == 404


def test_key_rate_limits_as_sentry_stores_them(sentry: Client, sandbox_server: Server):
    """The create serializer does not take null; a zero count or window means no limit
    (getsentry/sentry project_keys.py post, project_key.py serializers)."""
    new_team(sentry)
    new_project(sentry)
    sandbox_server.control("PUT", "/sentry/settings", json={"features": ["projects:rate-limits"]})
    path = f"/projects/{ORG}/api/keys/"
    refused = sentry.post(path, json={"name": "k", "rateLimit": None})
    assert (refused.status_code, refused.json()) == (400, {"rateLimit": ["This field may not be null."]})
    zero = created(sentry.post(path, json={"name": "k", "rateLimit": {"window": 0, "count": 10}}))
    assert zero["rateLimit"] is None
    key_path = f"{path}{zero['id']}/"
    assert sentry.put(key_path, json={"rateLimit": {"window": 60, "count": 0}}).json()["rateLimit"] is None
    assert sentry.put(key_path, json={"rateLimit": {"window": 60, "count": 5}}).json()["rateLimit"] == {
        "window": 60,
        "count": 5,
    }


def test_keys_page_ten_at_a_time_with_link_headers(sentry: Client):
    new_team(sentry)
    new_project(sentry)
    path = f"/projects/{ORG}/api/keys/"
    for number in range(11):
        created(sentry.post(path, json={"name": f"key-{number}"}))
    first = sentry.get(path)
    assert len(first.json()) == 10
    previous, following = first.links["previous"], first.links["next"]
    base = f"{sentry.base}{path}?&cursor="
    assert previous["url"] == base + "0:0:1" and following["url"] == base + "0:10:0"
    assert 'rel="previous"; results="false"; cursor="0:0:1"' in first.headers["Link"]
    assert 'rel="next"; results="true"; cursor="0:10:0"' in first.headers["Link"]
    second = sentry.session.get(
        following["url"], headers={"Authorization": f"Bearer {sentry.api_key}"}, timeout=10
    )
    assert len(second.json()) == 2 and 'rel="next"; results="false"' in second.headers["Link"]
    assert 'rel="previous"; results="true"' in second.headers["Link"]
    assert len(sentry.get(path, params={"per_page": 100}).json()) == 12


def test_environments_come_from_events(sentry: Client, sandbox_server: Server):
    new_team(sentry)
    project = new_project(sentry)
    new_project(sentry, slug="web")
    assert sentry.get(f"/organizations/{ORG}/environments/").json() == []
    env = sandbox_server.control(
        "POST", "/sentry/environments", json={"project": "api", "name": "production"}
    )
    assert env.status_code == 201 and env.json()["projects"] == [project["id"]]
    sandbox_server.control("POST", "/sentry/environments", json={"project": "web", "name": "staging"})
    names = [e["name"] for e in sentry.get(f"/organizations/{ORG}/environments/").json()]
    assert names == ["production", "staging"]
    assert sentry.get(f"/projects/{ORG}/api/environments/").json() == [
        {"id": env.json()["id"], "name": "production", "isHidden": False}
    ]
    assert sentry.get(f"/projects/{ORG}/api/").json()["organization"]["slug"] == ORG


def test_integration_lookup(sentry: Client):
    slack = sentry.get(f"/organizations/{ORG}/integrations/", params={"providerKey": "slack"}).json()
    assert [(i["id"], i["name"], i["provider"]["key"], i["status"]) for i in slack] == [
        (SLACK_ID, "Lookout Slack", "slack", "active")
    ]
    assert slack[0]["configData"] is None  # only with includeConfig
    pagerduty = sentry.get(
        f"/organizations/{ORG}/integrations/", params={"providerKey": "pagerduty", "includeConfig": "1"}
    ).json()
    (service,) = pagerduty[0]["configData"]["service_table"]
    assert pagerduty[0]["id"] == PAGERDUTY_ID and service["service"] == "optio-backend"
    assert re.fullmatch(r"[0-9a-f]{32}", service["integration_key"]) and service["id"] == 1
    assert sentry.get(f"/organizations/{ORG}/integrations/{SLACK_ID}/").json()["provider"]["name"] == "Slack"
    assert sentry.get(f"/organizations/{ORG}/integrations/1/").json() == NOT_FOUND


@pytest.mark.parametrize(
    ("path", "replacement"),
    [
        ("/projects/{org}/api/rules/", "workflows"),
        ("/projects/{org}/api/rules/7/", "workflows"),
        ("/organizations/{org}/alert-rules/", "detectors"),
        ("/organizations/{org}/alert-rules/7/", "detectors"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_retired_alert_apis_are_gone(sentry: Client, path: str, replacement: str, method: str):
    response = sentry.request(method, path.format(org=ORG), json={})
    assert (response.status_code, response.json()) == (410, {"message": "This API no longer exists."})
    assert response.headers["X-Sentry-Deprecation-Date"] == "2026-05-14"
    assert response.headers["X-Sentry-Replacement-Endpoint"] == f"/api/0/organizations/{ORG}/{replacement}/"


def test_authentication_and_organization_errors(sentry: Client):
    missing = Client(sentry.base, api_key=None).get(f"/organizations/{ORG}/teams/")
    assert (missing.status_code, missing.json()) == (
        401,
        {"detail": "Authentication credentials were not provided."},
    )
    wrong = Client(sentry.base, api_key="other").get(f"/organizations/{ORG}/teams/")
    assert (wrong.status_code, wrong.json()) == (401, {"detail": "Invalid token"})
    assert "X-Sentry-Rate-Limit-Limit" not in wrong.headers
    other_org = sentry.get("/organizations/someone-else/teams/")
    assert (other_org.status_code, other_org.json()) == (404, NOT_FOUND)
    assert sentry.get("/organizations/1000001/teams/").status_code == 200  # the org id works too


def test_routes_without_trailing_slash_and_unknown_routes(sentry: Client):
    new_team(sentry)
    assert sentry.get(f"/teams/{ORG}/backend").json()["slug"] == "backend"
    assert sentry.get("/nope/").json() == NOT_FOUND
    not_allowed = sentry.patch(f"/teams/{ORG}/backend/")
    assert (not_allowed.status_code, not_allowed.json()) == (405, {"detail": 'Method "PATCH" not allowed.'})
    assert sentry.post(f"/organizations/{ORG}/teams/", data="{").status_code == 400


def test_service_rows_are_matched_by_their_integer_id_as_sentry_does(sentry: Client):
    """update_organization_config (getsentry/sentry src/sentry/integrations/pagerduty/integration.py)
    keeps a row whose `id` equals the stored integer, adds rows whose id is falsy, deletes the rest: an id
    sent as a string matches nothing, so that row is deleted and not added again."""
    path = f"/organizations/{ORG}/integrations/{PAGERDUTY_ID}/"
    key = "0123456789abcdef0123456789abcdef"

    def table() -> list[dict]:
        return sentry.get(path).json()["configData"]["service_table"]

    (row,) = table()
    kept = {**row, "service": "optio-backend-renamed"}
    new = {"id": 0, "service": "optio prod", "integration_key": key}
    assert sentry.post(path, json={"service_table": [kept, new]}).status_code == 200
    rows = table()
    assert [(r["service"], isinstance(r["id"], int)) for r in rows] == [
        ("optio-backend-renamed", True),
        ("optio prod", True),
    ]
    as_text = [{**r, "id": str(r["id"])} for r in rows]
    assert sentry.post(path, json={"service_table": as_text}).status_code == 200
    assert table() == []
