"""Sentry's dashboard rules beyond the spec (issue #29), answered as getsentry/sentry does (sandbox/sentry/
dashboards.py names the sources): the last dashboard stays (where no prebuilt dashboard is left), a taken
title is renamed on create and refused on rename, and a create past the plan's dashboard limit is refused."""

from __future__ import annotations

from typing import Any

import requests

from tests.sandbox.conftest import ORG, Client, Server
from tests.sandbox.test_sentry_fidelity import check, check_quirk

BOARDS = f"/organizations/{ORG}/dashboards/"
LAST = {"detail": "Cannot delete last Dashboard."}
TITLE_EXISTS = {"detail": "Dashboard with that title already exists."}


def board(sentry: Client, title: str) -> dict[str, Any]:
    return check(sentry.post(BOARDS, json={"title": title}), 201)


def over(limit: int) -> str:
    return f"You may not exceed {limit} dashboards on your current plan."


def test_the_last_dashboard_cannot_be_deleted(sentry: Client, sandbox_server: Server):
    # organization_dashboard_details.py delete: 409 unless the organization has another dashboard row
    sandbox_server.control("PUT", "/sentry/settings", json={"prebuiltDashboards": False})
    only = board(sentry, "health")
    path = f"{BOARDS}{only['id']}/"
    check_quirk(sentry.delete(path), 409, LAST)
    assert check(sentry.get(path), 200)["title"] == "health"
    other = board(sentry, "other")
    check(sentry.delete(path), 204)
    check_quirk(sentry.delete(f"{BOARDS}{other['id']}/"), 409, LAST)


def test_prebuilt_dashboards_let_the_last_custom_one_go(sentry: Client, sandbox_server: Server):
    settings = sandbox_server.control("GET", "/sentry/settings").json()
    assert settings["prebuiltDashboards"] is True  # an AM2/AM3 organization has them as rows
    only = board(sentry, "health")
    check(sentry.delete(f"{BOARDS}{only['id']}/"), 204)
    assert check(sentry.get(BOARDS), 200) == []  # the sandbox lists none of them
    response = requests.put(
        f"{sandbox_server.url}/_control/sentry/settings", json={"prebuiltDashboards": "no"}, timeout=5
    )
    assert response.status_code == 400 and "prebuiltDashboards" in response.json()["error"]


def test_a_create_under_a_taken_title_gets_the_next_copy_title(sentry: Client):
    # organization_dashboards.py post: the IntegrityError is retried under Dashboard.incremental_title
    board(sentry, "health")
    assert [board(sentry, "health")["title"] for _ in range(3)] == [
        "health copy",
        "health copy 1",
        "health copy 2",
    ]
    assert board(sentry, "api copy 3")["title"] == "api copy 3"
    assert board(sentry, "api copy 3")["title"] == "api copy 4"
    assert board(sentry, "api")["title"] == "api"
    listed = [d["title"] for d in check(sentry.get(BOARDS), 200)]
    assert listed.count("health") == 1 and len(listed) == len(set(listed)) == 7


def test_a_rename_onto_a_taken_title_is_a_409(sentry: Client):
    board(sentry, "health")
    other = board(sentry, "other")
    path = f"{BOARDS}{other['id']}/"
    check_quirk(sentry.put(path, json={"title": "health", "widgets": []}), 409, TITLE_EXISTS)
    assert check(sentry.get(path), 200)["title"] == "other"
    assert check(sentry.put(path, json={"title": "other"}), 200)["title"] == "other"  # its own title


def test_the_team_plan_allows_20_dashboards(sentry: Client, sandbox_server: Server):
    assert sandbox_server.control("GET", "/sentry/settings").json()["dashboardLimit"] == 20
    boards = [board(sentry, f"board {i}") for i in range(20)]
    # checked after the body (a field error first) and before the title (no renamed copy)
    assert check(sentry.post(BOARDS, json={}), 400) == {"title": ["This field is required."]}
    assert check(sentry.post(BOARDS, json={"title": "board 0"}), 400) == over(20)
    assert check(sentry.post(BOARDS, json={"title": "new"}), 400) == over(20)
    check(sentry.delete(f"{BOARDS}{boards[0]['id']}/"), 204)
    assert board(sentry, "new")["title"] == "new"


def test_the_limit_is_the_plans_vendor_setting(sentry: Client, sandbox_server: Server):
    sandbox_server.control("PUT", "/sentry/settings", json={"dashboardLimit": 1})
    board(sentry, "one")
    assert check(sentry.post(BOARDS, json={"title": "two"}), 400) == over(1)
    sandbox_server.control("PUT", "/sentry/settings", json={"dashboardLimit": 0})
    assert check(sentry.post(BOARDS, json={"title": "two"}), 400) == over(0)
    sandbox_server.control("PUT", "/sentry/settings", json={"dashboardLimit": -1})  # Business: no limit
    assert board(sentry, "two")["title"] == "two"
    for bad in (-2, "20", True, None, 1.5):
        response = requests.put(
            f"{sandbox_server.url}/_control/sentry/settings", json={"dashboardLimit": bad}, timeout=5
        )
        assert response.status_code == 400 and "dashboardLimit" in response.json()["error"], bad
