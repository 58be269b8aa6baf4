"""Monitors (detectors): CRUD, validation, the update semantics of their children with the audit list,
read-only system monitors, links to alerts and out-of-band drift."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.sentry.detector_rules import (
    CRASH_RATE_WINDOW_MESSAGE,
    DATASETS,
    DEPRECATED_MESSAGE,
    SPANS_WINDOW_MESSAGE,
    TRANSACTIONS_DEPRECATED,
)
from tests.sandbox.conftest import ORG, Client, Server, audit_entries, by_id, create_monitor, created
from tests.sandbox.sentry_bodies import alert, metric_monitor, slack_action

MONITORS = f"/organizations/{ORG}/detectors/"
ALERTS = f"/organizations/{ORG}/workflows/"

Doc = dict[str, Any]


def test_metric_monitor_lifecycle(sentry: Client, alerting: Doc):
    team_id, project_id = alerting["team"]["id"], alerting["project"]["id"]
    monitor = create_monitor(sentry, owner=f"team:{team_id}", projectId=project_id)
    assert monitor["owner"] == {"type": "team", "id": team_id, "name": "backend"}
    assert (monitor["projectId"], monitor["createdBy"], monitor["enabled"], monitor["latestGroup"]) == (
        project_id,
        "1",
        True,
        None,
    )
    (source,) = monitor["dataSources"]
    assert source["type"] == "snuba_query_subscription" and source["sourceId"] == source["queryObj"]["id"]
    query = source["queryObj"]["snubaQuery"]
    assert (query["aggregate"], query["timeWindow"], query["dataset"], query["environment"]) == (
        "count()",
        3600,
        "events",
        None,
    )
    group = monitor["conditionGroup"]
    assert group["logicType"] == "any" and all(c["id"].isdigit() for c in group["conditions"])
    assert sorted(c["comparison"] for c in group["conditions"]) == [50, 50, 100]
    path = f"{MONITORS}{monitor['id']}/"
    assert sentry.get(path).json() == monitor
    create_monitor(sentry, name="latency p95")
    filters = [
        {"project": "api", "query": "type:metric_issue error"},
        {"project": project_id, "query": 'name:"prod error"'},
        {"id": monitor["id"]},
        {"query": "rate"},
    ]
    for params in filters:
        assert [m["id"] for m in sentry.get(MONITORS, params=params).json()] == [monitor["id"]], params
    assert sentry.get(MONITORS, params={"project": "missing"}).status_code == 403
    assert sentry.delete(path).status_code == 204
    assert sentry.get(path).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        (
            {"type": "error"},
            {"type": ["Monitors of type 'error' are created by Sentry and cannot be changed."]},
        ),
        ({"timeWindow": 45}, {"dataSources": [{"timeWindow": ['"45" is not a valid choice.']}]}),
        (
            {"dataset": "sessions"},
            {"dataSources": [{"dataset": [f"Invalid dataset, valid values are {list(DATASETS)}"]}]},
        ),
        (
            {"environment": "staging"},
            {"dataSources": [{"environment": ["Environment is not part of this organization"]}]},
        ),
        (
            {"config": {"detectionType": "magic"}},
            {"config": {"detectionType": ['"magic" is not a valid choice.']}},
        ),
        (
            {"conditionResult": 25},
            {"conditionGroup": {"conditions": [{"conditionResult": ["Unsupported condition result"]}]}},
        ),
        (
            {"conditionType": "above"},
            {"conditionGroup": {"conditions": [{"type": ['"above" is not a valid choice.']}]}},
        ),
        ({"owner": "team:1"}, {"owner": ["Team is not a member of this organization"]}),
        ({"workflowIds": ["1"]}, {"workflowIds": [["Alert 1 does not exist."]]}),
    ],
)
def test_monitor_validation(sentry: Client, alerting: Doc, overrides: Doc, error: Doc):
    body = metric_monitor()
    source, condition = body["dataSources"][0], body["conditionGroup"]["conditions"][0]
    for key in ("timeWindow", "dataset", "environment"):
        if key in overrides:
            source[key] = overrides.pop(key)
    if "conditionResult" in overrides:
        condition["conditionResult"] = overrides.pop("conditionResult")
    if "conditionType" in overrides:
        condition["type"] = overrides.pop("conditionType")
    response = sentry.post(f"/organizations/{ORG}/projects/api/detectors/", json={**body, **overrides})
    assert (response.status_code, response.json()) == (400, error)


# Sentry's own rules (getsentry/sentry snuba_query_validator.py, metric_issue_detector.py): each fails today's
# client if it sends what the real server refuses.
INVALID_DATASET = "Invalid dataset for this query type. Valid datasets are {}"


@pytest.mark.parametrize(
    ("source", "conditions", "error"),
    [
        (
            {"dataset": "events_analytics_platform", "queryType": 0, "eventTypes": ["trace_item_span"]},
            None,
            {"dataSources": [{"nonFieldErrors": [INVALID_DATASET.format(["events"])]}]},
        ),
        (
            {"dataset": "events", "queryType": 1},
            None,
            {
                "dataSources": [
                    {
                        "nonFieldErrors": [
                            INVALID_DATASET.format(
                                ["eventsanalyticsplatform", "performancemetrics", "transactions"]
                            )
                        ]
                    }
                ]
            },
        ),
        (
            {"dataset": "metrics", "queryType": 2, "timeWindow": 900, "aggregate": "crash_free_rate()"},
            None,
            {"dataSources": [{"nonFieldErrors": [CRASH_RATE_WINDOW_MESSAGE]}]},
        ),
        (
            {
                "dataset": "events_analytics_platform",
                "queryType": 1,
                "timeWindow": 60,
                "eventTypes": ["trace_item_span"],
            },
            None,
            {"dataSources": [{"nonFieldErrors": [SPANS_WINDOW_MESSAGE]}]},
        ),
        (
            {
                "dataset": "events_analytics_platform",
                "queryType": 1,
                "eventTypes": ["trace_item_span", "transaction"],
            },
            None,
            {
                "dataSources": [
                    {
                        "nonFieldErrors": [
                            "Multiple event types not allowed. Valid event types are "
                            "['transaction', 'trace_item_log', 'trace_item_span']"
                        ]
                    }
                ]
            },
        ),
        (
            {},
            [{"type": "eq", "comparison": 1, "conditionResult": 75}],
            {"conditionGroup": {"conditions": [{"type": ["Unsupported type eq"]}]}},
        ),
        (
            {},
            [{"type": "gt", "comparison": 5, "conditionResult": 75}],
            {"conditionGroup": {"conditions": ["Resolution condition required for metric issue detector."]}},
        ),
        (
            {},
            [{"type": "gt", "comparison": n, "conditionResult": 75} for n in (1, 2, 3)]
            + [{"type": "lte", "comparison": 0, "conditionResult": 0}],
            {"nonFieldErrors": ["Too many conditions"]},
        ),
    ],
)
def test_monitor_rules_of_sentry(
    sentry: Client, alerting: Doc, source: Doc, conditions: list[Doc] | None, error: Doc
):
    body = metric_monitor()
    body["dataSources"][0].update(source)
    if conditions is not None:
        body["conditionGroup"]["conditions"] = conditions
    response = sentry.post(f"/organizations/{ORG}/projects/api/detectors/", json=body)
    assert (response.status_code, response.json()) == (400, error)


def test_query_type_is_derived_from_the_dataset_when_left_out(sentry: Client, alerting: Doc):
    body = metric_monitor()
    source = body["dataSources"][0]
    del source["queryType"]
    source.update(dataset="events_analytics_platform", eventTypes=["trace_item_span"], timeWindow=43200)
    source["aggregate"] = "p95(span.duration)"
    monitor = created(sentry.post(f"/organizations/{ORG}/projects/api/detectors/", json=body))
    query = monitor["dataSources"][0]["queryObj"]["snubaQuery"]
    assert (query["dataset"], query["timeWindow"]) == ("events_analytics_platform", 43200)
    assert "queryType" not in query  # the server never reports it back


def test_transaction_monitors_refused_where_the_dataset_is_deprecated(
    sentry: Client, alerting: Doc, sandbox_server: Server
):
    body = metric_monitor()
    body["dataSources"][0].update(
        dataset="transactions", queryType=1, eventTypes=["transaction"], aggregate="p95(transaction.duration)"
    )
    monitor = created(sentry.post(f"/organizations/{ORG}/projects/api/detectors/", json=body))
    sandbox_server.control("PUT", "/sentry/settings", json={"features": [TRANSACTIONS_DEPRECATED]})
    refused = sentry.post(f"/organizations/{ORG}/projects/api/detectors/", json=body)
    assert (refused.status_code, refused.json()) == (400, [DEPRECATED_MESSAGE.format("Creation")])
    renamed = sentry.put(f"{MONITORS}{monitor['id']}/", json={"name": "renamed", "type": "metric_issue"})
    assert renamed.status_code == 200  # renaming stays possible
    body["dataSources"][0]["timeWindow"] = 900
    edited = sentry.put(f"{MONITORS}{monitor['id']}/", json={**body, "name": "renamed"})
    assert (edited.status_code, edited.json()) == (400, [DEPRECATED_MESSAGE.format("Updates")])


def test_monitor_environment_must_have_received_events(sentry: Client, alerting: Doc):
    body = metric_monitor()
    body["dataSources"][0]["environment"] = "production"
    assert created(sentry.post(f"/organizations/{ORG}/projects/api/detectors/", json=body))


def test_system_monitors_are_read_only(sentry: Client, alerting: Doc):
    system = sentry.get(MONITORS, params={"project": "api", "query": "type:error"}).json()[0]
    path = f"{MONITORS}{system['id']}/"
    forbidden = {"detail": "You do not have permission to perform this action."}
    assert sentry.put(path, json={"name": "x", "type": "error"}).json() == forbidden
    assert sentry.delete(path).status_code == 403
    assert sentry.get(path).status_code == 200


def test_threshold_change_keeps_every_child_id(sentry: Client, alerting: Doc, sandbox_server: Server):
    monitor = create_monitor(sentry)
    sandbox_server.control("DELETE", "/sentry/audit")
    body = {key: monitor[key] for key in ("name", "type", "dataSources", "conditionGroup", "config")}
    body["dataSources"] = [{**s["queryObj"]["snubaQuery"], "id": s["id"]} for s in monitor["dataSources"]]
    changed = next(c for c in body["conditionGroup"]["conditions"] if c["comparison"] == 100)
    changed["comparison"] = 200
    updated = sentry.put(f"{MONITORS}{monitor['id']}/", json=body).json()
    assert by_id(updated["conditionGroup"]["conditions"]) == by_id(body["conditionGroup"]["conditions"])
    assert updated["conditionGroup"]["id"] == monitor["conditionGroup"]["id"]
    assert updated["dataSources"] == monitor["dataSources"]
    log = sandbox_server.control("GET", "/sentry/audit").json()
    assert [(e["action"], e["child"], e["childId"]) for e in log] == [
        ("updated", "condition", changed["id"]),
        ("updated", None, None),
    ]
    assert log[-1] == {
        "object": "detector",
        "objectId": monitor["id"],
        "action": "updated",
        "child": None,
        "childId": None,
    }


def test_put_creates_children_without_id_and_deletes_omitted_ones(
    sentry: Client, alerting: Doc, sandbox_server: Server
):
    monitor = create_monitor(sentry)
    other = create_monitor(sentry, name="other")
    sandbox_server.control("DELETE", "/sentry/audit")
    kept = [c for c in monitor["conditionGroup"]["conditions"] if c["conditionResult"] != 50]
    group = {"id": monitor["conditionGroup"]["id"], "logicType": "any", "conditions": kept}
    group["conditions"].append({"type": "gt", "comparison": 70, "conditionResult": 50})
    body = metric_monitor(conditionGroup=group)  # its data source carries no id: it is replaced
    updated = sentry.put(f"{MONITORS}{monitor['id']}/", json=body).json()
    old_ids = {c["id"] for c in monitor["conditionGroup"]["conditions"]}
    new_ids = {c["id"] for c in updated["conditionGroup"]["conditions"]}
    assert len(new_ids & old_ids) == 2 and len(new_ids - old_ids) == 1
    assert updated["dataSources"][0]["id"] != monitor["dataSources"][0]["id"]
    assert sorted(audit_entries(sandbox_server)) == sorted(
        [
            ("deleted", "dataSource"),
            ("created", "dataSource"),
            ("created", "condition"),
            ("deleted", "condition"),
            ("updated", "-"),
        ]
    )
    foreign = metric_monitor(conditionGroup={**group, "conditions": other["conditionGroup"]["conditions"]})
    rejected = sentry.put(f"{MONITORS}{monitor['id']}/", json=foreign)
    assert rejected.status_code == 400 and "conditionGroup" in rejected.json()
    assert sentry.get(f"{MONITORS}{monitor['id']}/").json()["conditionGroup"] == updated["conditionGroup"]


def test_out_of_band_drift_and_repair(sentry: Client, alerting: Doc, sandbox_server: Server):
    monitor = create_monitor(sentry)
    target = next(c for c in monitor["conditionGroup"]["conditions"] if c["comparison"] == 100)
    drift = {"conditionGroup": {"conditions": [{"id": target["id"], "comparison": 999}]}}
    sandbox_server.control("PATCH", f"/sentry/detectors/{monitor['id']}", json=drift)
    drifted = sentry.get(f"{MONITORS}{monitor['id']}/").json()
    assert {c["id"]: c["comparison"] for c in drifted["conditionGroup"]["conditions"]}[target["id"]] == 999
    assert {c["id"] for c in drifted["conditionGroup"]["conditions"]} == {
        c["id"] for c in monitor["conditionGroup"]["conditions"]
    }
    sandbox_server.control("DELETE", "/sentry/audit")
    repaired = {key: monitor[key] for key in ("name", "type", "conditionGroup")}
    assert sentry.put(f"{MONITORS}{monitor['id']}/", json=repaired).status_code == 200
    assert audit_entries(sandbox_server) == [("updated", "condition"), ("updated", "-")]


def test_monitor_links_alerts_through_workflow_ids(sentry: Client, alerting: Doc):
    workflow = created(sentry.post(ALERTS, json=alert([], [slack_action()])))
    monitor = create_monitor(sentry, workflowIds=[workflow["id"]])
    assert monitor["workflowIds"] == [workflow["id"]]
    assert sentry.get(f"{ALERTS}{workflow['id']}/").json()["detectorIds"] == [monitor["id"]]
    body = {"name": monitor["name"], "type": "metric_issue", "workflowIds": []}
    assert sentry.put(f"{MONITORS}{monitor['id']}/", json=body).json()["workflowIds"] == []
    assert sentry.get(f"{ALERTS}{workflow['id']}/").json()["detectorIds"] == []
