"""The committed stack files are valid plans, and bad config names the YAML path that is wrong."""

from __future__ import annotations

import copy

import pytest

from lookout import stackfile
from stacks.checks import compile_plan
from stacks.plan import load_plan
from stacks.validation import ConfigError


def committed(stack: str) -> dict:
    return copy.deepcopy(stackfile.lookout_values(stackfile.path_of(stack)))


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_committed_stacks_are_valid_plans_with_the_plan_numbers(stack):
    plan = load_plan(committed(stack))
    assert plan.environment == stack
    assert plan.thresholds.check_interval == 300  # the plan's 5-minute checks
    assert (plan.thresholds.error_rate_critical, plan.thresholds.error_rate_warning) == (0.05, 0.01)
    assert {s.health_path for s in plan.services} == {"/api/health"}
    assert compile_plan(plan)


EDITS = {
    "health-path": (
        lambda v: v["services"][1].update(health_path="api/health"),
        r"services\[1\].health_path: must start",
    ),
    "url": (
        lambda v: v["services"][0].update(url="optio.test"),
        r"services\[0\].url: 'optio.test' is not an http",
    ),
    "unknown-key": (
        lambda v: v["services"][0].update(helth_path="/x"),
        r"services\[0\].helth_path: unknown key",
    ),
    "email": (lambda v: v["channels"].update(email="admin"), r"lookout:channels.email: String should match"),
    "secret-by-value": (
        lambda v: v["channels"]["slack"].update(webhook_secret="https://hooks.slack.com/x"),
        r"lookout:channels.slack.webhook_secret",
    ),
    "unrouted-channel": (
        lambda v: v["channels"].pop("slack"),
        r"routing.critical: 'slack' is not configured",
    ),
    "duplicate": (
        lambda v: v["services"].append(dict(v["services"][0])),
        r"services: duplicate names \['backend'\]",
    ),
}


@pytest.mark.parametrize("name", EDITS)
def test_errors_name_the_yaml_path(name):
    edit, expected = EDITS[name]
    values = committed("dev")
    edit(values)
    with pytest.raises(ConfigError, match=expected):
        load_plan(values)


def test_defaults_come_from_the_plan():
    values = committed("dev")
    for key in ("thresholds", "routing", "heartbeat"):
        values.pop(key, None)
    plan = load_plan(values)
    assert plan.thresholds.api_p95_ms == 2000 and plan.thresholds.db_p95_ms == 1000
    assert plan.thresholds.failed_login_rate == 0.10 and plan.thresholds.ssl_expiry_days == 30
    assert plan.heartbeat and plan.heartbeat.interval == 300
    assert plan.routed("critical") == ["slack", "email"]  # dev never pages, even by default
