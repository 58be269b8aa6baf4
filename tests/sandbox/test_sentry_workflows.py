"""Alerts (workflows): CRUD with every action kind, validation, the update semantics of triggers, action
filters and actions with the audit list, and the shuffled order of children."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.sentry.integrations import SLACK_CHANNELS
from sandbox.sentry.orgs import MEMBER_ID, USER_ID
from tests.sandbox.conftest import ORG, Client, Server, audit_entries, by_id, create_monitor, created
from tests.sandbox.sentry_bodies import alert, email_action, pagerduty_action, slack_action

MONITORS = f"/organizations/{ORG}/detectors/"
ALERTS = f"/organizations/{ORG}/workflows/"

Doc = dict[str, Any]


def test_alert_lifecycle_with_every_action_kind(sentry: Client, alerting: Doc):
    monitor = create_monitor(sentry)
    actions = [email_action(alerting["team"]["id"]), slack_action("alerts"), pagerduty_action("1")]
    body = alert([monitor["id"]], actions, environment="production", owner=f"team:{alerting['team']['id']}")
    workflow = created(sentry.post(ALERTS, json=body))
    assert (workflow["detectorIds"], workflow["environment"], workflow["config"]) == (
        [monitor["id"]],
        "production",
        {"frequency": 30},
    )
    sent = {a["type"]: a for a in workflow["actionFilters"][0]["actions"]}
    # Sentry looked the channel up in Slack: the id is the server's, the name comes back as "#alerts".
    assert sent["slack"]["integrationId"] == "24817" and sent["slack"]["config"]["targetDisplay"] == "#alerts"
    assert sent["slack"]["config"]["targetIdentifier"] == SLACK_CHANNELS["alerts"]
    assert sent["pagerduty"]["config"] == {
        "targetType": "specific",
        "targetDisplay": "optio-backend",
        "targetIdentifier": "1",
    }
    assert sent["email"]["config"]["targetIdentifier"] == alerting["team"]["id"]
    assert all(a["status"] == "active" and a["id"].isdigit() for a in sent.values())
    path = f"{ALERTS}{workflow['id']}/"
    assert sentry.get(path).json() == workflow
    assert sentry.get(f"{MONITORS}{monitor['id']}/").json()["workflowIds"] == [workflow["id"]]
    for params in ({"project": "api"}, {"query": "new issues"}, {"id": workflow["id"]}):
        assert [w["id"] for w in sentry.get(ALERTS, params=params).json()] == [workflow["id"]], params
    assert sentry.delete(path).status_code == 204
    assert sentry.get(path).status_code == 404
    assert sentry.get(f"{MONITORS}{monitor['id']}/").json()["workflowIds"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"config": {"frequency": 15}}, "config"),
        ({"detectorIds": ["42"]}, "detectorIds"),
        ({"environment": "staging"}, "environment"),
        ({"triggers": {"logicType": "any", "conditions": [{"type": "every_event"}]}}, "triggers"),
    ],
)
def test_alert_validation(sentry: Client, alerting: Doc, change: Doc, field: str):
    response = sentry.post(ALERTS, json=alert([], [slack_action()], **change))
    assert response.status_code == 400 and list(response.json()) == [field], response.text


@pytest.mark.parametrize(
    "action",
    [
        {**slack_action(), "integrationId": "24818"},
        {**slack_action(), "config": {"targetType": "specific"}},
        pagerduty_action("9"),
        email_action("999"),
        {**email_action("1"), "config": {"targetType": "user", "targetIdentifier": "2"}},
        # a user target names the Sentry user id; the organization member id is another number
        {**email_action("1"), "config": {"targetType": "user", "targetIdentifier": str(MEMBER_ID)}},
        slack_action("no-such-channel"),
        {
            **slack_action("alerts"),
            "config": {
                "targetType": "specific",
                "targetDisplay": "alerts",
                "targetIdentifier": SLACK_CHANNELS["ops"],
            },
        },
        {"type": "discord", "integrationId": "1", "config": {}},
    ],
)
def test_alert_action_validation(sentry: Client, alerting: Doc, action: Doc):
    response = sentry.post(ALERTS, json=alert([], [action]))
    assert response.status_code == 400 and list(response.json()) == ["actionFilters"], response.text


def test_slack_channel_given_by_id_keeps_its_bare_name(sentry: Client, alerting: Doc):
    action = slack_action("#ops")
    action["config"]["targetIdentifier"] = SLACK_CHANNELS["ops"]
    workflow = created(sentry.post(ALERTS, json=alert([], [action])))
    config = workflow["actionFilters"][0]["actions"][0]["config"]
    assert (config["targetDisplay"], config["targetIdentifier"]) == ("ops", SLACK_CHANNELS["ops"])


def test_email_to_a_user_names_the_user_id(sentry: Client, alerting: Doc):
    action = {**email_action("1"), "config": {"targetType": "user", "targetIdentifier": str(USER_ID)}}
    assert created(sentry.post(ALERTS, json=alert([], [action])))


def test_new_alert_triggers_must_be_any_short(sentry: Client, alerting: Doc):
    triggers = {"logicType": "all", "conditions": [{"type": "first_seen_event"}]}
    response = sentry.post(ALERTS, json=alert([], [slack_action()], triggers=triggers))
    assert (response.status_code, response.json()) == (
        400,
        {"triggers": {"logicType": ["Triggers' logic type must be 'any-short'"]}},
    )


def test_alert_put_semantics(sentry: Client, alerting: Doc, sandbox_server: Server):
    workflow = created(sentry.post(ALERTS, json=alert([], [slack_action("alerts"), pagerduty_action()])))
    other = created(sentry.post(ALERTS, json=alert([], [slack_action("ops")])))
    sandbox_server.control("DELETE", "/sentry/audit")
    body = {key: workflow[key] for key in ("name", "triggers", "actionFilters", "config", "detectorIds")}
    (group,) = body["actionFilters"]
    group["conditions"][0]["comparison"] = {"value": 200, "interval": "1h"}
    slack = next(a for a in group["actions"] if a["type"] == "slack")
    # Sent back as a client declares it: the channel by name; the id is the server's to resolve again.
    slack["config"] = {**slack["config"], "targetDisplay": "alerts", "targetIdentifier": ""}
    group["actions"] = [slack, email_action(alerting["team"]["id"])]  # pagerduty omitted, email new
    updated = sentry.put(f"{ALERTS}{workflow['id']}/", json=body).json()
    (new_group,) = updated["actionFilters"]
    assert new_group["id"] == group["id"] and new_group["conditions"][0]["id"] == group["conditions"][0]["id"]
    assert {a["type"] for a in new_group["actions"]} == {"slack", "email"}
    assert next(a for a in new_group["actions"] if a["type"] == "slack")["id"] == slack["id"]
    triggers, old_triggers = updated["triggers"], workflow["triggers"]
    assert by_id(triggers.pop("conditions")) == by_id(old_triggers.pop("conditions"))
    assert triggers == old_triggers
    assert sorted(audit_entries(sandbox_server)) == sorted(
        [("updated", "condition"), ("created", "action"), ("deleted", "action"), ("updated", "-")]
    )
    body["triggers"] = other["triggers"]
    rejected = sentry.put(f"{ALERTS}{workflow['id']}/", json=body)
    assert rejected.status_code == 400 and list(rejected.json()) == ["triggers"]


def test_children_come_back_shuffled_but_stable(sentry: Client, alerting: Doc, sandbox_server: Server):
    conditions = [{"type": kind} for kind in ("first_seen_event", "regression_event", "reappeared_event")]
    triggers = {"logicType": "any-short", "conditions": conditions}
    sandbox_server.control("PUT", "/sentry/settings", json={"shuffle": False})
    plain = created(sentry.post(ALERTS, json=alert([], [slack_action()], triggers=triggers)))
    assert [c["type"] for c in plain["triggers"]["conditions"]] == [c["type"] for c in conditions]
    sandbox_server.control("PUT", "/sentry/settings", json={"shuffle": True})
    orders = []
    for _ in range(6):
        workflow = created(sentry.post(ALERTS, json=alert([], [slack_action()], triggers=triggers)))
        again = sentry.get(f"{ALERTS}{workflow['id']}/").json()
        assert again == workflow  # stable for one revision of one object
        orders.append(tuple(c["type"] for c in workflow["triggers"]["conditions"]))
    assert all(sorted(order) == sorted(c["type"] for c in conditions) for order in orders)
    assert len(set(orders)) > 1
