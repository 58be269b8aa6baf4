"""providers/uptimerobot/facts.py: what UptimeRobot's plans allow, known in one place and applied in the
same words by the plan model and by the monitor's own check."""

from __future__ import annotations

from typing import get_args

import pytest

from providers.uptimerobot import client, facts
from providers.uptimerobot.resources import MonitorProvider
from stacks.plan import Plan
from tests.bad_stacks import committed
from tests.preview_model import refusals


@pytest.mark.parametrize(
    ("plan", "per_minute"),
    [("free", 10), ("solo", 20), ("team", 200), ("enterprise", 400)],
)
def test_a_paid_plan_gets_twice_its_monitor_limit_per_minute_and_free_gets_10(plan: str, per_minute: int):
    assert facts.requests_per_minute(plan) == per_minute


def test_the_budget_is_capped_at_5000_a_minute():
    assert facts.Plan(monitors=10_000, min_interval=30).requests_per_minute("enterprise") == 5000


def test_the_transport_starts_from_the_plans_budget():
    from providers import settings

    # A key of its own: the process keeps one transport per account (transport/shared.py).
    settings.use_config({"uptimerobot:apiKey": "facts-test-team-account", "uptimerobot:plan": "Team"})
    try:
        assert client.client().vendor.requests_per_window == 200
    finally:
        settings.use_config({})


def test_an_unknown_plan_name_is_the_free_plan():
    assert facts.plan_named("TEAM") == "team"
    assert facts.plan_named("gold") == facts.plan_named(None) == "free"


def test_the_plan_model_knows_the_same_plans():
    assert set(get_args(Plan.model_fields["uptimerobot_plan"].annotation)) == set(facts.PLANS)


def test_a_plan_and_a_monitor_below_the_minimum_are_refused_in_the_same_words():
    words = facts.interval_problem(60, "free")
    assert words == "60 s is below the UptimeRobot free plan minimum of 300 s"
    assert facts.interval_problem(300, "free") is None and facts.interval_problem(30, "enterprise") is None
    config = committed()
    config["lookout:thresholds"] = {**config["lookout:thresholds"], "check_interval": 60}
    assert f"thresholds.check_interval: {words}" in "\n".join(refusals(config))
    checked = MonitorProvider().check({}, {"name": "m", "url": "https://x.test", "interval": 60.0})
    assert [(f.property, f.reason) for f in checked.failures] == [("interval", f"interval: {words}")]
