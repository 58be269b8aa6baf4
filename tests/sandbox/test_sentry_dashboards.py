"""Sentry's dashboards API in the sandbox: every answer validated against the spec, and the server's rules
(sandbox/sentry/dashboards.py names their sources)."""

from __future__ import annotations

from typing import Any

from tests.sandbox.conftest import ORG, Client, Server, new_project, new_team
from tests.sandbox.test_sentry_fidelity import check

BOARDS = f"/organizations/{ORG}/dashboards/"


def widget(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "displayType": "line",
        "widgetType": "spans",
        "interval": "5m",
        "queries": [
            {
                "name": "",
                "fields": ["p95(span.duration)"],
                "aggregates": ["p95(span.duration)"],
                "columns": [],
                "conditions": "span.op:http.server",
                "orderby": "",
            }
        ],
        "layout": {"x": 0, "y": 0, "w": 3, "h": 2, "minH": 2},
        **extra,
    }


def new_board(sentry: Client, **extra: Any) -> dict[str, Any]:
    project = new_project(sentry)
    body = {"title": "health", "projects": [int(project["id"])], "environment": ["prod"], **extra}
    return check(sentry.post(BOARDS, json={"widgets": [widget("p95"), widget("errors")], **body}), 201)


def test_create_get_and_list_match_the_spec(sentry: Client):
    new_team(sentry)
    created = new_board(sentry, period="24h")
    assert [w["title"] for w in created["widgets"]] == ["p95", "errors"]
    assert created["widgets"][0]["layout"] == {"x": 0, "y": 0, "w": 3, "h": 2, "minH": 2}
    query = created["widgets"][0]["queries"][0]
    assert query["widgetId"] == created["widgets"][0]["id"] and query["fieldAliases"] == [""]
    got = check(sentry.get(f"{BOARDS}{created['id']}/"), 200)
    assert got == created
    (listed,) = check(sentry.get(BOARDS), 200)
    assert listed["widgetDisplay"] == ["line", "line"] and listed["title"] == "health"
    assert check(sentry.get(BOARDS, params={"query": "HEAL"}), 200) == [listed]
    assert check(sentry.get(BOARDS, params={"query": "nothing"}), 200) == []


def test_a_put_replaces_the_widget_list_keeping_named_widgets(sentry: Client):
    new_team(sentry)
    board = new_board(sentry)
    p95, errors = board["widgets"]
    kept = {"id": errors["id"], "title": "errors (renamed)"}  # what it leaves out keeps its value
    path = f"{BOARDS}{board['id']}/"
    updated = check(sentry.put(path, json={"title": "health", "widgets": [kept, widget("rate")]}), 200)
    assert [w["title"] for w in updated["widgets"]] == ["errors (renamed)", "rate"]
    assert (
        updated["widgets"][0]["id"] == errors["id"] and updated["widgets"][0]["queries"] == errors["queries"]
    )
    assert p95["id"] not in {w["id"] for w in updated["widgets"]}
    other = sentry.put(path, json={"widgets": [{"id": "999999", "title": "x"}]})
    assert other.status_code == 400 and "not part of this dashboard" in other.text


def test_the_server_rules_answer_as_sentry_does(sentry: Client):
    new_team(sentry)
    board = new_board(sentry)
    # SRV organization_dashboards.py post: a taken title is renamed (Dashboard.incremental_title, since
    # getsentry/sentry PR 107023), not refused (tests/sandbox/test_sentry_dashboard_rules.py)
    assert check(sentry.post(BOARDS, json={"title": "health"}), 201)["title"] == "health copy"
    bare = {"title": "no queries", "displayType": "line"}
    refused = check(sentry.post(BOARDS, json={"title": "other", "widgets": [bare]}), 400)
    assert refused == {"widgets": [{"queries": ["One or more queries are required to create a widget"]}]}
    interval = check(sentry.post(BOARDS, json={"title": "o2", "widgets": [widget("w", interval="5x")]}), 400)
    assert interval == {"widgets": [{"interval": ["Invalid interval"]}]}
    forbidden = check(sentry.post(BOARDS, json={"title": "o3", "projects": [424242]}), 403)
    assert "permission" in forbidden["detail"]
    path = f"{BOARDS}{board['id']}/"
    check(sentry.delete(path), 204)
    check(sentry.get(path), 404)


def test_an_out_of_band_edit_changes_one_query(sentry: Client, sandbox_server: Server):
    new_team(sentry)
    board = new_board(sentry)
    first = board["widgets"][0]
    edit = {
        "widgets": [{"id": first["id"], "queries": [{"id": first["queries"][0]["id"], "conditions": ""}]}]
    }
    sandbox_server.control("PATCH", f"/sentry/dashboards/{board['id']}", json=edit)
    got = check(sentry.get(f"{BOARDS}{board['id']}/"), 200)
    assert got["widgets"][0]["queries"][0]["conditions"] == ""
    assert got["widgets"][1] == board["widgets"][1]
