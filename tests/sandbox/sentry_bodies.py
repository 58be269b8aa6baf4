"""Request bodies of the Sentry tests: the monitor, alert and action bodies of the spec and
Terraform provider examples (docs/vendors/sentry.md),
camelCase as on the wire."""

from __future__ import annotations

from typing import Any

SLACK_ID, PAGERDUTY_ID = "24817", "24818"


def metric_monitor(**overrides: Any) -> dict[str, Any]:
    """A metric monitor body (the spec's example, camelCase)."""
    body: dict[str, Any] = {
        "name": "prod error rate",
        "type": "metric_issue",
        "dataSources": [
            {
                "aggregate": "count()",
                "dataset": "events",
                "eventTypes": ["error", "default"],
                "query": "is:unresolved",
                "queryType": 0,
                "timeWindow": 3600,
            }
        ],
        "config": {"detectionType": "static"},
        "conditionGroup": {
            "logicType": "any",
            "conditions": [
                {"type": "gt", "comparison": 100, "conditionResult": 75},
                {"type": "gt", "comparison": 50, "conditionResult": 50},
                {"type": "lte", "comparison": 50, "conditionResult": 0},
            ],
        },
        "workflowIds": [],
    }
    return {**body, **overrides}


def email_action(team_id: str) -> dict[str, Any]:
    config = {"targetType": "team", "targetDisplay": None, "targetIdentifier": team_id}
    return {"type": "email", "integrationId": None, "data": {}, "config": config, "status": "active"}


def slack_action(channel: str = "alerts") -> dict[str, Any]:
    config = {"targetType": "specific", "targetDisplay": channel, "targetIdentifier": ""}
    return {"type": "slack", "integrationId": SLACK_ID, "data": {}, "config": config}


def pagerduty_action(service: str = "1") -> dict[str, Any]:
    config = {"targetType": "specific", "targetIdentifier": service}
    return {
        "type": "pagerduty",
        "integrationId": PAGERDUTY_ID,
        "data": {"priority": "critical"},
        "config": config,
    }


def alert(detector_ids: list[str], actions: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    """A workflow body (the spec's example, camelCase)."""
    body: dict[str, Any] = {
        "name": "prod: new issues -> team",
        "enabled": True,
        "config": {"frequency": 30},
        "detectorIds": detector_ids,
        "triggers": {
            "logicType": "any-short",
            "conditions": [
                {"type": "first_seen_event", "comparison": True, "conditionResult": True},
                {"type": "regression_event", "comparison": True, "conditionResult": True},
            ],
        },
        "actionFilters": [
            {
                "logicType": "all",
                "conditions": [
                    {
                        "type": "event_frequency_count",
                        "comparison": {"value": 100, "interval": "1h"},
                        "conditionResult": True,
                    }
                ],
                "actions": actions,
            }
        ],
    }
    return {**body, **overrides}
