"""Sentry teams, projects, DSNs, metric monitors and alerts through the real CLI and the sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import Stack, plan

EXIT_NO_CHANGES_EXPECTED = 7
ERROR_RATE = {
    "name": "backend error rate",
    "project": "e2e-backend",
    "aggregate": "failure_rate()",
    "critical": 0.05,
    "warning": 0.01,
}
LATENCY = {
    "name": "backend p95",
    "project": "e2e-backend",
    "aggregate": "p95(transaction.duration)",
    "warning": 2000,
}


def sentry_plan(*monitors: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    block = {
        "team": "e2e-team",
        "defaultKey": "remove",
        "projects": [
            {"slug": "e2e-backend", "name": "Backend", "platform": "python-flask"},
            {"slug": "e2e-frontend", "name": "Frontend", "platform": "javascript-react"},
        ],
        "monitors": list(monitors),
        "notify": {"emailTeam": True, "slack": {"integration": "Lookout Slack", "channel": "#alerts"}},
        **overrides,
    }
    uptime = plan({"name": "site", "url": "https://e2e.example.test"})
    return {**uptime, "lookout:sentry": block}


def detectors(stack: Stack, kind: str = "metric_issue") -> dict[str, dict]:
    return {d["name"]: d for d in stack.sentry("detectors") if d["type"] == kind}


def comparisons(detector: dict) -> dict[int, float]:
    return {c["conditionResult"]: c["comparison"] for c in detector["conditionGroup"]["conditions"]}


def test_plan_deploys_then_updates_in_place_keeping_child_ids(stack: Stack):
    stack.configure(sentry_plan(ERROR_RATE, LATENCY))
    stack.pulumi("up", "--yes")
    assert {t["slug"] for t in stack.sentry("teams")} == {"e2e-team"}
    assert {p["slug"] for p in stack.sentry("projects")} == {"e2e-backend", "e2e-frontend"}
    keys = stack.sentry("keys")
    assert sorted(k["name"] for k in keys) == ["lookout dev", "lookout dev"]  # the Default keys are gone
    monitors = detectors(stack)
    assert comparisons(monitors["backend error rate"]) == {75: 0.05, 50: 0.01, 0: 0.01}
    workflows = {w["name"]: w for w in stack.sentry("workflows")}
    assert set(workflows) == {
        "e2e-backend: new and regressed issues",
        "e2e-frontend: new and regressed issues",
        "dev: monitor thresholds crossed",
    }
    breach = workflows["dev: monitor thresholds crossed"]
    assert sorted(breach["detectorIds"]) == sorted(d["id"] for d in monitors.values())

    before = stack.requests()
    stack.pulumi("preview", "--expect-no-changes")
    assert stack.requests() == before  # preview never calls the API
    stack.pulumi("preview", "--refresh", "--expect-no-changes")  # reordered conditions are not drift

    stack.api.control("DELETE", "/sentry/audit")
    stack.configure(sentry_plan({**ERROR_RATE, "critical": 0.08}, LATENCY))
    out = stack.pulumi("up", "--yes").stdout
    assert "1 updated" in out
    after = detectors(stack)["backend error rate"]
    assert after["id"] == monitors["backend error rate"]["id"]
    assert comparisons(after) == {75: 0.08, 50: 0.01, 0: 0.01}
    audit = stack.api.control("GET", "/sentry/audit").json()
    assert [a for a in audit if a["action"] in ("created", "deleted")] == []  # every child kept its id


def test_replace_delete_and_destroy(stack: Stack):
    stack.configure(sentry_plan(ERROR_RATE, LATENCY))
    stack.pulumi("up", "--yes")
    old = detectors(stack)["backend p95"]

    stack.configure(sentry_plan(ERROR_RATE, {**LATENCY, "project": "e2e-frontend"}))
    out = stack.pulumi("up", "--yes").stdout
    assert "1 replaced" in out
    moved = detectors(stack)["backend p95"]
    assert moved["id"] != old["id"] and str(moved["projectId"]) != str(old["projectId"])

    stack.configure(sentry_plan(ERROR_RATE))
    out = stack.pulumi("up", "--yes").stdout
    assert "1 deleted" in out
    assert set(detectors(stack)) == {"backend error rate"}

    stack.pulumi("destroy", "--yes")
    assert stack.sentry("projects") == [] and stack.sentry("teams") == []


def test_drift_in_a_threshold_is_caught_and_repaired(stack: Stack):
    stack.configure(sentry_plan(ERROR_RATE))
    stack.pulumi("up", "--yes")
    monitor = detectors(stack)["backend error rate"]
    group = monitor["conditionGroup"]
    edited = [{**c, "comparison": 0.5} if c["conditionResult"] == 75 else c for c in group["conditions"]]
    stack.api.control(
        "PATCH",
        f"/sentry/detectors/{monitor['id']}",
        json={"conditionGroup": {**group, "conditions": edited}},
    )

    drift = stack.pulumi("preview", "--refresh", "--expect-no-changes", check=False)
    assert drift.returncode == EXIT_NO_CHANGES_EXPECTED, drift.stdout + drift.stderr
    stack.pulumi("up", "--refresh", "--yes")
    assert comparisons(detectors(stack)["backend error rate"])[75] == 0.05
    stack.pulumi("preview", "--refresh", "--expect-no-changes")


def test_existing_team_and_project_are_adopted_without_duplicates(stack: Stack):
    team = stack.api.control("POST", "/sentry/teams", json={"slug": "e2e-team"}).json()
    stack.configure(sentry_plan(ERROR_RATE))
    stack.pulumi("up", "--yes")
    teams = stack.sentry("teams")
    assert [t["id"] for t in teams] == [team["id"]]  # the 409 led to adoption, not a second team
    stack.pulumi("preview", "--expect-no-changes")


def test_dsns_never_appear_in_clear(stack: Stack):
    stack.configure(sentry_plan())
    stack.pulumi("up", "--yes")
    dsns = [k["dsn"]["public"] for k in stack.sentry("keys")]
    secrets = [k["secret"] for k in stack.sentry("keys")]
    exported = stack.pulumi("stack", "export").stdout
    preview = stack.pulumi("preview", "--json").stdout
    outputs = stack.pulumi("stack", "output", "--json").stdout
    for value in dsns + secrets:
        assert value not in exported and value not in preview and value not in outputs
    assert set(json.loads(outputs)["sentry_dsns"].values()) == {"[secret]"}


def test_unknown_environment_is_reported_clearly(stack: Stack):
    stack.configure(sentry_plan(ERROR_RATE, environment="staging"))
    failed = stack.pulumi("up", "--yes", check=False)
    assert failed.returncode != 0
    assert "environment 'staging' does not exist" in failed.stdout + failed.stderr


@pytest.mark.parametrize(
    ("monitor", "expected"),
    [
        ({**ERROR_RATE, "warning": 0.09}, "must be below critical"),
        ({**ERROR_RATE, "dataset": "spans-ish"}, "dataset"),
        ({**ERROR_RATE, "timeWindow": 45}, "span monitors need at least 300 seconds"),
    ],
    ids=["warning-above-critical", "unknown-dataset", "time-window-not-allowed"],
)
def test_bad_monitor_config_fails_at_preview_without_api_calls(stack: Stack, monitor, expected):
    stack.configure(sentry_plan(monitor))
    before = stack.requests()
    failed = stack.pulumi("preview", check=False)
    assert failed.returncode != 0
    assert expected in failed.stdout + failed.stderr
    assert stack.requests() == before
