"""Sentry's metric monitors run on the sandbox clock (sandbox/sentry/evaluation.py, metric_alerts.py): each
minute over the window, an issue opened on the first breach, escalated, resolved on the first OK update,
and the linked alerts' actions told of each change, as getsentry/sentry's workflow engine does."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.conftest import ORG, Client, Server, create_monitor, new_project, new_team
from tests.sandbox.sentry_bodies import PAGERDUTY_ID, alert, pagerduty_action, slack_action
from tests.sandbox.test_pagerduty_api import TOKEN, PagerDuty
from tests.sandbox.test_pagerduty_events import paging_service
from tests.sandbox.test_sentry_fidelity import check
from tests.sandbox.test_stats import clock_now, iso

HIGH, MEDIUM, OK = 75, 50, 0


@pytest.fixture
def world(sentry: Client, sandbox_server: Server) -> dict[str, Any]:
    """Project ``api``, a PagerDuty service row, the vendors' checks on, and an error-rate monitor over 5
    minutes: > 5% high, > 1% medium, <= 1% OK."""
    new_team(sentry)
    new_project(sentry, default_rules=False)
    pd = PagerDuty(sandbox_server.url + "/pagerduty", api_key=TOKEN)
    _, key, _ = paging_service(pd, sandbox_server)
    row = {"id": 1, "service": "optio prod", "integration_key": key}
    sandbox_server.control(
        "PATCH", f"/sentry/integrations/{PAGERDUTY_ID}", json={"configData": {"service_table": [row]}}
    )
    source = {
        "aggregate": "failure_rate()",
        "dataset": "events_analytics_platform",
        "eventTypes": ["trace_item_span"],
        "query": "is_transaction:true",
        "queryType": 1,
        "timeWindow": 300,
    }
    conditions = [
        {"type": "gt", "comparison": 0.05, "conditionResult": HIGH},
        {"type": "gt", "comparison": 0.01, "conditionResult": MEDIUM},
        {"type": "lte", "comparison": 0.01, "conditionResult": OK},
    ]
    monitor = create_monitor(
        sentry, dataSources=[source], conditionGroup={"logicType": "any", "conditions": conditions}
    )
    sandbox_server.control("PUT", "/checks", json={"running": True})
    return {"monitor": monitor, "pd": pd}


def workflow(sentry: Client, monitor: dict[str, Any], level: int, actions: list[Any], **body: Any) -> None:
    """An alert on `monitor` as Sentry's own metric alerts are made: act at `level` and above, and when the
    issue falls back below it (frequency 0 unless given)."""
    made = alert([monitor["id"]], actions, **{"config": {"frequency": 0}, **body})
    made["triggers"] = {"logicType": "any-short", "conditions": []}
    made["actionFilters"] = [
        {
            "logicType": "all",
            "conditions": [_filter("issue_priority_greater_or_equal", level)],
            "actions": actions,
        },
        {
            "logicType": "all",
            "conditions": [_filter("issue_priority_deescalating", level)],
            "actions": actions,
        },
    ]
    check(sentry.post(f"/organizations/{ORG}/workflows/", json=made), 201)


def _filter(kind: str, level: int) -> dict[str, Any]:
    return {"type": kind, "comparison": level, "conditionResult": True}


def spans(server: Server, count: int, failed: int) -> None:
    body = {"project": "api", "count": count, "failed": failed, "is_transaction": True, "duration_ms": 100}
    server.control("POST", "/sentry/spans", json={**body, "timestamp": iso(clock_now(server))})


def advance(server: Server, seconds: float) -> None:
    server.control("POST", "/clock", json={"advance": seconds})


def told(server: Server) -> list[tuple[str, str, str]]:
    found = server.control("GET", "/deliveries").json()
    server.control("DELETE", "/deliveries")
    return [(d["channel"], d["to"], d.get("event") or d.get("status")) for d in found]


def metric_issues(sentry: Client) -> list[dict[str, Any]]:
    found = []
    for status in ("unresolved", "resolved"):
        found += check(sentry.get(f"/projects/{ORG}/api/issues/", params={"query": f"is:{status}"}), 200)
    return [i for i in found if i["issueType"] == "metric_issue"]


def test_a_breach_pages_and_the_first_ok_update_resolves(sentry: Client, sandbox_server: Server, world):
    workflow(sentry, world["monitor"], HIGH, [slack_action("alerts"), pagerduty_action("1")])
    spans(sandbox_server, 100, 0)
    advance(sandbox_server, 60)
    assert told(sandbox_server) == []  # 0% failing: nothing to say
    spans(sandbox_server, 100, 30)  # 30 of the last 200 spans fail: 15% > 5%
    advance(sandbox_server, 60)
    assert sorted(told(sandbox_server)) == [
        ("pagerduty", "ada@optio.test", "paged"),
        ("slack", "#alerts", "critical"),
    ]
    [issue] = metric_issues(sentry)
    assert (issue["title"], issue["status"], issue["priority"]) == ("prod error rate", "unresolved", "high")
    # Nothing arrives for ten minutes: no value, no update, the issue stays open and nobody is told again.
    advance(sandbox_server, 600)
    assert told(sandbox_server) == [] and metric_issues(sentry)[0]["status"] == "unresolved"
    spans(sandbox_server, 200, 0)
    advance(sandbox_server, 60)
    assert sorted(told(sandbox_server)) == [("slack", "#alerts", "resolved")]
    assert metric_issues(sentry)[0]["status"] == "resolved"
    incidents = world["pd"].get("/incidents", params={"statuses[]": ["triggered", "acknowledged"]}).json()
    assert incidents["incidents"] == []  # Sentry's resolve closed the PagerDuty incident


def test_a_warning_escalates_and_each_alert_hears_its_levels(sentry: Client, sandbox_server: Server, world):
    workflow(sentry, world["monitor"], HIGH, [pagerduty_action("1")], name="critical")
    workflow(sentry, world["monitor"], MEDIUM, [slack_action("alerts")], name="warning")
    spans(sandbox_server, 100, 2)  # 2%: medium
    advance(sandbox_server, 60)
    assert told(sandbox_server) == [("slack", "#alerts", "warning")]
    assert metric_issues(sentry)[0]["priority"] == "medium"
    spans(sandbox_server, 100, 20)  # 22 of 200: high; the warning alert (>= medium) hears it too
    advance(sandbox_server, 60)
    assert sorted(told(sandbox_server)) == [
        ("pagerduty", "ada@optio.test", "paged"),
        ("slack", "#alerts", "critical"),
    ]
    [issue] = metric_issues(sentry)
    assert issue["priority"] == "high"
    advance(sandbox_server, 300)  # the bad spans leave the window: no spans, no update
    spans(sandbox_server, 100, 0)
    advance(sandbox_server, 60)
    assert sorted(told(sandbox_server)) == [("slack", "#alerts", "resolved")]  # PD: resolve, not a page


def test_a_priority_filter_alone_never_hears_the_resolve_and_a_frequency_throttles(
    sentry: Client, sandbox_server: Server, world
):
    made = alert([world["monitor"]["id"]], [slack_action("alerts")], config={"frequency": 30})
    made["triggers"] = {"logicType": "any-short", "conditions": []}
    made["actionFilters"][0]["conditions"] = [_filter("issue_priority_greater_or_equal", MEDIUM)]
    check(sentry.post(f"/organizations/{ORG}/workflows/", json=made), 201)
    spans(sandbox_server, 100, 2)
    advance(sandbox_server, 60)
    assert told(sandbox_server) == [("slack", "#alerts", "warning")]
    spans(sandbox_server, 100, 20)
    advance(sandbox_server, 60)
    assert told(sandbox_server) == []  # escalated within the alert's 30 minutes: throttled
    advance(sandbox_server, 300)
    spans(sandbox_server, 100, 0)
    advance(sandbox_server, 60)
    assert told(sandbox_server) == [] and metric_issues(sentry)[0]["status"] == "resolved"


def test_disabled_monitors_and_checks_off_stay_silent(sentry: Client, sandbox_server: Server, world):
    workflow(sentry, world["monitor"], MEDIUM, [slack_action("alerts")])
    sandbox_server.control("PUT", "/checks", json={"running": False})
    spans(sandbox_server, 100, 50)
    advance(sandbox_server, 120)
    assert told(sandbox_server) == [] and metric_issues(sentry) == []
    path = f"/organizations/{ORG}/detectors/{world['monitor']['id']}/"
    check(sentry.put(path, json={"name": "prod error rate", "type": "metric_issue", "enabled": False}), 200)
    sandbox_server.control("PUT", "/checks", json={"running": True})
    advance(sandbox_server, 120)
    assert told(sandbox_server) == [] and metric_issues(sentry) == []
